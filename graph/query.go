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

// QueryOptions tune Query.
type QueryOptions struct {
	Limit  int         // stop after this many results; <= 0: no limit
	Limits QueryLimits // time and memory; the zero value is the defaults
	// Typed asks a Gizmo query for Cayley's JSON-LD collation, which tells an IRI from a
	// literal: an IRI or blank node is {"@id": ...}, a typed or tagged literal
	// {"@value": ..., "@type" or "@language": ...}, a plain string literal a JSON string.
	Typed bool
}

// Query runs a query in one of Cayley's languages and returns its results exactly as
// Cayley's engine collates them for JSON. A query stopped at its time or memory limit
// returns an error that wraps ErrQueryTimeout or ErrQueryMemory, at once: it does not
// wait for Cayley to let go (see queryGuard).
func (s *Store) Query(ctx context.Context, lang, text string, opt QueryOptions) (*QueryResult, error) {
	if err := s.ready(); err != nil {
		return nil, err
	}
	if query.GetLanguage(lang) == nil || !slices.Contains(Languages(), lang) {
		return nil, fmt.Errorf("unknown query language %q (languages: %s)", lang, strings.Join(Languages(), ", "))
	}
	if strings.TrimSpace(text) == "" {
		return nil, errors.New("the query is empty")
	}
	col := query.JSON
	if opt.Typed {
		if lang != LangGizmo {
			return nil, fmt.Errorf("typed values are for gizmo queries; Cayley's %s engine has no JSON-LD collation", lang)
		}
		col = query.JSONLD
	}
	var res *QueryResult
	err := s.limited(ctx, opt.Limits, func(ctx context.Context) error {
		var err error
		res, err = s.query(ctx, lang, text, opt.Limit, col)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("%s query: %w", lang, err)
	}
	return res, nil
}

// query runs the query to its end or ctx's.
func (s *Store) query(ctx context.Context, lang, text string, limit int, col query.Collation) (*QueryResult, error) {
	qopt := query.Options{Collation: col}
	if limit > 0 {
		qopt.Limit = limit + 1 // one more, to tell the user the limit cut the answer
	}
	it, err := query.Execute(ctx, s.qs, lang, text, qopt)
	if err != nil {
		return nil, err
	}
	defer closeQuery(it)
	res := &QueryResult{Results: []any{}}
	for it.Next(ctx) {
		if limit > 0 && len(res.Results) == limit {
			res.Truncated = true
			break
		}
		res.Results = append(res.Results, it.Result())
	}
	if err := it.Err(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return res, nil
}

// closeQuery stops a query and waits until it has let go of the store. Gizmo runs a query
// in a goroutine of its own, which Close interrupts but does not wait for: closing the
// store (bbolt's DB.Close) while it still holds a transaction deadlocks, so the iterator
// is drained until that goroutine has ended.
func closeQuery(it query.Iterator) {
	it.Close()
	for it.Next(context.Background()) {
	}
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
