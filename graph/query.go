package graph

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/cayleygraph/cayley/query"
)

// Query languages parley offers; Cayley implements them.
const (
	LangGizmo   = "gizmo"
	LangGraphQL = "graphql"
	LangMQL     = "mql"
)

// Languages lists the query languages Query accepts.
func Languages() []string { return []string{LangGizmo, LangGraphQL, LangMQL} }

// QueryResult is the answer to a query: Cayley's results in its JSON collation, verbatim.
type QueryResult struct {
	Results   []any
	Truncated bool // the limit cut the results short
}

// Query runs a query in one of Cayley's languages and returns its results exactly as
// Cayley's engine collates them for JSON. limit <= 0 means no limit.
func (s *Store) Query(ctx context.Context, lang, text string, limit int) (*QueryResult, error) {
	return s.query(ctx, lang, text, limit, query.JSON)
}

// QueryTyped runs a Gizmo query as Query does, with the values in Cayley's JSON-LD
// collation, which tells an IRI from a literal: an IRI or blank node is {"@id": ...}, a
// typed or tagged literal {"@value": ..., "@type" or "@language": ...}, a plain string
// literal a JSON string.
func (s *Store) QueryTyped(ctx context.Context, lang, text string, limit int) (*QueryResult, error) {
	if lang != LangGizmo {
		return nil, fmt.Errorf("typed values are for gizmo queries; Cayley's %s engine has no JSON-LD collation", lang)
	}
	return s.query(ctx, lang, text, limit, query.JSONLD)
}

func (s *Store) query(ctx context.Context, lang, text string, limit int, col query.Collation) (*QueryResult, error) {
	if err := s.ready(); err != nil {
		return nil, err
	}
	if query.GetLanguage(lang) == nil || !slices.Contains(Languages(), lang) {
		return nil, fmt.Errorf("unknown query language %q (languages: %s)", lang, strings.Join(Languages(), ", "))
	}
	if strings.TrimSpace(text) == "" {
		return nil, errors.New("the query is empty")
	}
	opt := query.Options{Collation: col}
	if limit > 0 {
		opt.Limit = limit + 1 // one more, to tell the user the limit cut the answer
	}
	it, err := query.Execute(ctx, s.qs, lang, text, opt)
	if err != nil {
		return nil, fmt.Errorf("%s query: %w", lang, err)
	}
	defer it.Close()
	res := &QueryResult{Results: []any{}}
	for it.Next(ctx) {
		if limit > 0 && len(res.Results) == limit {
			res.Truncated = true
			break
		}
		res.Results = append(res.Results, it.Result())
	}
	if err := it.Err(); err != nil {
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, fmt.Errorf("%s query: timed out", lang)
		}
		return nil, fmt.Errorf("%s query: %w", lang, err)
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("%s query: %w", lang, ctx.Err())
	}
	return res, nil
}

// Columns returns the keys of the map results, "id" first, then sorted, for a table.
func (r *QueryResult) Columns() []string {
	seen := map[string]bool{}
	var cols []string
	for _, v := range r.Results {
		m, ok := v.(map[string]any)
		if !ok {
			continue
		}
		for k := range m {
			if !seen[k] {
				seen[k] = true
				cols = append(cols, k)
			}
		}
	}
	slices.SortFunc(cols, func(a, b string) int {
		return cmp.Or(compareBool(a != "id", b != "id"), cmp.Compare(a, b))
	})
	return cols
}
