package graph_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/graph/graphtest"
	"github.com/parley/parley/graph/internal/kvstore"
)

// TestReaderWaitingForDeadLoader: a read-only open that started waiting for the lock of
// a loader before the loader's journal existed, and got it when the loader was killed
// with a batch committed, rolls the load back before it reads (issue 13 §2).
func TestReaderWaitingForDeadLoader(t *testing.T) {
	if dir := os.Getenv("PARLEY_DEAD_LOADER"); dir != "" {
		deadLoader(dir)
		return
	}
	path := newBolt(t)
	s, _, err := graph.Open(context.Background(), graph.Config{Path: path, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	before := graphtest.Dump(t, s)
	s.Close()
	dir := filepath.Dir(path)
	cmd := exec.Command(os.Args[0], "-test.run=^TestReaderWaitingForDeadLoader$")
	cmd.Env = append(os.Environ(), "PARLEY_DEAD_LOADER="+dir)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	waitFor(t, filepath.Join(dir, "locked"))
	if kvstore.HasJournal(path) {
		t.Fatal("the loader has a journal before it was told to load")
	}
	type opened struct {
		s   *graph.Store
		err error
	}
	reader := make(chan opened, 1)
	go func() {
		s, _, err := graph.Open(context.Background(), graph.Config{Path: path, ReadOnly: true, LockTimeout: 30 * time.Second})
		reader <- opened{s, err}
	}()
	time.Sleep(300 * time.Millisecond) // the reader is waiting for the lock by now
	os.WriteFile(filepath.Join(dir, "go"), nil, 0o644)
	waitFor(t, filepath.Join(dir, "written"))
	cmd.Process.Kill() // SIGKILL: no cleanup
	cmd.Wait()
	if !kvstore.HasJournal(path) {
		t.Fatal("the killed loader left no journal")
	}
	r := <-reader
	if r.err != nil {
		t.Fatal(r.err)
	}
	defer r.s.Close()
	if r.s.RolledBack() != 100 {
		t.Errorf("RolledBack = %d, want the loader's 100 quads", r.s.RolledBack())
	}
	graphtest.SameDump(t, "what the waiting reader read", graphtest.Dump(t, r.s), before)
}

// deadLoader takes the store's lock, says so, waits to be told to load, commits a batch
// of 100 quads and says so, then waits to be killed.
func deadLoader(dir string) {
	kv, err := kvstore.Open(filepath.Join(dir, "parley.db"), kvstore.Options{Timeout: 5 * time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.WriteFile(filepath.Join(dir, "locked"), nil, 0o644)
	for _, err := os.Stat(filepath.Join(dir, "go")); err != nil; _, err = os.Stat(filepath.Join(dir, "go")) {
		time.Sleep(10 * time.Millisecond)
	}
	j, err := kv.StartJournal()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var deltas []cgraph.Delta
	for i := 0; i < 100; i++ {
		q := quad.Make(quad.IRI(fmt.Sprintf("dead%d", i)), quad.IRI("p"), quad.IRI(fmt.Sprintf("dead%d", i+1)), nil)
		deltas = append(deltas, cgraph.Delta{Quad: q, Action: cgraph.Add})
	}
	b, err := kvstore.Prepare(deltas)
	if err == nil {
		_, _, err = kv.WriteBatch(b, 0, j.Record)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.WriteFile(filepath.Join(dir, "written"), nil, 0o644)
	time.Sleep(time.Minute)
	os.Exit(1)
}

func waitFor(t *testing.T, file string) {
	t.Helper()
	for i := 0; i < 3000; i++ {
		if _, err := os.Stat(file); err == nil {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s never appeared", file)
}
