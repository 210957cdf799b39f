// Package graphtest is the conformance suite every backend of parley's store must pass,
// after Cayley's own graph/graphtest: TestAll runs it against a function that opens a
// fresh store holding the seed.
package graphtest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/schema"
)

// TestAll runs the suite. open must return a fresh store loaded with the seed
// (graph.Seed{Name: seed.Name, Data: seed.Quads()}), closed when the test ends.
func TestAll(t *testing.T, open func(t *testing.T) *graph.Store) {
	for _, tc := range []struct {
		name string
		test func(t *testing.T, s *graph.Store)
	}{
		{"Seed", testSeed},
		{"Match", testMatch},
		{"MatchWildcardPredicate", testMatchWildcardPredicate},
		{"ResolveEntity", testResolveEntity},
		{"LoadTwice", testLoadTwice},
		{"LoadAllOrNothing", testLoadAllOrNothing},
		{"DryRun", testDryRun},
		{"Unload", testUnload},
		{"UnloadMissing", testUnloadMissing},
		{"ForeignPredicateUnloaded", testForeignPredicateUnloaded},
		{"Add", testAdd},
		{"Describe", testDescribe},
		{"Query", testQuery},
		{"Sources", testSources},
		{"Replace", testReplace},
		{"ReplaceInvalid", testReplaceInvalid},
		{"ReplaceInterrupted", testReplaceInterrupted},
		{"UnloadSourceShared", testUnloadSourceShared},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.test(t, open(t)) })
	}
}

func testSeed(t *testing.T, s *graph.Store) {
	ctx := context.Background()
	want := seedQuads(t)
	SameDump(t, "seed", Dump(t, s), nquadsOf(want))

	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	claims := seedWhere(t, func(q quad.Quad) bool {
		return q.Predicate == quad.IRI(schema.PredType) && q.Object == quad.IRI(schema.TypeClaim)
	})
	if st.Quads != len(want) || st.Claims != len(claims) || st.Entities <= 0 || len(st.Types) == 0 || len(st.Predicates) == 0 {
		t.Errorf("Stats = %+v, want %d quads, %d claims, some entities, types and predicates", st, len(want), len(claims))
	}
	for _, c := range claims {
		ev, err := s.Objects(ctx, c.Subject, schema.PredEvidence)
		if err != nil {
			t.Fatal(err)
		}
		src, err := s.Objects(ctx, c.Subject, schema.PredSource)
		if err != nil {
			t.Fatal(err)
		}
		if len(ev) == 0 || len(src) == 0 {
			t.Errorf("claim %s has evidence %v and source %v", c.Subject, ev, src)
		}
	}
}

func testMatch(t *testing.T, s *graph.Store) {
	ctx := context.Background()
	putinDemands := nquadsOf(seedWhere(t, func(q quad.Quad) bool {
		return q.Subject == quad.IRI("putin") && q.Predicate == quad.IRI(schema.PredDemands)
	}))
	if len(putinDemands) == 0 {
		t.Fatal("the seed has no <putin> <demands> fact to match")
	}
	for _, tc := range []struct {
		name string
		p    graph.Pattern
	}{
		{"alias", graph.Pattern{Subject: "Putin", Predicate: "demands", Object: graph.Wildcard}},
		{"label, any case", graph.Pattern{Subject: "vladimir PUTIN", Predicate: "Demands", Object: graph.Wildcard}},
		{"IDs", graph.Pattern{Subject: "<putin>", Predicate: "<demands>", Object: graph.Wildcard}},
		{"reverse reading", graph.Pattern{Subject: graph.Wildcard, Predicate: "demanded by", Object: "Putin"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			facts, err := s.Match(ctx, tc.p)
			if err != nil {
				t.Fatal(err)
			}
			if got := factQuads(facts); !reflect.DeepEqual(got, putinDemands) {
				t.Errorf("Match(%+v) =\n  %s\nwant\n  %s", tc.p, strings.Join(got, "\n  "), strings.Join(putinDemands, "\n  "))
			}
			for _, f := range facts {
				if f.Evidence == "" || f.Source == nil || f.Subject.Label != "Vladimir Putin" || f.Predicate.Reading != "demands" {
					t.Errorf("fact lacks its labels or provenance: %+v", f)
				}
			}
		})
	}
}

