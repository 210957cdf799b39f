package graph

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"time"

	ckv "github.com/cayleygraph/cayley/graph/kv"
	cproto "github.com/cayleygraph/cayley/graph/proto"
	"github.com/cayleygraph/cayley/graph/refs"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/pquads"
	hbolt "github.com/hidal-go/hidalgo/kv/bbolt"
	bolt "go.etcd.io/bbolt"
	"google.golang.org/protobuf/proto"

	"github.com/parley/parley/schema"
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

// buildPath is the new store file a build writes; sortPath, the directory of its sort
// runs. Both are left only by a crash, and removed by the next writer.
func (s *Store) buildPath() string { return s.path + ".build" }
func (s *Store) sortPath() string  { return s.path + ".sort" }

type builder struct {
	w       *buildWriter
	mem     slab            // keys and values, until the writer is done with them
	indexes []ckv.QuadIndex // the store's indexes
	ids     *nodeIDs        // each node's ID
	hashes  *extSorter      // each node's hash and ID, in hash order
	quads   *extSorter      // in (subject, predicate, object, label) order
	tmp     string          // the sorters' files
	buf     []byte
	now     int64
	report  func(Progress)
}

// commitEvery bounds a build transaction: every key of a build is new and written in
// order, so commits only bound the memory a transaction holds. Smaller transactions were
// faster: bolt grows a leaf node one key at a time until the commit splits it, so a big
// transaction copies big nodes over and over. On the 30k-movie data, 20,000 keys took a
// quarter less time than 200,000, and 5,000 more than 20,000; but every commit makes the
// next transaction read the pages it rewrote through bolt's memory map, which counts in
// the resident set (on the 10× file, about 100 MB by the end at 20,000).
const commitEvery = 20000

// rebuilds reports whether the plan is written by building a new store: a load (not a
// dry run) into an embedded store that holds no more quads than the plan.
func (s *Store) rebuilds(p *LoadPlan) (bool, error) {
	if s.db == nil || p.opt.DryRun || p.quads == 0 {
		return false, nil
	}
	n, err := s.kvCount(kvSize)
	return n <= int64(p.quads), err
}

// buildLoad writes the plan's quads (validated) and the store's as a new store, and
// replaces the store with it.
func (s *Store) buildLoad(ctx context.Context, p *LoadPlan, res *LoadResult) (err error) {
	if err := s.writable(); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			res.Written, res.Duplicate, res.Present = 0, 0, 0
		}
	}()
	path := s.buildPath()
	os.Remove(path) // a build a crash left; this process holds the store's lock
	db, err := bolt.Open(path, 0o644, &bolt.Options{NoSync: true, FreelistType: bolt.FreelistMapType, InitialMmapSize: 1 << 30})
	if err != nil {
		return fmt.Errorf("build a new store: %w", err)
	}
	done := false
	defer func() {
		if !done {
			db.Close()
			os.Remove(path)
		}
	}()
	if err := ckv.Init(hbolt.New(db), nil); err != nil {
		return fmt.Errorf("build a new store: %w", err)
	}
	var indexes []ckv.QuadIndex
	if err := db.Update(func(tx *bolt.Tx) error {
		if indexes, err = kvIndexes(tx.Bucket(kvMeta)); err != nil {
			return err
		}
		return createIndexBuckets(tx)
	}); err != nil {
		return fmt.Errorf("build a new store: %w", err)
	}
	tmp := s.sortPath()
	os.RemoveAll(tmp)
	if err := os.Mkdir(tmp, 0o755); err != nil {
		return fmt.Errorf("build a new store: %w", err)
	}
	defer os.RemoveAll(tmp)
	b := &builder{indexes: indexes, ids: &nodeIDs{}, tmp: tmp, now: time.Now().UnixNano(), report: p.opt.report}
	b.quads = newExtSorter(tmp, []int{0, 1, 2, 3})
	b.hashes = newExtSorter(tmp, []int{0, 1, 2})
	defer b.quads.close()
	defer b.hashes.close()
	defer b.ids.free() // a no-op once finish has freed it
	if b.w, err = newBuildWriter(ctx, db); err != nil {
		return err
	}
	defer b.w.close(false) // a no-op once finish has closed it
	if err := s.eachQuad(ctx, func(q quad.Quad) error { return b.addQuad(q, true) }); err != nil {
		return fmt.Errorf("read the store's quads: %w", err)
	}
	rd := p.reading(PhaseWrite, b.add)
	if err := rd.all(p.inputs); err != nil {
		return err
	}
	if err := b.finish(res); err != nil {
		return err
	}
	if err := db.Sync(); err != nil {
		return fmt.Errorf("sync the new store: %w", err)
	}
	db.NoSync = false
	// The new file takes the store's place; this process holds both locks, so no other
	// process sees anything but the store before or the whole load after.
	if err := os.Rename(path, s.path); err != nil {
		return fmt.Errorf("replace the store: %w", err)
	}
	done = true
	syncDir(filepath.Dir(s.path))
	old := s.db
	s.db = db
	old.Close()
	return s.reattach()
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// add reads one statement: its nodes get IDs (and log entries) as first seen.
func (b *builder) add(st schema.Statement) error { return b.addQuad(st.Quad, false) }

