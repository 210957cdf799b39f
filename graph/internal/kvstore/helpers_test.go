package kvstore

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/parley/parley/graph/nquads"
	"github.com/parley/parley/seed"
)

// parse reads N-Quads text, each quad as often as the text has it.
func parse(t testing.TB, text string) []quad.Quad {
	t.Helper()
	r := nquads.NewReader(strings.NewReader(text), nquads.Options{})
	var out []quad.Quad
	for {
		q, _, err := r.Next()
		if err == io.EOF {
			return out
		} else if err != nil {
			t.Fatal(err)
		}
		out = append(out, q)
	}
}

// seedQuads returns parley's seed.
func seedQuads(t testing.TB) []quad.Quad { return parse(t, string(seed.Quads())) }

// distinct returns quads without repeats, in order, leaving out those in skip.
func distinct(quads []quad.Quad, skip map[quad.Quad]bool) []quad.Quad {
	seen := map[quad.Quad]bool{}
	var out []quad.Quad
	for _, q := range quads {
		if !seen[q] && !skip[q] {
			seen[q] = true
			out = append(out, q)
		}
	}
	return out
}

func setOf(quads []quad.Quad) map[quad.Quad]bool {
	out := map[quad.Quad]bool{}
	for _, q := range quads {
		out[q] = true
	}
	return out
}

// create makes an initialised empty store at path (a new file in a temporary directory
// when path is ""), open for writing; it is closed when the test ends.
func create(t testing.TB, path string) *Store {
	t.Helper()
	if path == "" {
		path = filepath.Join(t.TempDir(), "kv.db")
	}
	s := open(t, path)
	if err := s.Init(); err != nil {
		t.Fatal(err)
	}
	return s
}

// open opens the store at path for writing; it is closed when the test ends.
func open(t testing.TB, path string) *Store {
	t.Helper()
	s, err := Open(path, Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// build rebuilds the store with quads, and returns the build's counts.
func build(t testing.TB, s *Store, quads []quad.Quad) BuildCounts {
	t.Helper()
	b, err := s.StartBuild(context.Background(), func(BuildPhase, int) {})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range quads {
		if err := b.Add(q); err != nil {
			b.Abort()
			t.Fatal(err)
		}
	}
	c, err := b.Finish()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// writeBatch writes quads (distinct) with the bulk writer, in one batch.
func writeBatch(t testing.TB, s *Store, quads []quad.Quad) (written, repeats int) {
	t.Helper()
	deltas := make([]graph.Delta, len(quads))
	for i, q := range quads {
		deltas[i] = graph.Delta{Quad: q, Action: graph.Add}
	}
	b, err := Prepare(deltas)
	if err != nil {
		t.Fatal(err)
	}
	since, err := s.Horizon()
	if err != nil {
		t.Fatal(err)
	}
	kept, repeats, err := s.WriteBatch(b, uint64(since), func([]string) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	return len(kept), repeats
}
