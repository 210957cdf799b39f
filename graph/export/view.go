package export

import (
	"strings"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/schema"
)

// TypeLiteral is the type given to the node of a literal object in graph formats.
const TypeLiteral = "Literal"

// node is a node as the graph formats draw it: an entity of the subgraph, or the literal
// object of a fact.
type node struct {
	Index   int    // position in view.Nodes, for formats that number their nodes
	ID      string // the entity's ID; a literal's N-Quads notation
	Label   string
	Types   []string
	Aliases []string
	Literal bool
}

// Type is the node's main type: the first of its types in the vocabulary's order, else
// its first type; TypeLiteral for a literal; "" for an untyped node.
func (n *node) Type() string {
	if n.Literal {
		return TypeLiteral
	}
	for _, t := range typeOrder() {
		for _, have := range n.Types {
			if have == t {
				return t
			}
		}
	}
	if len(n.Types) > 0 {
		return n.Types[0]
	}
	return ""
}

// typeOrder decides a node's main type when it has several.
func typeOrder() []string {
	return []string{
		schema.TypePerson, schema.TypeState, schema.TypeOrganization, schema.TypePlace, schema.TypeAsset,
		schema.TypePosition, schema.TypeEvent, schema.TypeRole, schema.TypeSource, schema.TypeClaim,
	}
}

// edge is a fact as the graph formats draw it.
type edge struct {
	Index     int
	From, To  *node
	Fact      graph.Fact
	Reading   string
	Polarity  schema.Polarity // "" for a predicate outside the vocabulary
	Symmetric bool
}

// Dashed reports whether the fact's claim is tentative: hedged, planned or considered.
func (e *edge) Dashed() bool {
	switch e.Fact.Modality {
	case schema.ModalityHedged, schema.ModalityPlanned, schema.ModalityConsidered:
		return true
	}
	return false
}

// view is a subgraph as nodes and edges, in a stable order: entities by ID, then literals
// in the order of the facts that end in them; edges in the order of the facts.
type view struct {
	Nodes []*node
	Edges []*edge
}

func newView(g *graph.Subgraph, vocab *schema.Vocabulary) *view {
	v := &view{}
	byID := make(map[string]*node, len(g.Nodes))
	add := func(n *node) *node {
		n.Index = len(v.Nodes)
		v.Nodes = append(v.Nodes, n)
		byID[n.ID] = n
		return n
	}
	for _, n := range g.Nodes {
		add(&node{ID: n.ID, Label: n.Label, Types: n.Types, Aliases: n.Aliases})
	}
	lookup := func(gn graph.Node) *node {
		if n, ok := byID[gn.ID]; ok {
			return n
		}
		// Not an entity of the subgraph: a literal, or (defensively) an undescribed node.
		return add(&node{ID: gn.ID, Label: gn.Label, Literal: isLiteralID(gn.ID)})
	}
	for i, f := range g.Facts {
		e := &edge{Index: i, From: lookup(f.Subject), To: lookup(f.Object), Fact: f, Reading: f.Predicate.Label}
		if d := vocab.Predicate(f.Predicate.ID); d != nil {
			e.Reading, e.Polarity, e.Symmetric = d.Reading, d.Polarity, d.Symmetric
		}
		if e.Reading == "" {
			e.Reading = f.Predicate.ID
		}
		v.Edges = append(v.Edges, e)
	}
	return v
}

// isLiteralID reports whether a node ID is a literal's N-Quads notation; IRIs and blank
// nodes never start with a quote.
func isLiteralID(id string) bool { return strings.HasPrefix(id, `"`) }

// wrap breaks text into lines of at most width runes at spaces; a longer word stays whole.
func wrap(text string, width int) []string {
	words := strings.Fields(text)
	if len(words) == 0 {
		return []string{""}
	}
	var lines []string
	line := words[0]
	for _, w := range words[1:] {
		if len([]rune(line))+1+len([]rune(w)) > width {
			lines = append(lines, line)
			line = w
			continue
		}
		line += " " + w
	}
	return append(lines, line)
}

// speakerLabel and sourceLabel are the labels of a fact's speaker and source, or "".
func speakerLabel(f graph.Fact) string {
	if f.Speaker == nil {
		return ""
	}
	return f.Speaker.Label
}

func sourceLabel(f graph.Fact) string {
	if f.Source == nil {
		return ""
	}
	return f.Source.Label
}
