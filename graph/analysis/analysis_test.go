package analysis_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/graph/analysis"
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
	// By default the coder's inferences are left out: Ukraine opposes the guarantees only
	// through the inferred contradiction with Zelensky's red line, so the guarantees are
	// contested by the EU alone and the red line by nobody.
	byDefault := conflictsByID(t, s, schema.Evidence{})
	checkConflict(t, byDefault, "the guarantees", "ironclad-security-guarantees", []string{"russia"}, []string{"eu"})
	for _, st := range byDefault["ironclad-security-guarantees"].Against {
		if st.Side.ID == "ukraine" {
			t.Errorf("Ukraine stands against the guarantees by default, on an inference: %+v", st)
		}
	}
	if c, ok := byDefault["ukrainian-sovereignty-non-negotiable"]; ok {
		t.Errorf("Ukraine's red line is contested by default, on an inference: %+v", c)
	}
	checkConflict(t, byDefault, "the peacekeepers", "peacekeepers", []string{"uk", "france"}, []string{"russia"})
	// Every Russian demand Kallas dismisses is contested by the EU.
	for _, f := range matchFacts(t, s, "Kallas", "dismisses", "_") {
		checkConflict(t, byDefault, "dismissed by Kallas: "+f.Object.ID, f.Object.ID, []string{"russia"}, []string{"eu"})
	}
	for _, st := range byDefault["peacekeepers"].For {
		if st.Predicate.ID != schema.PredConsiders || st.Strength != schema.Tentative || st.Polarity != schema.Pro {
			t.Errorf("peacekeepers for: %+v, want a tentative pro 'considers'", st)
		}
	}

	// With inferences: Ukraine stands against the guarantees through Zelensky's red line
	// and the coder's inferred contradiction, and the stance says so.
	withInferred := conflictsByID(t, s, schema.Evidence{MinModality: schema.ModalityInferred})
	checkConflict(t, withInferred, "the guarantees, with inferences", "ironclad-security-guarantees", []string{"russia"}, []string{"eu", "ukraine"})
	checkConflict(t, withInferred, "Ukraine's red line, with inferences", "ukrainian-sovereignty-non-negotiable", []string{"ukraine"}, []string{"russia"})
	for _, st := range withInferred["ironclad-security-guarantees"].Against {
		if st.Side.ID == "ukraine" {
			if st.Actor.ID != "zelensky" || st.Position.ID != "ukrainian-sovereignty-non-negotiable" || len(st.Contradicts) == 0 || st.Contradicts[0].Modality != schema.ModalityInferred {
				t.Errorf("Ukraine's stance against the guarantees: %+v", st)
			}
		}
	}
}

// conflictsByID runs Conflicts and checks that each is a conflict between sides.
func conflictsByID(t *testing.T, s *graph.Store, ev schema.Evidence) map[string]analysis.Conflict {
	t.Helper()
	conflicts, err := analysis.New(s).Conflicts(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]analysis.Conflict{}
	for _, c := range conflicts {
		byID[c.Position.ID] = c
		if len(ids(append(append([]graph.Node{}, c.SidesFor...), c.SidesAgainst...))) < 2 || len(c.For) == 0 || len(c.Against) == 0 {
			t.Errorf("%s: for %v against %v is no conflict between sides", c.Position.ID, c.SidesFor, c.SidesAgainst)
		}
	}
	return byID
}

