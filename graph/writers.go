package graph

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"slices"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/parley/parley/graph/internal/kvstore"
	"github.com/parley/parley/schema"
)

// quadWriter writes the quads of a load that validation passed, skipping those the store
// has and counting repeats in the load's result. There are three: rebuildWriter (an
// embedded store rebuilt as a new file), journalWriter (the embedded store's bulk writer,
// in journalled batches) and carefulWriter (Cayley's transactions, or PostgreSQL's COPY,
// asking the store about each quad when it must).
type quadWriter interface {
	add(st schema.Statement) error
	finish() error           // writes what is left and makes the load durable
	abort(cause error) error // undoes what the load wrote, and returns cause
}

// remover is a writer that takes quads out in the same all-or-nothing operation as it
// adds the load's: a replace. remove is called once, before any add.
type remover interface {
	remove(quads []quad.Quad) error
}

// newWriter returns the writer of a load of n quads (0: unknown), which reports its
// progress to opt. A dry run writes nothing, so it must ask the store about each quad.
func (s *Store) newWriter(ctx context.Context, res *LoadResult, n int, opt LoadOptions) (quadWriter, error) {
	if res.DryRun {
		w := newCarefulWriter(ctx, s, res)
		w.limit, w.careful = minBatch, true
		return w, nil
	}
	return s.be.newWriter(ctx, s, res, n, opt)
}

// Batches: how many quads the embedded store writes per transaction. Cayley spreads
// nodes over 131,072 buckets by hash, and a commit rewrites a page of nearly every bucket
// a batch touches, so bigger batches share that cost among more quads, and batches grow
// with the store (a quarter of it); they stay bounded, and so does the memory a commit
// takes. On the 30k-movie data 100,000 was faster than 50,000 and as fast as 400,000;
// on ten times that data, growing batches took 30% less time than batches of 100,000.
const (
	minBatch = 100000
	maxBatch = 500000
)

// batchLimit is the batch for a store of size quads.
func batchLimit(size int) int { return min(max(size/4, minBatch), maxBatch) }

// batch is the quads a writer has queued, each once.
type batch struct {
	deltas []graph.Delta
	in     map[quad.Quad]bool
}

func newBatch(capacity int) batch {
	return batch{deltas: make([]graph.Delta, 0, capacity), in: map[quad.Quad]bool{}}
}

func (b *batch) add(q quad.Quad) {
	b.in[q] = true
	b.deltas = append(b.deltas, graph.Delta{Quad: q, Action: graph.Add})
}

// rebuildWriter writes a load into an embedded store with no more quads than the load
// (a new one, or the seeded default) as a new store file, from the store's quads and the
// load's, which then takes the store's place (kvstore.Build). Until then the store is
// untouched, so a failure or a crash needs no rollback.
type rebuildWriter struct {
	s     *Store
	kv    *kvstore.Store
	build *kvstore.Build
	res   *LoadResult
}

func newRebuildWriter(ctx context.Context, s *Store, kv *kvstore.Store, res *LoadResult, opt LoadOptions) (*rebuildWriter, error) {
	if err := s.writable(); err != nil {
		return nil, err
	}
	report := func(phase kvstore.BuildPhase, n int) {
		p := Progress{Phase: PhaseSort, Quads: n}
		if phase == kvstore.Indexing {
			p.Phase = PhaseIndex
		}
		opt.report(p)
	}
	build, err := kv.StartBuild(ctx, report)
	if err != nil {
		return nil, err
	}
	return &rebuildWriter{s: s, kv: kv, build: build, res: res}, nil
}

func (w *rebuildWriter) add(st schema.Statement) error { return w.build.Add(st.Quad) }

func (w *rebuildWriter) finish() error {
	c, err := w.build.Finish()
	w.s.qs = w.kv.QuadStore()
	if err != nil {
		return err
	}
	w.res.Written, w.res.Duplicate, w.res.Present = c.Written, c.Duplicate, c.Present
	return nil
}

func (w *rebuildWriter) abort(cause error) error {
	w.build.Abort()
	return cause
}

// journalWriter writes to the embedded store with its bulk writer, which skips the quads
// the store has by itself and tells a repeat from a quad the store had by its ID, so that
// memory need not grow with the input. It commits every batchLimit quads, journalling
// each batch first, and writes each batch in the background while the next is read.
type journalWriter struct {
	ctx     context.Context
	s       *Store
	kv      *kvstore.Store
	res     *LoadResult
	batch   batch
	limit   int
	since   uint64 // the store's ID horizon before the load
	journal *kvstore.Journal
	pending chan bulkWritten // the batch being written in the background
}

// bulkWritten is what the bulk writer made of a batch.
type bulkWritten struct {
	written, repeats, present int
	err                       error
}

func newJournalWriter(ctx context.Context, s *Store, kv *kvstore.Store, res *LoadResult) *journalWriter {
	return &journalWriter{ctx: ctx, s: s, kv: kv, res: res, batch: newBatch(0), limit: minBatch}
}

