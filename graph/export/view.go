package export

import (
	"fmt"
	"slices"
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
	Date    string // an event's date, from its <date> quad
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
	for _, q := range g.Quads {
		if schema.ID(q.Predicate) != schema.PredDate {
			continue
		}
		if n, ok := byID[schema.ID(q.Subject)]; ok && n.Date == "" {
			n.Date = schema.Text(q.Object)
		}
	}
	lookup := func(gn graph.Node) *node {
		if n, ok := byID[gn.ID]; ok {
			return n
		}
		// Not an entity of the subgraph: a literal, or (defensively) an undescribed node.
		return add(&node{ID: gn.ID, Label: gn.Label, Literal: isLiteralID(gn.ID)})
	}
	for i, f := range g.Facts {
		e := &edge{Index: i, From: lookup(f.Subject), To: lookup(f.Object), Fact: f, Reading: f.Predicate.Reading}
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

// NodeCount is the number of nodes every graph format draws for a subgraph: its entities
// and the literal objects of its facts.
func NodeCount(g *graph.Subgraph) int { return len(newView(g, schema.Default()).Nodes) }

// newTextView is newView with every text made safe to show (safeText): the view of the
// formats a terminal may print (CSV, DOT, Mermaid, GML, GraphML) and of the pictures.
func newTextView(g *graph.Subgraph, vocab *schema.Vocabulary) *view {
	v := newView(g, vocab)
	for _, n := range v.Nodes {
		n.ID, n.Label, n.Date = safeText(n.ID), safeText(n.Label), safeText(n.Date)
		n.Aliases = slices.Clone(n.Aliases)
		for i, a := range n.Aliases {
			n.Aliases[i] = safeText(a)
		}
	}
	for _, e := range v.Edges {
		f := &e.Fact
		e.Reading = safeText(e.Reading)
		f.Predicate.ID, f.Claim, f.Evidence, f.Condition, f.Date, f.Modality = safeText(f.Predicate.ID), safeText(f.Claim), safeText(f.Evidence), safeText(f.Condition), safeText(f.Date), safeText(f.Modality)
		for _, p := range []**graph.Node{&f.Speaker, &f.Source} {
			if *p != nil {
				*p = &graph.Node{ID: safeText((*p).ID), Label: safeText((*p).Label)}
			}
		}
	}
	return v
}

// caption is the node's label wrapped at width, and an event's date on a line of its own.
func (n *node) caption(width int) []string {
	lines := wrap(n.Label, width)
	if n.Date != "" {
		lines = append(lines, n.Date)
	}
	return lines
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

// safeText writes the control characters of s (C0 but tab and newline, DEL, C1) as
// visible \u escapes ("\u001B"), so that a label holding an escape sequence cannot drive
// the terminal that shows an exported file, and XML stays well-formed. Every text format
// but N-Quads, JSON-LD and JSON (which escape them by their own rules) writes text
// through it.
func safeText(s string) string { return escapeRunes(s, isControl) }

// escapeRunes writes the runes of s that bad picks as \u escapes ("\u001B").
func escapeRunes(s string, bad func(rune) bool) string {
	if !strings.ContainsFunc(s, bad) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if bad(r) {
			fmt.Fprintf(&b, `\u%04X`, r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isControl(r rune) bool {
	return (r < 0x20 && r != '\t' && r != '\n') || (r >= 0x7f && r < 0xa0)
}
