package graph

import (
	"context"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/iterator"
	"github.com/cayleygraph/quad"
)

// backend is one kind of store under the facade: Cayley's quad store on it, how a load
// writes to it, and how quads are removed and scanned. One type per kind, each in a file
// of its own: boltBackend, memoryBackend, postgresBackend.
type backend interface {
	kind() string               // BackendBolt, BackendMemory or BackendPostgres
	location() string           // the file, the server's address without a password, or ""
	quadStore() graph.QuadStore // Cayley's; nil while the store is not initialised
	reattach() error            // a fresh quad store: Cayley's caches are wrong after a failed transaction
	close() error               // releases the store and its lock

	// newWriter returns the writer of a load (not a dry run) of n quads (0 when
	// unknown: then the store is never rebuilt), which reports its progress to opt.
	newWriter(ctx context.Context, s *Store, res *LoadResult, n int, opt LoadOptions) (quadWriter, error)
	// writeBatch adds quads the store does not have in one transaction, all or nothing.
	writeBatch(ctx context.Context, deltas []graph.Delta) error
	// removeQuads deletes quads in one transaction; ignoreMissing skips those the store
	// does not have.
	removeQuads(deltas []graph.Delta, ignoreMissing bool) error

	eachQuad(ctx context.Context, fn func(quad.Quad) error) error
	eachWithPredicate(ctx context.Context, pred quad.Value, fn func(quad.Quad) error) error
	// refProvesNode reports whether Cayley's ValueOf returns a ref only for a node some
	// quad has (its kv and memory stores drop a node with its last quad; its SQL backend
	// answers with a hash whether or not the node exists).
	refProvesNode() bool
}

// indexer is a backend with parley's name and claims indexes (quadsIndexed). The
// quads they return may be gone from the store: removals follow Cayley's own
// transaction, so a crash may leave an entry behind its quad.
type indexer interface {
	// names returns the label and alias quads that name their subject name whole (any
	// case), and those whose name starts with name's words; ok is false without the index.
	names(name string) (wholes, starts []quad.Quad, ok bool, err error)
	// claims returns the quads labelled claim; ok is false without the index.
	claims(claim quad.Value) (quads []quad.Quad, ok bool, err error)
}

// counter is a backend that counts what Stats counts faster than by reading every quad.
type counter interface {
	counts(ctx context.Context) (*quadCounts, error)
}

// quadCounts is what Stats counts: quads, quads by predicate, typed subjects by type,
// and typed subjects.
type quadCounts struct {
	quads        int
	preds, types map[string]int
	typed        int
}

// cayleyBackend is what a backend without an engine of parley's own does, through
// Cayley's quad store alone.
type cayleyBackend struct{ qs graph.QuadStore }

func (b *cayleyBackend) quadStore() graph.QuadStore { return b.qs }
func (b *cayleyBackend) close() error               { return b.qs.Close() }
func (b *cayleyBackend) refProvesNode() bool        { return true }

func (b *cayleyBackend) removeQuads(deltas []graph.Delta, ignoreMissing bool) error {
	return b.qs.ApplyDeltas(deltas, graph.IgnoreOpts{IgnoreMissing: ignoreMissing})
}

// eachQuad calls fn with every quad of the store, through Cayley's iterator.
func (b *cayleyBackend) eachQuad(ctx context.Context, fn func(quad.Quad) error) error {
	return eachQuadOf(ctx, b.qs, b.qs.QuadsAllIterator(), fn)
}

// eachWithPredicate calls fn for every quad with predicate pred: Cayley scans every
// quad, having no predicate index.
func (b *cayleyBackend) eachWithPredicate(ctx context.Context, pred quad.Value, fn func(quad.Quad) error) error {
	ref, err := b.qs.ValueOf(pred)
	if err != nil || ref == nil {
		return err
	}
	return eachQuadOf(ctx, b.qs, b.qs.QuadIterator(quad.Predicate, ref), fn)
}

// eachQuadOf calls fn with each quad of it.
func eachQuadOf(ctx context.Context, qs graph.QuadStore, it iterator.Shape, fn func(quad.Quad) error) error {
	sc := it.Iterate()
	defer sc.Close()
	for sc.Next(ctx) {
		q, err := qs.Quad(sc.Result())
		if err != nil {
			return err
		}
		if err := fn(q); err != nil {
			return err
		}
	}
	return sc.Err()
}