// add queues one quad, flushing a full batch.
func (w *journalWriter) add(st schema.Statement) error {
	q := st.Quad
	if w.batch.in[q] {
		w.res.Duplicate++
		return nil
	}
	w.batch.add(q)
	if len(w.batch.deltas) >= w.limit {
		return w.flush()
	}
	return nil
}

// flush prepares the batch, waits for the batch before, and starts writing this one in
// the background.
func (w *journalWriter) flush() error {
	if err := w.ctx.Err(); err != nil {
		return fmt.Errorf("load interrupted: %w", err)
	}
	var prepared *kvstore.Batch
	if len(w.batch.deltas) > 0 {
		var err error
		if prepared, err = kvstore.Prepare(w.batch.deltas); err != nil {
			return err
		}
	}
	if err := w.wait(); err != nil {
		return err
	}
	if prepared == nil {
		return nil
	}
	size, err := w.kv.Size()
	if err != nil {
		return err
	}
	w.limit = batchLimit(int(size) + len(w.batch.deltas))
	w.batch = newBatch(w.limit)
	w.pending = make(chan bulkWritten, 1)
	go func(done chan<- bulkWritten) {
		// A damaged page makes bbolt panic here as in the command's goroutine: the same
		// guard turns it into an error, which rolls the load back.
		var r bulkWritten
		if err := Guard(func() string { return w.s.path }, func() error { r = w.write(prepared); return r.err }); err != nil {
			r.err = err
		}
		done <- r
	}(w.pending)
	return nil
}

// wait waits for the batch being written in the background, and counts it.
func (w *journalWriter) wait() error {
	if w.pending == nil {
		return nil
	}
	r := <-w.pending
	w.pending = nil
	w.res.Written += r.written
	w.res.Duplicate += r.repeats
	w.res.Present += r.present
	return r.err
}

// write journals the quads of a prepared batch the store lacks and writes them in one
// transaction. It runs in the background, one batch at a time.
func (w *journalWriter) write(batch *kvstore.Batch) bulkWritten {
	if err := w.s.writable(); err != nil {
		return bulkWritten{err: err}
	}
	if err := w.startJournal(); err != nil {
		return bulkWritten{err: err}
	}
	recorded := false
	record := func(lines []string) error {
		recorded = true
		return w.journal.Record(lines)
	}
	n := batch.Len()
	kept, repeats, err := w.kv.WriteBatch(batch, w.since, record)
	if err != nil {
		if recorded {
			w.journal.Unrecord() // nothing of the batch was written
		}
		return bulkWritten{err: err}
	}
	return bulkWritten{written: len(kept), repeats: repeats, present: n - len(kept) - repeats}
}

// startJournal starts the load's journal, once.
func (w *journalWriter) startJournal() error {
	if w.journal != nil {
		return nil
	}
	since, err := w.kv.Horizon()
	if err != nil {
		return err
	}
	j, err := w.kv.StartJournal()
	if err != nil {
		return err
	}
	w.journal, w.since = j, uint64(since)
	return nil
}

// remove journals quads, synced, then removes them in one transaction: a failure from
// here on, or a crash, rolls back by writing them back.
func (w *journalWriter) remove(quads []quad.Quad) error {
	if err := w.s.writable(); err != nil {
		return err
	}
	if err := w.startJournal(); err != nil {
		return err
	}
	if err := w.journal.RecordRemoved(quads); err != nil {
		return err
	}
	return w.kv.Remove(deletes(quads), false)
}

// deletes are the deltas that remove quads.
func deletes(quads []quad.Quad) []graph.Delta {
	out := make([]graph.Delta, len(quads))
	for i, q := range quads {
		out[i] = graph.Delta{Quad: q, Action: graph.Delete}
	}
	return out
}

// finish writes the last batch and makes the load durable.
func (w *journalWriter) finish() error {
	err := w.flush()
	if err == nil {
		err = w.wait()
	}
	if err == nil && w.ctx.Err() != nil {
		// The last batch may take seconds: an interrupt meanwhile still rolls back.
		err = fmt.Errorf("load interrupted: %w", w.ctx.Err())
	}
	if err != nil {
		return w.abort(err)
	}
	if w.journal != nil {
		if err := w.journal.Commit(); err != nil {
			return w.abort(err)
		}
	}
	w.s.labels = nil
	return nil
}

// abort waits for the batch being written, rolls back what the load wrote and returns
// cause.
func (w *journalWriter) abort(cause error) error {
	w.wait()
	w.res.Written = 0
	if w.journal == nil {
		return cause
	}
	if err := w.s.reattach(); err != nil {
		return fmt.Errorf("%w; then reopening the store to roll back failed: %v (the next open rolls back)", cause, err)
	}
	if err := w.journal.Rollback(); err != nil {
		return fmt.Errorf("%w; then rolling back failed: %v (the next open rolls back)", cause, err)
	}
	w.s.labels = nil
	return cause
}

