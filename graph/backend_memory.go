package graph

import (
	"context"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/memstore"
)

// memoryBackend is a throwaway store in memory: Cayley's memstore.
type memoryBackend struct{ cayleyBackend }

// openMemory makes a store in memory, with cfg's seed.
func openMemory(ctx context.Context, cfg Config) (*Store, error) {
	s := newStore(&memoryBackend{cayleyBackend{qs: memstore.New()}}, false)
	if cfg.Seed != nil {
		if _, err := s.loadSeed(ctx, cfg.Seed); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (b *memoryBackend) kind() string     { return BackendMemory }
func (b *memoryBackend) location() string { return "" }
func (b *memoryBackend) reattach() error  { return nil }

func (b *memoryBackend) newWriter(ctx context.Context, s *Store, res *LoadResult, _ int, _ LoadOptions) (quadWriter, error) {
	return newCarefulWriter(ctx, s, res), nil
}

func (b *memoryBackend) writeBatch(_ context.Context, deltas []graph.Delta) error {
	return b.qs.ApplyDeltas(deltas, graph.IgnoreOpts{})
}
