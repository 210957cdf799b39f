package graph

import (
	"cmp"
	"context"
	"slices"

	"github.com/cayleygraph/quad"

	"github.com/parley/parley/schema"
)

// Count is a name with a number.
type Count struct {
	ID    string `json:"id"` // the type's or predicate's ID
	Count int    `json:"count"`
}

// Stats counts what a store holds.
type Stats struct {
	Quads      int     `json:"quads"`
	Entities   int     `json:"entities"` // subjects with a type
	Claims     int     `json:"claims"`
	Types      []Count `json:"types"`      // entities by type
	Predicates []Count `json:"predicates"` // quads by predicate
}

// Stats counts quads by predicate and entities by type, in one scan of the store.
func (s *Store) Stats(ctx context.Context) (*Stats, error) {
	if err := s.ready(); err != nil {
		return nil, err
	}
	st := &Stats{Types: []Count{}, Predicates: []Count{}}
	count := func(ctx context.Context) (*quadCounts, error) { return countQuads(ctx, s.eachQuad) }
	if c, ok := s.be.(counter); ok {
		count = c.counts
	}
	c, err := count(ctx)
	if err != nil {
		return nil, err
	}
	st.Quads = c.quads
	preds, types, typed := c.preds, c.types, c.typed
	st.Entities = typed - types[schema.TypeClaim] - types[schema.TypeSource]
	st.Claims = types[schema.TypeClaim]
	st.Types = sortedCounts(types)
	st.Predicates = sortedCounts(preds)
	return st, nil
}

// countQuads counts what Stats counts, reading every quad with each.
func countQuads(ctx context.Context, each func(context.Context, func(quad.Quad) error) error) (*quadCounts, error) {
	c := &quadCounts{preds: map[string]int{}, types: map[string]int{}}
	subjects := map[quad.Value]bool{}
	err := each(ctx, func(q quad.Quad) error {
		c.quads++
		p := schema.ID(q.Predicate)
		c.preds[p]++
		if p == schema.PredType {
			c.types[schema.ID(q.Object)]++
			subjects[q.Subject] = true
		}
		return nil
	})
	c.typed = len(subjects)
	return c, err
}

func sortedCounts(m map[string]int) []Count {
	out := make([]Count, 0, len(m))
	for k, v := range m {
		out = append(out, Count{ID: k, Count: v})
	}
	slices.SortFunc(out, func(a, b Count) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// SourceInfo is a source and how much of the store rests on it.
type SourceInfo struct {
	ID        string `json:"id"`
	Label     string `json:"label"`
	Title     string `json:"title,omitempty"`
	Published string `json:"published,omitempty"`
	URL       string `json:"url,omitempty"`
	Claims    int    `json:"claims"`
	Facts     int    `json:"facts"` // quads labelled by its claims
}

// Sources lists every source with its claim and fact counts.
func (s *Store) Sources(ctx context.Context) ([]SourceInfo, error) {
	if err := s.ready(); err != nil {
		return nil, err
	}
	srcs, err := s.Subjects(ctx, schema.PredType, quad.IRI(schema.TypeSource))
	if err != nil {
		return nil, err
	}
	out := make([]SourceInfo, 0, len(srcs))
	for _, src := range srcs {
		info := SourceInfo{ID: schema.ID(src), Label: s.Label(ctx, src)}
		for pred, dst := range map[string]*string{schema.PredTitle: &info.Title, schema.PredPublished: &info.Published, schema.PredURL: &info.URL} {
			if vals, err := s.Objects(ctx, src, pred); err != nil {
				return nil, err
			} else if len(vals) > 0 {
				*dst = schema.Text(vals[0])
			}
		}
		claims, err := s.Subjects(ctx, schema.PredSource, src)
		if err != nil {
			return nil, err
		}
		info.Claims = len(claims)
		for _, c := range claims {
			quads, err := s.claimFacts(ctx, c)
			if err != nil {
				return nil, err
			}
			info.Facts += len(quads)
		}
		out = append(out, info)
	}
	slices.SortFunc(out, func(a, b SourceInfo) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}
