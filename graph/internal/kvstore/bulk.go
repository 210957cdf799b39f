package kvstore

import (
	"bytes"
	"cmp"
	"crypto/sha1"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/cayleygraph/cayley/graph"
	ckv "github.com/cayleygraph/cayley/graph/kv"
	cproto "github.com/cayleygraph/cayley/graph/proto"
	"github.com/cayleygraph/cayley/graph/refs"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/pquads"
	bolt "go.etcd.io/bbolt"
	"google.golang.org/protobuf/proto"
)

// Cayley's kv store writes a batch one key at a time through a generic key-value layer:
// every node's ID and refcount in one of 131,072 bolt buckets picked by its hash, every
// quad's entries in the log and in each index, each Put looking its bucket up again from
// the root. WriteBatch writes the same keys and values, in Cayley's own layout (so Cayley
// reads the store as if it had written it), but grouped by bucket and in key order, in one
// bolt transaction per batch. It assigns IDs exactly as Cayley does: new nodes in hash
// order, then the quads in input order.

type bulkNode struct {
	hash  refs.ValueHash
	val   quad.Value
	value []byte // val marshalled, as Cayley's log keeps it
	id    uint64 // 0 until resolved or assigned
	old   bool   // the store had it before this batch
	refs  int    // references from the quads written
}

// bolt buckets of one transaction, looked up once each: by name, and the node buckets
// by their hash prefix.
type kvBuckets struct {
	tx     *bolt.Tx
	byName map[string]*bolt.Bucket
	nodes  [2][1 << 16]nodeBucket // 'v' (IDs), 'n' (refcounts)
}

type nodeBucket struct {
	b      *bolt.Bucket
	looked bool
}

func newKVBuckets(tx *bolt.Tx) *kvBuckets {
	return &kvBuckets{tx: tx, byName: map[string]*bolt.Bucket{}}
}

// reset forgets the buckets of the previous transaction, for tx.
func (b *kvBuckets) reset(tx *bolt.Tx) {
	b.tx = tx
	clear(b.byName)
	for kind := range b.nodes {
		clear(b.nodes[kind][:])
	}
}

func (b *kvBuckets) get(name []byte) *bolt.Bucket {
	if bk, ok := b.byName[string(name)]; ok {
		return bk
	}
	bk := b.tx.Bucket(name)
	b.byName[string(name)] = bk
	return bk
}

func (b *kvBuckets) create(name []byte) (*bolt.Bucket, error) {
	if bk := b.get(name); bk != nil {
		return bk, nil
	}
	bk, err := b.tx.CreateBucket(name)
	if err != nil {
		return nil, fmt.Errorf("create bucket %q: %w", name, err)
	}
	b.byName[string(name)] = bk
	return bk, nil
}

// node returns the bucket of kind for hash h, creating it when create is set; nil when
// it does not exist.
func (b *kvBuckets) node(kind int, h refs.ValueHash, create bool) (*bolt.Bucket, error) {
	nb := &b.nodes[kind][int(h[0])<<8|int(h[1])]
	if nb.b != nil || (nb.looked && !create) {
		return nb.b, nil
	}
	name := nodeBucketName(kind, h[0], h[1])
	nb.looked = true
	if nb.b = b.tx.Bucket(name); nb.b != nil || !create {
		return nb.b, nil
	}
	var err error
	if nb.b, err = b.tx.CreateBucket(name); err != nil {
		return nil, fmt.Errorf("create bucket %q: %w", name, err)
	}
	return nb.b, nil
}

// slab hands out byte slices from large blocks: bolt keeps every key and value it is
// given until the commit, and one allocation per key and value kept the collector busy.
type slab struct{ buf []byte }

func (s *slab) alloc(n int) []byte {
	if len(s.buf)+n > cap(s.buf) {
		s.buf = make([]byte, 0, max(1<<20, n))
	}
	b := s.buf[len(s.buf) : len(s.buf)+n : len(s.buf)+n]
	s.buf = s.buf[:len(s.buf)+n]
	return b
}

