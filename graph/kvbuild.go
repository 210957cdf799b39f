package graph

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/cayleygraph/cayley/graph"
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

// A load into an empty embedded store does not go through transactions on the store at
// all: it builds a new store file beside it, in Cayley's own layout, writing every bucket
// once and in key order, and then renames it over the store. Until the rename the store
// is untouched, so a failure or a crash needs no rollback: the next writer removes the
// half-built file. This is how databases import in bulk (Neo4j's importer only fills an
// empty database); loads into a store with quads go through the bulk writer.
//
// Memory grows with the input's distinct nodes (an ID per hash) and quads (32 bytes
// each, to sort), not with the store's pages.

func (s *Store) buildPath() string { return s.path + ".build" }

// buildTuple is one quad as node IDs, by direction, and the ID it is given.
type buildTuple struct {
	nodes [4]uint64
	id    uint64
}

type builder struct {
	ctx   context.Context
	db    *bolt.DB
	tx    *bolt.Tx
	log   *bolt.Bucket // in tx
	puts  int          // in tx
	mem   *slab
	ids   map[refs.ValueHash]uint64
	nodes []refs.ValueHash // by ID-1
	quads []buildTuple
	buf   []byte
	now   int64
}

// commitEvery bounds a build transaction: every key of a build is new and written in
// order, so commits only bound the memory a transaction holds.
const commitEvery = 200000

// storeEmpty reports whether the embedded store holds no quads.
func (s *Store) storeEmpty() (bool, error) {
	n, err := s.kvCount(kvSize)
	return n == 0, err
}

// buildLoad writes the plan's quads (validated) as a new store replacing the empty one.
func (s *Store) buildLoad(ctx context.Context, p *LoadPlan, res *LoadResult) error {
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
	if err := db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucket(namesBucket)
		return err
	}); err != nil {
		return fmt.Errorf("build a new store: %w", err)
	}
	b := &builder{ctx: ctx, db: db, mem: &slab{}, ids: map[refs.ValueHash]uint64{}, now: time.Now().UnixNano()}
	if err := b.begin(); err != nil {
		return err
	}
	defer func() {
		if b.tx != nil {
			b.tx.Rollback()
		}
	}()
	rd := p.reading(PhaseWrite, b.add)
	if err := rd.all(p.inputs); err != nil {
		return err
	}
	read := len(b.quads)
	written, err := b.finish()
	if err != nil {
		return err
	}
	res.Written = written
	res.Duplicate = read - written
	if err := db.Sync(); err != nil {
		return fmt.Errorf("sync the new store: %w", err)
	}
	db.NoSync = false
	// The new file takes the store's place; this process holds both locks, so no other
	// process sees anything but the empty store before or the whole load after.
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

func (b *builder) begin() error {
	tx, err := b.db.Begin(true)
	if err != nil {
		return fmt.Errorf("build a new store: %w", err)
	}
	b.tx, b.puts, b.mem = tx, 0, &slab{}
	if b.log = tx.Bucket(kvLog); b.log == nil {
		return fmt.Errorf("build a new store: no log bucket")
	}
	b.log.FillPercent = 1 // its keys only grow
	return nil
}

// put writes one key, committing every commitEvery keys.
func (b *builder) put(bucket *bolt.Bucket, key, value []byte) error {
	if err := bucket.Put(key, value); err != nil {
		return fmt.Errorf("build a new store: %w", err)
	}
	b.puts++
	return nil
}

// checkpoint commits when the transaction is full; buckets must be looked up again after.
func (b *builder) checkpoint() (bool, error) {
	if b.puts < commitEvery {
		return false, nil
	}
	if err := b.ctx.Err(); err != nil {
		return false, fmt.Errorf("load interrupted: %w", err)
	}
	if err := b.tx.Commit(); err != nil {
		b.tx = nil
		return false, fmt.Errorf("build a new store: %w", err)
	}
	return true, b.begin()
}

func (b *builder) bucket(name []byte) (*bolt.Bucket, error) {
	bk, err := b.tx.CreateBucketIfNotExists(name)
	if err != nil {
		return nil, fmt.Errorf("build a new store: bucket %q: %w", name, err)
	}
	return bk, nil
}

// add reads one statement: its nodes get IDs (and log entries) as first seen.
func (b *builder) add(st schema.Statement) error {
	q := st.Quad
	t := buildTuple{}
	for j, dir := range quad.Directions {
		v := q.Get(dir)
		if v == nil {
			continue
		}
		id, err := b.node(v)
		if err != nil {
			return err
		}
		t.nodes[j] = id
	}
	b.quads = append(b.quads, t)
	if _, ok := nameOf(q); ok {
		if err := putNames(b.tx, []graph.Delta{{Quad: q}}); err != nil {
			return err
		}
	}
	_, err := b.checkpoint()
	return err
}

func (b *builder) node(v quad.Value) (uint64, error) {
	var h refs.ValueHash
	b.buf, h = valueHash(b.buf, v)
	if id, ok := b.ids[h]; ok {
		return id, nil
	}
	id := uint64(len(b.nodes) + 1)
	b.ids[h] = id
	b.nodes = append(b.nodes, h)
	value, err := pquads.MarshalValue(v)
	if err != nil {
		return 0, fmt.Errorf("value %s: %w", v, err)
	}
	p := &cproto.Primitive{ID: id, Value: value, Timestamp: b.now}
	data, err := proto.Marshal(p)
	if err != nil {
		return 0, err
	}
	return id, b.put(b.log, b.mem.beKey(id), data)
}

