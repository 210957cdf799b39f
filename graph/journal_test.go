package graph_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/graph/graphtest"
	"github.com/parley/parley/schema"
)

// foreign writes n quads of foreign data (loaded with AllowUnknown), enough for several
// batches, and returns them as an input.
func foreign(t testing.TB, n int, bad bool) graph.Input {
	t.Helper()
	var b bytes.Buffer
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "<n%d> <p%d> <n%d> .\n", i, i%7, i+1)
	}
	if bad {
		b.WriteString("<last> <p> bare .\n")
	}
	path := filepath.Join(t.TempDir(), "foreign.nq")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return graph.Input{Name: path, Size: int64(b.Len()), Open: func() (io.ReadCloser, error) { return os.Open(path) }}
}

// bigBolt creates a seeded store with n more quads (about other nodes than foreign's),
// so that a load of fewer quads goes through the journalled bulk writer rather than a
// rebuild of the store.
func bigBolt(t *testing.T, n int) string {
	t.Helper()
	path := newBolt(t)
	var b bytes.Buffer
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "<base%d> <q> <base%d> .\n", i, i+1)
	}
	s, _, err := graph.Open(context.Background(), graph.Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Load(context.Background(), []graph.Input{graphtest.Input("base.nq", b.String())}, graph.LoadOptions{AllowUnknown: true}); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestLoadInterruptedRollsBack cancels a load after it has committed batches: the journal
// rolls them back, and the store is as it was, orphan nodes included.
func TestLoadInterruptedRollsBack(t *testing.T) {
	path := bigBolt(t, 300000)
	ctx, cancel := context.WithCancel(context.Background())
	s, _, err := graph.Open(ctx, graph.Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	before, nodes := graphtest.Dump(t, s), graphtest.CountNodes(t, s)
	in := foreign(t, 260000, false)
	_, err = s.Load(ctx, []graph.Input{in}, graph.LoadOptions{AllowUnknown: true, Progress: func(p graph.Progress) {
		if p.Phase == graph.PhaseWrite && p.Quads >= 220000 {
			cancel() // two batches of 100,000 are in the store by now
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Load = %v, want the cancellation", err)
	}
	graphtest.SameDump(t, "after the interrupted load", graphtest.Dump(t, s), before)
	if got := graphtest.CountNodes(t, s); got != nodes {
		t.Errorf("%d nodes after the rollback, want %d", got, nodes)
	}
	if _, err := os.Stat(path + ".journal"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("journal left behind: %v", err)
	}
}

// TestLoadCrashRollsBackOnOpen kills a loading process after it has committed batches;
// the next open, even a read-only one, rolls the load back.
func TestLoadCrashRollsBackOnOpen(t *testing.T) {
	if os.Getenv("PARLEY_CRASH_STORE") != "" {
		crashingLoad(os.Getenv("PARLEY_CRASH_STORE"), os.Getenv("PARLEY_CRASH_INPUT"))
		return
	}
	path := bigBolt(t, 300000)
	s, _, err := graph.Open(context.Background(), graph.Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	before := graphtest.Dump(t, s)
	s.Close()
	in := foreign(t, 260000, false)
	cmd := exec.Command(os.Args[0], "-test.run=^TestLoadCrashRollsBackOnOpen$")
	cmd.Env = append(os.Environ(), "PARLEY_CRASH_STORE="+path, "PARLEY_CRASH_INPUT="+in.Name)
	out, err := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); code != 3 {
		t.Fatalf("the crashing load exited %d (%v), want 3:\n%s", code, err, out)
	}
	if _, err := os.Stat(path + ".journal"); err != nil {
		t.Fatalf("the crashed load left no journal: %v", err)
	}
	ro, _, err := graph.Open(context.Background(), graph.Config{Path: path, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if ro.RolledBack() < 100000 {
		t.Errorf("RolledBack = %d, want the committed batches", ro.RolledBack())
	}
	graphtest.SameDump(t, "after the crash and the rollback", graphtest.Dump(t, ro), before)
}

// crashingLoad loads input into the store and exits abruptly, without cleanup, once one
// batch is in and another is being written: a kill -9 in the middle of a load.
func crashingLoad(store, input string) {
	s, _, err := graph.Open(context.Background(), graph.Config{Path: store})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	in := graph.Input{Name: input, Open: func() (io.ReadCloser, error) { return os.Open(input) }}
	s.Load(context.Background(), []graph.Input{in}, graph.LoadOptions{AllowUnknown: true, Progress: func(p graph.Progress) {
		if p.Phase == graph.PhaseWrite && p.Quads >= 220000 {
			os.Exit(3) // the first batch is committed, the second may be committing
		}
	}})
	os.Exit(1)
}

// TestLoadMillionAllOrNothing loads a million quads whose last line is malformed: the
// problem is reported at its line and nothing is written.
func TestLoadMillionAllOrNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("a million quads")
	}
	path := newBolt(t)
	s, _, err := graph.Open(context.Background(), graph.Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	before := graphtest.Dump(t, s)
	in := foreign(t, 1000000, true)
	_, err = s.Load(context.Background(), []graph.Input{in}, graph.LoadOptions{AllowUnknown: true})
	var verr *schema.ValidationError
	if !errors.As(err, &verr) || len(verr.Problems) != 1 || !strings.HasPrefix(verr.Problems[0].String(), in.Name+":1000001: ") {
		t.Fatalf("Load = %v, want one problem on line 1000001", err)
	}
	graphtest.SameDump(t, "after the rejected load", graphtest.Dump(t, s), before)
}