// addQuad reads one quad of the input, or of the store when stored is set (its record is
// marked with ID 1, and sorts after the input's copies of it).
func (b *builder) addQuad(q quad.Quad, stored bool) error {
	var r record
	if stored {
		r.id = 1
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
		r.nodes[j] = id
	}
	if err := b.quads.add(r); err != nil {
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
	if err := b.hashes.add(hashRecord(h, id)); err != nil {
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
	return id, b.w.put(kvLog, b.mem.beKey(id), data)
}

// finish writes the quads, the indexes, the nodes' IDs and refcounts and the counters,
// and counts in res the input's quads written, repeated and already in the store.
func (b *builder) finish(res *LoadResult) error {
	// An index whose key follows (subject, predicate, object, label) order is written as
	// the quads come out of their sort; the others are sorted again by their keys.
	writers := make([]*indexWriter, len(b.indexes))
	for i, ind := range b.indexes {
		writers[i] = newIndexWriter(ind)
		if !writers[i].inOrder() {
			writers[i].sorter = newExtSorter(b.tmp, writers[i].order)
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
	err = b.quads.each(func(r *record) error {
		if group > 0 && r.nodes == prev {
			group++
			stored = stored || r.id == 1
			return nil
		}
		count()
		group, stored, prev = 1, r.id == 1, r.nodes
		id++
		distinct++
		if distinct%progressEvery == 0 {
			b.report(Progress{Phase: PhaseSort, Quads: distinct})
		}
		r.id = id
		for _, n := range r.nodes {
			refsOf[n]++
		}
		if err := b.putQuad(r); err != nil {
			return err
		}
		for _, w := range writers {
			var err error
			if w.sorter != nil {
				err = w.sorter.add(*r)
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
	b.quads.close()
	for _, w := range writers {
		if w.sorter != nil {
			n := 0
			err := w.sorter.each(func(r *record) error {
				if n++; n%progressEvery == 0 {
					b.report(Progress{Phase: PhaseIndex, Quads: n})
				}
				return w.push(b, r)
			})
			w.sorter.close()
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
	if err := b.w.put(kvMeta, kvHorizon, metaIntValue(int64(id))); err != nil {
		return err
	}
	if err := b.w.put(kvMeta, kvSize, metaIntValue(int64(distinct))); err != nil {
		return err
	}
	return b.w.close(true)
}

func (b *builder) putQuad(r *record) error {
	p := &cproto.Primitive{ID: r.id, Subject: r.nodes[0], Predicate: r.nodes[1], Object: r.nodes[2], Label: r.nodes[3], Timestamp: b.now}
	data, err := proto.Marshal(p)
	if err != nil {
		return err
	}
	return b.w.put(kvLog, b.mem.beKey(r.id), data)
}

// indexWriter writes one index from quads that come in its key order: each key once,
// with its quads' IDs ascending.
type indexWriter struct {
	ind    ckv.QuadIndex
	order  []int // the key's directions, as indexes into record.nodes
	sorter *extSorter
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

func (w *indexWriter) push(b *builder, r *record) error {
	same := w.key != nil
	for i, j := range w.order {
		if same && w.key[i] != r.nodes[j] {
			same = false
		}
	}
	if !same {
		if err := w.flush(b); err != nil {
			return err
		}
		w.key = w.key[:0]
		for _, j := range w.order {
			w.key = append(w.key, r.nodes[j])
		}
	}
	w.ids = append(w.ids, r.id)
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
		err := b.hashes.each(func(r *record) error {
			h := recordHash(r)
			val := uint64(refsOf[r.id])
			if kind == valueBuckets {
				val = r.id
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
func hashRecord(h refs.ValueHash, id uint64) record {
	var padded [24]byte
	copy(padded[:], h[:])
	r := record{id: id}
	for i := range 3 {
		r.nodes[i] = binary.BigEndian.Uint64(padded[8*i:])
	}
	return r
}

func recordHash(r *record) refs.ValueHash {
	var padded [24]byte
	for i := range 3 {
		binary.BigEndian.PutUint64(padded[8*i:], r.nodes[i])
	}
	var h refs.ValueHash
	copy(h[:], padded[:])
	return h
}
