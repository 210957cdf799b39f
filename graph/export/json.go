package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/parley/parley/graph"
)

// JSONGraph is the document the json format writes: nodes and edges for scripts, in the
// JSON vocabulary of every -o json (the README's "JSON").
type JSONGraph struct {
	Nodes []JSONNode `json:"nodes"`
	Edges []JSONEdge `json:"edges"`
}

// JSONNode is an entity, or a literal object (Literal set, ID its N-Quads notation); Date
// is an event's date.
type JSONNode struct {
	graph.Entity
	Literal bool   `json:"literal,omitempty"`
	Date    string `json:"date,omitempty"`
}

// JSONEdge is a fact: Source and Target are the IDs of the subject's and the object's
// nodes (as node-link JSON has them), the predicate is read forward, and the claim carries
// the provenance, its source document as "document".
type JSONEdge struct {
	Source    string          `json:"source"`
	Target    string          `json:"target"`
	Predicate graph.Predicate `json:"predicate"`
	Polarity  string          `json:"polarity,omitempty"` // pro, con or neutral; empty outside the vocabulary
	Claim     *graph.Claim    `json:"claim,omitempty"`
}

// WriteJSON writes the subgraph as a JSONGraph, indented.
func WriteJSON(w io.Writer, g *graph.Subgraph, opt Options) error {
	v := newView(g, opt.vocabulary())
	doc := JSONGraph{Nodes: []JSONNode{}, Edges: []JSONEdge{}}
	for _, n := range v.Nodes {
		jn := JSONNode{Entity: graph.Entity{ID: n.ID, Label: n.Label, Types: n.Types, Aliases: n.Aliases}, Literal: n.Literal, Date: n.Date}
		if jn.Types == nil {
			jn.Types = []string{}
		}
		if jn.Aliases == nil {
			jn.Aliases = []string{}
		}
		doc.Nodes = append(doc.Nodes, jn)
	}
	for _, e := range v.Edges {
		f := e.Fact
		doc.Edges = append(doc.Edges, JSONEdge{
			Source: e.From.ID, Target: e.To.ID, Predicate: graph.Predicate{ID: f.Predicate.ID, Reading: e.Reading},
			Polarity: string(e.Polarity), Claim: f.JSON().Claim,
		})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}
