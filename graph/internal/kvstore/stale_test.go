package kvstore

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/boltdb/bolt"
	cgraph "github.com/cayleygraph/cayley/graph"
	ckv "github.com/cayleygraph/cayley/graph/kv"
	hbolt "github.com/hidal-go/hidalgo/kv/bolt"
)

// TestIndexesNoticeForeignWrites: every writer of parley's (build, bulk, removal, init)
// leaves the indexes stamped with the store's state, so a store parley alone wrote opens
// with its indexes trusted. A write by Cayley itself, an addition or a removal, leaves
// them behind: a read-only open does not read them (the callers scan), and a writable
// open remakes them, after which they answer for the foreign quads too.
func TestIndexesNoticeForeignWrites(t *testing.T) {
	for _, foreign := range []struct {
		name string
		act  cgraph.Procedure
		text string
	}{
		{"an addition", cgraph.Add, `<zebra> <label> "Zebra Fish" .` + "\n" + `<zebra> <alias> "Zebra" <c9> .`},
		{"a removal", cgraph.Delete, `<putin> <label> "Vladimir Putin" .`},
	} {
		t.Run(foreign.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "kv.db")
			s := create(t, path)
			build(t, s, seedQuads(t))
			writeBatch(t, s, parse(t, `<kallas> <alias> "Kaja" .`))
			if err := s.Remove([]cgraph.Delta{{Quad: parse(t, `<kallas> <alias> "Kaja" .`)[0], Action: cgraph.Delete}}, false); err != nil {
				t.Fatal(err)
			}
			s.Close()
			ro := readOnly(t, path)
			if ro.stale {
				t.Fatal("a store only parley wrote opens with its indexes stale")
			}
			ro.Close()

			// Cayley writes behind parley's back.
			db, qs := cayleyOpen(t, path)
			var deltas []cgraph.Delta
			for _, q := range parse(t, foreign.text) {
				deltas = append(deltas, cgraph.Delta{Quad: q, Action: foreign.act})
			}
			if err := qs.ApplyDeltas(deltas, cgraph.IgnoreOpts{}); err != nil {
				t.Fatal(err)
			}
			qs.Close()
			db.Close()

			ro = readOnly(t, path)
			if !ro.stale {
				t.Fatal("a foreign write went unnoticed")
			}
			if _, _, ok, err := ro.Names("zebra"); err != nil || ok {
				t.Errorf("stale name index read: ok %v, %v", ok, err)
			}
			ro.Close()

			w := open(t, path)
			if _, err := w.Recover(context.Background()); err != nil {
				t.Fatal(err)
			}
			if w.stale {
				t.Fatal("a writable open left the indexes stale")
			}
			wholes, _, ok, err := w.Names("zebra fish")
			if err != nil || !ok {
				t.Fatalf("name index after the rebuild: ok %v, %v", ok, err)
			}
			if want := foreign.act == cgraph.Add; (len(wholes) == 1) != want {
				t.Errorf("name index after the rebuild holds %v for \"zebra fish\"", wholes)
			}
			if wholes, _, _, _ := w.Names("vladimir putin"); (len(wholes) == 0) != (foreign.act == cgraph.Delete) {
				t.Errorf("name index after the rebuild holds %v for \"vladimir putin\"", wholes)
			}
		})
	}
}

// readOnly opens the store at path for reading; it is closed when the test ends.
func readOnly(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(path, Options{ReadOnly: true, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// cayleyOpen opens the store at path with Cayley's own bolt and quad store, as another
// program would.
func cayleyOpen(t *testing.T, path string) (*bolt.DB, cgraph.QuadStore) {
	t.Helper()
	db, err := bolt.Open(path, 0o644, &bolt.Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	qs, err := ckv.New(hbolt.New(db), cgraph.Options{ckv.OptNoBloom: true})
	if err != nil {
		db.Close()
		t.Fatal(err)
	}
	return db, qs
}
