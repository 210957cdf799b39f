package export

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/parley/parley/graph"
)

// WriteGML writes the subgraph as a directed multigraph in GML ("multigraph 1": one edge
// a fact, so two facts between the same entities are parallel edges, which NetworkX
// refuses unless the graph says so). Nodes are numbered in order, with label, name (the
// parley ID; a literal's N-Quads notation), type, an event's date, and yEd graphics
// (shape and fill by type); edges have label (the reading), predicate, polarity,
// modality, date, speaker, evidence, claim and document (the claim's source).
//
// Strings are 7-bit ASCII, as GML says and NetworkX demands: quotes and ampersands are
// &quot; and &amp;, which NetworkX and igraph both decode; typographic punctuation is
// written as its ASCII twin (’ as ', “ as ", – as -, … as ...), so that the text reads
// the same in every tool; any other character is an &#N; entity, which NetworkX decodes
// and igraph (0.10) shows as it is.
func WriteGML(w io.Writer, g *graph.Subgraph, opt Options) error {
	v := newTextView(g, opt.vocabulary())
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "graph [\n  directed 1\n  multigraph 1\n")
	for _, n := range v.Nodes {
		st := styleOf(n.Type())
		fmt.Fprintf(bw, "  node [\n    id %d\n", n.Index)
		gmlAttr(bw, "label", n.Label)
		gmlAttr(bw, "name", n.ID)
		gmlAttr(bw, "type", n.Type())
		gmlAttr(bw, "date", n.Date)
		fmt.Fprintf(bw, "    graphics [\n      type %s\n      fill %s\n    ]\n", gmlString(st.GMLShape), gmlString(strings.ToUpper(st.Fill)))
		fmt.Fprintf(bw, "  ]\n")
	}
	for _, e := range v.Edges {
		f := e.Fact
		fmt.Fprintf(bw, "  edge [\n    source %d\n    target %d\n", e.From.Index, e.To.Index)
		gmlAttr(bw, "label", e.Reading)
		gmlAttr(bw, "predicate", f.Predicate.ID)
		gmlAttr(bw, "polarity", string(e.Polarity))
		gmlAttr(bw, "modality", f.Modality)
		gmlAttr(bw, "date", f.Date)
		gmlAttr(bw, "speaker", speakerLabel(f))
		gmlAttr(bw, "evidence", f.Evidence)
		gmlAttr(bw, "claim", f.Claim)
		gmlAttr(bw, "document", sourceLabel(f))
		fmt.Fprintf(bw, "    graphics [\n      fill %s\n    ]\n", gmlString(strings.ToUpper(polarityColour(e.Polarity))))
		fmt.Fprintf(bw, "  ]\n")
	}
	fmt.Fprintf(bw, "]\n")
	return bw.Flush()
}

// gmlAttr writes a string attribute unless it is empty.
func gmlAttr(w io.Writer, key, value string) {
	if value != "" {
		fmt.Fprintf(w, "    %s %s\n", key, gmlString(value))
	}
}

// gmlString quotes s for GML in 7-bit ASCII (see WriteGML).
func gmlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString("&quot;")
		case r == '&':
			b.WriteString("&amp;")
		case r >= ' ' && r <= '~':
			b.WriteRune(r)
		case asciiTwin(r) != "":
			b.WriteString(asciiTwin(r))
		default:
			fmt.Fprintf(&b, "&#%d;", r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// asciiTwin is the ASCII form of typographic punctuation, for GML; "" for other runes.
func asciiTwin(r rune) string {
	switch r {
	case '‘', '’', '‚', '′':
		return "'"
	case '“', '”', '„', '″':
		return "&quot;"
	case '–', '—', '‐', '‑', '−':
		return "-"
	case '…':
		return "..."
	case '\u00a0', '\u2009', '\u202f':
		return " "
	}
	return ""
}
