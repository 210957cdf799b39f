package kvstore

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"time"

	ckv "github.com/cayleygraph/cayley/graph/kv"
	cproto "github.com/cayleygraph/cayley/graph/proto"
	"github.com/cayleygraph/cayley/graph/refs"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/pquads"
	hbolt "github.com/hidal-go/hidalgo/kv/bbolt"
	bolt "go.etcd.io/bbolt"
	"google.golang.org/protobuf/proto"

	"github.com/parley/parley/graph/internal/extsort"
)

// A load into an embedded store with no more quads than the input (a new one, or the
// seeded default) does not go through transactions on the store at all: it builds a new
// store file beside it from the store's quads and the input's, in Cayley's own layout,
// writing every bucket once and in key order, and then renames it over the store. Until
// the rename the store is untouched, so a failure or a crash needs no rollback: the next
// writer removes the half-built file. This is how databases import in bulk (Neo4j's
// importer only fills an empty database); loads into a bigger store go through the bulk
// writer.
//
// Memory grows with the distinct nodes (nodeIDs: 28 bytes each, outside Go's heap); the
// quads are sorted in runs on disk, and bolt's transactions are bounded. A goroutine of
// its own writes to bolt (buildWriter).

// Build is a rebuild of the store under way: StartBuild reads the store's quads, Add
// each quad of the input, then Finish, or Abort.
type Build struct {
	s    *Store
	b    *builder
	db   *bolt.DB // the new store file
	path string   // its path
	tmp  string   // the sort runs' directory, once made
	done bool     // the new file has taken the store's place
}

// BuildCounts counts what a build made of its input's quads.
type BuildCounts struct {
	Written   int // distinct quads the store did not have
	Duplicate int // repeats of a quad within the input
	Present   int // quads the store had
}

// BuildPhase is a phase of a build that reports progress.
type BuildPhase int

// Phases of Finish.
const (
	Sorting  BuildPhase = iota // the quads in order, with their IDs
	Indexing                   // an index in another order
)

type builder struct {
	w       *buildWriter
	mem     slab            // keys and values, until the writer is done with them
	indexes []ckv.QuadIndex // the store's indexes
	ids     *nodeIDs        // each node's ID
	hashes  *extsort.Sorter // each node's hash and ID, in hash order
	quads   *extsort.Sorter // in (subject, predicate, object, label) order
	tmp     string          // the sorters' files
	buf     []byte
	now     int64
	report  func(BuildPhase, int)
}

// StartBuild starts a build of the store as a new file beside it, and reads the store's
// quads into it. report is called as Finish goes, every reportEvery quads of a phase.
func (s *Store) StartBuild(ctx context.Context, report func(BuildPhase, int)) (*Build, error) {
	if err := s.checkVersion(true); err != nil {
		return nil, err
	}
	path := s.path + buildSuffix
	os.Remove(path) // a build a crash left; this process holds the store's lock
	db, err := bolt.Open(path, 0o644, &bolt.Options{NoSync: true, FreelistType: bolt.FreelistMapType, InitialMmapSize: 1 << 30})
	if err != nil {
		return nil, fmt.Errorf("build a new store: %w", err)
	}
	bd := &Build{s: s, db: db, path: path}
	if err := bd.start(ctx, report); err != nil {
		bd.Abort()
		return nil, err
	}
	return bd, nil
}

func (bd *Build) start(ctx context.Context, report func(BuildPhase, int)) error {
	db := bd.db
	if err := ckv.Init(hbolt.New(db), nil); err != nil {
		return fmt.Errorf("build a new store: %w", err)
	}
	var indexes []ckv.QuadIndex
	if err := db.Update(func(tx *bolt.Tx) error {
		var err error
		if indexes, err = kvIndexes(tx.Bucket(metaBucket)); err != nil {
			return err
		}
		return createParleyBuckets(tx)
	}); err != nil {
		return fmt.Errorf("build a new store: %w", err)
	}
	tmp := bd.s.path + sortSuffix
	os.RemoveAll(tmp)
	if err := os.Mkdir(tmp, 0o755); err != nil {
		return fmt.Errorf("build a new store: %w", err)
	}
	bd.tmp = tmp
	b := &builder{indexes: indexes, ids: &nodeIDs{}, tmp: tmp, now: time.Now().UnixNano(), report: report}
	b.quads = extsort.New(tmp, []int{0, 1, 2, 3})
	b.hashes = extsort.New(tmp, []int{0, 1, 2})
	bd.b = b
	var err error
	if b.w, err = newBuildWriter(ctx, db); err != nil {
		return err
	}
	if err := bd.s.EachQuad(ctx, func(q quad.Quad) error { return b.addQuad(q, true) }); err != nil {
		return fmt.Errorf("read the store's quads: %w", err)
	}
	return nil
}

// Add adds a quad of the input: its nodes get IDs (and log entries) as first seen.
func (bd *Build) Add(q quad.Quad) error { return bd.b.addQuad(q, false) }

