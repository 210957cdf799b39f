package graph_test

// Benchmarks of the library paths a command spends its time in: load, match, describe
// and a subgraph export, on the seed (memory and bolt) and on Cayley's 30k-movie data
// (471,705 quads, bolt), and the PostgreSQL bulk load against Cayley's row-by-row path;
// graph/analysis benchmarks shortest paths. The movie data is skipped under -short;
// PostgreSQL needs $PARLEY_TEST_POSTGRES (eval "$(bash .ci/postgres.sh start)").
//
//	go test -run '^$' -bench . -benchtime 20x ./graph/
//
// bench/compare.sh measures whole processes against Cayley's own CLI.

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/graph/export"
	"github.com/parley/parley/graph/graphtest"
	"github.com/parley/parley/seed"
)

// benchData is a store to ask and the questions to ask it, each about a node with a
// handful of edges.
type benchData struct {
	name     string
	open     func(b *testing.B) *graph.Store
	match    graph.Pattern
	describe string
	around   string
}

func benchSets() []benchData {
	seedQuestions := benchData{
		match:    graph.Pattern{Subject: "Putin", Predicate: "demands", Object: graph.Wildcard},
		describe: "Zaporizhzhia",
		around:   "Zaporizhzhia",
	}
	memory, bolt := seedQuestions, seedQuestions
	memory.name, memory.open = "seed/memory", openSeedMemory
	bolt.name, bolt.open = "seed/bolt", openSeedBolt
	return []benchData{memory, bolt, {
		name:     "movies/bolt",
		open:     openMovies,
		match:    graph.Pattern{Subject: "/en/blade_runner", Predicate: graph.Wildcard, Object: graph.Wildcard},
		describe: "/en/blade_runner",
		around:   "/en/blade_runner",
	}}
}

