package graph_test

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"testing"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
	bolt "go.etcd.io/bbolt"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/graph/graphtest"
)

const named = `<test-position> <type> <Position> .
<test-position> <label> "A test position" .
<test-position> <alias> "Probe stance" .
`

// nameKeys counts the name index entries that start with prefix, reading the bolt file.
func nameKeys(t *testing.T, path, prefix string) int {
	return indexKeys(t, path, "parley.names", prefix)
}

// indexKeys counts the entries of one of parley's indexes that start with prefix, reading
// the bolt file: -1 when the index is missing.
func indexKeys(t *testing.T, path, bucket, prefix string) int {
	t.Helper()
	n := -1
	withBolt(t, path, false, func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(bucket))
		if b == nil {
			return nil
		}
		n = 0
		c := b.Cursor()
		for k, _ := c.Seek([]byte(prefix)); k != nil && bytes.HasPrefix(k, []byte(prefix)); k, _ = c.Next() {
			n++
		}
		return nil
	})
	return n
}

func resolves(t *testing.T, s *graph.Store, name string, want quad.IRI) {
	t.Helper()
	got, err := s.ResolveEntity(context.Background(), name)
	var nf *graph.NotFoundError
	switch {
	case want == "" && !errors.As(err, &nf):
		t.Errorf("ResolveEntity(%q) = %q, %v; want not found", name, got, err)
	case want != "" && (err != nil || got != want):
		t.Errorf("ResolveEntity(%q) = %q, %v; want %q", name, got, err, want)
	}
}

