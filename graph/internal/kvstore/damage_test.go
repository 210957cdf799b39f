package kvstore

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"
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

// TestNewestMetaDamagedRefused: bbolt falls back to the older meta page when the newest
// is damaged, which reads as an older store (the seed's store as an empty one); the state
// file parley keeps beside the store shows it, and the store is refused (issue 13 §3).
func TestNewestMetaDamagedRefused(t *testing.T) {
	path, _ := seededFile(t)
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	head := make([]byte, 8192)
	f.ReadAt(head, 0)
	newest := int64(0)
	if parseBoltMeta(head[4096:]).txid > parseBoltMeta(head).txid {
		newest = 4096
	}
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], 0xdeadbeef)
	f.WriteAt(b[:], newest+boltPageHeader+16) // the root bucket's page
	f.Close()
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
