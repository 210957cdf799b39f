package graph_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/graph/graphtest"
	"github.com/parley/parley/schema"
	"github.com/parley/parley/seed"
)

// ids returns the IDs of nodes as a set.
func ids(nodes []graph.Node) map[string]bool {
	out := map[string]bool{}
	for _, n := range nodes {
		out[n.ID] = true
	}
	return out
}

func matchFacts(t *testing.T, s *graph.Store, subj, pred, obj string) []graph.Fact {
	t.Helper()
	facts, err := s.Match(context.Background(), graph.Pattern{Subject: subj, Predicate: pred, Object: obj})
	if err != nil {
		t.Fatal(err)
	}
	return facts
}

func TestConflicts(t *testing.T) {
	s := seeded(t)
	conflicts, err := s.Conflicts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]graph.Conflict{}
	for _, c := range conflicts {
		byID[c.Position.ID] = c
		if len(ids(append(append([]graph.Node{}, c.SidesFor...), c.SidesAgainst...))) < 2 || len(c.For) == 0 || len(c.Against) == 0 {
			t.Errorf("%s: for %v against %v is no conflict between sides", c.Position.ID, c.SidesFor, c.SidesAgainst)
		}
	}
	type sides struct {
		name, position string
		pro, against   []string // sides that must be on each side
	}
	cases := []sides{
		{"the guarantees", "ironclad-security-guarantees", []string{"russia"}, []string{"eu", "ukraine"}},
		{"the peacekeepers", "peacekeepers", []string{"uk", "france"}, []string{"russia"}},
		{"Ukraine's red line", "ukrainian-sovereignty-non-negotiable", []string{"ukraine"}, []string{"russia"}},
	}
	// Every Russian demand Kallas dismisses is contested by the EU.
	for _, f := range matchFacts(t, s, "Kallas", "dismisses", "_") {
		cases = append(cases, sides{"dismissed by Kallas: " + f.Object.ID, f.Object.ID, []string{"russia"}, []string{"eu"}})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := byID[c.position]
			if !ok {
				t.Fatalf("%s is not contested", c.position)
			}
			checkSides(t, "for", got.SidesFor, c.pro)
			checkSides(t, "against", got.SidesAgainst, c.against)
		})
	}
	if _, ok := byID["ceasefire-30-day"]; ok {
		t.Errorf("the 30-day ceasefire is contested; nobody opposes it")
	}
	// Ukraine stands against the guarantees through Zelensky's red line and the coder's
	// inferred contradiction, and the stance says so.
	for _, st := range byID["ironclad-security-guarantees"].Against {
		if st.Side.ID == "ukraine" {
			if st.Actor.ID != "zelensky" || st.Position.ID != "ukrainian-sovereignty-non-negotiable" || len(st.Contradicts) == 0 || st.Contradicts[0].Modality != schema.ModalityInferred {
				t.Errorf("Ukraine's stance against the guarantees: %+v", st)
			}
		}
	}
	for _, st := range byID["peacekeepers"].For {
		if st.Predicate.ID != schema.PredConsiders || !st.Tentative || st.Polarity != schema.Pro {
			t.Errorf("peacekeepers for: %+v, want a tentative pro 'considers'", st)
		}
	}
}

// checkSides checks that every wanted side is among the sides got.
func checkSides(t *testing.T, what string, got []graph.Node, want []string) {
	t.Helper()
	for _, sd := range want {
		if !ids(got)[sd] {
			t.Errorf("%s is not %s it: %v", sd, what, got)
		}
	}
}