func testMatchWildcardPredicate(t *testing.T, s *graph.Store) {
	facts, err := s.Match(context.Background(), graph.Pattern{Subject: "Putin", Predicate: graph.Wildcard, Object: graph.Wildcard})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, q := range factQuads(facts) {
		got[q] = true
	}
	for _, f := range facts {
		if k := kindOf(quad.IRI(f.Predicate.ID)); k != schema.Relation {
			t.Errorf("wildcard predicate matched a %s fact: %s %s %s", k, f.Subject.ID, f.Predicate.ID, f.Object.ID)
		}
	}
	want := nquadsOf(seedWhere(t, func(q quad.Quad) bool {
		return q.Subject == quad.IRI("putin") && kindOf(q.Predicate) == schema.Relation
	}))
	if len(want) < 2 {
		t.Fatalf("the seed has %d relation facts of <putin>; the test needs at least two", len(want))
	}
	for _, q := range want {
		if !got[q] {
			t.Errorf("wildcard predicate missed %s", q)
		}
	}
}

// other adds a second entity that shares an alias with <zelensky>.
const other = `<other-leader> <type> <Person> .
<other-leader> <label> "Another leader" .
<other-leader> <alias> "the Ukrainian leader" .
`

func testResolveEntity(t *testing.T, s *graph.Store) {
	ctx := context.Background()
	if _, err := s.Load(ctx, []graph.Input{Input("other.nq", other)}, graph.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		want      quad.IRI
		notFound  bool
		ambiguous []graph.Candidate
	}{
		{name: "<putin>", want: "putin"},
		{name: "putin", want: "putin"},
		{name: "PUTIN", want: "putin"},
		{name: "Vladimir Putin", want: "putin"},
		{name: "  vladimir putin ", want: "putin"},
		{name: "Putin", want: "putin"},
		{name: "Another leader", want: "other-leader"},
		{name: "Volodymyr Zelensky", want: "zelensky"},
		{name: "<" + schema.Namespace + "putin>", want: "putin"},
		{name: "Nobody at all", notFound: true},
		{name: "<Putin>", notFound: true},
		{name: "<nobody>", notFound: true},
		{name: "the ukrainian LEADER", ambiguous: []graph.Candidate{
			{ID: "other-leader", Label: "Another leader", Via: schema.PredAlias},
			{ID: "zelensky", Label: "Volodymyr Zelensky", Via: schema.PredAlias},
		}},
	} {
		got, err := s.ResolveEntity(ctx, tc.name)
		var nf *graph.NotFoundError
		var amb *graph.AmbiguousError
		switch {
		case tc.notFound:
			if !errors.As(err, &nf) {
				t.Errorf("ResolveEntity(%q) = %q, %v; want a *NotFoundError", tc.name, got, err)
			}
		case tc.ambiguous != nil:
			if !errors.As(err, &amb) || !reflect.DeepEqual(amb.Candidates, tc.ambiguous) {
				t.Errorf("ResolveEntity(%q) = %q, %v; want an *AmbiguousError listing %+v", tc.name, got, err, tc.ambiguous)
			}
		case err != nil || got != tc.want:
			t.Errorf("ResolveEntity(%q) = %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
}

// fresh is a valid file of eight quads about the seed's <putin>, none of them in the seed,
// plus one repeated line.
const fresh = `<test-position> <type> <Position> .
<test-position> <label> "A test position" .
<src-test> <type> <Source> .
<src-test> <label> "A test source" .
<src-test#c1> <type> <Claim> .
<src-test#c1> <source> <src-test> .
<src-test#c1> <evidence> "Putin demands a test position." .
<putin> <demands> <test-position> <src-test#c1> .
<putin> <demands> <test-position> <src-test#c1> .
`

func load(t *testing.T, s *graph.Store, text string, opt graph.LoadOptions) graph.LoadResult {
	t.Helper()
	res, err := s.Load(context.Background(), []graph.Input{Input("fresh.nq", text)}, opt)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return res
}

func testLoadTwice(t *testing.T, s *graph.Store) {
	ctx := context.Background()
	before := len(Dump(t, s))
	for _, want := range []graph.LoadResult{
		{Read: 9, Written: 8, Duplicate: 1},
		{Read: 9, Present: 8, Duplicate: 1},
	} {
		if got := load(t, s, fresh, graph.LoadOptions{}); got != want {
			t.Errorf("Load = %+v, want %+v", got, want)
		}
		if n := len(Dump(t, s)); n != before+8 {
			t.Errorf("the store holds %d quads, want %d", n, before+8)
		}
	}
	facts, err := s.Match(ctx, graph.Pattern{Subject: "Putin", Predicate: "demands", Object: "A test position"})
	if err != nil || len(facts) != 1 || facts[0].Evidence != "Putin demands a test position." || facts[0].Source == nil || facts[0].Source.ID != "src-test" {
		t.Errorf("Match of the loaded fact = %+v, %v", facts, err)
	}
}

func testLoadAllOrNothing(t *testing.T, s *graph.Store) {
	ctx := context.Background()
	for _, tc := range []struct {
		name    string
		bad     string // the line appended to fresh, line 10
		problem string // its message starts so
	}{
		{"syntax error", `<putin> <demands> .`, ""},
		{"unknown predicate", `<putin> <likes> <test-position> <src-test#c1> .`, "unknown predicate <likes>"},
		{"domain violation", `<test-position> <demands> <test-position> <src-test#c1> .`, "<test-position> is a Position"},
		{"entity where a literal is needed", `<putin> <label> <putin> .`, "<label> takes a literal"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := Dump(t, s)
			res, err := s.Load(ctx, []graph.Input{Input("bad.nq", fresh+tc.bad+"\n")}, graph.LoadOptions{})
			var verr *schema.ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("Load = %+v, %v; want a *schema.ValidationError", res, err)
			}
			if len(verr.Problems) != 1 || verr.Problems[0].File != "bad.nq" || verr.Problems[0].Line != 10 || !strings.HasPrefix(verr.Problems[0].Msg, tc.problem) {
				t.Errorf("problems = %v; want one at bad.nq:10 starting %q", verr, tc.problem)
			}
			SameDump(t, "after a failed load", Dump(t, s), before)
		})
	}
}

func testDryRun(t *testing.T, s *graph.Store) {
	before := Dump(t, s)
	want := graph.LoadResult{Read: 9, Written: 8, Duplicate: 1, DryRun: true}
	if got := load(t, s, fresh, graph.LoadOptions{DryRun: true}); got != want {
		t.Errorf("Load dry run = %+v, want %+v", got, want)
	}
	SameDump(t, "after a dry run", Dump(t, s), before)
}

func testUnload(t *testing.T, s *graph.Store) {
	ctx := context.Background()
	before, nodes := Dump(t, s), CountNodes(t, s)
	// Loading twice must not leave extra references behind (Cayley counts them per write).
	load(t, s, fresh, graph.LoadOptions{})
	load(t, s, fresh, graph.LoadOptions{})
	if CountNodes(t, s) <= nodes {
		t.Fatalf("loading added no node")
	}
	res, err := s.Unload(ctx, []graph.Input{Input("fresh.nq", fresh)}, graph.LoadOptions{})
	if want := (graph.LoadResult{Read: 9, Written: 8, Duplicate: 1}); err != nil || res != want {
		t.Fatalf("Unload = %+v, %v; want %+v", res, err, want)
	}
	SameDump(t, "after unloading what was loaded", Dump(t, s), before)
	if n := CountNodes(t, s); n != nodes {
		t.Errorf("the store lists %d nodes after the unload, %d before the load: orphan nodes remain", n, nodes)
	}
	if _, err := s.ResolveEntity(ctx, "<test-position>"); err == nil {
		t.Error("ResolveEntity finds <test-position> after its unload")
	}
}

// testForeignPredicateUnloaded: a foreign predicate is matched while a quad has it, and
// unknown once its last quad is unloaded.
func testForeignPredicateUnloaded(t *testing.T, s *graph.Store) {
	ctx := context.Background()
	const text = "<putin> <http://example.org/knows> <zelensky> .\n"
	pattern := graph.Pattern{Subject: graph.Wildcard, Predicate: "<http://example.org/knows>", Object: graph.Wildcard}
	load(t, s, text, graph.LoadOptions{AllowUnknown: true})
	if facts, err := s.Match(ctx, pattern); err != nil || len(facts) != 1 {
		t.Fatalf("Match after the load = %d facts, %v; want 1", len(facts), err)
	}
	if _, err := s.Unload(ctx, []graph.Input{Input("knows.nq", text)}, graph.LoadOptions{AllowUnknown: true}); err != nil {
		t.Fatal(err)
	}
	var unknown *graph.UnknownPredicateError
	if facts, err := s.Match(ctx, pattern); !errors.As(err, &unknown) {
		t.Errorf("Match after the unload = %d facts, %v; want an unknown predicate", len(facts), err)
	}
}

func testUnloadMissing(t *testing.T, s *graph.Store) {
	present := seedQuads(t)[0].NQuad()
	text := present + "\n<putin> <demands> <nothing> <src-test#c1> .\n"
	before := Dump(t, s)
	res, err := s.Unload(context.Background(), []graph.Input{Input("gone.nq", text)}, graph.LoadOptions{})
	var verr *schema.ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("Unload = %+v, %v; want a *schema.ValidationError", res, err)
	}
	want := []schema.Problem{{File: "gone.nq", Line: 2, Msg: "the store has no such quad: <putin> <demands> <nothing> <src-test#c1> ."}}
	if !reflect.DeepEqual(verr.Problems, want) {
		t.Errorf("problems = %+v, want %+v", verr.Problems, want)
	}
	SameDump(t, "after a failed unload", Dump(t, s), before)
}

