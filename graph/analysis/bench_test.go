package analysis_test

// Benchmarks of the analyses, on the seed (memory) and on Cayley's 30k-movie data
// (471,705 quads, bolt; skipped under -short, loaded once per process, about ten
// seconds).
//
//	go test -run '^$' -bench . -benchtime 20x ./graph/analysis/

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/graph/analysis"
	"github.com/parley/parley/seed"
)

// movies is the movie data loaded once per process into a bolt store; its directory is
// removed as soon as it is loaded (the open file lives until the process exits).
var movies struct {
	once  sync.Once
	store *graph.Store
	err   error
}

func openMovies(b *testing.B) *graph.Store {
	if testing.Short() {
		b.Skip("the 30k-movie data is skipped under -short")
	}
	movies.once.Do(func() { movies.store, movies.err = loadMovies() })
	if movies.err != nil {
		b.Fatalf("load the movie data: %v", movies.err)
	}
	return movies.store
}

// loadMovies loads Cayley's 30k-movie data into a new bolt store.
func loadMovies() (*graph.Store, error) {
	dir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/cayleygraph/cayley").Output()
	if err != nil {
		return nil, err
	}
	file := filepath.Join(strings.TrimSpace(string(dir)), "data", "30kmoviedata.nq.gz")
	tmp, err := os.MkdirTemp("", "parley-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	ctx := context.Background()
	s, err := graph.Create(ctx, graph.Config{Path: filepath.Join(tmp, "movies.db")}, false)
	if err != nil {
		return nil, err
	}
	in := graph.Input{Name: file, Open: func() (io.ReadCloser, error) { return os.Open(file) }}
	if _, err := s.Load(ctx, []graph.Input{in}, graph.LoadOptions{AllowUnknown: true}); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// BenchmarkShortestPaths finds every shortest path between two entities 2 or 3 hops
// apart.
func BenchmarkShortestPaths(b *testing.B) {
	for _, d := range []struct {
		name     string
		open     func(b *testing.B) *graph.Store
		from, to string
	}{
		{"seed/memory", func(b *testing.B) *graph.Store {
			s, _, err := graph.Open(context.Background(), graph.Config{Backend: graph.BackendMemory,
				Seed: &graph.Seed{Name: seed.Name, Data: seed.Quads()}})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { s.Close() })
			return s
		}, "Zelensky", "Putin"}, // 3 hops
		{"movies/bolt", openMovies, "/en/blade_runner", "/en/alien_1979"}, // both directed by Ridley Scott
	} {
		b.Run(d.name, func(b *testing.B) {
			an := analysis.New(d.open(b))
			ctx := context.Background()
			q := analysis.PathQuery{From: d.from, To: d.to, All: true}
			for b.Loop() {
				res, err := an.ShortestPaths(ctx, q)
				if err != nil || len(res.Paths) == 0 {
					b.Fatalf("ShortestPaths(%+v): %v", q, err)
				}
			}
		})
	}
}
