package graph_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/graph/graphtest"
)

// arrayGrowth is a query that grows an array until something stops it.
const arrayGrowth = `var a = []; while (true) { a.push("a string long enough to fill memory fast " + a.length) }`

// TestQueryLimits: an endless loop ends at the timeout, an array that grows without end at
// the memory budget, each with its own error and soon after; NoLimit lifts a limit.
func TestQueryLimits(t *testing.T) {
	s := emptyMemory(t)
	for _, tc := range []struct {
		name, text string
		lim        graph.QueryLimits
		want       error
		within     time.Duration
	}{
		{"loop", `while (true) {}`, graph.QueryLimits{Timeout: 200 * time.Millisecond}, graph.ErrQueryTimeout, 5 * time.Second},
		{"loop, no memory limit", `while (true) {}`, graph.QueryLimits{Timeout: 200 * time.Millisecond, Memory: graph.NoLimit}, graph.ErrQueryTimeout, 5 * time.Second},
		{"array growth", arrayGrowth, graph.QueryLimits{Timeout: time.Minute, Memory: 32 << 20}, graph.ErrQueryMemory, 20 * time.Second},
		{"array growth, no timeout", arrayGrowth, graph.QueryLimits{Timeout: graph.NoLimit, Memory: 32 << 20}, graph.ErrQueryMemory, 20 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			_, err := s.Query(t.Context(), graph.LangGizmo, tc.text, graph.QueryOptions{Limits: tc.lim})
			if took := time.Since(start); !errors.Is(err, tc.want) || took > tc.within {
				t.Errorf("after %s: %v; want %v within %s", took, err, tc.want, tc.within)
			}
		})
	}
	res, err := s.Query(t.Context(), graph.LangGizmo, `g.Emit(1)`, graph.QueryOptions{Limits: graph.QueryLimits{Timeout: graph.NoLimit, Memory: graph.NoLimit}})
	if err != nil || len(res.Results) != 1 {
		t.Errorf("without limits: %v, %v", res, err)
	}
	if _, err := s.TraversedQuads(t.Context(), `while (true) {}`, graph.QueryLimits{Timeout: 200 * time.Millisecond}); !errors.Is(err, graph.ErrQueryTimeout) {
		t.Errorf("TraversedQuads: %v, want a timeout", err)
	}
}

// TestQueryTimeoutClosesBolt: a query stopped at its timeout on a bolt store, deep in
// nested iterators each holding a transaction, lets the store close (bbolt's DB.Close and
// the query's Tx.Rollback once deadlocked), however many times it is tried.
func TestQueryTimeoutClosesBolt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dense.db")
	s, err := graph.Create(t.Context(), graph.Config{Path: path}, false)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	const n = 40
	for i := range n {
		for j := range n {
			fmt.Fprintf(&b, "<n%d> <p%d> <n%d> .\n", i, j%3, j)
		}
	}
	if _, err := s.Load(t.Context(), []graph.Input{graphtest.Input("dense.nq", b.String())}, graph.LoadOptions{AllowUnknown: true}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	for i := range 5 {
		s, _, err := graph.Open(t.Context(), graph.Config{Path: path, ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Query(t.Context(), graph.LangGizmo, `g.V().Tag("a").Out().In().Out().In().Out().All()`,
			graph.QueryOptions{Limits: graph.QueryLimits{Timeout: time.Duration(50+40*i) * time.Millisecond}})
		if !errors.Is(err, graph.ErrQueryTimeout) {
			t.Errorf("run %d: %v, want a timeout", i, err)
		}
		closed := make(chan error, 1)
		go func() { closed <- s.Close() }()
		select {
		case <-closed:
		case <-time.After(10 * time.Second):
			t.Fatalf("run %d: closing the store after a timeout hangs", i)
		}
	}
	// The store can be written again: nothing holds its lock.
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	w, _, err := graph.Open(ctx, graph.Config{Path: path, LockTimeout: 20 * time.Second})
	if err != nil {
		t.Fatalf("open for writing after the timeouts: %v", err)
	}
	w.Close()
}