// logKey is the log's key of ID id.
func (s *slab) logKey(id uint64) []byte {
	k := s.alloc(8)
	putLogKey(k, id)
	return k
}

func (s *slab) uvarint(x uint64) []byte {
	var buf [binary.MaxVarintLen64]byte
	n := binary.PutUvarint(buf[:], x)
	b := s.alloc(n)
	copy(b, buf[:n])
	return b
}

// Batch is a batch made ready for the bulk writer outside its transaction (so that
// the loader can prepare one batch while the previous one is written): every value
// hashed to Cayley's node key and marshalled, the values in hash order.
type Batch struct {
	quads  []graph.Delta
	lines  []string       // each quad in N-Quads, for the journal
	nodes  [][4]*bulkNode // each quad's values, by direction
	sorted []*bulkNode
}

// Len returns the number of quads in the batch.
func (b *Batch) Len() int { return len(b.quads) }

// valueHash is Cayley's node key for v, refs.HashOf, without building v's string for
// the commonest kinds.
func valueHash(buf []byte, v quad.Value) ([]byte, refs.ValueHash) {
	buf = buf[:0]
	switch v := v.(type) {
	case quad.IRI:
		buf = append(append(append(buf, '<'), v...), '>')
	case quad.BNode:
		buf = append(append(buf, "_:"...), v...)
	default:
		buf = append(buf, v.String()...)
	}
	return buf, sha1.Sum(buf)
}

// Prepare hashes and marshals the values of the quads of batch, for WriteBatch.
func Prepare(batch []graph.Delta) (*Batch, error) {
	b := &Batch{quads: batch, lines: make([]string, len(batch)), nodes: make([][4]*bulkNode, len(batch))}
	nodes := make(map[refs.ValueHash]*bulkNode, len(batch))
	var buf []byte
	for i, d := range batch {
		b.lines[i] = d.Quad.NQuad() + "\n"
		for j, dir := range quad.Directions {
			v := d.Quad.Get(dir)
			if v == nil {
				continue
			}
			var h refs.ValueHash
			buf, h = valueHash(buf, v)
			n := nodes[h]
			if n == nil {
				n = &bulkNode{hash: h, val: v}
				nodes[h] = n
				b.sorted = append(b.sorted, n)
			}
			b.nodes[i][j] = n
		}
	}
	slices.SortFunc(b.sorted, func(x, y *bulkNode) int { return bytes.Compare(x.hash[:], y.hash[:]) })
	for _, n := range b.sorted {
		value, err := pquads.MarshalValue(n.val)
		if err != nil {
			return nil, fmt.Errorf("value %s: %w", n.val, err)
		}
		n.value = value
	}
	return b, nil
}