func cmpNodes(a, b [4]uint64) int {
	for i := range a {
		if c := cmp.Compare(a[i], b[i]); c != 0 {
			return c
		}
	}
	return 0
}

// finish writes the quads, the indexes, the nodes' IDs and refcounts and the counters,
// and returns how many distinct quads there are.
func (b *builder) finish() (int, error) {
	// The quads, in (subject, predicate, object, label) order, without repeats: each gets
	// the next ID, so the subject-first index is written in key order too.
	slices.SortFunc(b.quads, func(x, y buildTuple) int { return cmpNodes(x.nodes, y.nodes) })
	b.quads = slices.CompactFunc(b.quads, func(x, y buildTuple) bool { return x.nodes == y.nodes })
	id := uint64(len(b.nodes))
	refsOf := make([]uint32, len(b.nodes)+1)
	for i := range b.quads {
		id++
		b.quads[i].id = id
		for _, n := range b.quads[i].nodes {
			refsOf[n]++
		}
	}
	for i := range b.quads {
		if err := b.putQuad(b.quads[i]); err != nil {
			return 0, err
		}
	}
	meta, err := b.bucket(kvMeta)
	if err != nil {
		return 0, err
	}
	indexes, err := kvIndexes(meta)
	if err != nil {
		return 0, err
	}
	for _, ind := range indexes {
		if err := b.putIndex(ind); err != nil {
			return 0, err
		}
	}
	if err := b.putNodes(refsOf); err != nil {
		return 0, err
	}
	if meta, err = b.bucket(kvMeta); err != nil {
		return 0, err
	}
	if err := putMetaInt(meta, kvHorizon, int64(id)); err != nil {
		return 0, err
	}
	if err := putMetaInt(meta, kvSize, int64(len(b.quads))); err != nil {
		return 0, err
	}
	err = b.tx.Commit()
	b.tx = nil
	if err != nil {
		return 0, fmt.Errorf("build a new store: %w", err)
	}
	return len(b.quads), nil
}

func (t buildTuple) primitive() *cproto.Primitive {
	return &cproto.Primitive{ID: t.id, Subject: t.nodes[0], Predicate: t.nodes[1], Object: t.nodes[2], Label: t.nodes[3]}
}

func (b *builder) putQuad(t buildTuple) error {
	p := t.primitive()
	p.Timestamp = b.now
	data, err := proto.Marshal(p)
	if err != nil {
		return err
	}
	if err := b.put(b.log, b.mem.beKey(t.id), data); err != nil {
		return err
	}
	_, err = b.checkpoint()
	return err
}

// putIndex writes one index: its keys in order, each with its quads' IDs ascending.
func (b *builder) putIndex(ind ckv.QuadIndex) error {
	if len(b.quads) == 0 {
		return nil
	}
	order := make([]int, len(ind.Dirs))
	for i, d := range ind.Dirs {
		order[i] = slices.Index(quad.Directions, d)
	}
	byKey := func(x, y buildTuple) int {
		for _, j := range order {
			if c := cmp.Compare(x.nodes[j], y.nodes[j]); c != 0 {
				return c
			}
		}
		return 0
	}
	slices.SortFunc(b.quads, func(x, y buildTuple) int {
		if c := byKey(x, y); c != 0 {
			return c
		}
		return cmp.Compare(x.id, y.id)
	})
	name := ind.KeyFor(b.quads[0].primitive())[0]
	var bk *bolt.Bucket
	for i := 0; i < len(b.quads); {
		j := i + 1
		for j < len(b.quads) && byKey(b.quads[j], b.quads[i]) == 0 {
			j++
		}
		if bk == nil {
			var err error
			if bk, err = b.bucket(name); err != nil {
				return err
			}
		}
		k := ind.KeyFor(b.quads[i].primitive())[1]
		val := b.mem.alloc(binary.MaxVarintLen64 * (j - i))[:0]
		for _, t := range b.quads[i:j] {
			val = binary.AppendUvarint(val, t.id)
		}
		if err := b.put(bk, k, val); err != nil {
			return err
		}
		if again, err := b.checkpoint(); err != nil {
			return err
		} else if again {
			bk = nil
		}
		i = j
	}
	return nil
}

// putNodes writes each node's ID and refcount, bucket by bucket in key order: all the
// refcount buckets, then all the ID buckets.
func (b *builder) putNodes(refsOf []uint32) error {
	byHash := make([]uint64, len(b.nodes))
	for i := range byHash {
		byHash[i] = uint64(i + 1)
	}
	slices.SortFunc(byHash, func(x, y uint64) int { return bytes.Compare(b.nodes[x-1][:], b.nodes[y-1][:]) })
	for kind := range 2 {
		var bk *bolt.Bucket
		var prefix [2]byte
		for _, id := range byHash {
			h := b.nodes[id-1]
			if bk == nil || prefix != [2]byte{h[0], h[1]} {
				var err error
				if bk, err = b.bucket([]byte{"nv"[kind], h[0], h[1]}); err != nil {
					return err
				}
				prefix = [2]byte{h[0], h[1]}
			}
			val := uint64(refsOf[id])
			if kind == 1 {
				val = id
			}
			if err := b.put(bk, h[:], b.mem.uvarint(val)); err != nil {
				return err
			}
			if again, err := b.checkpoint(); err != nil {
				return err
			} else if again {
				bk = nil
			}
		}
	}
	return nil
}
