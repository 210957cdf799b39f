package kvstore

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/cayleygraph/cayley/graph/refs"
	bolt "go.etcd.io/bbolt"
)

// buildWriter writes a build's keys in a goroutine of its own, in the order they are put,
// so that reading, hashing, sorting and marshalling go on while bolt writes: bolt's puts
// and commits were over half of a build's time (BenchmarkLoad/movies: 13-25% less time
// with the writer apart). It owns the build's transactions, and commits every
// commitEvery keys.
type buildWriter struct {
	ctx     context.Context
	batches chan []kvPut
	free    chan []kvPut
	done    chan error
	failed  atomic.Bool // the writer stopped on an error; close returns it
	batch   []kvPut     // being filled
	closed  bool
	err     error // close's result

	// The writer goroutine's.
	db   *bolt.DB
	tx   *bolt.Tx
	bk   *kvBuckets // of tx
	puts int        // in tx
}

// kvPut is one key: in the bucket named, or (no name) in the node bucket of kind for the
// hash that is the key.
type kvPut struct {
	bucket     []byte
	kind       int
	key, value []byte
}

// commitEvery bounds a build transaction: every key of a build is new and written in
// order, so commits only bound the memory a transaction holds. Smaller transactions were
// faster: bolt grows a leaf node one key at a time until the commit splits it, so a big
// transaction copies big nodes over and over. On the 30k-movie data, 20,000 keys took a
// quarter less time than 200,000, and 5,000 more than 20,000; but every commit makes the
// next transaction read the pages it rewrote through bolt's memory map, which counts in
// the resident set (on the 10× file, about 100 MB by the end at 20,000).
const commitEvery = 20000

// putBatch is how many keys go to the writer at a time.
const putBatch = 4096

func newBuildWriter(ctx context.Context, db *bolt.DB) (*buildWriter, error) {
	w := &buildWriter{ctx: ctx, db: db, batches: make(chan []kvPut, 4), free: make(chan []kvPut, 5), done: make(chan error, 1)}
	if err := w.begin(); err != nil {
		return nil, err
	}
	w.batch = make([]kvPut, 0, putBatch)
	go w.run()
	return w, nil
}

// put writes key in the bucket named (created if need be). Keys and values must not
// change until the writer is closed.
func (w *buildWriter) put(bucket, key, value []byte) error {
	return w.add(kvPut{bucket: bucket, key: key, value: value})
}

// putNode writes a node's ID or refcount, keyed by its hash.
func (w *buildWriter) putNode(kind int, key, value []byte) error {
	return w.add(kvPut{kind: kind, key: key, value: value})
}

func (w *buildWriter) add(p kvPut) error {
	w.batch = append(w.batch, p)
	if len(w.batch) < putBatch {
		return nil
	}
	if w.failed.Load() {
		return w.close(false)
	}
	if err := w.ctx.Err(); err != nil {
		w.close(false)
		return fmt.Errorf("load interrupted: %w", err)
	}
	w.batches <- w.batch
	select {
	case w.batch = <-w.free:
	default:
		w.batch = make([]kvPut, 0, putBatch)
	}
	return nil
}

// close writes what is left and commits when commit is set, or rolls back; it returns
// the writer's first error. It may be called again, and returns the same.
func (w *buildWriter) close(commit bool) error {
	if w.closed {
		return w.err
	}
	w.closed = true
	if commit && len(w.batch) > 0 {
		w.batches <- w.batch
	}
	if !commit {
		w.failed.Store(true) // the writer skips what is queued
	}
	close(w.batches)
	w.err = <-w.done
	return w.err
}

func (w *buildWriter) run() {
	var err error
	for batch := range w.batches {
		if err == nil && !w.failed.Load() {
			if err = w.write(batch); err != nil {
				w.failed.Store(true)
			}
		}
		clear(batch) // let go of keys and values
		select {
		case w.free <- batch[:0]:
		default:
		}
	}
	if err == nil && w.failed.Load() {
		err = fmt.Errorf("build a new store: abandoned")
	}
	if err == nil {
		err = w.tx.Commit()
		w.tx = nil
		if err != nil {
			err = fmt.Errorf("build a new store: %w", err)
		}
	}
	if w.tx != nil {
		w.tx.Rollback()
		w.tx = nil
	}
	w.done <- err
}

func (w *buildWriter) begin() error {
	tx, err := w.db.Begin(true)
	if err != nil {
		return fmt.Errorf("build a new store: %w", err)
	}
	w.tx, w.puts = tx, 0
	if w.bk == nil {
		w.bk = newKVBuckets(tx)
	} else {
		w.bk.reset(tx)
	}
	log := w.bk.get(logBucket)
	if log == nil {
		return fmt.Errorf("build a new store: no log bucket")
	}
	log.FillPercent = 1 // its keys only grow
	return nil
}

func (w *buildWriter) write(batch []kvPut) error {
	for _, p := range batch {
		var bk *bolt.Bucket
		var err error
		if p.bucket == nil {
			bk, err = w.bk.node(p.kind, refs.ValueHash(p.key), true)
		} else {
			bk, err = w.bk.create(p.bucket)
		}
		if err != nil {
			return err
		}
		if err := bk.Put(p.key, p.value); err != nil {
			return fmt.Errorf("build a new store: %w", err)
		}
		if w.puts++; w.puts < commitEvery {
			continue
		}
		if err := w.ctx.Err(); err != nil {
			return fmt.Errorf("load interrupted: %w", err)
		}
		if err := w.tx.Commit(); err != nil {
			w.tx = nil
			return fmt.Errorf("build a new store: %w", err)
		}
		if err := w.begin(); err != nil {
			return err
		}
	}
	return nil
}