// WriteBatch writes the quads of a prepared batch (each quad once) the store does not
// have, in one transaction, and returns them (the batch is reused), and how many of the others are
// repeats: quads written after the store's ID horizon was since (Horizon), by this load.
// record is called with the quads to write, as N-Quads lines, before anything is
// written; if it fails, nothing is. The quads' names and claims are indexed in the same
// transaction.
func (s *Store) WriteBatch(prepared *Batch, since uint64, record func(lines []string) error) ([]graph.Delta, int, error) {
	batch, lines, quadNodes, sorted := prepared.quads, prepared.lines, prepared.nodes, prepared.sorted
	tx, err := s.db.Begin(true)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	if err := checkVersion(tx, s.path, true); err != nil {
		return nil, 0, err
	}
	bk := newKVBuckets(tx)
	mem := &slab{}
	meta := bk.get(metaBucket)
	log := bk.get(logBucket)
	if meta == nil || log == nil {
		return nil, 0, errors.New("not a Cayley kv store: no meta or log bucket")
	}
	indexes, err := kvIndexes(meta)
	if err != nil {
		return nil, 0, err
	}
	// The log's keys only ever grow, so its pages can be filled: half as many to write.
	log.FillPercent = 1

	// Resolve the values against the store, in key order.
	for _, n := range sorted {
		if b, _ := bk.node(valueBuckets, n.hash, false); b != nil {
			if v := b.Get(n.hash[:]); len(v) != 0 {
				n.id, _ = binary.Uvarint(v)
				n.old = n.id != 0
			}
		}
	}

	// Keep the quads the store lacks: a quad whose values all exist may be there already.
	check := longestIndex(indexes)
	kept := batch[:0]
	keptLines := lines[:0]
	repeats := 0
	keptNodes := quadNodes[:0]
	for i, d := range batch {
		qn := quadNodes[i]
		allOld := true
		for _, n := range qn {
			if n != nil && !n.old {
				allOld = false
			}
		}
		if allOld {
			id, err := hasLink(bk, log, check, linkOf(qn))
			if err != nil {
				return nil, 0, err
			}
			if id > since {
				repeats++
			}
			if id != 0 {
				continue
			}
		}
		for _, n := range qn {
			if n != nil {
				n.refs++
			}
		}
		kept = append(kept, d)
		keptLines = append(keptLines, lines[i])
		keptNodes = append(keptNodes, qn)
	}
	if len(kept) == 0 {
		return kept, repeats, nil
	}
	if err := record(keptLines); err != nil {
		return nil, 0, err
	}
	if err := s.putJournalMark(tx); err != nil {
		return nil, 0, err
	}

	// IDs: new nodes in hash order, then quads in input order, as Cayley assigns them.
	horizon := uint64(metaInt(meta, horizonKey))
	now := time.Now().UnixNano()
	for _, n := range sorted {
		if n.old || n.refs == 0 {
			continue
		}
		horizon++
		n.id = horizon
		if err := putPrimitive(mem, log, &cproto.Primitive{ID: n.id, Value: n.value, Timestamp: now}); err != nil {
			return nil, 0, err
		}
	}
	links := make([]*cproto.Primitive, len(kept))
	for i, qn := range keptNodes {
		horizon++
		p := linkOf(qn)
		p.ID = horizon
		p.Timestamp = now
		if err := putPrimitive(mem, log, p); err != nil {
			return nil, 0, err
		}
		links[i] = p
	}

	// Node refcounts, then the IDs of new nodes, in bucket and key order. The refcount
	// buckets come first: bolt inserts a new bucket into its parent's sorted list, and the
	// 'n' buckets sort before the 'v' ones.
	for _, n := range sorted {
		if n.refs == 0 {
			continue
		}
		b, err := bk.node(refsBuckets, n.hash, true)
		if err != nil {
			return nil, 0, err
		}
		count := uint64(n.refs)
		if n.old {
			if v := b.Get(n.hash[:]); len(v) != 0 {
				c, _ := binary.Uvarint(v)
				count += c
			}
		}
		if err := b.Put(n.hash[:], mem.uvarint(count)); err != nil {
			return nil, 0, err
		}
	}
	for _, n := range sorted {
		if n.old || n.refs == 0 {
			continue
		}
		b, err := bk.node(valueBuckets, n.hash, true)
		if err != nil {
			return nil, 0, err
		}
		if err := b.Put(n.hash[:], mem.uvarint(n.id)); err != nil {
			return nil, 0, err
		}
	}

	// Index entries: each key's list of quad IDs, appended to in one write.
	for _, ind := range indexes {
		if err := appendIndex(mem, bk, ind, links); err != nil {
			return nil, 0, err
		}
	}
	if err := putMetaInt(meta, horizonKey, int64(horizon)); err != nil {
		return nil, 0, err
	}
	if err := putMetaInt(meta, sizeKey, metaInt(meta, sizeKey)+int64(len(kept))); err != nil {
		return nil, 0, err
	}
	if err := putIndexEntries(tx, kept); err != nil {
		return nil, 0, err
	}
	if !s.stale {
		if err := stampIndexes(tx); err != nil {
			return nil, 0, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, 0, fmt.Errorf("commit: %w", err)
	}
	return kept, repeats, nil
}

// kvIndexes reads the store's quad indexes as Cayley does.
func kvIndexes(meta *bolt.Bucket) ([]ckv.QuadIndex, error) {
	data := meta.Get(indexesKey)
	if data == nil {
		return legacyIndexes, nil
	}
	var out []ckv.QuadIndex
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, fmt.Errorf("cannot decode indexes: %w", err)
	}
	if len(out) == 0 {
		return legacyIndexes, nil
	}
	return out, nil
}