func TestCommonGround(t *testing.T) {
	ctx := context.Background()
	s := seeded(t)
	ground, err := s.CommonGround(ctx)
	if err != nil {
		t.Fatal(err)
	}
	conflicts, err := s.Conflicts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	contested := map[string]bool{}
	for _, c := range conflicts {
		contested[c.Position.ID] = true
	}
	byID := map[string]graph.Agreement{}
	for _, a := range ground {
		byID[a.Position.ID] = a
		if len(a.Sides) < 2 || contested[a.Position.ID] {
			t.Errorf("%s: sides %v, contested %v", a.Position.ID, a.Sides, contested[a.Position.ID])
		}
		for _, pred := range []string{"rejects", "opposes", "dismisses", "warns"} {
			if f := matchFacts(t, s, "_", pred, "<"+a.Position.ID+">"); len(f) > 0 {
				t.Errorf("%s is common ground but %s %s it", a.Position.ID, f[0].Subject.ID, pred)
			}
		}
	}
	cease, ok := byID["ceasefire-30-day"]
	if !ok {
		t.Fatalf("the 30-day ceasefire is not common ground: %+v", ground)
	}
	// Every side with a pro fact on the ceasefire in the seed, and the Kremlin for Russia.
	want := map[string]bool{"russia": true}
	for _, pred := range []string{"proposes", "accepts", "supports"} {
		for _, f := range matchFacts(t, s, "_", pred, "<ceasefire-30-day>") {
			want[f.Subject.ID] = true
		}
	}
	if got := ids(cease.Sides); len(got) != len(want) {
		t.Errorf("ceasefire sides %v, want %v", got, want)
	}
	trump := false
	for _, st := range cease.For {
		trump = trump || st.Actor.ID == "trump" && st.Side.ID == "usa"
	}
	if !trump {
		t.Errorf("Trump seeking the ceasefire is not the United States' stance for it: %+v", cease.For)
	}
	if _, ok := byID["peacekeepers"]; ok {
		t.Errorf("peacekeepers are common ground; Russia rejects them")
	}
}

func TestStance(t *testing.T) {
	ctx := context.Background()
	s := seeded(t)
	cases := []struct {
		actor   string
		direct  bool
		pro     [][2]string // actor, position: must be pro
		notPro  [][2]string // must not be listed
		con     [][2]string
		members []string
	}{
		{actor: "Putin", members: []string{"putin"}},
		{actor: "Russia", pro: [][2]string{{"putin", "ukraine-excluded-from-nato"}, {"kremlin", "ceasefire-30-day"}, {"grushko", "ironclad-security-guarantees"}},
			con: [][2]string{{"russia", "peacekeepers"}}, members: []string{"russia", "putin", "grushko", "kremlin"}},
		{actor: "Russia", direct: true, pro: [][2]string{{"russia", "ironclad-security-guarantees"}},
			notPro: [][2]string{{"putin", "ukraine-excluded-from-nato"}}, members: []string{"russia"}},
		{actor: "Kallas", con: [][2]string{{"kallas", "ironclad-security-guarantees"}}, members: []string{"kallas"}},
		{actor: "France", pro: [][2]string{{"france", "peacekeepers"}}, members: []string{"france"}},
	}
	// Putin's demands, from the seed, are pro.
	for _, f := range matchFacts(t, s, "Putin", "demands", "_") {
		cases[0].pro = append(cases[0].pro, [2]string{"putin", f.Object.ID})
	}
	if len(cases[0].pro) < 3 {
		t.Fatalf("the seed has %d demands of Putin's, want at least 3", len(cases[0].pro))
	}
	for _, c := range cases {
		t.Run(c.actor, func(t *testing.T) {
			r, err := s.Stance(ctx, c.actor, c.direct)
			if err != nil {
				t.Fatal(err)
			}
			checkStances(t, "pro", r.Pro, c.pro, true)
			checkStances(t, "pro", r.Pro, c.notPro, false)
			checkStances(t, "con", r.Con, c.con, true)
			if got := ids(r.Members); len(got) != len(c.members) {
				t.Errorf("members %v, want %v", got, c.members)
			}
			for _, group := range [][]graph.Stance{r.Pro, r.Con, r.Neutral} {
				for _, st := range group {
					if len(st.Claims) == 0 || st.Claims[0].Evidence == "" {
						t.Errorf("%s %s %s has no evidence", st.Actor.ID, st.Predicate.ID, st.Position.ID)
					}
				}
			}
		})
	}
	var notActor *graph.NotActorError
	if _, err := s.Stance(ctx, "30-day ceasefire", false); !errors.As(err, &notActor) {
		t.Errorf("stance of a position: err = %v, want a NotActorError", err)
	}
}

