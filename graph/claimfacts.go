package graph

import (
	"context"

	"github.com/cayleygraph/quad"
)

// The embedded store keeps an index of claims of its own beside Cayley's (an indexer),
// for the facts a claim labels. Its entries may outlive their quads after a crash
// (removals follow Cayley's own transaction), so every hit is checked against the store.

// claimFacts returns the quads claim labels: from the claims index where the store has
// one, elsewhere from Cayley, which scans every quad where it has no label index.
func (s *Store) claimFacts(ctx context.Context, claim quad.Value) ([]quad.Quad, error) {
	if ix, ok := s.be.(indexer); ok {
		quads, ok, err := ix.claims(claim)
		if err == nil && ok {
			quads, err = s.stillHas(ctx, quads)
		}
		if err != nil || ok {
			return quads, err
		}
	}
	return s.QuadsWith(ctx, quad.Label, claim)
}
