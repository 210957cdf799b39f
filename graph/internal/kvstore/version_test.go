package kvstore

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
	bolt "go.etcd.io/bbolt"
)

// setVersion writes v as the store's data version, as Cayley writes it.
func setVersion(t *testing.T, db *bolt.DB, v int64) {
	t.Helper()
	if err := db.Update(func(tx *bolt.Tx) error {
		return putMetaInt(tx.Bucket(metaBucket), versionKey, v)
	}); err != nil {
		t.Fatal(err)
	}
}

// readFiles returns the contents of the files at paths ("" for a missing one).
func readFiles(t *testing.T, paths ...string) []string {
	t.Helper()
	out := make([]string, len(paths))
	for i, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		out[i] = string(data)
	}
	return out
}

// refused checks that err is the refusal of a store of data version 3.
func refused(t *testing.T, what string, err error) {
	t.Helper()
	var verr *VersionError
	if !errors.As(err, &verr) || verr.Version != 3 || !strings.Contains(err.Error(), "was written in Cayley data version 3; parley writes version 2 only") {
		t.Errorf("%s = %v; want the refusal of data version 3", what, err)
	}
}

// TestVersionRefused changes the data version of a store and checks that opening it, and
// each of parley's writers on a store open when it changed, refuse it before anything
// changes: the store and its journal are left byte for byte as they were.
func TestVersionRefused(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "kv.db")
	s := create(t, path)
	build(t, s, seedQuads(t))
	setVersion(t, s.db, 3)
	s.Close()

	before := readFiles(t, path)
	if _, err := Open(path, Options{}); err == nil {
		t.Error("Open of a store of data version 3 succeeded")
	} else {
		refused(t, "Open", err)
	}
	if _, err := Open(path, Options{ReadOnly: true}); err == nil {
		t.Error("read-only Open of a store of data version 3 succeeded")
	} else {
		refused(t, "read-only Open", err)
	}
	if after := readFiles(t, path); after[0] != before[0] {
		t.Error("the refused open changed the store")
	}

	newQuad := quad.Quad{Subject: quad.IRI("new"), Predicate: quad.IRI("label"), Object: quad.String("New")}
	old := seedQuads(t)[0]
	for _, w := range []struct {
		name  string
		setup func(t *testing.T, s *Store) // before the version changes
		write func(s *Store) error
	}{
		{"bulk writer", nil, func(s *Store) error {
			b, err := Prepare([]graph.Delta{{Quad: newQuad, Action: graph.Add}})
			if err != nil {
				return err
			}
			_, _, err = s.WriteBatch(b, 0, func([]string) error { return nil })
			return err
		}},
		{"build", nil, func(s *Store) error {
			b, err := s.StartBuild(ctx, func(BuildPhase, int) {})
			if err == nil {
				b.Abort()
			}
			return err
		}},
		{"journal", nil, func(s *Store) error {
			j, err := s.StartJournal()
			if err == nil {
				j.Rollback()
			}
			return err
		}},
		{"journal rollback", func(t *testing.T, s *Store) {
			if err := os.WriteFile(s.path+journalSuffix, []byte(journalHeader+old.NQuad()+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, func(s *Store) error {
			_, err := s.RollbackJournal()
			return err
		}},
		{"index build", func(t *testing.T, s *Store) {
			if err := s.db.Update(func(tx *bolt.Tx) error { return tx.DeleteBucket(namesBucket) }); err != nil {
				t.Fatal(err)
			}
		}, func(s *Store) error { return s.BuildIndexes(ctx) }},
		{"removal", nil, func(s *Store) error {
			return s.Remove([]graph.Delta{{Quad: old, Action: graph.Delete}}, false)
		}},
	} {
		t.Run(w.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "kv.db")
			s := create(t, path)
			build(t, s, seedQuads(t))
			if w.setup != nil {
				w.setup(t, s)
			}
			setVersion(t, s.db, 3) // as if another program had rewritten the store meanwhile
			files := []string{path, path + journalSuffix, path + buildSuffix}
			before := readFiles(t, files...)
			err := w.write(s)
			s.Close()
			refused(t, w.name, err)
			after := readFiles(t, files...)
			for i := range files {
				if after[i] != before[i] {
					t.Errorf("%s changed after the refusal (%d bytes before, %d after)", files[i], len(before[i]), len(after[i]))
				}
			}
			if _, err := os.Stat(path + sortSuffix); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s made: %v", path+sortSuffix, err)
			}
		})
	}

}