// TestNameIndex follows the embedded store's name index through a load, an unload, a
// quad removed behind its back, and a store made before it existed.
func TestNameIndex(t *testing.T) {
	ctx := context.Background()
	path := newBolt(t)
	open := func(ro bool) *graph.Store {
		s, _, err := graph.Open(ctx, graph.Config{Path: path, ReadOnly: ro})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := open(false)
	if _, err := s.Load(ctx, []graph.Input{graphtest.Input("named.nq", named)}, graph.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	resolves(t, s, "a TEST position", "test-position")
	resolves(t, s, "a test", "test-position")
	resolves(t, s, "probe", "test-position")
	s.Close()
	if n := nameKeys(t, path, "a test position\x00"); n != 1 {
		t.Fatalf("%d index entries for the label, want 1", n)
	}

	// An unload removes the entry with the quad.
	s = open(false)
	label := `<test-position> <label> "A test position" .` + "\n"
	if _, err := s.Unload(ctx, []graph.Input{graphtest.Input("label.nq", label)}, graph.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	resolves(t, s, "a test", "")
	resolves(t, s, "probe stance", "test-position")

	// A quad removed without the index (as after a crash between the two) is not found.
	alias := quad.Quad{Subject: quad.IRI("test-position"), Predicate: quad.IRI("alias"), Object: quad.String("Probe stance")}
	if err := s.QuadStore().ApplyDeltas([]cgraph.Delta{{Quad: alias, Action: cgraph.Delete}}, cgraph.IgnoreOpts{}); err != nil {
		t.Fatal(err)
	}
	resolves(t, s, "probe", "")
	s.Close()
	if n := nameKeys(t, path, "a test position\x00"); n != 0 {
		t.Errorf("%d index entries for the unloaded label, want 0", n)
	}

	// A store without the index: read-only opens scan, the next writable open builds it.
	withBolt(t, path, true, func(tx *bolt.Tx) error { return tx.DeleteBucket([]byte("parley.names")) })
	s = open(true)
	resolves(t, s, "vladimir", "putin")
	s.Close()
	if n := nameKeys(t, path, ""); n != -1 {
		t.Fatalf("a read-only open wrote the index (%d entries)", n)
	}
	s = open(false)
	resolves(t, s, "vladimir", "putin")
	s.Close()
	if n := nameKeys(t, path, "vladimir putin\x00"); n != 1 {
		t.Errorf("%d entries for Putin's label after the rebuild, want 1", n)
	}
}

// factsOf returns the number of facts Sources counts for src.
func factsOf(t *testing.T, s *graph.Store, src string) int {
	t.Helper()
	infos, err := s.Sources(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, info := range infos {
		if info.ID == src {
			return info.Facts
		}
	}
	t.Fatalf("no source %s", src)
	return 0
}

// TestClaimsIndex follows the embedded store's claims index, which Sources, describe and
// export --source read, through a load, an unload, a quad removed behind its back, and
// a store made before it existed; each time it counts what a scan counts.
func TestClaimsIndex(t *testing.T) {
	ctx := context.Background()
	path := newBolt(t)
	mem := seeded(t) // the same quads, no index: Cayley scans
	open := func(ro bool) *graph.Store {
		s, _, err := graph.Open(ctx, graph.Config{Path: path, ReadOnly: ro})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	same := func(s *graph.Store, when string) {
		t.Helper()
		got, err := s.Sources(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want, err := mem.Sources(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: sources %+v, a scan counts %+v", when, got, want)
		}
	}
	s := open(false)
	same(s, "seeded")
	before := factsOf(t, s, "src-trump-putin-call")
	if before == 0 {
		t.Fatal("the seed's source backs no fact")
	}
	for _, st := range []*graph.Store{s, mem} {
		if _, err := st.Load(ctx, []graph.Input{graphtest.Input("backed.nq", backed)}, graph.LoadOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	same(s, "after a load")
	if got := factsOf(t, s, "src-trump-putin-call"); got != before+1 {
		t.Errorf("%d facts after loading one more, want %d", got, before+1)
	}
	for _, st := range []*graph.Store{s, mem} {
		if _, err := st.Unload(ctx, []graph.Input{graphtest.Input("fact.nq", backedFact)}, graph.LoadOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	same(s, "after an unload")

	// A quad removed without the index (as after a crash between the two) is not counted.
	fact := quad.Quad{Subject: quad.IRI("putin"), Predicate: quad.IRI("demands"), Object: quad.IRI("ceasefire-test"), Label: quad.IRI("src-trump-putin-call#test")}
	for _, st := range []*graph.Store{s, mem} {
		if _, err := st.Load(ctx, []graph.Input{graphtest.Input("fact.nq", backedFact)}, graph.LoadOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := st.QuadStore().ApplyDeltas([]cgraph.Delta{{Quad: fact, Action: cgraph.Delete}}, cgraph.IgnoreOpts{}); err != nil {
			t.Fatal(err)
		}
	}
	same(s, "after a quad was removed behind the index")
	s.Close()

	// A store without the index: read-only opens scan, the next writable open builds it.
	withBolt(t, path, true, func(tx *bolt.Tx) error { return tx.DeleteBucket([]byte("parley.claims")) })
	s = open(true)
	same(s, "read-only, without the index")
	s.Close()
	s = open(false)
	s.Close()
	s = open(true)
	defer s.Close()
	same(s, "with the index built again")
	if n := indexKeys(t, path, "parley.claims", "<src-trump-putin-call#test>\x00"); n != 0 {
		t.Errorf("%d entries for the removed fact's claim after the build, want 0", n)
	}
	if n := indexKeys(t, path, "parley.claims", ""); n < before {
		t.Errorf("%d entries after the build, want at least %d", n, before)
	}
}

const (
	backedFact = `<putin> <demands> <ceasefire-test> <src-trump-putin-call#test> .` + "\n"
	backed     = `<ceasefire-test> <type> <Position> .
<ceasefire-test> <label> "A test ceasefire" .
<src-trump-putin-call#test> <type> <Claim> .
<src-trump-putin-call#test> <source> <src-trump-putin-call> .
<src-trump-putin-call#test> <evidence> "Putin demands a test ceasefire." .
` + backedFact
)

// withBolt calls fn in one transaction of the bolt file at path: a read-only one unless
// write is set.
func withBolt(t *testing.T, path string, write bool, fn func(tx *bolt.Tx) error) {
	t.Helper()
	db, err := bolt.Open(path, 0o644, &bolt.Options{ReadOnly: !write})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	run := db.View
	if write {
		run = db.Update
	}
	if err := run(fn); err != nil {
		t.Fatal(err)
	}
}