func openSeedMemory(b *testing.B) *graph.Store {
	s, _, err := graph.Open(context.Background(), graph.Config{Backend: graph.BackendMemory, Seed: seedData()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

func openSeedBolt(b *testing.B) *graph.Store {
	s, _, err := graph.Open(context.Background(), graph.Config{Path: filepath.Join(b.TempDir(), "seed.db"), Seed: seedData()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// moviesFile is Cayley's 30k-movie data, gzipped N-Quads.
func moviesFile(b *testing.B) string {
	if testing.Short() {
		b.Skip("the 30k-movie data is skipped under -short")
	}
	return filepath.Join(cayleyData(b), "30kmoviedata.nq.gz")
}

func fileInput(path string) graph.Input {
	fi, _ := os.Stat(path)
	in := graph.Input{Name: path, Open: func() (io.ReadCloser, error) { return os.Open(path) }}
	if fi != nil {
		in.Size = fi.Size()
	}
	return in
}

// movies is the movie data loaded once per process into a bolt store; its directory is
// removed as soon as it is loaded (the open file lives until the process exits).
var movies struct {
	once  sync.Once
	store *graph.Store
	err   error
}

func openMovies(b *testing.B) *graph.Store {
	file := moviesFile(b)
	movies.once.Do(func() {
		dir, err := os.MkdirTemp("", "parley-bench-")
		if err != nil {
			movies.err = err
			return
		}
		defer os.RemoveAll(dir)
		ctx := context.Background()
		s, err := graph.Create(ctx, graph.Config{Path: filepath.Join(dir, "movies.db")}, false)
		if err != nil {
			movies.err = err
			return
		}
		if _, err := s.Load(ctx, []graph.Input{fileInput(file)}, graph.LoadOptions{AllowUnknown: true}); err != nil {
			s.Close()
			movies.err = err
			return
		}
		movies.store = s
	})
	if movies.err != nil {
		b.Fatalf("load the movie data: %v", movies.err)
	}
	return movies.store
}

// BenchmarkLoad loads the seed into a fresh store, and the movie data into a fresh bolt
// store (about ten seconds an iteration). Creating the store is not timed.
func BenchmarkLoad(b *testing.B) {
	ctx := context.Background()
	seedIn := []graph.Input{graphtest.Input(seed.Name, string(seed.Quads()))}
	run := func(b *testing.B, create func(dir string) *graph.Store, inputs []graph.Input, opt graph.LoadOptions) {
		quads := 0
		for b.Loop() {
			b.StopTimer()
			dir := b.TempDir()
			s := create(dir)
			b.StartTimer()
			res, err := s.Load(ctx, inputs, opt)
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			quads += res.Written
			s.Close()
			os.RemoveAll(dir) // keep one iteration's store on disk at a time
			b.StartTimer()
		}
		b.ReportMetric(float64(quads)/b.Elapsed().Seconds(), "quads/s")
	}
	memory := func(string) *graph.Store {
		s, _, err := graph.Open(ctx, graph.Config{Backend: graph.BackendMemory})
		if err != nil {
			b.Fatal(err)
		}
		return s
	}
	bolt := func(dir string) *graph.Store {
		s, err := graph.Create(ctx, graph.Config{Path: filepath.Join(dir, "load.db")}, false)
		if err != nil {
			b.Fatal(err)
		}
		return s
	}
	b.Run("seed/memory", func(b *testing.B) { run(b, memory, seedIn, graph.LoadOptions{}) })
	b.Run("seed/bolt", func(b *testing.B) { run(b, bolt, seedIn, graph.LoadOptions{}) })
	b.Run("movies/bolt", func(b *testing.B) {
		run(b, bolt, []graph.Input{fileInput(moviesFile(b))}, graph.LoadOptions{AllowUnknown: true})
	})
}

// BenchmarkMatch matches a one-hop pattern: a film's every edge on the movie data.
func BenchmarkMatch(b *testing.B) {
	for _, d := range benchSets() {
		b.Run(d.name, func(b *testing.B) {
			s := d.open(b)
			ctx := context.Background()
			for b.Loop() {
				facts, err := s.Match(ctx, d.match)
				if err != nil || len(facts) == 0 {
					b.Fatalf("Match(%v): %d facts, %v", d.match, len(facts), err)
				}
			}
		})
	}
}

// BenchmarkDescribe describes one entity.
func BenchmarkDescribe(b *testing.B) {
	for _, d := range benchSets() {
		b.Run(d.name, func(b *testing.B) {
			s := d.open(b)
			ctx := context.Background()
			for b.Loop() {
				desc, err := s.Describe(ctx, d.describe)
				if err != nil || len(desc.Groups) == 0 {
					b.Fatalf("Describe(%s): %v", d.describe, err)
				}
			}
		})
	}
}

// BenchmarkExport selects an entity's neighbourhood (depth 1) and writes it as N-Quads.
func BenchmarkExport(b *testing.B) {
	for _, d := range benchSets() {
		b.Run(d.name, func(b *testing.B) {
			s := d.open(b)
			ctx := context.Background()
			sel := graph.Selection{Around: []string{d.around}, Depth: 1}
			var buf bytes.Buffer
			for b.Loop() {
				buf.Reset()
				sub, err := s.Select(ctx, sel)
				if err != nil {
					b.Fatalf("Select(%+v): %v", sel, err)
				}
				if err := export.WriteNQuads(&buf, sub, export.Options{Short: true, Vocabulary: s.Vocabulary()}); err != nil {
					b.Fatal(err)
				}
				if buf.Len() == 0 {
					b.Fatalf("Select(%+v) exported nothing", sel)
				}
			}
		})
	}
}

// BenchmarkExportAll exports the whole store as N-Quads, as 'parley export' does with no
// selector.
func BenchmarkExportAll(b *testing.B) {
	for _, d := range benchSets() {
		b.Run(d.name, func(b *testing.B) {
			s := d.open(b)
			ctx := context.Background()
			var buf bytes.Buffer
			for b.Loop() {
				buf.Reset()
				sub, err := s.Select(ctx, graph.Selection{})
				if err != nil {
					b.Fatal(err)
				}
				if err := export.WriteNQuads(&buf, sub, export.Options{Short: true, Vocabulary: s.Vocabulary()}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkResolveEntity resolves a name by ID and by a label (on the movie data, a
// <name>), as every command that takes an entity does.
func BenchmarkResolveEntity(b *testing.B) {
	for _, d := range benchSets() {
		names := map[string]string{"id": "<putin>", "label": "Zaporizhzhia"}
		if d.name == "movies/bolt" {
			names = map[string]string{"id": "</en/blade_runner>", "label": "Blade Runner"}
		}
		for _, kind := range []string{"id", "label"} {
			b.Run(d.name+"/"+kind, func(b *testing.B) {
				s := d.open(b)
				ctx := context.Background()
				for b.Loop() {
					if _, err := s.ResolveEntity(ctx, names[kind]); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// pgBenchQuads is how much of the movie data the PostgreSQL benchmark loads: Cayley's
// row-by-row path writes about 2,000 quads a second.
const pgBenchQuads = 20000

// BenchmarkLoadPostgres loads the first 20,000 quads of the movie data into a fresh
// schema, through parley's COPY path and through Cayley's row-by-row path; compare their
// quads/s.
func BenchmarkLoadPostgres(b *testing.B) {
	base := graphtest.PostgresBase(b)
	data := movieHead(b, pgBenchQuads)
	ctx := context.Background()
	for _, mode := range []struct {
		name     string
		rowByRow bool
	}{{"bulk", false}, {"rowbyrow", true}} {
		b.Run(mode.name, func(b *testing.B) {
			quads := 0
			for b.Loop() {
				b.StopTimer()
				addr, drop, err := graphtest.NewPostgresSchema(base)
				if err != nil {
					b.Fatal(err)
				}
				s, err := graph.Create(ctx, graph.Config{Backend: graph.BackendPostgres, Address: addr, RowByRow: mode.rowByRow}, false)
				if err != nil {
					drop()
					b.Fatal(err)
				}
				in := graphtest.Input("movies-head.nq", data)
				b.StartTimer()
				res, err := s.Load(ctx, []graph.Input{in}, graph.LoadOptions{AllowUnknown: true})
				b.StopTimer()
				s.Close()
				drop()
				if err != nil {
					b.Fatal(err)
				}
				quads += res.Written
				b.StartTimer()
			}
			b.ReportMetric(float64(quads)/b.Elapsed().Seconds(), "quads/s")
		})
	}
}

// movieHead returns the first n lines of the movie data, uncompressed.
func movieHead(b *testing.B, n int) string {
	f, err := os.Open(moviesFile(b))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		b.Fatal(err)
	}
	var out bytes.Buffer
	sc := bufio.NewScanner(zr)
	for i := 0; i < n && sc.Scan(); i++ {
		out.Write(sc.Bytes())
		out.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		b.Fatal(err)
	}
	return out.String()
}