func testAdd(t *testing.T, s *graph.Store) {
	ctx := context.Background()
	a := graph.Assertion{
		Subject: "Putin", Predicate: "demands", Object: "30-day ceasefire",
		Evidence: "Putin demands a test ceasefire.", Source: "A test source", Date: "2025-03",
	}
	before := len(Dump(t, s))
	fact, res, err := s.Add(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	// A new source (type, label, title), a claim (type, source, evidence, modality, date)
	// and the fact.
	if res.Written != 9 || len(Dump(t, s)) != before+9 {
		t.Errorf("first Add wrote %+v; the store grew from %d to %d quads; want 9 more", res, before, len(Dump(t, s)))
	}
	if fact.Subject.ID != "putin" || fact.Predicate.ID != schema.PredDemands || fact.Object.ID != "ceasefire-30-day" ||
		fact.Evidence != a.Evidence || fact.Source == nil || fact.Source.Label != a.Source ||
		fact.Modality != schema.ModalityAsserted || fact.Date != a.Date || fact.Claim == "" {
		t.Errorf("Add = %+v", fact)
	}
	again, res, err := s.Add(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if res.Written != 0 || res.Present == 0 || again.Claim != fact.Claim {
		t.Errorf("second Add = %+v, %+v; want nothing written, the same claim %s", again, res, fact.Claim)
	}
}

func testDescribe(t *testing.T, s *graph.Store) {
	d, err := s.Describe(context.Background(), "Putin")
	if err != nil {
		t.Fatal(err)
	}
	if d.Entity.ID != "putin" || d.Entity.Label != "Vladimir Putin" || !reflect.DeepEqual(d.Entity.Types, []string{schema.TypePerson}) {
		t.Errorf("Describe(Putin).Entity = %+v", d.Entity)
	}
	got := map[string]bool{}
	for _, g := range d.Groups {
		for _, f := range g.Facts {
			got[fmt.Sprintf("%v %s %s %s", g.Incoming, f.Subject.ID, f.Predicate.ID, f.Object.ID)] = true
			if f.Predicate.ID != g.Predicate.ID {
				t.Errorf("group %s holds a %s fact", g.Predicate.ID, f.Predicate.ID)
			}
		}
	}
	var out, in int
	for _, q := range seedQuads(t) {
		if kindOf(q.Predicate) != schema.Relation {
			continue
		}
		var incoming bool
		switch {
		case q.Subject == quad.IRI("putin"):
			out++
		case q.Object == quad.IRI("putin"):
			incoming = true
			in++
		default:
			continue
		}
		if k := fmt.Sprintf("%v %s %s %s", incoming, schema.ID(q.Subject), schema.ID(q.Predicate), schema.ID(q.Object)); !got[k] {
			t.Errorf("Describe(Putin) lacks the fact %s (incoming %v)", q.NQuad(), incoming)
		}
	}
	if out == 0 || in == 0 {
		t.Errorf("the seed has %d facts from <putin> and %d to it; the test needs both", out, in)
	}
}

func testQuery(t *testing.T, s *graph.Store) {
	ctx := context.Background()
	for _, tc := range []struct {
		name      string
		text      string
		limit     int
		want      int // results; -1: at least one
		truncated bool
	}{
		{"label", `g.V("<putin>").Out("<label>").All()`, 0, 1, false},
		{"limit", `g.V().Has("<type>", "<Person>").All()`, 2, 2, true},
		{"no limit", `g.V().Has("<type>", "<Person>").All()`, 0, -1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := s.Query(ctx, graph.LangGizmo, tc.text, graph.QueryOptions{Limit: tc.limit})
			if err != nil {
				t.Fatal(err)
			}
			if tc.want >= 0 && len(res.Results) != tc.want || tc.want < 0 && len(res.Results) < 3 || res.Truncated != tc.truncated {
				t.Errorf("Query(%s, limit %d) = %d results %v, truncated %v; want %d, truncated %v",
					tc.text, tc.limit, len(res.Results), res.Results, res.Truncated, tc.want, tc.truncated)
			}
		})
	}
	if _, err := s.Query(ctx, "sparql", "SELECT *", graph.QueryOptions{}); err == nil {
		t.Error("Query in an unknown language succeeded")
	}
}

func testSources(t *testing.T, s *graph.Store) {
	claimsOf := map[string]int{}
	for _, q := range seedWhere(t, func(q quad.Quad) bool { return q.Predicate == quad.IRI(schema.PredSource) }) {
		claimsOf[schema.ID(q.Object)]++
	}
	srcs, err := s.Sources(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, src := range srcs {
		got[src.ID] = src.Claims
		if src.Facts == 0 || src.Label == "" {
			t.Errorf("source %+v has no facts or no label", src)
		}
	}
	if !reflect.DeepEqual(got, claimsOf) {
		t.Errorf("Sources claim counts = %v, want %v", got, claimsOf)
	}
}
