package graph

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/query"
	"github.com/cayleygraph/cayley/query/gizmo"
	"github.com/cayleygraph/quad"

	"github.com/parley/parley/graph/internal/gizmotrace"
)

// MaxTracedResults caps the results TraversedQuads reads from one query.
const MaxTracedResults = 1_000_000

// traceTag starts the names of the tags TraversedQuads adds to a query.
const traceTag = "__parley_"

// TraversedQuads returns the quads a Gizmo query's paths traverse: not just the nodes the
// query ends on, but every quad along each result's path.
//
// Cayley's Gizmo returns nodes, never quads. TraversedQuads parses the query with Gizmo's
// own JavaScript parser, tags every step of every path (g.V, g.M, Out, In, Both: the node
// each arrives at, and the predicate it used) and runs the tagged query on Cayley. For each
// result and each step whose previous step is also in the result, it returns the stored
// quads that link the two nodes by that predicate in the step's direction, in every graph
// label (or in the labels a literal LabelContext names). Filters such as Has, Is and Save
// constrain a path without moving it: their quads are not returned. The quads come sorted
// and without duplicates; a query whose results carry no path yields none. The query runs
// within lim, as Query's do.
func (s *Store) TraversedQuads(ctx context.Context, gizmoQuery string, lim QueryLimits) ([]quad.Quad, error) {
	if err := s.ready(); err != nil {
		return nil, err
	}
	if strings.TrimSpace(gizmoQuery) == "" {
		return nil, errors.New("the query is empty")
	}
	tr, err := gizmotrace.New(gizmoQuery, traceTag)
	if err != nil {
		return nil, fmt.Errorf("gizmo query: %w", err)
	}
	run := &traceRun{s: s, tr: tr, seen: make(map[tracedLink]bool),
		labels: make(map[int]map[any]bool), found: make(map[any]quad.Quad)}
	err = s.limited(ctx, lim, func(ctx context.Context) error {
		err := tr.Problem
		if err == nil {
			if err = run.run(ctx, tr.Text); err != nil {
				err = fmt.Errorf("the query tagged for tracing failed: %w", err)
			}
		}
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if origErr := (&traceRun{s: s}).run(ctx, gizmoQuery); origErr != nil {
				return fmt.Errorf("gizmo query: %w", origErr)
			}
			return fmt.Errorf("the query's paths could not be traced: %w", err)
		}
		return nil
	})
	if err != nil {
		if isLimit(err) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("gizmo query: %w", err)
		}
		return nil, err
	}
	out := make([]quad.Quad, 0, len(run.found))
	for _, q := range run.found {
		out = append(out, q)
	}
	slices.SortFunc(out, compareQuads)
	return out, nil
}

// traceRun collects the quads a tagged query's results traverse.
type traceRun struct {
	s      *Store
	tr     *gizmotrace.Tracer   // nil: only run the query, to tell whether it fails
	seen   map[tracedLink]bool  // steps of results already looked up
	labels map[int]map[any]bool // by step: the keys of the labels it may use; nil: any
	found  map[any]quad.Quad    // by the quad's key
}

// tracedLink is one step of one result: the quads it stands for are looked up once.
type tracedLink struct {
	step           int
	from, to, pred any // the nodes' keys; pred nil when any predicate
}

// run runs text and collects the quads its results traverse.
func (r *traceRun) run(ctx context.Context, text string) error {
	it, err := query.Execute(ctx, r.s.qs, "gizmo", text, query.Options{Collation: query.Raw, Limit: MaxTracedResults + 1})
	if err != nil {
		return err
	}
	defer closeQuery(it)
	for n := 1; it.Next(ctx); n++ {
		if n > MaxTracedResults {
			return fmt.Errorf("the query has more than %d results; narrow it", MaxTracedResults)
		}
		res, ok := it.Result().(*gizmo.Result)
		if r.tr == nil || !ok || res == nil {
			continue
		}
		if res.Tags != nil {
			err = r.result(ctx, res.Tags)
		} else {
			err = r.emitted(ctx, res.Val, 0)
		}
		if err != nil {
			return err
		}
	}
	if err := it.Err(); err != nil {
		return err
	}
	return ctx.Err()
}

// result adds the quads behind each step of one result.
func (r *traceRun) result(ctx context.Context, tags map[string]graph.Ref) error {
	for i, st := range r.tr.Steps {
		to := tags[st.Tag]
		var pred graph.Ref
		if st.PredTag != "" {
			pred = tags[st.PredTag]
		}
		if to == nil || st.Kind == gizmotrace.Start || (st.PredTag != "" && pred == nil) {
			continue
		}
		for _, p := range st.Prev {
			from := tags[r.tr.Steps[p].Tag]
			if from == nil {
				continue
			}
			link := tracedLink{step: i, from: from.Key(), to: to.Key()}
			if pred != nil {
				link.pred = pred.Key()
			}
			if r.seen[link] {
				continue
			}
			r.seen[link] = true
			if err := r.link(ctx, i, from, to, pred); err != nil {
				return err
			}
		}
	}
	return nil
}

