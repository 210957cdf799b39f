package graph_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/boltdb/bolt"
	cgraph "github.com/cayleygraph/cayley/graph"
	ckv "github.com/cayleygraph/cayley/graph/kv"
	cproto "github.com/cayleygraph/cayley/graph/proto"
	"github.com/cayleygraph/quad"
	hbolt "github.com/hidal-go/hidalgo/kv/bolt"
	"google.golang.org/protobuf/proto"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/seed"
)

// kindsOfValues is foreign data with every kind of value Cayley stores differently: IRIs,
// blank nodes, plain, typed and language-tagged literals, quads with and without a label,
// and nodes with many quads (long index lists).
func kindsOfValues(copy int) string {
	var b strings.Builder
	for i := 0; i < 300; i++ {
		fmt.Fprintf(&b, "<http://ex.org/n%d> <http://ex.org/knows> <http://ex.org/n%d> <http://ex.org/g%d> .\n", i, (i*7+copy)%300, i%3)
		fmt.Fprintf(&b, "<http://ex.org/n%d> <http://ex.org/name> \"name %d-%d\"@en .\n", i, i, copy)
		fmt.Fprintf(&b, "_:b%d <http://ex.org/size> \"%d\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n", i%17, i+copy)
		fmt.Fprintf(&b, "<http://ex.org/n%d> <http://ex.org/ok> \"%t\"^^<http://www.w3.org/2001/XMLSchema#boolean> .\n", i, i%2 == 0)
		fmt.Fprintf(&b, "<http://ex.org/n%d> <http://ex.org/at> \"2025-03-%02dT10:00:00Z\"^^<http://www.w3.org/2001/XMLSchema#dateTime> .\n", i, 1+i%28)
		fmt.Fprintf(&b, "<http://ex.org/n%d> <http://ex.org/w> \"%d.5\"^^<http://www.w3.org/2001/XMLSchema#double> <http://ex.org/g%d> .\n", i, i, copy)
		fmt.Fprintf(&b, "<http://ex.org/hub> <http://ex.org/has> \"plain %d\" .\n", i+copy*1000)
	}
	return b.String()
}

// TestBulkBoltIsCayleysLayout loads the same quads into one bolt store through parley and
// into another through Cayley's own ApplyDeltas, in two loads (the second meets nodes
// and index keys the first wrote, and repeats some of its quads), and compares every
// bucket, key and value; log entries are compared decoded, without their timestamps.
func TestBulkBoltIsCayleysLayout(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	write := func(name, text string) graph.Input {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return graph.Input{Name: path, Open: func() (io.ReadCloser, error) { return os.Open(path) }}
	}
	first := []graph.Input{write("seed.nq", string(seed.Quads())), write("a.nq", kindsOfValues(0))}
	second := []graph.Input{write("b.nq", kindsOfValues(1)+strings.Join(strings.SplitAfter(kindsOfValues(0), "\n")[:60], ""))}
	opt := graph.LoadOptions{AllowUnknown: true}

	ours := filepath.Join(dir, "parley.db")
	s, err := graph.Create(ctx, graph.Config{Path: ours}, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range [][]graph.Input{first, second} {
		if _, err := s.Load(ctx, in, opt); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	theirs := filepath.Join(dir, "cayley.db")
	db, err := bolt.Open(theirs, 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := ckv.Init(hbolt.New(db), nil); err != nil {
		t.Fatal(err)
	}
	qs, err := ckv.New(hbolt.New(db), cgraph.Options{ckv.OptNoBloom: true})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[quad.Quad]bool{}
	for _, in := range [][]graph.Input{first, second} {
		p, err := graph.Read(in, opt)
		if err != nil {
			t.Fatal(err)
		}
		var deltas []cgraph.Delta
		for _, st := range p.Statements {
			if !seen[st.Quad] {
				seen[st.Quad] = true
				deltas = append(deltas, cgraph.Delta{Quad: st.Quad, Action: cgraph.Add})
			}
		}
		if err := qs.ApplyDeltas(deltas, cgraph.IgnoreOpts{}); err != nil {
			t.Fatal(err)
		}
	}
	qs.Close()
	db.Close()

	got, want := dumpBolt(t, ours), dumpBolt(t, theirs)
	if len(want) < 1000 {
		t.Fatalf("Cayley's store has only %d keys", len(want))
	}
	for _, k := range sortedKeys(want) {
		if got[k] != want[k] {
			t.Errorf("%s:\n  parley %q\n  Cayley %q", k, got[k], want[k])
		}
	}
	for _, k := range sortedKeys(got) {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: parley wrote %q, Cayley nothing", k, got[k])
		}
	}
}

// dumpBolt reads every key of Cayley's buckets in a bolt file, by bucket path; log
// entries decoded, without their timestamps.
func dumpBolt(t *testing.T, path string) map[string]string {
	t.Helper()
	db, err := bolt.Open(path, 0o644, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string]string{}
	var walk func(prefix string, b *bolt.Bucket) error
	walk = func(prefix string, b *bolt.Bucket) error {
		return b.ForEach(func(k, v []byte) error {
			name := fmt.Sprintf("%s/%x", prefix, k)
			if v == nil {
				out[name] = "(bucket)"
				return walk(name, b.Bucket(k))
			}
			if strings.HasPrefix(prefix, fmt.Sprintf("/%x", "log")) {
				var p cproto.Primitive
				if err := proto.Unmarshal(v, &p); err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
				p.Timestamp = 0
				out[name] = p.String()
				return nil
			}
			out[name] = string(v)
			return nil
		})
	}
	err = db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			if string(name) == "parley.names" {
				return nil // parley's own index, beside Cayley's buckets (names_test.go)
			}
			out[fmt.Sprintf("/%x", name)] = "(bucket)"
			return walk(fmt.Sprintf("/%x", name), b)
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// TestLoadCountsRepeatsAcrossBatches loads a file with a quad the store has and a quad
// repeated two batches apart: the bulk writer tells the repeat from the quad the store
// had by its ID, without a set of every quad written.
func TestLoadCountsRepeatsAcrossBatches(t *testing.T) {
	ctx := context.Background()
	s, _, err := graph.Open(ctx, graph.Config{Path: newBolt(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
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
	for _, dry := range []bool{true, false} {
		res, err := s.Load(ctx, []graph.Input{in}, graph.LoadOptions{AllowUnknown: true, DryRun: dry})
		if err != nil {
			t.Fatal(err)
		}
		if res.Read != 210002 || res.Written != 210000 || res.Duplicate != 1 || res.Present != 1 {
			t.Errorf("dry run %v: read %d, written %d, repeated %d, present %d; want 210002, 210000, 1, 1", dry, res.Read, res.Written, res.Duplicate, res.Present)
		}
	}
}
