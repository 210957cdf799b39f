package graph

import (
	"context"
	"sort"

	ckv "github.com/cayleygraph/cayley/graph/kv"
	cproto "github.com/cayleygraph/cayley/graph/proto"
	"github.com/cayleygraph/quad"

	"github.com/parley/parley/schema"
)

// Count is a name with a number.
type Count struct {
	Name  string `json:"name"`
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
	var preds, types map[string]int
	var typed int // subjects with a type
	var err error
	if s.db != nil {
		preds, types, typed, err = s.logCounts(ctx, &st.Quads)
	} else {
		preds, types, typed, err = s.quadCounts(ctx, &st.Quads)
	}
	if err != nil {
		return nil, err
	}
	st.Entities = typed - types[schema.TypeClaim] - types[schema.TypeSource]
	st.Claims = types[schema.TypeClaim]
	st.Types = sortedCounts(types)
	st.Predicates = sortedCounts(preds)
	return st, nil
}

// quadCounts counts quads, quads by predicate, typed subjects by type, and typed
// subjects, reading every quad.
func (s *Store) quadCounts(ctx context.Context, quads *int) (preds, types map[string]int, typed int, err error) {
	preds, types = map[string]int{}, map[string]int{}
	subjects := map[quad.Value]bool{}
	err = s.eachQuad(ctx, func(q quad.Quad) error {
		*quads++
		p := idOf(q.Predicate)
		preds[p]++
		if p == schema.PredType {
			types[idOf(q.Object)]++
			subjects[q.Subject] = true
		}
		return nil
	})
	return preds, types, len(subjects), err
}

// logCounts counts as quadCounts does, from the embedded store's log by node IDs: only
// the predicates and types are read as values, once each.
func (s *Store) logCounts(ctx context.Context, quads *int) (preds, types map[string]int, typed int, err error) {
	preds, types = map[string]int{}, map[string]int{}
	var typeID uint64
	if ref, err := s.qs.ValueOf(quad.IRI(schema.PredType)); err != nil {
		return nil, nil, 0, err
	} else if id, ok := ref.(ckv.Int64Value); ok {
		typeID = uint64(id)
	}
	err = s.readLog(func(r *logReader) error {
		byPred, byType := map[uint64]int{}, map[uint64]int{}
		subjects := map[uint64]struct{}{}
		err := r.eachLink(ctx, func(p *cproto.Primitive) error {
			*quads++
			byPred[p.Predicate]++
			if typeID != 0 && p.Predicate == typeID {
				byType[p.Object]++
				subjects[p.Subject] = struct{}{}
			}
			return nil
		})
		if err != nil {
			return err
		}
		typed = len(subjects)
		for _, c := range []struct {
			ids   map[uint64]int
			names map[string]int
		}{{byPred, preds}, {byType, types}} {
			for id, n := range c.ids {
				v, err := r.value(id)
				if err != nil {
					return err
				}
				c.names[idOf(v)] += n
			}
		}
		return nil
	})
	return preds, types, typed, err
}

func sortedCounts(m map[string]int) []Count {
	out := make([]Count, 0, len(m))
	for k, v := range m {
		out = append(out, Count{Name: k, Count: v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Name < out[j].Name
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
		info := SourceInfo{ID: idOf(src), Label: s.Label(ctx, src)}
		for pred, dst := range map[string]*string{schema.PredTitle: &info.Title, schema.PredPublished: &info.Published, schema.PredURL: &info.URL} {
			if vals, err := s.Objects(ctx, src, pred); err != nil {
				return nil, err
			} else if len(vals) > 0 {
				*dst = textOf(vals[0])
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
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}
