package graph

import (
	"context"

	"github.com/cayleygraph/cayley/graph"

	"github.com/parley/parley/graph/internal/pgbulk"
)

// bulkPostgres adds quads (none of which the store has) in one transaction, with COPY.
func (s *Store) bulkPostgres(ctx context.Context, deltas []graph.Delta) error {
	return pgbulk.Write(ctx, s.address, deltas)
}
