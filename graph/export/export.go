// Package export writes a subgraph of the store (graph.Subgraph) in formats other tools
// read: N-Quads and JSON-LD that load back into parley, JSON for scripts, DOT, GraphML, GML,
// CSV and Mermaid for graph tools and documents, SVG or PNG pictures laid out by parley
// itself (a layered layout in the manner of Graphviz's dot, in pure Go), and claim sheets
// to edit and load again.
//
// Every writer draws the same picture of a subgraph: its entities are nodes, its facts are
// edges, one edge a fact; a literal object (an event's casualties, a foreign name) is a
// small node of its own, named by its N-Quads notation, so no format loses a fact.
package export

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/graph/sheet"
	"github.com/parley/parley/schema"
)

// Options tune the writers.
type Options struct {
	// Short writes parley's short, relative IRIs in N-Quads (<putin>), as Cayley's own
	// tools write and read them, instead of absolute ones (schema.Expand), which every
	// RDF tool reads. Loading either gives the same store.
	Short bool
	// Vocabulary gives predicates their readings, polarity and symmetry; nil means
	// schema.Default().
	Vocabulary *schema.Vocabulary
}

func (o Options) vocabulary() *schema.Vocabulary {
	if o.Vocabulary != nil {
		return o.Vocabulary
	}
	return schema.Default()
}

// WriteFunc writes a subgraph to w in one format.
type WriteFunc func(w io.Writer, g *graph.Subgraph, opt Options) error

// Format is an export format: its name, the file extensions that select it and its writer.
type Format struct {
	Name       string
	Extensions []string // with the dot, lower case; the first is the usual one
	Binary     bool     // not text: kept off a terminal
	QuadsOnly  bool     // writes only the subgraph's quads, not its facts and nodes
	Doc        string
	Write      WriteFunc
}

// Format names.
const (
	NQuads  = "nquads"
	JSONLD  = "jsonld"
	JSON    = "json"
	DOT     = "dot"
	GraphML = "graphml"
	GML     = "gml"
	CSV     = "csv"
	Mermaid = "mermaid"
	SVG     = "svg"
	PNG     = "png"
	Sheet   = sheet.Format
)

// Formats lists the export formats.
func Formats() []Format {
	return []Format{
		{Name: NQuads, Extensions: []string{".nq", ".nquads"}, Doc: "W3C N-Quads, absolute IRIs (--short: Cayley's short ones)", QuadsOnly: true, Write: WriteNQuads},
		{Name: JSONLD, Extensions: []string{".jsonld"}, Doc: "JSON-LD with absolute IRIs, an @context and a named graph per claim", QuadsOnly: true, Write: WriteJSONLD},
		{Name: JSON, Extensions: []string{".json"}, Doc: "nodes and edges with readings and provenance, for scripts", Write: WriteJSON},
		{Name: DOT, Extensions: []string{".dot", ".gv"}, Doc: "Graphviz: nodes shaped by type, edges coloured by polarity", Write: WriteDOT},
		{Name: GraphML, Extensions: []string{".graphml"}, Doc: "GraphML with declared node and edge attributes (Gephi, yEd, Cytoscape)", Write: WriteGraphML},
		{Name: GML, Extensions: []string{".gml"}, Doc: "GML with ids, labels and types (Gephi, yEd, igraph)", Write: WriteGML},
		{Name: CSV, Extensions: []string{".csv"}, Doc: "one edge a row, with labels, claim and evidence", Write: WriteCSV},
		{Name: Mermaid, Extensions: []string{".mmd", ".mermaid"}, Doc: "a Mermaid flowchart for Markdown documents", Write: WriteMermaid},
		{Name: SVG, Extensions: []string{".svg"}, Doc: "a picture with a legend, laid out in layers by parley itself", Write: WriteSVG},
		{Name: PNG, Extensions: []string{".png"}, Binary: true, Doc: "the same picture as an image, to a file or a pipe", Write: WritePNG},
		{Name: Sheet, Extensions: sheet.Extensions(), Doc: "claim sheets, one per source, to edit and load again", QuadsOnly: true, Write: WriteSheet},
	}
}

// Names lists the format names.
func Names() []string {
	var out []string
	for _, f := range Formats() {
		out = append(out, f.Name)
	}
	return out
}

// UnknownFormatError says a name or file extension selects no format.
type UnknownFormatError struct {
	Name string // the format name, or the file name whose extension was asked
	File bool   // Name is a file name
}

func (e *UnknownFormatError) Error() string {
	if e.File {
		return fmt.Sprintf("cannot tell the format of %s from its extension; give --format (formats: %s)", e.Name, strings.Join(Names(), ", "))
	}
	return fmt.Sprintf("unknown format %q (formats: %s)", e.Name, strings.Join(Names(), ", "))
}

// ByName returns the format with the given name, case-insensitively.
func ByName(name string) (Format, error) {
	for _, f := range Formats() {
		if strings.EqualFold(f.Name, name) {
			return f, nil
		}
	}
	return Format{}, &UnknownFormatError{Name: name}
}

// FromExtension returns the format a file name's extension selects.
func FromExtension(file string) (Format, error) {
	ext := strings.ToLower(filepath.Ext(file))
	for _, f := range Formats() {
		for _, e := range f.Extensions {
			if ext == e {
				return f, nil
			}
		}
	}
	return Format{}, &UnknownFormatError{Name: file, File: true}
}
