package graph

import (
	"context"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/parley/parley/seed"
)

// TestEachLogQuad checks that reading Cayley's log gives the quads Cayley's iterator
// gives, on a store with deleted quads, nodes and a cache too small for it.
func TestEachLogQuad(t *testing.T) {
	ctx := context.Background()
	s, _, err := Open(ctx, Config{Path: filepath.Join(t.TempDir(), "p.db"), Seed: &Seed{Name: seed.Name, Data: seed.Quads()}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var b strings.Builder
	for i := range 3 * logValueCache / 2 {
		b.WriteString("<n" + strconv.Itoa(i) + "> <http://example.org/next> <n" + strconv.Itoa(i+1) + "> .\n")
	}
	text := b.String()
	in := func(text string) []Input {
		return []Input{{Name: "f.nq", Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(text)), nil }}}
	}
	if _, err := s.Load(ctx, in(text), LoadOptions{AllowUnknown: true}); err != nil {
		t.Fatal(err)
	}
	// Unload every third line: deleted quads, and nodes gone with their last quad.
	var gone strings.Builder
	for i, line := range strings.SplitAfter(text, "\n") {
		if i%3 == 0 {
			gone.WriteString(line)
		}
	}
	if _, err := s.Unload(ctx, in(gone.String()), LoadOptions{AllowUnknown: true}); err != nil {
		t.Fatal(err)
	}
	read := func(each func(context.Context, func(q quad.Quad) error) error) []string {
		var out []string
		if err := each(ctx, func(q quad.Quad) error { out = append(out, q.NQuad()); return nil }); err != nil {
			t.Fatal(err)
		}
		slices.Sort(out)
		return out
	}
	all := func(ctx context.Context, fn func(quad.Quad) error) error { return s.eachLogQuad(ctx, 0, fn) }
	log, cayley := read(all), read(s.eachCayleyQuad)
	if len(log) < logValueCache || !slices.Equal(log, cayley) {
		t.Errorf("the log gives %d quads, Cayley %d; equal: %v", len(log), len(cayley), slices.Equal(log, cayley))
	}
	// The counts of stats, from the log by IDs and from every quad.
	var nLog, nQuads int
	lp, lt, ln, err := s.logCounts(ctx, &nLog)
	if err != nil {
		t.Fatal(err)
	}
	qp, qt, qn, err := s.quadCounts(ctx, &nQuads)
	if err != nil {
		t.Fatal(err)
	}
	if nLog != nQuads || ln != qn || !maps.Equal(lp, qp) || !maps.Equal(lt, qt) || len(lt) == 0 {
		t.Errorf("counts from the log: %d quads, %d typed, %v, %v; from the quads: %d, %d, %v, %v", nLog, ln, lp, lt, nQuads, qn, qp, qt)
	}
	// By predicate: the seed's labels, read from the log, are those Cayley lists.
	var labels, want []string
	if err := s.eachWithPredicate(ctx, quad.IRI("label"), func(q quad.Quad) { labels = append(labels, q.NQuad()) }); err != nil {
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
