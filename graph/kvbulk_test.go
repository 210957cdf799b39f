package graph_test

import (
	"context"
	"encoding/binary"
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
	"github.com/cayleygraph/quad/pquads"
	hbolt "github.com/hidal-go/hidalgo/kv/bolt"
	"google.golang.org/protobuf/proto"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/graph/graphtest"
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

// layoutInputs writes two loads' worth of foreign data with every kind of value: the
// second meets nodes and index keys the first wrote, and repeats some of its quads.
func layoutInputs(t *testing.T) (first, second []graph.Input) {
	dir := t.TempDir()
	write := func(name, text string) graph.Input {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return graph.Input{Name: path, Open: func() (io.ReadCloser, error) { return os.Open(path) }}
	}
	repeated := strings.Join(strings.SplitAfter(kindsOfValues(0), "\n")[:60], "")
	first = []graph.Input{write("seed.nq", string(seed.Quads())), write("a.nq", kindsOfValues(0)+repeated)}
	second = []graph.Input{write("b.nq", kindsOfValues(1)+repeated)}
	return first, second
}

// cayleyApply loads inputs into the bolt file at path through Cayley's own ApplyDeltas,
// initialising it when init is set, each quad once and none that seen holds.
func cayleyApply(t *testing.T, path string, init bool, seen map[quad.Quad]bool, loads ...[]graph.Input) {
	t.Helper()
	db, err := bolt.Open(path, 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if init {
		if err := ckv.Init(hbolt.New(db), nil); err != nil {
			t.Fatal(err)
		}
	}
	qs, err := ckv.New(hbolt.New(db), cgraph.Options{ckv.OptNoBloom: true})
	if err != nil {
		t.Fatal(err)
	}
	defer qs.Close()
	for _, in := range loads {
		p, err := graph.Read(in, graph.LoadOptions{AllowUnknown: true})
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
}

func readQuads(t *testing.T, in []graph.Input) map[quad.Quad]bool {
	p, err := graph.Read(in, graph.LoadOptions{AllowUnknown: true})
	if err != nil {
		t.Fatal(err)
	}
	out := map[quad.Quad]bool{}
	for _, st := range p.Statements {
		out[st.Quad] = true
	}
	return out
}

func copyFile(t *testing.T, from, to string) {
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBuildIsCayleysStore loads quads into an empty store and into the seeded one (the
// input repeats the seed), both of which parley rebuilds as a new file, and the same
// quads through Cayley's own ApplyDeltas: the stores hold the same nodes with the same
// refcounts, the same quads and the same index entries, compared by value (the two
// number nodes and quads differently).
func TestBuildIsCayleysStore(t *testing.T) {
	ctx := context.Background()
	first, _ := layoutInputs(t)
	seedQuads := len(readQuads(t, []graph.Input{graphtest.Input(seed.Name, string(seed.Quads()))}))
	for _, tc := range []struct {
		name    string
		seed    *graph.Seed
		present int
	}{{"empty", nil, 0}, {"seeded", seedData(), seedQuads}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			ours := filepath.Join(dir, "parley.db")
			s, err := graph.Create(ctx, graph.Config{Path: ours, Seed: tc.seed}, false)
			if err != nil {
				t.Fatal(err)
			}
			res, err := s.Load(ctx, first, graph.LoadOptions{AllowUnknown: true})
			if err != nil {
				t.Fatal(err)
			}
			s.Close()
			theirs := filepath.Join(dir, "cayley.db")
			cayleyApply(t, theirs, true, map[quad.Quad]bool{}, first)
			distinct := len(readQuads(t, first))
			if res.Written != distinct-tc.present || res.Present != tc.present || res.Duplicate != res.Read-distinct {
				t.Errorf("read %d: wrote %d, repeated %d, present %d; want %d written, %d present", res.Read, res.Written, res.Duplicate, res.Present, distinct-tc.present, tc.present)
			}
			sameEntries(t, valueDump(t, ours), valueDump(t, theirs))
			noLeftovers(t, ours)
		})
	}
}

// TestBulkBoltIsCayleysLayout loads a second file into a store through parley's bulk
// writer and, into a copy of the store, through Cayley's own ApplyDeltas, and compares
// every bucket, key and value; log entries are compared decoded, without their
// timestamps.
func TestBulkBoltIsCayleysLayout(t *testing.T) {
	ctx := context.Background()
	first, second := layoutInputs(t)
	opt := graph.LoadOptions{AllowUnknown: true}
	dir := t.TempDir()
	ours := filepath.Join(dir, "parley.db")
	s, err := graph.Create(ctx, graph.Config{Path: ours}, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(ctx, first, opt); err != nil {
		t.Fatal(err)
	}
	s.Close()
	theirs := filepath.Join(dir, "cayley.db")
	copyFile(t, ours, theirs)

	s, _, err = graph.Open(ctx, graph.Config{Path: ours})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(ctx, second, opt); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	cayleyApply(t, theirs, false, readQuads(t, first), second)

	sameEntries(t, dumpBolt(t, ours), dumpBolt(t, theirs))
}

// valueDump reads a store's Cayley buckets by value rather than by ID: each node's
// refcount and ID entry, each quad, each index entry (its key's values and its quads'),
// the counters. It checks that every ID and hash it meets resolves.
func valueDump(t *testing.T, path string) map[string]string {
	t.Helper()
	out := map[string]string{}
	withBolt(t, path, false, func(tx *bolt.Tx) error {
		values := map[uint64]string{} // node ID: value
		quads := map[uint64]string{}  // quad ID: its values
		var prims []*cproto.Primitive
		if err := tx.Bucket([]byte("log")).ForEach(func(k, v []byte) error {
			p := &cproto.Primitive{}
			if err := proto.Unmarshal(v, p); err != nil {
				return err
			}
			if p.IsNode() {
				val, err := pquads.UnmarshalValue(p.Value)
				if err != nil {
					return err
				}
				values[p.ID] = quad.StringOf(val)
				out["node "+quad.StringOf(val)] = "in the log"
				return nil
			}
			prims = append(prims, p)
			return nil
		}); err != nil {
			return err
		}
		name := func(id uint64) string {
			if id == 0 {
				return "-"
			}
			v, ok := values[id]
			if !ok {
				t.Errorf("no node %d", id)
			}
			return v
		}
		for _, p := range prims {
			q := fmt.Sprintf("%s %s %s %s", name(p.Subject), name(p.Predicate), name(p.Object), name(p.Label))
			quads[p.ID] = q
			out["quad "+q] = fmt.Sprintf("deleted %v", p.Deleted)
		}
		return tx.ForEach(func(bname []byte, b *bolt.Bucket) error {
			switch {
			case string(bname) == "log" || strings.HasPrefix(string(bname), "parley."):
				return nil
			case string(bname) == "meta":
				return b.ForEach(func(k, v []byte) error {
					out["meta "+string(k)] = string(v)
					return nil
				})
			case len(bname) == 3 && (bname[0] == 'v' || bname[0] == 'n'):
				return b.ForEach(func(k, v []byte) error {
					n, _ := binary.Uvarint(v)
					if bname[0] == 'v' {
						out[fmt.Sprintf("id of %x", k)] = name(n)
					} else {
						out[fmt.Sprintf("refs of %x", k)] = fmt.Sprint(n)
					}
					return nil
				})
			}
			return b.ForEach(func(k, v []byte) error { // an index: node IDs, a list of quad IDs
				var key []string
				for i := 0; i+8 <= len(k); i += 8 {
					key = append(key, name(binary.BigEndian.Uint64(k[i:])))
				}
				var list []string
				for len(v) > 0 {
					id, n := binary.Uvarint(v)
					v = v[n:]
					q, ok := quads[id]
					if !ok {
						t.Errorf("index %s lists no quad %d", bname, id)
					}
					list = append(list, q)
				}
				slices.Sort(list)
				out[fmt.Sprintf("index %s %q", bname, key)] = strings.Join(list, " | ")
				return nil
			})
		})
	})
	return out
}

// dumpBolt reads every key of Cayley's buckets in a bolt file, by bucket path; log
// entries decoded, without their timestamps.
func dumpBolt(t *testing.T, path string) map[string]string {
	t.Helper()
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
	withBolt(t, path, false, func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			if strings.HasPrefix(string(name), "parley.") {
				return nil // parley's own indexes, beside Cayley's buckets (names_test.go)
			}
			out[fmt.Sprintf("/%x", name)] = "(bucket)"
			return walk(fmt.Sprintf("/%x", name), b)
		})
	})
	return out
}

// withBolt calls fn in one transaction of the bolt file at path: a read-only one unless
// write is set.
func withBolt(t *testing.T, path string, write bool, fn func(tx *bolt.Tx) error) {
	t.Helper()
	db, err := bolt.Open(path, 0o644, &bolt.Options{ReadOnly: !write})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	run := db.View
	if write {
		run = db.Update
	}
	if err := run(fn); err != nil {
		t.Fatal(err)
	}
}

// sameEntries compares parley's store (got) with Cayley's (want), entry by entry.
func sameEntries(t *testing.T, got, want map[string]string) {
	t.Helper()
	if len(want) < 1000 {
		t.Fatalf("Cayley's store has only %d entries", len(want))
	}
	for _, k := range sortedKeys(want) {
		if got[k] != want[k] {
			t.Errorf("%s:\n  parley %q\n  Cayley %q", k, got[k], want[k])
		}
	}
	for _, k := range sortedKeys(got) {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: parley has %q, Cayley nothing", k, got[k])
		}
	}
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
