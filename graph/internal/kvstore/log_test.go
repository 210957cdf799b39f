package kvstore

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/parley/parley/schema"
)

// TestLog checks that reading Cayley's log gives the quads Cayley's iterator gives, and
// counts what a count of those quads counts, on a store with deleted quads, nodes and a
// cache too small for it.
func TestLog(t *testing.T) {
	ctx := context.Background()
	s := create(t, "")
	var b strings.Builder
	for i := range 3 * logValueCache / 2 {
		b.WriteString("<n" + strconv.Itoa(i) + "> <http://example.org/next> <n" + strconv.Itoa(i+1) + "> .\n")
	}
	chain := parse(t, b.String())
	build(t, s, append(seedQuads(t), chain...))
	// Remove every third quad of the chain: deleted quads, and nodes gone with their
	// last quad.
	var gone []graph.Delta
	for i, q := range chain {
		if i%3 == 0 {
			gone = append(gone, graph.Delta{Quad: q, Action: graph.Delete})
		}
	}
	if err := s.Remove(gone, false); err != nil {
		t.Fatal(err)
	}
	var log, cayley []string
	var quads []quad.Quad
	if err := s.EachQuad(ctx, func(q quad.Quad) error {
		log = append(log, q.NQuad())
		quads = append(quads, q)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	it := s.QuadStore().QuadsAllIterator().Iterate()
	for it.Next(ctx) {
		q, err := s.QuadStore().Quad(it.Result())
		if err != nil {
			t.Fatal(err)
		}
		cayley = append(cayley, q.NQuad())
	}
	it.Close()
	slices.Sort(log)
	slices.Sort(cayley)
	if len(log) < logValueCache || !slices.Equal(log, cayley) {
		t.Errorf("the log gives %d quads, Cayley %d; equal: %v", len(log), len(cayley), slices.Equal(log, cayley))
	}

	// The counts, from the log by IDs and from every quad.
	c, err := s.Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	preds, types, subjects := map[quad.Value]int{}, map[quad.Value]int{}, map[quad.Value]bool{}
	for _, q := range quads {
		preds[q.Predicate]++
		if q.Predicate == quad.IRI(schema.PredType) {
			types[q.Object]++
			subjects[q.Subject] = true
		}
	}
	same := func(what string, got []ValueCount, want map[quad.Value]int) {
		t.Helper()
		m := map[quad.Value]int{}
		for _, vc := range got {
			m[vc.Value] += vc.Count
		}
		if len(m) == 0 || len(m) != len(want) {
			t.Errorf("%s: %d counted from the log, %d from the quads", what, len(m), len(want))
		}
		for v, n := range want {
			if m[v] != n {
				t.Errorf("%s %s: %d from the log, %d from the quads", what, v, m[v], n)
			}
		}
	}
	if c.Quads != len(quads) || c.Typed != len(subjects) {
		t.Errorf("counts from the log: %d quads, %d typed; from the quads: %d, %d", c.Quads, c.Typed, len(quads), len(subjects))
	}
	same("predicate", c.Predicates, preds)
	same("type", c.Types, types)

	// By predicate: the seed's labels, read from the log, are those Cayley lists.
	var labels, want []string
	if err := s.EachWithPredicate(ctx, quad.IRI("label"), func(q quad.Quad) error {
		labels = append(labels, q.NQuad())
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, line := range cayley {
		if strings.Contains(line, "> <label> ") {
			want = append(want, line)
		}
	}
	slices.Sort(labels)
	if len(labels) == 0 || !slices.Equal(labels, want) {
		t.Errorf("%d labels read from the log, Cayley lists %d", len(labels), len(want))
	}
}
