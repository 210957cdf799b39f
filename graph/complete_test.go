package graph_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/graph/graphtest"
)

// TestCompleteNames completes names from the name index (bolt) and by a scan (memory),
// alike.
func TestCompleteNames(t *testing.T) {
	ctx := context.Background()
	for _, s := range []*graph.Store{
		seeded(t),
		openStore(t, graph.Config{Path: filepath.Join(t.TempDir(), "parley.db")}),
	} {
		t.Run(s.Backend(), func(t *testing.T) {
			for _, c := range []struct {
				prefix string
				want   []string // among the names
				not    []string
			}{
				{"Pu", []string{"Putin", "putin"}, []string{"Vladimir Putin"}},
				{"vladimir", []string{"Vladimir Putin"}, nil},
				{"zel", []string{"Zelensky", "zelensky"}, nil},
				{"<pu", []string{"<putin>"}, []string{"Putin"}},
				{"nobody-by-this-name", nil, nil},
			} {
				got, err := s.CompleteNames(ctx, c.prefix, 50)
				if err != nil {
					t.Fatal(err)
				}
				for _, w := range c.want {
					if !slices.Contains(got, w) {
						t.Errorf("CompleteNames(%q) = %q, want %q among them", c.prefix, got, w)
					}
				}
				for _, w := range c.not {
					if slices.Contains(got, w) {
						t.Errorf("CompleteNames(%q) = %q, want no %q", c.prefix, got, w)
					}
				}
				if c.want == nil && len(got) > 0 {
					t.Errorf("CompleteNames(%q) = %q, want none", c.prefix, got)
				}
			}
			if got, _ := s.CompleteNames(ctx, "", 3); len(got) != 3 {
				t.Errorf("CompleteNames with limit 3 gave %d names", len(got))
			}
		})
	}
}

// TestSuggestNames suggests the names nearest to a mistyped one.
func TestSuggestNames(t *testing.T) {
	ctx := context.Background()
	for _, s := range []*graph.Store{
		seeded(t),
		openStore(t, graph.Config{Path: filepath.Join(t.TempDir(), "parley.db")}),
	} {
		t.Run(s.Backend(), func(t *testing.T) {
			for name, want := range map[string]string{
				"Putn":           "Putin",
				"Zelenksy":       "Zelensky",
				"kallass":        "kallas",
				"Vladimir Putni": "Vladimir Putin",
			} {
				got, err := s.SuggestNames(ctx, name, 5)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Contains(got, want) {
					t.Errorf("SuggestNames(%q) = %q, want %q among them", name, got, want)
				}
			}
			if got, _ := s.SuggestNames(ctx, "qqqqqqqqqq", 5); len(got) > 0 {
				t.Errorf("SuggestNames of nothing near = %q", got)
			}
		})
	}
	if got := graph.SuggestWords("demnds", []string{"demands", "denies", "rejects"}, 3); len(got) == 0 || got[0] != "demands" {
		t.Errorf("SuggestWords(demnds) = %q", got)
	}
}

// TestOpenMustExist: a store that must exist is not created.
func TestOpenMustExist(t *testing.T) {
	path := filepath.Join(t.TempDir(), "typo", "parley.db")
	_, _, err := graph.Open(context.Background(), graph.Config{Path: path, MustExist: true, Seed: seedData()})
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), path) {
		t.Fatalf("Open of a missing store = %v, want an error naming it that is fs.ErrNotExist", err)
	}
	if _, err := os.Stat(filepath.Dir(path)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open made %s: %v", filepath.Dir(path), err)
	}
}

// BenchmarkCompleteNames opens a store of many named entities (PARLEY_BENCH_NAMES, default
// 400,000: 1.2 million quads, 800,000 names in the index), completes a prefix and closes
// it, as 'parley __complete' does; the budget is 100 ms.
func BenchmarkCompleteNames(b *testing.B) {
	n := 400000
	if v, err := strconv.Atoi(os.Getenv("PARLEY_BENCH_NAMES")); err == nil {
		n = v
	}
	path := filepath.Join(b.TempDir(), "names.db")
	var data strings.Builder
	for i := range n {
		fmt.Fprintf(&data, "<person-%d> <type> <Person> .\n<person-%d> <label> \"Person %d Example\" .\n<person-%d> <alias> \"P%d\" .\n", i, i, i, i, i)
	}
	ctx := context.Background()
	s, _, err := graph.Open(ctx, graph.Config{Path: path, Seed: seedData()})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.Load(ctx, []graph.Input{graphtest.Input("names.nq", data.String())}, graph.LoadOptions{}); err != nil {
		b.Fatal(err)
	}
	s.Close()
	for _, prefix := range []string{"Pu", "person 12", "<person-39999", "Zzz"} {
		b.Run(prefix, func(b *testing.B) {
			var worst time.Duration
			for b.Loop() {
				start := time.Now()
				ctx, cancel := context.WithTimeout(ctx, 60*time.Millisecond)
				s, _, err := graph.Open(ctx, graph.Config{Path: path, ReadOnly: true, MustExist: true})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := s.CompleteNames(ctx, prefix, 50); err != nil {
					b.Fatal(err)
				}
				s.Close()
				cancel()
				worst = max(worst, time.Since(start))
			}
			b.ReportMetric(float64(worst.Microseconds())/1000, "worst-ms")
		})
	}
}