// checkConflict checks that position is contested with the sides pro for it and against.
func checkConflict(t *testing.T, byID map[string]analysis.Conflict, name, position string, pro, against []string) {
	t.Helper()
	t.Run(name, func(t *testing.T) {
		got, ok := byID[position]
		if !ok {
			t.Fatalf("%s is not contested", position)
		}
		checkSides(t, "for", got.SidesFor, pro)
		checkSides(t, "against", got.SidesAgainst, against)
	})
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
	ground, err := analysis.New(s).CommonGround(ctx, schema.Evidence{})
	if err != nil {
		t.Fatal(err)
	}
	conflicts, err := analysis.New(s).Conflicts(ctx, schema.Evidence{})
	if err != nil {
		t.Fatal(err)
	}
	contested := map[string]bool{}
	for _, c := range conflicts {
		contested[c.Position.ID] = true
	}
	byID := map[string]analysis.Agreement{}
	for _, a := range ground {
		byID[a.Position.ID] = a
		if len(a.Sides) < 2 || contested[a.Position.ID] {
			t.Errorf("%s: sides %v, contested %v", a.Position.ID, a.Sides, contested[a.Position.ID])
		}
		for _, pred := range []string{"rejects", "opposes", "dismisses", "warnsAgainst", "denies"} {
			if f := matchFacts(t, s, "_", pred, "<"+a.Position.ID+">"); len(f) > 0 {
				t.Errorf("%s is common ground but %s %s it", a.Position.ID, f[0].Subject.ID, pred)
			}
		}
	}
	cease, ok := byID["ceasefire-30-day"]
	if !ok {
		t.Fatalf("the 30-day ceasefire is not common ground: %+v", ground)
	}
	// The sides firmly for the ceasefire in the seed; Russia, whose Kremlin is at most
	// optimistic about it, is not one of them.
	want := map[string]bool{}
	for _, pred := range []string{"proposes", "accepts"} {
		for _, f := range matchFacts(t, s, "_", pred, "<ceasefire-30-day>") {
			want[f.Subject.ID] = true
		}
	}
	if got := ids(cease.Sides); len(got) != len(want) || got["russia"] {
		t.Errorf("ceasefire sides %v, want %v and never Russia", got, want)
	}
	for _, st := range cease.Tentative {
		if st.Strength != schema.Tentative || ids(cease.Sides)[st.Side.ID] {
			t.Errorf("tentative stance %+v: strength %s, side counted firmly", st, st.Strength)
		}
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
			r, err := analysis.New(s).Stance(ctx, c.actor, c.direct, schema.Evidence{})
			if err != nil {
				t.Fatal(err)
			}
			checkStances(t, "pro", r.Pro, c.pro, true)
			checkStances(t, "pro", r.Pro, c.notPro, false)
			checkStances(t, "con", r.Con, c.con, true)
			if got := ids(r.Members); len(got) != len(c.members) {
				t.Errorf("members %v, want %v", got, c.members)
			}
			for _, group := range [][]analysis.Stance{r.Pro, r.Con, r.Neutral} {
				for _, st := range group {
					if len(st.Claims) == 0 || st.Claims[0].Evidence == "" {
						t.Errorf("%s %s %s has no evidence", st.Actor.ID, st.Predicate.ID, st.Position.ID)
					}
				}
			}
		})
	}
	var notActor *analysis.NotActorError
	if _, err := analysis.New(s).Stance(ctx, "30-day ceasefire", false, schema.Evidence{}); !errors.As(err, &notActor) {
		t.Errorf("stance of a position: err = %v, want a NotActorError", err)
	}
}

