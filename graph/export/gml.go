package export

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/parley/parley/graph"
)

// WriteGML writes the subgraph as a directed GML graph. Nodes are numbered in order, with
// label, name (the parley ID; a literal's N-Quads notation), type, and yEd graphics (shape
// and fill by type); edges have label (the reading), predicate, polarity, modality, date,
// speaker, evidence and claim. Strings are 7-bit ASCII: quotes, ampersands and every other
// character are written as &#N; entities, as NetworkX does.
func WriteGML(w io.Writer, g *graph.Subgraph, opt Options) error {
	v := newView(g, opt.vocabulary())
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "graph [\n  directed 1\n")
	for _, n := range v.Nodes {
		st := styleOf(n.Type())
		fmt.Fprintf(bw, "  node [\n    id %d\n", n.Index)
		gmlAttr(bw, "label", n.Label)
		gmlAttr(bw, "name", n.ID)
		gmlAttr(bw, "type", n.Type())
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

// gmlString quotes s for GML: printable ASCII but '"' and '&' as is, the rest as &#N;.
func gmlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		if r < ' ' || r > '~' || r == '"' || r == '&' {
			fmt.Fprintf(&b, "&#%d;", r)
			continue
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}
