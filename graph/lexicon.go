package graph

import (
	"context"
	"fmt"

	"github.com/cayleygraph/quad"

	"github.com/parley/parley/schema"
)

// NameQuads returns the quads a reader of text needs to recognise the store's entities:
// their types, labels and aliases, and who holds which role and whose the role is
// (holdsRole, roleOf). `parley draft` builds its lexicon from them; it only reads.
func (s *Store) NameQuads(ctx context.Context) ([]quad.Quad, error) {
	var out []quad.Quad
	for _, p := range []string{schema.PredType, schema.PredLabel, schema.PredAlias, schema.PredHoldsRole, schema.PredRoleOf} {
		qs, err := s.QuadsWith(ctx, quad.Predicate, quad.IRI(p))
		if err != nil {
			return nil, fmt.Errorf("read <%s> quads: %w", p, err)
		}
		out = append(out, qs...)
	}
	return out, nil
}
