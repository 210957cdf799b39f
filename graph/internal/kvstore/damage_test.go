package kvstore

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// seededFile makes a seeded store, closed, and returns its path and the bytes its last
// transaction needs (the meta page's high-water mark).
func seededFile(t *testing.T) (string, int64) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kv.db")
	s := create(t, path)
	build(t, s, seedQuads(t))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m0, m1 := parseBoltMeta(data), parseBoltMeta(data[4096:])
	m := m0
	if m1.txid > m0.txid {
		m = m1
	}
	return path, int64(m.pgid) * 4096
}

// TestTruncatedStoreRefused: a store cut short is refused at open, naming it and the way
// out, before bbolt reads past its end (issue 13 §3).
func TestTruncatedStoreRefused(t *testing.T) {
	path, need := seededFile(t)
	for _, size := range []int64{100, 4096, 8192, 16384, need / 2, need * 9 / 10, need - 1} {
		p := filepath.Join(t.TempDir(), "kv.db")
		copyFile(t, path, p)
		if err := os.Truncate(p, size); err != nil {
			t.Fatal(err)
		}
		for _, ro := range []bool{true, false} {
			s, err := Open(p, Options{ReadOnly: ro, Timeout: 5e9})
			var derr *DamagedError
			if !errors.As(err, &derr) {
				t.Errorf("truncated to %d bytes, read-only %v: Open = %v; want a *DamagedError", size, ro, err)
			}
			if s != nil {
				s.Close()
			}
		}
	}
}

// damageMeta scribbles over the root field of the store file's newest meta page (which
// fails its checksum then), or of the older when older is set.
func damageMeta(t *testing.T, path string, older bool) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	head := make([]byte, 8192)
	if _, err := f.ReadAt(head, 0); err != nil {
		t.Fatal(err)
	}
	newest := int64(0)
	if parseBoltMeta(head[4096:]).txid > parseBoltMeta(head).txid {
		newest = 4096
	}
	at := newest
	if older {
		at = 4096 - newest
	}
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], 0xdeadbeef)
	if _, err := f.WriteAt(b[:], at+boltPageHeader+16); err != nil {
		t.Fatal(err)
	}
}

// TestMetaDamageLosesNothing: parley leaves both meta pages of a store on the same data
// when it closes it, so bbolt's fallback to the other page, when one is damaged, reads
// the same store; opens that write nothing leave the file as it is, CheckMeta finds the
// damage and RewriteMeta repairs it (issue 13 §3).
func TestMetaDamageLosesNothing(t *testing.T) {
	for _, older := range []bool{false, true} {
		path, _ := seededFile(t)
		s, err := Open(path, Options{ReadOnly: true, Timeout: 5e9})
		if err != nil {
			t.Fatal(err)
		}
		want, _ := s.Size()
		s.Close()
		damageMeta(t, path, older)
		for _, ro := range []bool{true, false} {
			s, err := Open(path, Options{ReadOnly: ro, Timeout: 5e9})
			if err != nil {
				t.Fatalf("older page damaged %v, read-only %v: %v", older, ro, err)
			}
			if got, err := s.Size(); err != nil || got != want || want == 0 {
				t.Errorf("older page damaged %v, read-only %v: %d quads (%v), want %d", older, ro, got, err, want)
			}
			s.Close()
		}
		if f, _ := CheckMeta(path); f.OK {
			t.Errorf("older page damaged %v: CheckMeta = %+v after opens that wrote nothing; want the damage found", older, f)
		}
		if err := RewriteMeta(path, 5e9); err != nil {
			t.Fatal(err)
		}
		f, _ := os.Open(path)
		metas := readMetas(f)
		f.Close()
		if !metas[0].ok || !metas[1].ok || metas[0].root != metas[1].root {
			t.Errorf("older page damaged %v: after RewriteMeta, meta pages %+v", older, metas)
		}
		s, err = Open(path, Options{ReadOnly: true, Timeout: 5e9})
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Size(); got != want {
			t.Errorf("older page damaged %v: after RewriteMeta, %d quads, want %d", older, got, want)
		}
		s.Close()
	}
}

// TestNewestMetaDamagedRefused: when the two meta pages hold different states (a write
// parley did not close, or another program's), bbolt's fallback to the older page when
// the newest is damaged reads an older store; parley's state record shows it, and the
// store is refused, unchanged. A copy of a store (no record of its own) whose meta page
// is damaged is refused too: which page was the newer cannot be told (issue 13 §3).
func TestNewestMetaDamagedRefused(t *testing.T) {
	for _, tc := range []struct {
		name string
		prep func(t *testing.T, path string) string // returns the path to damage and open
	}{
		{"a later write recorded", func(t *testing.T, path string) string {
			db, err := bolt.Open(path, 0o644, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Update(func(tx *bolt.Tx) error { return tx.Bucket(metaBucket).Put([]byte("x"), []byte("y")) }); err != nil {
				t.Fatal(err)
			}
			var txid uint64
			db.View(func(tx *bolt.Tx) error { txid = uint64(tx.ID()); return nil })
			db.Close()
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := writeStateFile(path, inodeOf(fi), txid); err != nil {
				t.Fatal(err)
			}
			return path
		}},
		{"a copy", func(t *testing.T, path string) string {
			p := filepath.Join(t.TempDir(), "copy.db")
			copyFile(t, path, p)
			return p
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path, _ := seededFile(t)
			path = tc.prep(t, path)
			damageMeta(t, path, false)
			before := readFiles(t, path)[0]
			for _, ro := range []bool{true, false} {
				s, err := Open(path, Options{ReadOnly: ro, Timeout: 5e9})
				var derr *DamagedError
				if !errors.As(err, &derr) {
					t.Errorf("read-only %v: Open = %v; want a *DamagedError", ro, err)
				}
				if s != nil {
					s.Close()
				}
			}
			if readFiles(t, path)[0] != before {
				t.Error("the store changed")
			}
		})
	}
}

// TestBuildKeepsMode: a rebuild renames a new file over the store; it keeps the store's
// permissions (issue 13 §3).
func TestBuildKeepsMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kv.db")
	s := create(t, path)
	s.Close()
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	s = open(t, path)
	build(t, s, seedQuads(t))
	s.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode after the rebuild %v, want 0600", fi.Mode().Perm())
	}
}
