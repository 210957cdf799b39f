package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/parley/parley/graph"
)

// JSONGraph is the document the json format writes: nodes and edges for scripts.
type JSONGraph struct {
	Nodes []JSONNode `json:"nodes"`
	Edges []JSONEdge `json:"edges"`
}

// JSONNode is an entity, or a literal object (Literal set, ID its N-Quads notation).
type JSONNode struct {
	ID      string   `json:"id"`
	Label   string   `json:"label"`
	Types   []string `json:"types"`
	Aliases []string `json:"aliases"`
	Literal bool     `json:"literal,omitempty"`
}

// JSONEdge is a fact with its reading, polarity and the provenance of its claim.
type JSONEdge struct {
	Source    string      `json:"source"` // the subject's node ID
	Target    string      `json:"target"` // the object's node ID
	Predicate string      `json:"predicate"`
	Reading   string      `json:"reading"`
	Polarity  string      `json:"polarity,omitempty"` // pro, con or neutral; empty outside the vocabulary
	Claim     string      `json:"claim,omitempty"`
	Evidence  string      `json:"evidence,omitempty"`
	Speaker   *graph.Node `json:"speaker,omitempty"`
	Modality  string      `json:"modality,omitempty"`
	Date      string      `json:"date,omitempty"`
	SourceDoc *graph.Node `json:"sourceDoc,omitempty"` // the claim's source document
}

// WriteJSON writes the subgraph as a JSONGraph, indented.
func WriteJSON(w io.Writer, g *graph.Subgraph, opt Options) error {
	v := newView(g, opt.vocabulary())
	doc := JSONGraph{Nodes: []JSONNode{}, Edges: []JSONEdge{}}
	for _, n := range v.Nodes {
		jn := JSONNode{ID: n.ID, Label: n.Label, Types: n.Types, Aliases: n.Aliases, Literal: n.Literal}
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
			Source: e.From.ID, Target: e.To.ID, Predicate: f.Predicate.ID, Reading: e.Reading,
			Polarity: string(e.Polarity), Claim: f.Claim, Evidence: f.Evidence, Speaker: f.Speaker,
			Modality: f.Modality, Date: f.Date, SourceDoc: f.Source,
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
