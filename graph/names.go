package graph

import (
	"context"

	"github.com/cayleygraph/quad"

	"github.com/parley/parley/schema"
)

// The embedded store keeps indexes of its own beside Cayley's (an indexer): of names,
// for ResolveEntity, and of claims, for the facts a claim labels. Their entries may
// outlive their quads after a crash (removals follow Cayley's own transaction), so every
// hit is checked against the store.

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

// indexedNames answers namesMatching from the index: the entities a label or alias
// names whole (any case), and those it names by its first words. ok is false when the
// store has no index.
func (s *Store) indexedNames(ctx context.Context, name string) (wholes, starts map[quad.IRI]string, ok bool, err error) {
	ix, ok := s.be.(indexer)
	if !ok {
		return nil, nil, false, nil
	}
	wholeQuads, startQuads, ok, err := ix.names(name)
	if err != nil || !ok {
		return nil, nil, ok, err
	}
	wholes, starts = make(map[quad.IRI]string), make(map[quad.IRI]string)
	for _, m := range []struct {
		hits  []quad.Quad
		found map[quad.IRI]string
	}{{wholeQuads, wholes}, {startQuads, starts}} {
		hits, err := s.stillHas(ctx, m.hits)
		if err != nil {
			return nil, nil, true, err
		}
		// Labels before aliases, as the scan finds them.
		for _, pred := range []string{schema.PredLabel, schema.PredAlias} {
			for _, q := range hits {
				iri := q.Subject.(quad.IRI)
				if _, seen := m.found[iri]; !seen && idOf(q.Predicate) == pred {
					m.found[iri] = pred
				}
			}
		}
	}
	return wholes, starts, true, nil
}

// stillHas returns the quads the store still has, in place.
func (s *Store) stillHas(ctx context.Context, quads []quad.Quad) ([]quad.Quad, error) {
	out := quads[:0]
	for _, q := range quads {
		if has, err := s.HasQuad(ctx, q); err != nil {
			return nil, err
		} else if has {
			out = append(out, q)
		}
	}
	return out, nil
}
