package graph_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"testing"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/graph/graphtest"
)

// Two versions of a source: the second changes the claim's fact and drops the entity
// only the first named.
const (
	crashV1 = `<src-c> <type> <Source> .
<src-c> <label> "Crash wire" .
<src-c> <title> "Crash wire" .
<c-deal> <type> <Position> .
<c-deal> <label> "A crash deal" .
<src-c#c1> <type> <Claim> .
<src-c#c1> <source> <src-c> .
<src-c#c1> <evidence> "Putin demanded a crash deal." .
<src-c#c1> <modality> "asserted" .
<putin> <demands> <c-deal> <src-c#c1> .
`
	crashV2 = `<src-c> <type> <Source> .
<src-c> <label> "Crash wire" .
<src-c> <title> "Crash wire" .
<src-c#c1> <type> <Claim> .
<src-c#c1> <source> <src-c> .
<src-c#c1> <evidence> "Putin rejected the guarantees." .
<src-c#c1> <modality> "asserted" .
<putin> <rejects> <ironclad-security-guarantees> <src-c#c1> .
`
)

// replaceText replaces the sources text describes.
func replaceText(ctx context.Context, s *graph.Store, text string, opt graph.LoadOptions) (graph.ReplaceResult, error) {
	p, err := graph.Read([]graph.Input{graphtest.Input("v2.nq", text)}, graph.LoadOptions{})
	if err != nil {
		return graph.ReplaceResult{}, err
	}
	plan, err := s.PlanReplace(ctx, graph.SourcesOf(p.Statements))
	if err != nil {
		return graph.ReplaceResult{}, err
	}
	return s.Replace(ctx, plan, p.Statements, p.Syntax, p.Files, opt)
}

// TestReplaceCrashRollsBackOnOpen kills a replacing process once the old version is
// removed (and journalled) and before the new one is written; the next open, even a
// read-only one, writes the old version back.
func TestReplaceCrashRollsBackOnOpen(t *testing.T) {
	if path := os.Getenv("PARLEY_CRASH_REPLACE"); path != "" {
		crashingReplace(path)
		return
	}
	path := newBolt(t)
	ctx := context.Background()
	s, _, err := graph.Open(ctx, graph.Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(ctx, []graph.Input{graphtest.Input("v1.nq", crashV1)}, graph.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	before := graphtest.Dump(t, s)
	s.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^TestReplaceCrashRollsBackOnOpen$")
	cmd.Env = append(os.Environ(), "PARLEY_CRASH_REPLACE="+path)
	out, err := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); code != 3 {
		t.Fatalf("the crashing replace exited %d (%v), want 3:\n%s", code, err, out)
	}
	if _, err := os.Stat(path + ".journal"); err != nil {
		t.Fatalf("the crashed replace left no journal: %v", err)
	}
	ro, _, err := graph.Open(ctx, graph.Config{Path: path, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if ro.RolledBack() == 0 {
		t.Error("RolledBack = 0, want the removed quads")
	}
	graphtest.SameDump(t, "after the crash and the rollback", graphtest.Dump(t, ro), before)
	if _, err := ro.ResolveEntity(ctx, "A crash deal"); err != nil {
		t.Errorf("the entity only the old version named is not back: %v", err)
	}
}

// crashingReplace replaces crashV1 with crashV2 and exits abruptly, without cleanup, as
// soon as the old version is removed: a kill -9 between the removal and the addition.
func crashingReplace(path string) {
	s, _, err := graph.Open(context.Background(), graph.Config{Path: path})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	_, err = replaceText(context.Background(), s, crashV2, graph.LoadOptions{Progress: func(p graph.Progress) {
		if p.Phase == graph.PhaseRemove {
			os.Exit(3)
		}
	}})
	fmt.Fprintln(os.Stderr, "the replace ended without reporting its removal:", err)
	os.Exit(1)
}

// TestReplaceJournalledRemoval: on the embedded store, the old version is in the journal
// while it is out of the store, and the journal goes once the replace is done.
func TestReplaceJournalledRemoval(t *testing.T) {
	path := newBolt(t)
	ctx := context.Background()
	s, _, err := graph.Open(ctx, graph.Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Load(ctx, []graph.Input{graphtest.Input("v1.nq", crashV1)}, graph.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	before := graphtest.Dump(t, s)
	journalled := false
	_, err = replaceText(ctx, s, crashV2, graph.LoadOptions{Progress: func(p graph.Progress) {
		if p.Phase == graph.PhaseRemove {
			_, err := os.Stat(path + ".journal")
			journalled = err == nil
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if !journalled {
		t.Error("no journal while the old version was out")
	}
	if _, err := os.Stat(path + ".journal"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("journal left behind after the replace: %v", err)
	}
	if after := graphtest.Dump(t, s); len(after) != len(before)-2 {
		t.Errorf("the store holds %d quads after the replace, want %d (two fewer: the entity's names)", len(after), len(before)-2)
	}
}
