package export

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/schema"
)

// dotFont is the font of every label: one Graphviz knows the metrics of without
// fontconfig, so that dot sizes the boxes right.
const dotFont = "Helvetica"

// labelWidth is the width, in characters, labels wrap at.
const labelWidth = 24

// WriteDOT writes the subgraph as a Graphviz digraph laid out left to right. Nodes are
// named by their IDs and labelled with their labels, shaped and filled by type (Person
// ellipse, State box, Organization hexagon, Place house, Asset cylinder, Position note,
// Event diamond, Role plain text, a literal a dashed rounded box). Edges are labelled with
// the predicate's reading and coloured by its polarity (pro green, con red, else grey);
// a hedged, planned or considered claim is dashed, a refused one dotted; a symmetric
// predicate has no arrow. Tooltips carry types, IDs and evidence.
func WriteDOT(w io.Writer, g *graph.Subgraph, opt Options) error {
	return writeDOT(w, newTextView(g, opt.vocabulary()))
}

func writeDOT(w io.Writer, v *view) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "digraph parley {\n")
	fmt.Fprintf(bw, "  graph [rankdir=LR, fontname=%s, nodesep=0.3, ranksep=0.6, pad=0.2];\n", dotQuote(dotFont))
	fmt.Fprintf(bw, "  node [fontname=%s, fontsize=11, color=\"#555555\", margin=\"0.15,0.06\"];\n", dotQuote(dotFont))
	fmt.Fprintf(bw, "  edge [fontname=%s, fontsize=9, arrowsize=0.7];\n", dotQuote(dotFont))
	for _, n := range v.Nodes {
		st := styleOf(n.Type())
		attrs := []string{
			"label=" + dotQuote(strings.Join(n.caption(labelWidth), "\n")),
			"shape=" + st.Shape,
		}
		if st.DOTStyles != "" {
			attrs = append(attrs, "style="+dotQuote(st.DOTStyles), "fillcolor="+dotQuote(st.Fill))
		}
		if n.Literal {
			attrs = append(attrs, "fontsize=9")
		}
		tip := n.ID
		if t := n.Type(); t != "" {
			tip = t + " " + n.ID
		}
		attrs = append(attrs, "tooltip="+dotQuote(tip))
		if n.Date != "" {
			attrs = append(attrs, "date="+dotQuote(n.Date))
		}
		fmt.Fprintf(bw, "  %s [%s];\n", dotQuote(n.ID), strings.Join(attrs, ", "))
	}
	for _, e := range v.Edges {
		colour := polarityColour(e.Polarity)
		attrs := []string{
			"label=" + dotQuote(e.Reading),
			"color=" + dotQuote(colour),
			"fontcolor=" + dotQuote(colour),
		}
		switch {
		case e.Dashed():
			attrs = append(attrs, "style=dashed")
		case e.Fact.Modality == schema.ModalityRefused:
			attrs = append(attrs, "style=dotted")
		}
		if e.Symmetric {
			attrs = append(attrs, "dir=none")
		}
		if tip := edgeTooltip(e); tip != "" {
			attrs = append(attrs, "tooltip="+dotQuote(tip))
		}
		fmt.Fprintf(bw, "  %s -> %s [%s];\n", dotQuote(e.From.ID), dotQuote(e.To.ID), strings.Join(attrs, ", "))
	}
	fmt.Fprintf(bw, "}\n")
	return bw.Flush()
}

// edgeTooltip is the evidence of an edge's claim with its modality and speaker.
func edgeTooltip(e *edge) string {
	f := e.Fact
	if f.Evidence == "" {
		return f.Modality
	}
	tip := "“" + f.Evidence + "” — " + f.Modality
	if f.Speaker != nil {
		tip += ", said by " + f.Speaker.Label
	}
	return tip
}

// dotQuote writes s as a quoted DOT string: quotes and backslashes escaped, line breaks
// as \n.
func dotQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace(s) + `"`
}
