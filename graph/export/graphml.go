package export

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/parley/parley/graph"
)

// GraphML documents, as encoding/xml writes them.
type (
	graphML struct {
		XMLName xml.Name     `xml:"graphml"`
		XMLNS   string       `xml:"xmlns,attr"`
		Keys    []graphMLKey `xml:"key"`
		Graph   graphMLGraph `xml:"graph"`
	}
	graphMLKey struct {
		ID   string `xml:"id,attr"`
		For  string `xml:"for,attr"`
		Name string `xml:"attr.name,attr"`
		Type string `xml:"attr.type,attr"`
	}
	graphMLGraph struct {
		ID          string        `xml:"id,attr"`
		EdgeDefault string        `xml:"edgedefault,attr"`
		Nodes       []graphMLNode `xml:"node"`
		Edges       []graphMLEdge `xml:"edge"`
	}
	graphMLNode struct {
		ID   string        `xml:"id,attr"`
		Data []graphMLData `xml:"data"`
	}
	graphMLEdge struct {
		ID     string        `xml:"id,attr"`
		Source string        `xml:"source,attr"`
		Target string        `xml:"target,attr"`
		Data   []graphMLData `xml:"data"`
	}
	graphMLData struct {
		Key   string `xml:"key,attr"`
		Value string `xml:",chardata"`
	}
)

// graphMLKeys declares the attributes, by the names Gephi, yEd and Cytoscape read.
func graphMLKeys() []graphMLKey {
	keys := []graphMLKey{
		{"n_label", "node", "label", "string"},
		{"n_type", "node", "type", "string"},
		{"n_aliases", "node", "aliases", "string"},
		{"n_date", "node", "date", "string"},
		{"e_label", "edge", "label", "string"},
		{"e_predicate", "edge", "predicate", "string"},
		{"e_polarity", "edge", "polarity", "string"},
		{"e_modality", "edge", "modality", "string"},
		{"e_date", "edge", "date", "string"},
		{"e_speaker", "edge", "speaker", "string"},
		{"e_evidence", "edge", "evidence", "string"},
		{"e_claim", "edge", "claim", "string"},
		{"e_document", "edge", "document", "string"},
		{"e_weight", "edge", "weight", "double"},
	}
	return keys
}

// WriteGraphML writes the subgraph as GraphML: nodes with label, type (the main type,
// Literal for a literal), aliases and an event's date; edges with label (the reading),
// predicate, polarity, modality, date, speaker, evidence, claim, document (the claim's
// source; "source" is the edge's start in GraphML) and weight (1 a fact). Every key is
// declared for node or edge; empty values are left out; control characters are written
// as visible escapes, which also keeps the XML well-formed.
func WriteGraphML(w io.Writer, g *graph.Subgraph, opt Options) error {
	v := newTextView(g, opt.vocabulary())
	doc := graphML{
		XMLNS: "http://graphml.graphdrawing.org/xmlns",
		Keys:  graphMLKeys(),
		Graph: graphMLGraph{ID: "parley", EdgeDefault: "directed"},
	}
	for _, n := range v.Nodes {
		gn := graphMLNode{ID: n.ID}
		gn.Data = appendData(gn.Data, "n_label", n.Label)
		gn.Data = appendData(gn.Data, "n_type", n.Type())
		gn.Data = appendData(gn.Data, "n_aliases", strings.Join(n.Aliases, "; "))
		gn.Data = appendData(gn.Data, "n_date", n.Date)
		doc.Graph.Nodes = append(doc.Graph.Nodes, gn)
	}
	for _, e := range v.Edges {
		f := e.Fact
		ge := graphMLEdge{ID: fmt.Sprintf("e%d", e.Index), Source: e.From.ID, Target: e.To.ID}
		for _, d := range [][2]string{
			{"e_label", e.Reading}, {"e_predicate", f.Predicate.ID}, {"e_polarity", string(e.Polarity)},
			{"e_modality", f.Modality}, {"e_date", f.Date}, {"e_speaker", speakerLabel(f)},
			{"e_evidence", f.Evidence}, {"e_claim", f.Claim}, {"e_document", sourceLabel(f)},
			{"e_weight", "1.0"},
		} {
			ge.Data = appendData(ge.Data, d[0], d[1])
		}
		doc.Graph.Edges = append(doc.Graph.Edges, ge)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write GraphML: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("write GraphML: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func appendData(data []graphMLData, key, value string) []graphMLData {
	if value == "" {
		return data
	}
	return append(data, graphMLData{Key: key, Value: value})
}
