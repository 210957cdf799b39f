package analysis_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/graph/analysis"
	"github.com/parley/parley/graph/graphtest"
	"github.com/parley/parley/schema"
	"github.com/parley/parley/seed"
)

// seeded opens a memory store holding the seed.
func seeded(t *testing.T) *graph.Store {
	t.Helper()
	s, _, err := graph.Open(context.Background(), graph.Config{Backend: graph.BackendMemory,
		Seed: &graph.Seed{Name: seed.Name, Data: seed.Quads()}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestShortestPaths(t *testing.T) {
	ctx := context.Background()
	// The seed with an entity no fact links (the seed itself has none).
	lonely := []byte("<air-force-one> <type> <Asset> .\n<air-force-one> <label> \"Air Force One\" .\n")
	s, _, err := graph.Open(ctx, graph.Config{Backend: graph.BackendMemory,
		Seed: &graph.Seed{Name: seed.Name, Data: slices.Concat(seed.Quads(), []byte("\n"), lonely)}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	cases := []struct {
		name     string
		query    analysis.PathQuery
		hops     int    // 0: any within the bound
		reading  string // the first hop's first reading, when set
		shortest int    // for a *NoPathError: the length it reports
		err      any    // the error type wanted, nil for a path
	}{
		{name: "Zelensky to Putin", query: analysis.PathQuery{From: "Zelensky", To: "Putin"}},
		{name: "every shortest path", query: analysis.PathQuery{From: "Zelensky", To: "Putin", All: true}},
		{name: "a fact walked forward", query: analysis.PathQuery{From: "Grushko", To: "<ironclad-security-guarantees>"}, hops: 1, reading: "demands"},
		{name: "a fact walked backwards", query: analysis.PathQuery{From: "<ironclad-security-guarantees>", To: "Grushko"}, hops: 1, reading: "demanded by"},
		{name: "a symmetric fact", query: analysis.PathQuery{From: "Zelensky", To: "Trump"}, hops: 1, reading: "clashes with"},
		{name: "Kallas to the ceasefire", query: analysis.PathQuery{From: "Kallas", To: "30-day ceasefire", MaxHops: 6}},
		{name: "beyond the bound", query: analysis.PathQuery{From: "Zelensky", To: "Putin", MaxHops: 2}, shortest: 3, err: &analysis.NoPathError{}},
		{name: "an entity no fact links", query: analysis.PathQuery{From: "Air Force One", To: "Putin"}, err: &analysis.NoPathError{}},
		{name: "an unknown name", query: analysis.PathQuery{From: "Napoleon", To: "Putin"}, err: &graph.NotFoundError{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := analysis.New(s).ShortestPaths(ctx, c.query)
			switch want := c.err.(type) {
			case *analysis.NoPathError:
				if !errors.As(err, &want) || want.Shortest != c.shortest {
					t.Fatalf("err = %v, want a NoPathError with shortest %d", err, c.shortest)
				}
				return
			case *graph.NotFoundError:
				if !errors.As(err, &want) {
					t.Fatalf("err = %v, want a NotFoundError", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			checkPaths(t, s, c.query, res)
			if c.hops != 0 && res.Hops != c.hops {
				t.Errorf("hops = %d, want %d", res.Hops, c.hops)
			}
			if c.reading != "" && res.Paths[0].Hops[0].Links[0].Predicate.Reading != c.reading {
				t.Errorf("reading = %q, want %q", res.Paths[0].Hops[0].Links[0].Predicate.Reading, c.reading)
			}
		})
	}
}

// checkPaths checks that paths are chains of seed facts from From to To, read in the
// direction walked, of the same length, and that none is shorter.
func checkPaths(t *testing.T, s *graph.Store, q analysis.PathQuery, res *analysis.PathResult) {
	t.Helper()
	ctx := context.Background()
	max := q.MaxHops
	if max == 0 {
		max = analysis.DefaultMaxHops
	}
	if len(res.Paths) == 0 || res.Hops < 1 || res.Hops > max {
		t.Fatalf("%d paths of %d hops, want some within %d", len(res.Paths), res.Hops, max)
	}
	if !q.All && len(res.Paths) != 1 {
		t.Errorf("%d paths without All, want 1", len(res.Paths))
	}
	seen := map[string]bool{}
	for _, p := range res.Paths {
		if len(p.Hops) != res.Hops || p.Hops[0].From.ID != res.From.ID || p.Hops[len(p.Hops)-1].To.ID != res.To.ID {
			t.Fatalf("path %+v does not lead from %s to %s in %d hops", p, res.From.ID, res.To.ID, res.Hops)
		}
		key := ""
		for i, h := range p.Hops {
			key += h.To.ID + " "
			if i > 0 && h.From.ID != p.Hops[i-1].To.ID {
				t.Errorf("hop %d starts at %s, not where hop %d ends", i+1, h.From.ID, i)
			}
			for _, l := range h.Links {
				checkLink(t, s, h, l)
			}
		}
		if seen[key] {
			t.Errorf("path through %s listed twice", key)
		}
		seen[key] = true
	}
	shorter := q
	shorter.MaxHops = res.Hops - 1
	if shorter.MaxHops > 0 {
		var np *analysis.NoPathError
		if _, err := analysis.New(s).ShortestPaths(ctx, shorter); !errors.As(err, &np) || np.Shortest != res.Hops {
			t.Errorf("within %d hops: err = %v, want a NoPathError naming %d", shorter.MaxHops, err, res.Hops)
		}
	}
}

// checkLink checks that a link is a fact of the store between the hop's ends, read
// forward when walked from subject to object and in reverse otherwise.
func checkLink(t *testing.T, s *graph.Store, h analysis.Hop, l analysis.Link) {
	t.Helper()
	f := l.Claims[0]
	p := s.Vocabulary().Predicate(f.Predicate.ID)
	wantReading := p.Reading
	subj, obj := h.From.ID, h.To.ID
	if l.Reverse {
		subj, obj = obj, subj
		if !p.Symmetric {
			wantReading = p.Inverse
		}
	}
	if f.Subject.ID != subj || f.Object.ID != obj || l.Predicate.Reading != wantReading {
		t.Errorf("hop %s -> %s: fact %s %s %s read %q, want %s ... %s read %q", h.From.ID, h.To.ID, f.Subject.ID, f.Predicate.ID, f.Object.ID, l.Predicate.Reading, subj, obj, wantReading)
	}
	if p.Kind != schema.Relation {
		t.Errorf("hop %s -> %s follows %s, a %s predicate", h.From.ID, h.To.ID, p.Name, p.Kind)
	}
	facts, err := s.Match(context.Background(), graph.Pattern{Subject: "<" + subj + ">", Predicate: f.Predicate.ID, Object: "<" + obj + ">"})
	if err != nil || len(facts) != len(l.Claims) {
		t.Errorf("match %s %s %s: %d facts (err %v), the link has %d claims", subj, f.Predicate.ID, obj, len(facts), err, len(l.Claims))
	}
}

func TestNeighbors(t *testing.T) {
	ctx := context.Background()
	s := seeded(t)
	for _, name := range []string{"Zelensky", "Putin", "30-day ceasefire", "the Kremlin", "Kursk"} {
		t.Run(name, func(t *testing.T) {
			near, err := analysis.New(s).Neighbors(ctx, name, 1)
			if err != nil {
				t.Fatal(err)
			}
			want := linked(t, s, near.Entity.ID)
			got := map[string]bool{}
			for _, n := range near.Neighbors {
				got[n.ID] = true
				if n.Distance != 1 || len(n.Readings) == 0 {
					t.Errorf("%s: distance %d, readings %v; want 1 and some", n.ID, n.Distance, n.Readings)
				}
			}
			if len(got) != len(want) {
				t.Errorf("neighbours %v, want %v", got, want)
			}
			for id := range want {
				if !got[id] {
					t.Errorf("missing neighbour %s", id)
				}
			}
			far, err := analysis.New(s).Neighbors(ctx, name, 2)
			if err != nil {
				t.Fatal(err)
			}
			dist := map[string]int{}
			for _, n := range far.Neighbors {
				dist[n.ID] = n.Distance
			}
			for _, n := range far.Neighbors {
				if n.Distance == 1 != want[n.ID] {
					t.Errorf("%s at distance %d at depth 2; a direct neighbour: %v", n.ID, n.Distance, want[n.ID])
				}
				for _, v := range n.Via {
					if dist[v.ID] != n.Distance-1 || !linked(t, s, v.ID)[n.ID] {
						t.Errorf("%s reached via %s, which is not one hop nearer and linked", n.ID, v.ID)
					}
				}
				if n.Distance == 2 && len(n.Via) == 0 {
					t.Errorf("%s at distance 2 reached via nothing", n.ID)
				}
			}
		})
	}
}

// linked returns the entities a relation fact links to id, either way, from Match.
func linked(t *testing.T, s *graph.Store, id string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, p := range []graph.Pattern{{Subject: "<" + id + ">", Predicate: "_", Object: "_"}, {Subject: "_", Predicate: "_", Object: "<" + id + ">"}} {
		facts, err := s.Match(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range facts {
			for _, n := range []graph.Node{f.Subject, f.Object} {
				if n.ID != id && n.ID[0] != '"' {
					out[n.ID] = true
				}
			}
		}
	}
	return out
}

// TestWalkThroughForeignData: paths and neighbourhoods follow facts through entities
// outside the vocabulary, which the store's indexes find from the entity asked about;
// the analyses, which are about the vocabulary's entities, are the same as without them.
func TestWalkThroughForeignData(t *testing.T) {
	ctx := context.Background()
	s := seeded(t)
	before, err := analysis.New(s).Conflicts(ctx, schema.Evidence{})
	if err != nil {
		t.Fatal(err)
	}
	const foreign = `<zaporizhzhia-nuclear-plant> <http://example.org/operatedBy> <http://example.org/operator> .
<http://example.org/operator> <http://example.org/partOf> <http://example.org/group> .
<http://example.org/film> <http://example.org/about> <http://example.org/group> .
<http://example.org/film> <type> <http://example.org/Film> .
`
	if _, err := s.Load(ctx, []graph.Input{graphtest.Input("foreign.nq", foreign)}, graph.LoadOptions{AllowUnknown: true}); err != nil {
		t.Fatal(err)
	}
	nb, err := analysis.New(s).Neighbors(ctx, "Zaporizhzhia", 3)
	if err != nil {
		t.Fatal(err)
	}
	dist := map[string]int{}
	for _, n := range nb.Neighbors {
		dist[n.ID] = n.Distance
	}
	for id, want := range map[string]int{"http://example.org/operator": 1, "http://example.org/group": 2, "http://example.org/film": 3} {
		if dist[id] != want {
			t.Errorf("%s at distance %d, want %d", id, dist[id], want)
		}
	}
	res, err := analysis.New(s).ShortestPaths(ctx, analysis.PathQuery{From: "<http://example.org/film>", To: "Zaporizhzhia"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Hops != 3 {
		t.Errorf("path of %d hops, want 3", res.Hops)
	}
	res, err = analysis.New(s).ShortestPaths(ctx, analysis.PathQuery{From: "<http://example.org/film>", To: "Putin", MaxHops: 2})
	var none *analysis.NoPathError
	if !errors.As(err, &none) || none.Shortest <= 3 {
		t.Errorf("ShortestPaths within 2 hops = %v, %v; want a *NoPathError with the shortest past 3", res, err)
	}
	after, err := analysis.New(s).Conflicts(ctx, schema.Evidence{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(after, before) {
		t.Error("conflicts changed with foreign data that touches no position")
	}
}
