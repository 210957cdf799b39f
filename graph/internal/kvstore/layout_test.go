package kvstore

import (
	"encoding/binary"
	"errors"
	"fmt"
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

// layoutInputs returns two loads' worth of foreign data with every kind of value: the
// second meets nodes and index keys the first wrote, and repeats some of its quads.
func layoutInputs(t *testing.T) (first, second []quad.Quad) {
	repeated := strings.Join(strings.SplitAfter(kindsOfValues(0), "\n")[:60], "")
	first = append(seedQuads(t), parse(t, kindsOfValues(0)+repeated)...)
	second = parse(t, kindsOfValues(1)+repeated)
	return first, second
}

// cayleyApply loads quads into the bolt file at path through Cayley's own ApplyDeltas
// and its own bolt backend, initialising it when init is set, each quad once and none
// that seen holds.
func cayleyApply(t *testing.T, path string, init bool, seen map[quad.Quad]bool, quads []quad.Quad) {
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
	var deltas []cgraph.Delta
	for _, q := range distinct(quads, seen) {
		deltas = append(deltas, cgraph.Delta{Quad: q, Action: cgraph.Add})
	}
	if err := qs.ApplyDeltas(deltas, cgraph.IgnoreOpts{}); err != nil {
		t.Fatal(err)
	}
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

// noLeftovers checks that no build file or sort runs stand beside the store at path.
func noLeftovers(t *testing.T, path string) {
	t.Helper()
	for _, left := range []string{path + buildSuffix, path + sortSuffix} {
		if _, err := os.Stat(left); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s left behind: %v", left, err)
		}
	}
}

// TestBuildIsCayleysStore builds a store from quads into an empty store and into one
// holding the seed (the quads repeat the seed), and writes the same quads through
// Cayley's own ApplyDeltas: the stores hold the same nodes with the same refcounts, the
// same quads and the same index entries, compared by value (the two number nodes and
// quads differently).
func TestBuildIsCayleysStore(t *testing.T) {
	first, _ := layoutInputs(t)
	seedQuads := len(distinct(seedQuads(t), nil))
	for _, tc := range []struct {
		name    string
		seed    bool
		present int
	}{{"empty", false, 0}, {"seeded", true, seedQuads}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			ours := filepath.Join(dir, "parley.db")
			s := create(t, ours)
			if tc.seed {
				build(t, s, parse(t, string(seed.Quads())))
			}
			c := build(t, s, first)
			s.Close()
			theirs := filepath.Join(dir, "cayley.db")
			cayleyApply(t, theirs, true, map[quad.Quad]bool{}, first)
			n := len(distinct(first, nil))
			if c.Written != n-tc.present || c.Present != tc.present || c.Duplicate != len(first)-n {
				t.Errorf("read %d: wrote %d, repeated %d, present %d; want %d written, %d present", len(first), c.Written, c.Duplicate, c.Present, n-tc.present, tc.present)
			}
			sameEntries(t, valueDump(t, ours), valueDump(t, theirs))
			noLeftovers(t, ours)
		})
	}
}

// TestBulkBoltIsCayleysLayout writes a second batch into a store through the bulk
// writer and, into a copy of the store, through Cayley's own ApplyDeltas, and compares
// every bucket, key and value; log entries are compared decoded, without their
// timestamps.
func TestBulkBoltIsCayleysLayout(t *testing.T) {
	first, second := layoutInputs(t)
	dir := t.TempDir()
	ours := filepath.Join(dir, "parley.db")
	s := create(t, ours)
	build(t, s, first)
	s.Close()
	theirs := filepath.Join(dir, "cayley.db")
	copyFile(t, ours, theirs)

	s = open(t, ours)
	batch := distinct(second, nil)
	written, repeats := writeBatch(t, s, batch)
	want := len(distinct(second, setOf(first)))
	if written != want || repeats != 0 {
		t.Errorf("wrote %d, %d repeats; want %d, 0", written, repeats, want)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	cayleyApply(t, theirs, false, setOf(first), second)

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
