package graph_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/graph/graphtest"
)

// emptyBolt creates an empty store (no seed) and returns its path.
func emptyBolt(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "empty.db")
	s, err := graph.Create(context.Background(), graph.Config{Path: path}, false)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	return path
}

// noLeftovers checks that no build file or sort runs stand beside the store at path.
func noLeftovers(t *testing.T, path string) {
	t.Helper()
	for _, left := range []string{path + ".build", path + ".sort"} {
		if _, err := os.Stat(left); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s left behind: %v", left, err)
		}
	}
}

// TestBuildInterrupted cancels a load into an empty store while it builds: the store is
// still empty, and the new file and the sort runs are gone.
func TestBuildInterrupted(t *testing.T) {
	path := emptyBolt(t)
	ctx, cancel := context.WithCancel(context.Background())
	s, _, err := graph.Open(ctx, graph.Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	in := foreign(t, 600000, false) // more than one sort run and one build transaction
	_, err = s.Load(ctx, []graph.Input{in}, graph.LoadOptions{AllowUnknown: true, Progress: func(p graph.Progress) {
		if p.Phase == graph.PhaseWrite && p.Quads >= 450000 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Load = %v, want the cancellation", err)
	}
	if n := len(graphtest.Dump(t, s)); n != 0 {
		t.Errorf("the store has %d quads after the interrupted build, want none", n)
	}
	noLeftovers(t, path)
	// The store still takes a load.
	if _, err := s.Load(context.Background(), []graph.Input{foreign(t, 10, false)}, graph.LoadOptions{AllowUnknown: true}); err != nil {
		t.Fatal(err)
	}
	if n := len(graphtest.Dump(t, s)); n != 10 {
		t.Errorf("%d quads after loading 10, want 10", n)
	}
}

// TestBuildLeftoversRemoved: what a crashed build leaves beside the store is removed by
// the next writer, and the store is as it was.
func TestBuildLeftoversRemoved(t *testing.T) {
	path := emptyBolt(t)
	if err := os.WriteFile(path+".build", []byte("half a store"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(path+".sort"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(path+".sort", "run-0"), []byte("sorted"), 0o644); err != nil {
		t.Fatal(err)
	}
	ro, _, err := graph.Open(context.Background(), graph.Config{Path: path, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	ro.Close()
	if _, err := os.Stat(path + ".build"); err != nil {
		t.Errorf("a read-only open removed the build file: %v", err)
	}
	s, _, err := graph.Open(context.Background(), graph.Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	noLeftovers(t, path)
	if n := len(graphtest.Dump(t, s)); n != 0 {
		t.Errorf("the store has %d quads, want none", n)
	}
}

// TestOpenAfterReplace: a process waiting for the lock of a store that a build replaces
// opens the new file, not the one it waited for.
func TestOpenAfterReplace(t *testing.T) {
	path := emptyBolt(t)
	holder, err := bolt.Open(path, 0o644, nil) // the lock a build holds
	if err != nil {
		t.Fatal(err)
	}
	opened := make(chan *graph.Store)
	go func() {
		s, _, err := graph.Open(context.Background(), graph.Config{Path: path, LockTimeout: 10 * time.Second})
		if err != nil {
			t.Error(err)
		}
		opened <- s
	}()
	time.Sleep(200 * time.Millisecond) // it waits for the lock
	// The build: a new store with quads, renamed over the old.
	other := emptyBolt(t)
	s, _, err := graph.Open(context.Background(), graph.Config{Path: other})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(context.Background(), []graph.Input{foreign(t, 7, false)}, graph.LoadOptions{AllowUnknown: true}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := os.Rename(other, path); err != nil {
		t.Fatal(err)
	}
	holder.Close()
	got := <-opened
	if got == nil {
		return
	}
	defer got.Close()
	if n := len(graphtest.Dump(t, got)); n != 7 {
		t.Errorf("the waiting open sees %d quads, want the new store's 7", n)
	}
}

// TestLoadCountsRepeatsAcrossBatches loads a file with a quad the store has and a quad
// repeated two batches apart, into the seeded store (which the load rebuilds) and into a
// store bigger than the file (the bulk writer tells the repeat from the quad the store
// had by its ID, without a set of every quad written).
func TestLoadCountsRepeatsAcrossBatches(t *testing.T) {
	ctx := context.Background()
	var b strings.Builder
	b.WriteString(`<putin> <type> <Person> .` + "\n") // in the seed
	for i := 0; i < 210000; i++ {
		fmt.Fprintf(&b, "<n%d> <p> <n%d> .\n", i, i+1)
	}
	b.WriteString("<n0> <p> <n1> .\n")
	path := filepath.Join(t.TempDir(), "repeats.nq")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	in := graph.Input{Name: path, Open: func() (io.ReadCloser, error) { return os.Open(path) }}
	for _, store := range []struct {
		name string
		path string
	}{{"rebuilt", newBolt(t)}, {"bulk writer", bigBolt(t, 250000)}} {
		s, _, err := graph.Open(ctx, graph.Config{Path: store.path})
		if err != nil {
			t.Fatal(err)
		}
		for _, dry := range []bool{true, false} {
			res, err := s.Load(ctx, []graph.Input{in}, graph.LoadOptions{AllowUnknown: true, DryRun: dry})
			if err != nil {
				t.Fatal(err)
			}
			if res.Read != 210002 || res.Written != 210000 || res.Duplicate != 1 || res.Present != 1 {
				t.Errorf("%s, dry run %v: read %d, written %d, repeated %d, present %d; want 210002, 210000, 1, 1", store.name, dry, res.Read, res.Written, res.Duplicate, res.Present)
			}
		}
		s.Close()
	}
}
