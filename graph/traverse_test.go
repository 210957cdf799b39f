package graph_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/seed"
)

// Quads of seed/article.nq the cases below expect.
var (
	putinDemands = []string{
		"<putin> <demands> <ukraine-recognizes-russian-control> <src-trump-putin-call#c37> .",
		"<putin> <demands> <ukraine-reduces-military> <src-trump-putin-call#c37> .",
		"<putin> <demands> <ukraine-excluded-from-nato> <src-trump-putin-call#c37> .",
	}
	putinSeeks = []string{
		"<putin> <seeks> <early-ukrainian-elections> <src-trump-putin-call#c38> .",
		"<putin> <seeks> <western-sanctions-relief> <src-trump-putin-call#c38> .",
	}
	// What Kallas dismisses that someone demands: all of it (Russia insists on the
	// guarantees, and Grushko demands them).
	kallasDismissesDemanded = []string{
		"<kallas> <dismisses> <ironclad-security-guarantees> <src-trump-putin-call#c40> .",
		"<kallas> <dismisses> <russia-tough-demands> <src-trump-putin-call#c40> .",
		"<kallas> <dismisses> <ukraine-recognizes-russian-control> <src-trump-putin-call#c40> .",
		"<kallas> <dismisses> <ukraine-reduces-military> <src-trump-putin-call#c40> .",
		"<kallas> <dismisses> <ukraine-excluded-from-nato> <src-trump-putin-call#c40> .",
	}
	grushkoDemands = []string{
		"<grushko> <demands> <ironclad-security-guarantees> <src-trump-putin-call#c35> .",
	}
	russiaDemands = []string{
		"<russia> <demands> <russia-tough-demands> <src-trump-putin-call#c03> .",
	}
	// The same triple, stated by three claims.
	ukraineAccepts = []string{
		"<ukraine> <accepts> <ceasefire-30-day> <src-trump-putin-call#c11> .",
		"<ukraine> <accepts> <ceasefire-30-day> <src-trump-putin-call#c31> .",
		"<ukraine> <accepts> <ceasefire-30-day> <src-trump-putin-call#c44> .",
	}
	aboutChain = []string{
		"<end-war-in-ukraine> <about> <war-in-ukraine> <src-trump-putin-call#c05> .",
		"<trump-putin-call> <about> <end-war-in-ukraine> <src-trump-putin-call#c07> .",
	}
)

func join(sets ...[]string) []string {
	var out []string
	for _, s := range sets {
		out = append(out, s...)
	}
	return out
}