// carefulWriter writes through the backend's writeBatch: Cayley's ApplyDeltas, or
// PostgreSQL's COPY. It counts repeats by the hashes of the quads written. Without
// checking each quad first a batch is one attempt; if the store has one of its quads,
// the batch is checked quad by quad and written again, and from then on every quad is
// checked. A dry run checks every quad and writes nothing. A replace's removals go
// with the (single) batch, through Cayley's ApplyDeltas: one transaction.
type carefulWriter struct {
	ctx     context.Context
	s       *Store
	res     *LoadResult
	batch   batch
	added   map[uint64]struct{} // hashes of the quads written so far, to tell repeats
	seed    maphash.Seed
	careful bool          // the input overlaps the store: check every quad before writing
	limit   int           // quads per batch; 0: the whole load in one
	removed []graph.Delta // a replace's removals, written with the batch
}

func newCarefulWriter(ctx context.Context, s *Store, res *LoadResult) *carefulWriter {
	return &carefulWriter{ctx: ctx, s: s, res: res, batch: newBatch(0), added: map[uint64]struct{}{}, seed: maphash.MakeSeed()}
}

func (w *carefulWriter) hash(q quad.Quad) uint64 {
	var h maphash.Hash
	h.SetSeed(w.seed)
	for _, d := range quad.Directions {
		if v := q.Get(d); v != nil {
			h.WriteString(v.String())
		}
		h.WriteByte(0)
	}
	return h.Sum64()
}

// add queues one quad, flushing a full batch.
func (w *carefulWriter) add(st schema.Statement) error {
	q := st.Quad
	if w.batch.in[q] {
		w.res.Duplicate++
		return nil
	}
	if _, ok := w.added[w.hash(q)]; ok {
		w.res.Duplicate++
		return nil
	}
	if w.careful {
		has, err := w.s.HasQuad(w.ctx, q)
		if err != nil {
			return err
		}
		if has {
			w.res.Present++
			return nil
		}
	}
	w.batch.add(q)
	if w.limit > 0 && len(w.batch.deltas) >= w.limit {
		return w.flush()
	}
	return nil
}

// flush writes the batch.
func (w *carefulWriter) flush() error {
	if err := w.ctx.Err(); err != nil {
		return fmt.Errorf("load interrupted: %w", err)
	}
	if len(w.batch.deltas) == 0 && len(w.removed) == 0 || w.res.DryRun {
		w.account()
		return nil
	}
	err := w.write()
	if errors.Is(err, graph.ErrQuadExists) && !w.careful {
		if err := w.s.reattach(); err != nil {
			return err
		}
		w.careful = true
		kept := w.batch.deltas[:0]
		for _, d := range w.batch.deltas {
			has, err := w.s.HasQuad(w.ctx, d.Quad)
			if err != nil {
				return err
			}
			if has {
				w.res.Present++
				delete(w.batch.in, d.Quad)
				continue
			}
			kept = append(kept, d)
		}
		w.batch.deltas = kept
		err = w.write()
	}
	if err != nil {
		return err
	}
	w.account()
	return nil
}

// remove queues quads to remove with the batch, and checks every quad added from now
// on: a replacement repeats most of what it replaces.
func (w *carefulWriter) remove(quads []quad.Quad) error {
	w.careful = true
	if w.res.DryRun {
		return nil
	}
	if w.limit != 0 {
		return errors.New("a replace is written in one batch")
	}
	w.removed = deletes(quads)
	return nil
}

// write applies the batch in one transaction, with a replace's removals.
func (w *carefulWriter) write() error {
	if len(w.batch.deltas) == 0 && len(w.removed) == 0 {
		return nil
	}
	if err := w.s.writable(); err != nil {
		return err
	}
	if len(w.removed) > 0 {
		err := w.s.qs.ApplyDeltas(append(slices.Clip(w.removed), w.batch.deltas...), graph.IgnoreOpts{})
		if err == nil {
			w.removed = nil
		}
		return err
	}
	return w.s.be.writeBatch(w.ctx, w.batch.deltas)
}

// account counts the batch as written and starts a new one.
func (w *carefulWriter) account() {
	for _, d := range w.batch.deltas {
		w.added[w.hash(d.Quad)] = struct{}{}
	}
	w.res.Written += len(w.batch.deltas)
	w.batch.deltas = w.batch.deltas[:0]
	w.batch.in = map[quad.Quad]bool{}
}

// finish writes the last batch.
func (w *carefulWriter) finish() error {
	if err := w.flush(); err != nil {
		return w.abort(err)
	}
	w.s.labels = nil
	return nil
}

// abort returns cause: a failed transaction wrote nothing, and the batches before it
// were written by none (the whole load is one batch) or by a dry run (nothing). After a
// replace's failed transaction, Cayley's caches are refreshed.
func (w *carefulWriter) abort(cause error) error {
	w.res.Written = 0
	if w.removed != nil {
		if err := w.s.reattach(); err != nil {
			return fmt.Errorf("%w (and reopening the store failed: %v)", cause, err)
		}
	}
	return cause
}