// Finish writes the quads, the indexes, the nodes' IDs and refcounts and the counters,
// and replaces the store with the new file. It counts the input's quads written,
// repeated and already in the store.
func (bd *Build) Finish() (BuildCounts, error) {
	defer bd.Abort() // what is left: the sort runs; on an error, the new file
	var c BuildCounts
	if err := bd.b.finish(&c); err != nil {
		return BuildCounts{}, err
	}
	db, s := bd.db, bd.s
	if err := db.Sync(); err != nil {
		return BuildCounts{}, fmt.Errorf("sync the new store: %w", err)
	}
	db.NoSync = false
	// The new file takes the store's place; this process holds both locks, so no other
	// process sees anything but the store before or the whole load after.
	keepOwnership(s.path, bd.path)
	if err := os.Rename(bd.path, s.path); err != nil {
		return BuildCounts{}, fmt.Errorf("replace the store: %w", err)
	}
	bd.done = true
	syncDir(filepath.Dir(s.path))
	old := s.db
	s.db, s.openTx = db, -1 // a new file: written
	old.Close()
	if err := s.Attach(); err != nil {
		return BuildCounts{}, err
	}
	return c, nil
}

// Abort gives the build up: the store is as it was, and the new file and the sort runs
// are removed. It may be called again, and after Finish.
func (bd *Build) Abort() {
	if b := bd.b; b != nil {
		if b.w != nil {
			b.w.close(false) // a no-op once finish has closed it
		}
		b.ids.free() // a no-op once finish has freed it
		b.hashes.Close()
		b.quads.Close()
	}
	if bd.tmp != "" {
		os.RemoveAll(bd.tmp)
	}
	if !bd.done && bd.db != nil {
		bd.db.Close()
		os.Remove(bd.path)
		bd.db = nil
	}
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// addQuad reads one quad of the input, or of the store when stored is set (its record is
// marked with ID 1, and sorts after the input's copies of it).
func (b *builder) addQuad(q quad.Quad, stored bool) error {
	var r extsort.Record
	if stored {
		r.ID = 1
	}
	for j, dir := range quad.Directions {
		v := q.Get(dir)
		if v == nil {
			continue
		}
		id, err := b.node(v)
		if err != nil {
			return err
		}
		r.Nodes[j] = id
	}
	if err := b.quads.Add(r); err != nil {
		return err
	}
	if text, ok := nameOf(q); ok {
		k, v := nameEntry(text, q)
		if err := b.w.put(namesBucket, k, v); err != nil {
			return err
		}
	}
	if k, v, ok := claimEntry(q); ok {
		return b.w.put(claimsBucket, k, v)
	}
	return nil
}

func (b *builder) node(v quad.Value) (uint64, error) {
	var h refs.ValueHash
	b.buf, h = valueHash(b.buf, v)
	if b.ids.len() == math.MaxUint32-1 {
		return 0, fmt.Errorf("more than %d distinct values in one build of the store: load it in parts", math.MaxUint32-1)
	}
	n, isNew, err := b.ids.id(h)
	id := uint64(n)
	if err != nil || !isNew {
		return id, err
	}
	if err := b.hashes.Add(hashRecord(h, id)); err != nil {
		return 0, err
	}
	value, err := pquads.MarshalValue(v)
	if err != nil {
		return 0, fmt.Errorf("value %s: %w", v, err)
	}
	p := &cproto.Primitive{ID: id, Value: value, Timestamp: b.now}
	data, err := proto.Marshal(p)
	if err != nil {
		return 0, err
	}
	return id, b.w.put(logBucket, b.mem.logKey(id), data)
}

// finish writes the quads, the indexes, the nodes' IDs and refcounts and the counters,
// and counts in res the input's quads written, repeated and already in the store.
func (b *builder) finish(res *BuildCounts) error {
	// An index whose key follows (subject, predicate, object, label) order is written as
	// the quads come out of their sort; the others are sorted again by their keys.
	writers := make([]*indexWriter, len(b.indexes))
	for i, ind := range b.indexes {
		writers[i] = newIndexWriter(ind)
		if !writers[i].inOrder() {
			writers[i].sorter = extsort.New(b.tmp, writers[i].order)
		}
	}
	// The quads without repeats, each with the next ID.
	id := uint64(b.ids.len())
	refsOf, mem, err := mappedSlice[uint32](int(id) + 1) // outside the heap, as b.ids was
	if err != nil {
		return err
	}
	defer unmapMemory(mem)
	b.ids.free() // from here on nodes are known by ID
	// Copies of one quad sort together, the input's before the store's: a group counts as
	// written, or as present in the store, and its other input copies as repeats.
	var prev [4]uint64
	group, stored, distinct := 0, false, 0
	count := func() {
		switch {
		case group == 0:
		case stored:
			res.Present += group - 1
		default:
			res.Written++
			res.Duplicate += group - 1
		}
	}
	err = b.quads.Each(func(r *extsort.Record) error {
		if group > 0 && r.Nodes == prev {
			group++
			stored = stored || r.ID == 1
			return nil
		}
		count()
		group, stored, prev = 1, r.ID == 1, r.Nodes
		id++
		distinct++
		if distinct%reportEvery == 0 {
			b.report(Sorting, distinct)
		}
		r.ID = id
		for _, n := range r.Nodes {
			refsOf[n]++
		}
		if err := b.putQuad(r); err != nil {
			return err
		}
		for _, w := range writers {
			var err error
			if w.sorter != nil {
				err = w.sorter.Add(*r)
			} else {
				err = w.push(b, r)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	count()
	b.quads.Close()
	for _, w := range writers {
		if w.sorter != nil {
			n := 0
			err := w.sorter.Each(func(r *extsort.Record) error {
				if n++; n%reportEvery == 0 {
					b.report(Indexing, n)
				}
				return w.push(b, r)
			})
			w.sorter.Close()
			if err != nil {
				return err
			}
		}
		if err := w.flush(b); err != nil {
			return err
		}
	}
	if err := b.putNodes(refsOf); err != nil {
		return err
	}
	if err := b.w.put(metaBucket, horizonKey, metaIntValue(int64(id))); err != nil {
		return err
	}
	if err := b.w.put(metaBucket, sizeKey, metaIntValue(int64(distinct))); err != nil {
		return err
	}
	if err := b.w.put(parleyMetaBucket, indexedKey, indexStamp(int64(id), int64(distinct))); err != nil {
		return err
	}
	return b.w.close(true)
}

func (b *builder) putQuad(r *extsort.Record) error {
	p := &cproto.Primitive{ID: r.ID, Subject: r.Nodes[0], Predicate: r.Nodes[1], Object: r.Nodes[2], Label: r.Nodes[3], Timestamp: b.now}
	data, err := proto.Marshal(p)
	if err != nil {
		return err
	}
	return b.w.put(logBucket, b.mem.logKey(r.ID), data)
}

// indexWriter writes one index from quads that come in its key order: each key once,
// with its quads' IDs ascending.
type indexWriter struct {
	ind    ckv.QuadIndex
	order  []int // the key's directions, as indexes into extsort.Record.Nodes
	sorter *extsort.Sorter
	key    []uint64 // the key being gathered
	ids    []uint64
}

func newIndexWriter(ind ckv.QuadIndex) *indexWriter {
	w := &indexWriter{ind: ind}
	for _, d := range ind.Dirs {
		w.order = append(w.order, slices.Index(quad.Directions, d))
	}
	return w
}

// inOrder reports whether the index's key follows the quads' own sort order.
func (w *indexWriter) inOrder() bool {
	for i, j := range w.order {
		if i != j {
			return false
		}
	}
	return true
}

func (w *indexWriter) push(b *builder, r *extsort.Record) error {
	same := w.key != nil
	for i, j := range w.order {
		if same && w.key[i] != r.Nodes[j] {
			same = false
		}
	}
	if !same {
		if err := w.flush(b); err != nil {
			return err
		}
		w.key = w.key[:0]
		for _, j := range w.order {
			w.key = append(w.key, r.Nodes[j])
		}
	}
	w.ids = append(w.ids, r.ID)
	return nil
}

func (w *indexWriter) flush(b *builder) error {
	if len(w.ids) == 0 {
		return nil
	}
	key := w.ind.Key(w.key)
	val := b.mem.alloc(binary.MaxVarintLen64 * len(w.ids))[:0]
	for _, id := range w.ids {
		val = binary.AppendUvarint(val, id)
	}
	w.ids = w.ids[:0]
	return b.w.put(key[0], key[1], val)
}

// putNodes writes each node's ID and refcount, bucket by bucket in key order: all the
// refcount buckets, then all the ID buckets.
func (b *builder) putNodes(refsOf []uint32) error {
	for _, kind := range []int{refsBuckets, valueBuckets} { // the 'n' buckets sort first
		err := b.hashes.Each(func(r *extsort.Record) error {
			h := recordHash(r)
			val := uint64(refsOf[r.ID])
			if kind == valueBuckets {
				val = r.ID
			}
			key := b.mem.alloc(len(h))
			copy(key, h[:])
			return b.w.putNode(kind, key, b.mem.uvarint(val))
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// hashRecord holds a node's hash in a record's first three node fields, big-endian, so
// that records sort as the hashes' bytes do.
func hashRecord(h refs.ValueHash, id uint64) extsort.Record {
	var padded [24]byte
	copy(padded[:], h[:])
	r := extsort.Record{ID: id}
	for i := range 3 {
		r.Nodes[i] = binary.BigEndian.Uint64(padded[8*i:])
	}
	return r
}

func recordHash(r *extsort.Record) refs.ValueHash {
	var padded [24]byte
	for i := range 3 {
		binary.BigEndian.PutUint64(padded[8*i:], r.Nodes[i])
	}
	var h refs.ValueHash
	copy(h[:], padded[:])
	return h
}

// keepOwnership gives the file at to the permissions of the one at from, and its owner
// when run as root, so that replacing from with to changes neither.
func keepOwnership(from, to string) {
	fi, err := os.Stat(from)
	if err != nil {
		return
	}
	os.Chmod(to, fi.Mode().Perm())
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && os.Geteuid() == 0 {
		os.Chown(to, int(st.Uid), int(st.Gid))
	}
}
