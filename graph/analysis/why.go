package analysis

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/cayleygraph/quad"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/schema"
)

// Reason is one claim behind a fact, with its source's title, publication date and URL.
type Reason struct {
	graph.Fact
	Title     string // written in JSON in the claim's document, with Published and URL
	Published string
	URL       string
}

// MarshalJSON writes the reason as a fact (graph.FactJSON) whose claim's document has
// the title, publication date and URL.
func (r Reason) MarshalJSON() ([]byte, error) {
	j := r.Fact.JSON()
	if j.Claim != nil && j.Claim.Document != nil {
		j.Claim.Document.Title, j.Claim.Document.Published, j.Claim.Document.URL = r.Title, r.Published, r.URL
	}
	return json.Marshal(j)
}

// NoFactError says no fact fits a pattern.
type NoFactError struct{ Pattern graph.Pattern }

func (e *NoFactError) Error() string {
	return fmt.Sprintf("no fact %s %s %s", e.Pattern.Subject, e.Pattern.Predicate, e.Pattern.Object)
}

// Why returns every claim behind the facts that fit a pattern, or a *NoFactError.
func (a *Analyst) Why(ctx context.Context, p graph.Pattern) ([]Reason, error) {
	facts, err := a.r.Match(ctx, p)
	if err != nil {
		return nil, err
	}
	if len(facts) == 0 {
		return nil, &NoFactError{Pattern: p}
	}
	out := make([]Reason, 0, len(facts))
	sources := map[string]Reason{}
	for _, f := range facts {
		r := Reason{Fact: f}
		if f.Source != nil {
			src, ok := sources[f.Source.ID]
			if !ok {
				if src, err = a.sourceReason(ctx, f.Source.ID); err != nil {
					return nil, err
				}
				sources[f.Source.ID] = src
			}
			r.Title, r.Published, r.URL = src.Title, src.Published, src.URL
		}
		out = append(out, r)
	}
	return out, nil
}

// sourceReason reads a source's title, publication date and URL; the title falls back to
// the source's label.
func (a *Analyst) sourceReason(ctx context.Context, id string) (Reason, error) {
	var r Reason
	for pred, dst := range map[string]*string{schema.PredTitle: &r.Title, schema.PredPublished: &r.Published, schema.PredURL: &r.URL} {
		vals, err := a.r.Objects(ctx, quad.IRI(id), pred)
		if err != nil {
			return r, fmt.Errorf("read source %s: %w", id, err)
		}
		if len(vals) > 0 {
			*dst = schema.Text(vals[0])
		}
	}
	if r.Title == "" {
		r.Title = a.r.Label(ctx, quad.IRI(id))
	}
	return r, nil
}