// checkStances checks that each actor-position pair is (or, with listed false, is not)
// among the stances.
func checkStances(t *testing.T, group string, sts []analysis.Stance, pairs [][2]string, listed bool) {
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
			reasons, err := analysis.New(s).Why(ctx, c.pattern)
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
	var none *analysis.NoFactError
	if _, err := analysis.New(s).Why(ctx, graph.Pattern{Subject: "Putin", Predicate: "rejects", Object: "30-day ceasefire"}); !errors.As(err, &none) {
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
	report, err := analysis.New(s).Stance(ctx, "Test Person", false, schema.Evidence{})
	if err != nil {
		t.Fatal(err)
	}
	if report.Side.ID != "x-state" {
		t.Errorf("side %s, want x-state (the role's owner's state)", report.Side.ID)
	}
}

// handMade opens a memory store holding a small graph. types declares the entities,
// "State: a b; Position: p q", each labelled by its ID; each claim is "ID MODALITY: S P O;
// S P O", one claim (modality "-": none) and the facts it backs.
func handMade(t *testing.T, types string, claims ...string) *graph.Store {
	t.Helper()
	var b strings.Builder
	b.WriteString("<src> <type> <Source> .\n<src> <label> \"A hand-made source\" .\n")
	for _, decl := range strings.Split(types, ";") {
		typ, names, _ := strings.Cut(decl, ":")
		for _, n := range strings.Fields(names) {
			fmt.Fprintf(&b, "<%s> <type> <%s> .\n<%s> <label> %q .\n", n, strings.TrimSpace(typ), n, n)
		}
	}
	for _, c := range claims {
		head, facts, _ := strings.Cut(c, ":")
		f := strings.Fields(head)
		id, modality := "<src#"+f[0]+">", f[1]
		fmt.Fprintf(&b, "%s <type> <Claim> .\n%s <source> <src> .\n%s <evidence> %q .\n", id, id, id, f[0]+".")
		if modality != "-" {
			fmt.Fprintf(&b, "%s <modality> %q .\n", id, modality)
		}
		for _, fact := range strings.Split(facts, ";") {
			spo := strings.Fields(fact)
			fmt.Fprintf(&b, "<%s> <%s> <%s> %s .\n", spo[0], spo[1], spo[2], id)
		}
	}
	ctx := context.Background()
	s, _, err := graph.Open(ctx, graph.Config{Backend: graph.BackendMemory})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Load(ctx, []graph.Input{graphtest.Input("hand-made.nq", b.String())}, graph.LoadOptions{}); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	return s
}

// inferred counts every claim, inferences too.
var inferred = schema.Evidence{MinModality: schema.ModalityInferred}

// firmOnly counts firm claims only.
var firmOnly = schema.Evidence{MinModality: schema.ModalityAttributed}

const smallSides = "State: a b c d; Position: p q"

func TestCommonGroundHandMade(t *testing.T) {
	cases := []struct {
		name      string
		claims    []string
		ev        schema.Evidence
		sides     []string // firmly for p; nil: p is no common ground
		tentative []string // sides only tentatively for p
		noStance  []string
	}{
		{name: "two firm sides", claims: []string{"c1 asserted: a proposes p", "c2 attributed: b accepts p", "c3 asserted: d supports q"},
			sides: []string{"a", "b"}, noStance: []string{"d"}},
		{name: "a single hedged fact is not firm support", claims: []string{"c1 asserted: a proposes p", "c2 hedged: b supports p"}},
		{name: "a tentative stance is shown apart", claims: []string{"c1 asserted: a proposes p", "c2 asserted: b accepts p", "c3 attributed: c optimisticAbout p", "c4 asserted: d rejects q"},
			sides: []string{"a", "b"}, tentative: []string{"c"}, noStance: []string{"d"}},
		{name: "considering is tentative whatever the modality", claims: []string{"c1 asserted: a proposes p", "c2 asserted: b considers p"}},
		{name: "tentative opposition still opposes", claims: []string{"c1 asserted: a proposes p", "c2 asserted: b accepts p", "c3 hedged: c rejects p"}},
		{name: "a denial opposes", claims: []string{"c1 asserted: a proposes p", "c2 asserted: b accepts p", "c3 attributed: c denies p"}},
		{name: "a warning against opposes", claims: []string{"c1 asserted: a proposes p", "c2 asserted: b accepts p", "c3 attributed: c warnsAgainst p"}},
		{name: "a warning that p is so is a view for it", claims: []string{"c1 asserted: a warns p", "c2 attributed: b asserts p"},
			sides: []string{"a", "b"}},
		{name: "a refusal counts for nothing", claims: []string{"c1 asserted: a proposes p", "c2 asserted: b accepts p", "c3 refused: c rejects p"},
			sides: []string{"a", "b"}, noStance: []string{}},
		{name: "an inferred contradiction is left out by default", claims: []string{"c1 asserted: a proposes p", "c2 asserted: b accepts p", "c3 asserted: c supports q", "c4 inferred: p contradicts q"},
			sides: []string{"a", "b"}, noStance: []string{"c"}},
		{name: "an inferred contradiction counts when asked for", ev: inferred, claims: []string{"c1 asserted: a proposes p", "c2 asserted: b accepts p", "c3 asserted: c supports q", "c4 inferred: p contradicts q"}},
		{name: "an inferred stance is left out by default", claims: []string{"c1 asserted: a proposes p", "c2 inferred: b accepts p"}},
		{name: "an inferred stance is tentative when asked for", ev: inferred, claims: []string{"c1 asserted: a proposes p", "c2 asserted: b accepts p", "c3 inferred: c supports p"},
			sides: []string{"a", "b"}, tentative: []string{"c"}, noStance: []string{}},
		{name: "firm evidence only", ev: firmOnly, claims: []string{"c1 asserted: a proposes p", "c2 asserted: b accepts p", "c3 hedged: c rejects p"},
			sides: []string{"a", "b"}, noStance: []string{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := handMade(t, smallSides, c.claims...)
			ground, err := analysis.New(s).CommonGround(context.Background(), c.ev)
			if err != nil {
				t.Fatal(err)
			}
			var got *analysis.Agreement
			for i := range ground {
				if ground[i].Position.ID == "p" {
					got = &ground[i]
				}
			}
			if c.sides == nil {
				if got != nil {
					t.Fatalf("p is common ground: %+v", got)
				}
				return
			}
			if got == nil {
				t.Fatalf("p is no common ground: %+v", ground)
			}
			sameIDs(t, "sides", got.Sides, c.sides)
			var tentative []graph.Node
			for _, st := range got.Tentative {
				tentative = append(tentative, st.Side)
				if st.Strength != schema.Tentative {
					t.Errorf("%s's stance listed tentative is %s", st.Side.ID, st.Strength)
				}
			}
			sameIDs(t, "tentative", tentative, c.tentative)
			sameIDs(t, "no stance", got.NoStance, c.noStance)
			for _, st := range got.For {
				if st.Strength != schema.Firm {
					t.Errorf("%s's stance counted for is %s", st.Side.ID, st.Strength)
				}
			}
		})
	}
}

// sameIDs checks that nodes are exactly those of want.
func sameIDs(t *testing.T, what string, got []graph.Node, want []string) {
	t.Helper()
	g := ids(got)
	ok := len(g) == len(want)
	for _, w := range want {
		ok = ok && g[w]
	}
	if !ok {
		t.Errorf("%s: %v, want %v", what, g, want)
	}
}

func TestConflictsHandMade(t *testing.T) {
	cases := []struct {
		name     string
		claims   []string
		ev       schema.Evidence
		against  map[string]schema.Strength // side -> strength of its stance against p; nil: p uncontested
		position string                     // the position contested, p unless set
	}{
		{name: "a firm rejection", claims: []string{"c1 asserted: a proposes p", "c2 attributed: b rejects p"},
			against: map[string]schema.Strength{"b": schema.Firm}},
		{name: "a hedged rejection is tentative", claims: []string{"c1 asserted: a proposes p", "c2 hedged: b rejects p"},
			against: map[string]schema.Strength{"b": schema.Tentative}},
		{name: "firm evidence only leaves it out", ev: firmOnly, claims: []string{"c1 asserted: a proposes p", "c2 hedged: b rejects p"}},
		{name: "a denial", claims: []string{"c1 asserted: a proposes p", "c2 attributed: b denies p"},
			against: map[string]schema.Strength{"b": schema.Firm}},
		{name: "a warning against", claims: []string{"c1 asserted: a proposes p", "c2 attributed: b warnsAgainst p"},
			against: map[string]schema.Strength{"b": schema.Firm}},
		{name: "a warning is no opposition", claims: []string{"c1 asserted: a proposes p", "c2 attributed: b warns p"}},
		{name: "a refusal is no opposition", claims: []string{"c1 asserted: a proposes p", "c2 refused: b rejects p"}},
		{name: "a contradiction is no firmer than its claim", claims: []string{"c1 asserted: a proposes p", "c2 asserted: b supports q", "c3 hedged: p contradicts q"},
			against: map[string]schema.Strength{"b": schema.Tentative}},
		{name: "an inferred contradiction is left out by default", claims: []string{"c1 asserted: a proposes p", "c2 asserted: b supports q", "c3 inferred: p contradicts q"}},
		{name: "an inferred contradiction counts when asked for", ev: inferred, claims: []string{"c1 asserted: a proposes p", "c2 asserted: b supports q", "c3 inferred: p contradicts q"},
			against: map[string]schema.Strength{"b": schema.Tentative}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := handMade(t, smallSides, c.claims...)
			conflicts, err := analysis.New(s).Conflicts(context.Background(), c.ev)
			if err != nil {
				t.Fatal(err)
			}
			var got *analysis.Conflict
			for i := range conflicts {
				if conflicts[i].Position.ID == "p" {
					got = &conflicts[i]
				}
			}
			if c.against == nil {
				if got != nil {
					t.Fatalf("p is contested: %+v", got.Against)
				}
				return
			}
			if got == nil {
				t.Fatalf("p is not contested: %+v", conflicts)
			}
			if len(got.Against) != len(c.against) {
				t.Errorf("against: %+v, want %v", got.Against, c.against)
			}
			for _, st := range got.Against {
				if want, ok := c.against[st.Side.ID]; !ok || st.Strength != want || schema.StrengthOf(st.Weight) != st.Strength {
					t.Errorf("%s against p: %s (weight %v), want %s", st.Side.ID, st.Strength, st.Weight, want)
				}
			}
		})
	}
}