// link adds the stored quads step i went along from one node to the next.
func (r *traceRun) link(ctx context.Context, i int, from, to, pred graph.Ref) error {
	st := r.tr.Steps[i]
	labels, ok := r.labels[i]
	if !ok {
		var err error
		if labels, err = r.s.labelKeys(st.Labels); err != nil {
			return err
		}
		r.labels[i] = labels
	}
	ends := [][2]graph.Ref{{from, to}} // subject, object
	switch st.Kind {
	case gizmotrace.In:
		ends = [][2]graph.Ref{{to, from}}
	case gizmotrace.Both:
		ends = append(ends, [2]graph.Ref{to, from})
	}
	for _, e := range ends {
		want := map[quad.Direction]graph.Ref{quad.Subject: e[0], quad.Object: e[1], quad.Predicate: pred}
		side := r.s.smallerSide(ctx, e[0], e[1])
		err := r.s.eachQuadRef(ctx, side, want[side], func(ref graph.Ref) (bool, error) {
			if err := ctx.Err(); err != nil {
				return false, err
			}
			if ok, err := r.s.quadMatches(ref, want, labels); err != nil || !ok {
				return err == nil, err
			}
			q, err := r.s.qs.Quad(ref)
			if err == nil {
				r.found[ref.Key()] = q
			}
			return err == nil, err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// smallerSide returns the side to scan for the quads from subj to obj: quad.Object when
// obj is the object of fewer quads than subj is the subject of, quad.Subject otherwise.
func (s *Store) smallerSide(ctx context.Context, subj, obj graph.Ref) quad.Direction {
	bySubj, err1 := s.qs.QuadIteratorSize(ctx, quad.Subject, subj)
	byObj, err2 := s.qs.QuadIteratorSize(ctx, quad.Object, obj)
	if err1 == nil && err2 == nil && byObj.Value < bySubj.Value {
		return quad.Object
	}
	return quad.Subject
}

// quadMatches reports whether the quad ref has the nodes want names (nil: any) and a label
// among labels (nil: any).
func (s *Store) quadMatches(ref graph.Ref, want map[quad.Direction]graph.Ref, labels map[any]bool) (bool, error) {
	for d, w := range want {
		if w == nil {
			continue
		}
		got, err := s.qs.QuadDirection(ref, d)
		if err != nil || got == nil || got.Key() != w.Key() {
			return false, err
		}
	}
	if labels == nil {
		return true, nil
	}
	l, err := s.qs.QuadDirection(ref, quad.Label)
	return err == nil && l != nil && labels[l.Key()], err
}

// labelKeys returns the keys of the stored labels among vals; nil vals means any label.
func (s *Store) labelKeys(vals []quad.Value) (map[any]bool, error) {
	if vals == nil {
		return nil, nil
	}
	keys := make(map[any]bool, len(vals))
	for _, v := range vals {
		ref, err := s.qs.ValueOf(v)
		if err != nil {
			return nil, fmt.Errorf("look up %s: %w", v, err)
		}
		if ref != nil {
			keys[ref.Key()] = true
		}
	}
	return keys, nil
}

// emitted adds the quads behind the tags found in a value the query emits (g.Emit of
// ForEach's maps, TagArray, TagValue), whose nodes Gizmo has made strings and numbers.
func (r *traceRun) emitted(ctx context.Context, v any, depth int) error {
	var items []any
	switch v := v.(type) {
	case []any:
		items = v
	case []map[string]any:
		for _, m := range v {
			items = append(items, m)
		}
	case map[string]any:
		tags := make(map[string]graph.Ref)
		for k, x := range v {
			if !strings.HasPrefix(k, r.tr.Prefix) {
				items = append(items, x)
			} else if qv := emittedValue(x); qv != nil {
				if ref, err := r.s.qs.ValueOf(qv); err == nil && ref != nil {
					tags[k] = ref
				}
			}
		}
		if len(tags) > 0 {
			return r.result(ctx, tags)
		}
	}
	for _, x := range items {
		if depth > 8 {
			break
		}
		if err := r.emitted(ctx, x, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// emittedValue reads back a node Gizmo exported to JavaScript.
func emittedValue(x any) quad.Value {
	switch x := x.(type) {
	case string:
		return quad.StringToValue(x)
	case int64:
		return quad.Int(x)
	case float64:
		if float64(int64(x)) == x {
			return quad.Int(int64(x))
		}
		return quad.Float(x)
	case bool:
		return quad.Bool(x)
	case time.Time:
		return quad.Time(x)
	}
	return nil
}

// compareQuads orders quads by subject, predicate, object and label.
func compareQuads(a, b quad.Quad) int {
	for _, d := range quad.Directions {
		if c := cmp.Compare(quad.StringOf(a.Get(d)), quad.StringOf(b.Get(d))); c != 0 {
			return c
		}
	}
	return 0
}