// checkStances checks that each actor-position pair is (or, with listed false, is not)
// among the stances.
func checkStances(t *testing.T, group string, sts []graph.Stance, pairs [][2]string, listed bool) {
	t.Helper()
	for _, k := range pairs {
		found := false
		for _, st := range sts {
			found = found || st.Actor.ID == k[0] && st.Position.ID == k[1]
		}
		if found != listed {
			t.Errorf("%s on %s listed %s: %v, want %v", k[0], k[1], group, found, listed)
		}
	}
}

func TestWhy(t *testing.T) {
	ctx := context.Background()
	s := seeded(t)
	cases := []struct {
		pattern graph.Pattern
		speaker string
	}{
		{graph.Pattern{Subject: "Grushko", Predicate: "demands", Object: "<ironclad-security-guarantees>"}, "grushko"},
		{graph.Pattern{Subject: "Ukraine", Predicate: "accepts", Object: "30-day ceasefire"}, ""},
		{graph.Pattern{Subject: "30-day ceasefire", Predicate: "proposed by", Object: "US"}, ""},
		{graph.Pattern{Subject: "Zelensky", Predicate: "clashesWith", Object: "Trump"}, ""},
	}
	for _, c := range cases {
		t.Run(c.pattern.Subject+" "+c.pattern.Predicate, func(t *testing.T) {
			reasons, err := s.Why(ctx, c.pattern)
			if err != nil {
				t.Fatal(err)
			}
			if want := matchFacts(t, s, c.pattern.Subject, c.pattern.Predicate, c.pattern.Object); len(reasons) != len(want) {
				t.Errorf("%d reasons, want one per claim: %d", len(reasons), len(want))
			}
			for _, r := range reasons {
				if !strings.Contains(seed.Article(), r.Evidence) || r.Evidence == "" {
					t.Errorf("evidence %q is not in the article", r.Evidence)
				}
				if r.Title != "Trump, Putin to Discuss Ukraine Peace Deal on Tuesday" || r.Published != "2025-03" || r.Modality == "" {
					t.Errorf("source %q published %q, modality %q", r.Title, r.Published, r.Modality)
				}
				if c.speaker != "" && (r.Speaker == nil || r.Speaker.ID != c.speaker) {
					t.Errorf("speaker %v, want %s", r.Speaker, c.speaker)
				}
			}
		})
	}
	var none *graph.NoFactError
	if _, err := s.Why(ctx, graph.Pattern{Subject: "Putin", Predicate: "rejects", Object: "30-day ceasefire"}); !errors.As(err, &none) {
		t.Errorf("a fact the seed lacks: err = %v, want a NoFactError", err)
	}
}

// TestSideThroughUntypedRoles: under --allow-unknown a role and its owner need no type;
// the side of the person who holds the role is still its owner's state.
func TestSideThroughUntypedRoles(t *testing.T) {
	ctx := context.Background()
	s := seeded(t)
	const roles = `<test-person> <type> <Person> .
<test-person> <label> "Test Person" .
<test-person> <holdsRole> <x-role> <src-trump-putin-call#side-test> .
<x-role> <roleOf> <x-org> <src-trump-putin-call#side-test> .
<x-org> <governmentOf> <x-state> <src-trump-putin-call#side-test> .
<src-trump-putin-call#side-test> <type> <Claim> .
<src-trump-putin-call#side-test> <source> <src-trump-putin-call> .
<src-trump-putin-call#side-test> <evidence> "A test." .
`
	if _, err := s.Load(ctx, []graph.Input{graphtest.Input("roles.nq", roles)}, graph.LoadOptions{AllowUnknown: true}); err != nil {
		t.Fatal(err)
	}
	report, err := s.Stance(ctx, "Test Person", false)
	if err != nil {
		t.Fatal(err)
	}
	if report.Side.ID != "x-state" {
		t.Errorf("side %s, want x-state (the role's owner's state)", report.Side.ID)
	}
}
