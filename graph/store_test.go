package graph_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/graph/graphtest"
	"github.com/parley/parley/seed"
)

func seedData() *graph.Seed { return &graph.Seed{Name: seed.Name, Data: seed.Quads()} }

// openStore opens cfg with the seed and closes the store when the test ends.
func openStore(t *testing.T, cfg graph.Config) *graph.Store {
	t.Helper()
	cfg.Seed = seedData()
	s, _, err := graph.Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Open(%+v): %v", cfg, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// seeded opens a memory store holding the seed.
func seeded(t *testing.T) *graph.Store {
	return openStore(t, graph.Config{Backend: graph.BackendMemory})
}

func TestMemory(t *testing.T) {
	graphtest.TestAll(t, func(t *testing.T) *graph.Store {
		return openStore(t, graph.Config{Backend: graph.BackendMemory})
	})
}

func TestBolt(t *testing.T) {
	graphtest.TestAll(t, func(t *testing.T) *graph.Store {
		return openStore(t, graph.Config{Backend: graph.BackendBolt, Path: filepath.Join(t.TempDir(), "parley.db")})
	})
}

// position is a valid file of two quads the seed does not have.
const position = `<extra-position> <type> <Position> .
<extra-position> <label> "An extra position" .
`

// newBolt creates a seeded bolt store, closes it and returns its path.
func newBolt(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sub", "parley.db")
	s, created, err := graph.Open(context.Background(), graph.Config{Path: path, Seed: seedData()})
	if err != nil || !created {
		t.Fatalf("Open = %v, created %v; want a new store", err, created)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestBoltReadOnly(t *testing.T) {
	ctx := context.Background()
	path := newBolt(t)
	s := openStore(t, graph.Config{Path: path, ReadOnly: true})
	before := graphtest.Dump(t, s)
	if len(before) == 0 {
		t.Fatal("the read-only store shows no quads")
	}
	if res, err := s.Load(ctx, []graph.Input{graphtest.Input("position.nq", position)}, graph.LoadOptions{}); err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("Load into a read-only store = %+v, %v; want a read-only error", res, err)
	}
	a := graph.Assertion{Subject: "Putin", Predicate: "demands", Object: "30-day ceasefire", Evidence: "Putin demands it.", Source: "A new source"}
	if _, _, err := s.Add(ctx, a); err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("Add to a read-only store = %v; want a read-only error", err)
	}
	graphtest.SameDump(t, "after writing to a read-only store", graphtest.Dump(t, s), before)
}

func TestBoltLock(t *testing.T) {
	path := newBolt(t)
	const timeout = 200 * time.Millisecond
	for _, tc := range []struct {
		name          string
		first, second bool // read-only
		locked        bool
	}{
		{"two readers", true, true, false},
		{"writer then writer", false, false, true},
		{"writer then reader", false, true, true},
		{"reader then writer", true, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			first := openStore(t, graph.Config{Path: path, ReadOnly: tc.first})
			start := time.Now()
			second, _, err := graph.Open(context.Background(), graph.Config{Path: path, ReadOnly: tc.second, LockTimeout: timeout})
			waited := time.Since(start)
			if err == nil {
				defer second.Close()
			}
			switch {
			case !tc.locked && err != nil:
				t.Fatalf("second open: %v", err)
			case !tc.locked:
				if a, b := len(graphtest.Dump(t, first)), len(graphtest.Dump(t, second)); a != b || a == 0 {
					t.Errorf("the two readers see %d and %d quads", a, b)
				}
			case !errors.Is(err, graph.ErrLocked):
				t.Errorf("second open = %v; want graph.ErrLocked", err)
			case waited < timeout/2 || waited > 10*timeout: // bbolt retries every 50 ms and gives up a retry early
				t.Errorf("second open failed after %v; want about %v", waited, timeout)
			}
		})
	}
}

func TestBoltCreate(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "parley.db")
	cfg := graph.Config{Path: path, Seed: seedData(), LockTimeout: 200 * time.Millisecond}
	seeded := graphtest.Dump(t, openStore(t, graph.Config{Backend: graph.BackendMemory}))

	s, err := graph.Create(ctx, cfg, false)
	if err != nil {
		t.Fatalf("Create of a new store: %v", err)
	}
	graphtest.SameDump(t, "new store", graphtest.Dump(t, s), seeded)
	if _, err := s.Load(ctx, []graph.Input{graphtest.Input("position.nq", position)}, graph.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := graph.Create(ctx, cfg, true); !errors.Is(err, graph.ErrLocked) {
		t.Errorf("Create with force of a store in use = %v; want graph.ErrLocked", err)
	}
	s.Close()

	if s, err := graph.Create(ctx, cfg, false); err == nil {
		s.Close()
		t.Error("Create without force replaced an existing store")
	}
	s, created, err := graph.Open(ctx, cfg)
	if err != nil || created {
		t.Fatalf("reopen = %v, created %v", err, created)
	}
	if got := len(graphtest.Dump(t, s)); got != len(seeded)+2 {
		t.Errorf("the reopened store holds %d quads, want %d: the seed and the loaded file", got, len(seeded)+2)
	}
	s.Close()

	s, err = graph.Create(ctx, cfg, true)
	if err != nil {
		t.Fatalf("Create with force: %v", err)
	}
	defer s.Close()
	graphtest.SameDump(t, "store created with force", graphtest.Dump(t, s), seeded)
}

func TestDefaultPath(t *testing.T) {
	for _, tc := range []struct {
		name    string
		env     map[string]string
		want    string // "" when an error is expected
		wantErr bool
	}{
		{"PARLEY_DB first", map[string]string{"PARLEY_DB": "/db/p.db", "XDG_DATA_HOME": "/xdg", "HOME": "/home/u"}, "/db/p.db", false},
		{"XDG_DATA_HOME next", map[string]string{"XDG_DATA_HOME": "/xdg", "HOME": "/home/u"}, "/xdg/parley/parley.db", false},
		{"HOME last", map[string]string{"HOME": "/home/u"}, "/home/u/.local/share/parley/parley.db", false},
		{"empty values are unset", map[string]string{"PARLEY_DB": "", "XDG_DATA_HOME": "", "HOME": "/home/u"}, "/home/u/.local/share/parley/parley.db", false},
		{"nothing set", map[string]string{}, "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := graph.DefaultPath(func(k string) string { return tc.env[k] })
			if got != tc.want || (err != nil) != tc.wantErr {
				t.Errorf("DefaultPath = %q, %v; want %q, error %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
}

// TestBoltVersionRefused: a store whose Cayley data version parley does not write is
// refused by every open with an error that says so, and left byte for byte as it was.
func TestBoltVersionRefused(t *testing.T) {
	path := newBolt(t)
	withBolt(t, path, true, func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("meta")).Put([]byte("version"), binary.LittleEndian.AppendUint64(nil, 3))
	})
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, ro := range []bool{false, true} {
		s, _, err := graph.Open(context.Background(), graph.Config{Path: path, ReadOnly: ro})
		if err == nil {
			s.Close()
			t.Errorf("read-only %v: a store of data version 3 opened", ro)
		} else if want := "store " + path + " was written in Cayley data version 3; parley writes version 2 only"; !strings.Contains(err.Error(), want) {
			t.Errorf("read-only %v: Open = %v; want %q", ro, err, want)
		}
	}
	if _, err := graph.Create(context.Background(), graph.Config{Path: path}, false); err == nil {
		t.Error("Create without force replaced the store")
	}
	if after, err := os.ReadFile(path); err != nil || !bytes.Equal(after, before) {
		t.Errorf("the refused store changed (%v)", err)
	}
}