// longestIndex is the index that narrows a whole quad down furthest.
func longestIndex(indexes []ckv.QuadIndex) ckv.QuadIndex {
	best := indexes[0]
	for _, ind := range indexes[1:] {
		if len(ind.Dirs) > len(best.Dirs) {
			best = ind
		}
	}
	return best
}

func linkOf(qn [4]*bulkNode) *cproto.Primitive {
	p := &cproto.Primitive{}
	for j, dir := range quad.Directions {
		if qn[j] != nil {
			p.SetDirection(dir, qn[j].id)
		}
	}
	return p
}

// hasLink returns the ID of the live quad with p's nodes, or 0 when the store has none.
func hasLink(bk *kvBuckets, log *bolt.Bucket, ind ckv.QuadIndex, p *cproto.Primitive) (uint64, error) {
	key := ind.KeyFor(p)
	b := bk.get(key[0])
	if b == nil {
		return 0, nil
	}
	list := b.Get(key[1])
	for len(list) > 0 {
		id, n := binary.Uvarint(list)
		if n <= 0 {
			return 0, fmt.Errorf("index %q: bad entry", key[0])
		}
		list = list[n:]
		var key [8]byte
		putLogKey(key[:], id)
		data := log.Get(key[:])
		if data == nil {
			continue
		}
		var q cproto.Primitive
		if err := proto.Unmarshal(data, &q); err != nil {
			return 0, fmt.Errorf("log entry %d: %w", id, err)
		}
		if !q.Deleted && q.IsSameLink(p) {
			return id, nil
		}
	}
	return 0, nil
}

func putPrimitive(mem *slab, log *bolt.Bucket, p *cproto.Primitive) error {
	opts := proto.MarshalOptions{}
	data, err := opts.MarshalAppend(mem.alloc(opts.Size(p))[:0], p)
	if err != nil {
		return err
	}
	return log.Put(mem.logKey(p.ID), data)
}

// indexEntry is one quad's key in an index: up to four node IDs, big-endian.
type indexEntry struct {
	key [32]byte
	id  uint64
}

// appendIndex adds each link's ID to its key's list in ind, one write per key, in key order.
func appendIndex(mem *slab, bk *kvBuckets, ind ckv.QuadIndex, links []*cproto.Primitive) error {
	if len(ind.Dirs) > 4 {
		return fmt.Errorf("index %v: more than four directions", ind.Dirs)
	}
	name := ind.KeyFor(links[0])[0]
	b, err := bk.create(name)
	if err != nil {
		return err
	}
	size := 8 * len(ind.Dirs)
	entries := make([]indexEntry, len(links))
	for i, p := range links {
		for j, d := range ind.Dirs {
			binary.BigEndian.PutUint64(entries[i].key[8*j:], p.GetDirection(d))
		}
		entries[i].id = p.ID
	}
	slices.SortFunc(entries, func(a, b indexEntry) int {
		return cmp.Or(bytes.Compare(a.key[:size], b.key[:size]), cmp.Compare(a.id, b.id))
	})
	for i := 0; i < len(entries); {
		j := i + 1
		for j < len(entries) && entries[j].key == entries[i].key {
			j++
		}
		key := mem.alloc(size)
		copy(key, entries[i].key[:size])
		old := b.Get(key)
		val := mem.alloc(len(old) + binary.MaxVarintLen64*(j-i))[:0]
		val = append(val, old...)
		for _, e := range entries[i:j] {
			val = binary.AppendUvarint(val, e.id)
		}
		if err := b.Put(key, val); err != nil {
			return err
		}
		i = j
	}
	return nil
}
