// Package analysis answers the negotiation questions asked of a store: who holds which
// stance (Stance), which positions are contested (Conflicts) or shared (CommonGround),
// how the actors align and into which blocs (Alignment), who bridges them (Brokers), how
// two entities are linked (ShortestPaths, Neighbors) and the claims behind a fact (Why).
// It reads the store only through Reader, which *graph.Store satisfies.
package analysis

import (
	"cmp"
	"context"
	"slices"

	"github.com/cayleygraph/quad"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/schema"
)

// Reader is what the analyses read from a store. *graph.Store satisfies it.
type Reader interface {
	// Ready is an error unless the store is initialised.
	Ready() error
	// Vocabulary is the vocabulary the store's facts are read by: types, predicates,
	// polarities and readings.
	Vocabulary() *schema.Vocabulary
	// ResolveEntity finds the entity a user names; ResolveNode also a blank node ("_:b").
	ResolveEntity(ctx context.Context, name string) (quad.IRI, error)
	ResolveNode(ctx context.Context, name string) (quad.Value, error)
	// Label is a node's human label.
	Label(ctx context.Context, x quad.Value) string
	// Subjects and Objects are the other ends of the quads of a predicate at x.
	Subjects(ctx context.Context, pred string, x quad.Value) ([]quad.Value, error)
	Objects(ctx context.Context, x quad.Value, pred string) ([]quad.Value, error)
	// FactsWith is the fact quads with v in direction d; NearFacts those within depth
	// hops of starts.
	FactsWith(ctx context.Context, d quad.Direction, v quad.Value) ([]quad.Quad, error)
	NearFacts(ctx context.Context, starts []quad.Value, depth int, target quad.Value) ([]quad.Quad, error)
	// Facts renders quads with labels and provenance; Claim is one claim's provenance;
	// Match is the facts that fit a pattern.
	Facts(ctx context.Context, quads []quad.Quad) ([]graph.Fact, error)
	Claim(ctx context.Context, c quad.Value) (*graph.Fact, error)
	Match(ctx context.Context, p graph.Pattern) ([]graph.Fact, error)
}

var _ Reader = (*graph.Store)(nil)

// Analyst runs the analyses on one Reader.
type Analyst struct {
	r     Reader
	vocab *schema.Vocabulary
}

// New returns an analyst of r.
func New(r Reader) *Analyst {
	return &Analyst{r: r, vocab: r.Vocabulary()}
}

// node is v as printed: its ID and label.
func (a *Analyst) node(ctx context.Context, v quad.Value) graph.Node {
	return graph.Node{ID: schema.ID(v), Label: a.r.Label(ctx, v)}
}

// predicate gives a predicate its reading, forward or reverse.
func (a *Analyst) predicate(p quad.Value, reverse bool) graph.Predicate {
	return graph.PredicateOf(a.vocab, p, reverse)
}

// symmetric reports whether a predicate reads the same both ways (clashes with).
func (a *Analyst) symmetric(id string) bool {
	p := a.vocab.Predicate(id)
	return p != nil && p.Symmetric
}

// sortNodes orders nodes by label, then ID.
func sortNodes(ns []graph.Node) {
	slices.SortFunc(ns, func(a, b graph.Node) int {
		return cmp.Or(cmp.Compare(a.Label, b.Label), cmp.Compare(a.ID, b.ID))
	})
}

// ids returns the IDs of nodes as a set.
func ids(nodes []graph.Node) map[string]bool {
	out := make(map[string]bool, len(nodes))
	for _, n := range nodes {
		out[n.ID] = true
	}
	return out
}