func TestStanceHandMade(t *testing.T) {
	const types = "Person: r; Position: h p q v w x"
	s := handMade(t, types,
		"c1 asserted: r warns h",
		"c2 attributed: r warnsAgainst p",
		"c3 attributed: r denies q",
		"c4 refused: r rejects v",
		"c5 asserted: r considers w",
		"c6 asserted: r supports x",
		"c7 inferred: r rejects x",
	)
	cases := []struct {
		name string
		ev   schema.Evidence
		pro  []string // positions in order, with strengths
		con  []string
		neu  []string
	}{
		{name: "default", pro: []string{"h firm", "x firm", "w tentative"}, con: []string{"p firm", "q firm"}, neu: []string{"v none"}},
		{name: "inferred", ev: inferred, pro: []string{"h firm", "x firm", "w tentative"}, con: []string{"p firm", "q firm", "x tentative"}, neu: []string{"v none"}},
		{name: "firm only", ev: firmOnly, pro: []string{"h firm", "x firm"}, con: []string{"p firm", "q firm"}, neu: []string{"v none"}},
	}
	read := func(sts []analysis.Stance) []string {
		var out []string
		for _, st := range sts {
			out = append(out, st.Position.ID+" "+string(st.Strength))
		}
		return out
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := analysis.New(s).Stance(context.Background(), "r", false, c.ev)
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range []struct {
				name      string
				got, want []string
			}{{"pro", read(r.Pro), c.pro}, {"con", read(r.Con), c.con}, {"neutral", read(r.Neutral), c.neu}} {
				if strings.Join(g.got, ", ") != strings.Join(g.want, ", ") {
					t.Errorf("%s: %v, want %v", g.name, g.got, g.want)
				}
			}
		})
	}
}

// notReady is a store that 'parley init' never set up: it has a vocabulary, and any
// read but Ready panics (its Reader is nil).
type notReady struct{ analysis.Reader }

var errNotReady = errors.New("store x.db is not initialised (run 'parley init')")

func (notReady) Ready() error                   { return errNotReady }
func (notReady) Vocabulary() *schema.Vocabulary { return schema.Default() }

func TestNotInitialised(t *testing.T) {
	ctx := context.Background()
	a := analysis.New(notReady{})
	for name, run := range map[string]func() error{
		"conflicts":     func() error { _, err := a.Conflicts(ctx, schema.Evidence{}); return err },
		"common ground": func() error { _, err := a.CommonGround(ctx, schema.Evidence{}); return err },
		"alignment":     func() error { _, err := a.Alignment(ctx, false, schema.Evidence{}); return err },
		"brokers":       func() error { _, _, err := a.Brokers(ctx, false, schema.Evidence{}); return err },
	} {
		// The error as the store says it, unwrapped: nothing is read before it.
		if err := run(); err != errNotReady {
			t.Errorf("%s: %v, want %v", name, err, errNotReady)
		}
	}
}