var traverseCases = []struct {
	name, query string
	want        []string // N-Quads, in any order
	wantErr     string   // a part of the error; "" for none
}{
	{name: "one hop", query: `g.V("<putin>").Out("<demands>").All()`, want: putinDemands},
	{name: "every claim's copy", query: `g.V("<ukraine>").Out("<accepts>").All()`, want: ukraineAccepts},
	{name: "two hops", query: `g.V("<kallas>").Out("<dismisses>").In("<demands>").All()`,
		want: join(kallasDismissesDemanded, grushkoDemands, putinDemands, russiaDemands)},
	{name: "both ways", query: `g.V("<ironclad-security-guarantees>").Both(["<contradicts>", "<partOf>"]).All()`, want: []string{
		"<ironclad-security-guarantees> <contradicts> <ukrainian-sovereignty-non-negotiable> <src-trump-putin-call#c49> .",
		"<ironclad-security-guarantees> <partOf> <russia-tough-demands> <src-trump-putin-call#c52> .",
		"<ukraine-excluded-from-nato> <partOf> <ironclad-security-guarantees> <src-trump-putin-call#c33> .",
	}},
	{name: "any predicate", query: `g.V("<usa>").Out().Is("<ceasefire-30-day>").All()`, want: []string{
		"<usa> <proposes> <ceasefire-30-day> <src-trump-putin-call#c03> .",
		"<usa> <proposes> <ceasefire-30-day> <src-trump-putin-call#c31> .",
	}},
	{name: "predicate path", query: `g.V("<putin>").Out(g.V("<seeks>"), "pred").All()`, want: putinSeeks},
	{name: "tagged", query: `g.V("<putin>").Tag("who").Out("<seeks>").As("what").All()`, want: putinSeeks},
	{name: "has filters", query: `g.V().Has("<type>", "<Person>").Out("<demands>").Has("<about>", "<nato>").All()`,
		want: []string{"<putin> <demands> <ukraine-excluded-from-nato> <src-trump-putin-call#c37> ."}},
	{name: "lower case", query: `graph.Vertex("<putin>").out("<seeks>").in("<seeks>").all()`, want: putinSeeks},
	{name: "tricky literals", query: "/* g.V(\"<kallas>\").Out( */ g.V(\"x.Out(\\\")(\", `<putin>`, '<é>')" +
		".Out('<demands>' /* ) */, \"p(\").Is(\"<ukraine-reduces-military>\").All() // .In(\"<demands>\")",
		want: []string{"<putin> <demands> <ukraine-reduces-military> <src-trump-putin-call#c37> ."}},
	{name: "non-ASCII names", query: `var prédicat = "<demands>"; var o = {prédicat: "<seeks>"}; g.V("<putin>").Out(prédicat).All(); g.V("<putin>").Out(o.prédicat).All()`,
		want: join(putinDemands, putinSeeks)},
	{name: "and", query: `g.V("<kallas>").Out("<dismisses>").And(g.V("<grushko>").Out("<demands>")).All()`,
		want: join(kallasDismissesDemanded[:1], grushkoDemands)},
	{name: "or then a step", query: `g.V("<putin>").Out("<seeks>").Or(g.V("<grushko>").Out("<demands>")).In("<dismisses>").All()`,
		want: join(grushkoDemands, kallasDismissesDemanded[:1])},
	{name: "variables and back", query: `var p = g.V("<putin>").Tag("p"); p.Out("<demands>").Is("<ukraine-excluded-from-nato>").Back("p").Out("<seeks>").All()`,
		want: join(putinDemands[2:], putinSeeks)},
	{name: "label context", query: `g.V("<ukraine>").LabelContext(["<src-trump-putin-call#c31>", "<src-trump-putin-call#c44>"]).Out("<accepts>").All()`,
		want: ukraineAccepts[1:]},
	{name: "morphism", query: `var m = g.M().Out("<demands>"); g.V("<putin>").Follow(m).All()`, want: putinDemands},
	{name: "morphism followed twice", query: `var m = g.M().Out("<about>"); g.V("<trump-putin-call>").Follow(m).Follow(m).All()`,
		want: aboutChain},
	{name: "morphism reversed", query: `var m = g.M().Out("<demands>"); g.V("<ukraine-reduces-military>").FollowR(m).Out("<type>").All()`,
		want: []string{"<putin> <demands> <ukraine-reduces-military> <src-trump-putin-call#c37> .", "<putin> <type> <Person> ."}},
	{name: "recursion", query: `g.V("<trump-putin-call>").FollowRecursive("<about>").All()`, want: aboutChain},
	{name: "emitted tags", query: `g.V("<putin>").Out("<seeks>").ForEach(function(d) { g.Emit(d) })`, want: putinSeeks},
	{name: "tag array", query: `g.Emit(g.V("<putin>").Out("<seeks>").TagArray())`, want: putinSeeks},
	{name: "our tag names taken", query: `g.V("<putin>").Tag("__parley_1").Out("<seeks>").Tag("__parley_0").All()`, want: putinSeeks},
	{name: "no path", query: `g.Emit(g.V("<putin>").Out("<seeks>").Count())`},
	{name: "end nodes only", query: `g.V("<putin>").Out("<seeks>").All()`, want: putinSeeks},
	{name: "empty result", query: `g.V("<nobody>").Out("<demands>").All()`},
	{name: "no final", query: `g.V("<putin>").Out("<demands>")`},
	{name: "syntax error", query: `g.V("<putin>").Out("<demands>"`, wantErr: "gizmo query: (anonymous): Line 1:31 Unexpected end of input"},
	{name: "failing query", query: `g.V("<putin>").Nope().All()`, wantErr: "gizmo query: TypeError"},
	{name: "empty query", query: " \n", wantErr: "the query is empty"},
	{name: "query that sees the tags", query: `g.V("<putin>").ForEach(function(d) { if (Object.keys(d).length > 1) throw new Error("extra tags") })`,
		wantErr: "the query's paths could not be traced: the query tagged for tracing failed: Error: extra tags"},
}

func TestTraversedQuads(t *testing.T) {
	for _, backend := range []string{graph.BackendMemory, graph.BackendBolt} {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			s, _, err := graph.Open(ctx, graph.Config{Backend: backend, Path: filepath.Join(t.TempDir(), "parley.db"),
				Seed: &graph.Seed{Name: seed.Name, Data: seed.Quads()}})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			for _, c := range traverseCases {
				t.Run(c.name, func(t *testing.T) {
					quads, err := s.TraversedQuads(ctx, c.query, graph.QueryLimits{})
					if c.wantErr != "" {
						if err == nil || !strings.Contains(err.Error(), c.wantErr) {
							t.Fatalf("TraversedQuads(%s) = %d quads, %v; want an error with %q", c.query, len(quads), err, c.wantErr)
						}
						return
					}
					if err != nil {
						t.Fatalf("TraversedQuads(%s): %v", c.query, err)
					}
					var got []string
					for _, q := range quads {
						got = append(got, q.NQuad())
					}
					want := slices.Sorted(slices.Values(c.want))
					if !slices.IsSorted(got) || !slices.Equal(got, want) {
						t.Errorf("TraversedQuads(%s) =\n  %s\nwant (sorted)\n  %s", c.query, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
					}
				})
			}
		})
	}
}

func TestTraversedQuadsCancelled(t *testing.T) {
	ctx := context.Background()
	s, _, err := graph.Open(ctx, graph.Config{Backend: graph.BackendMemory, Seed: &graph.Seed{Name: seed.Name, Data: seed.Quads()}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if quads, err := s.TraversedQuads(cancelled, `g.V().Out().All()`, graph.QueryLimits{}); err == nil || !strings.Contains(err.Error(), "context canceled") {
		t.Errorf("TraversedQuads with a cancelled context = %d quads, %v; want a cancellation error", len(quads), err)
	}
}
