package export

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/parley/parley/graph"
)

// WriteMermaid writes the subgraph as a Mermaid flowchart ("graph LR"). Nodes get safe
// IDs (n0, n1, ...) and quoted, escaped labels, shaped by type as in DOT; there is one edge
// line a fact, labelled with its reading, dashed for a hedged, planned or considered claim,
// without an arrow for a symmetric predicate. Edges are coloured by polarity and nodes
// filled by type with linkStyle and classDef lines after them.
func WriteMermaid(w io.Writer, g *graph.Subgraph, opt Options) error {
	v := newTextView(g, opt.vocabulary())
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "graph LR")
	byClass := map[string][]string{}
	for _, n := range v.Nodes {
		t := n.Type()
		st := styleOf(t)
		id := "n" + strconv.Itoa(n.Index)
		label := mermaidText(n.Label)
		if n.Date != "" {
			label += "<br>" + mermaidText(n.Date)
		}
		fmt.Fprintf(bw, "  %s%s\"%s\"%s\n", id, st.MermaidL, label, st.MermaidR)
		if mermaidClass(t) {
			byClass[t] = append(byClass[t], id)
		}
	}
	byColour := map[string][]string{}
	for _, e := range v.Edges {
		arrow := "-->"
		switch {
		case e.Symmetric && e.Dashed():
			arrow = "-.-"
		case e.Symmetric:
			arrow = "---"
		case e.Dashed():
			arrow = "-.->"
		}
		fmt.Fprintf(bw, "  n%d %s|\"%s\"| n%d\n", e.From.Index, arrow, mermaidText(e.Reading), e.To.Index)
		c := polarityColour(e.Polarity)
		byColour[c] = append(byColour[c], strconv.Itoa(e.Index))
	}
	for _, c := range sortedKeys(byColour) {
		fmt.Fprintf(bw, "  linkStyle %s stroke:%s,color:%s\n", strings.Join(byColour[c], ","), c, c)
	}
	for _, t := range sortedKeys(byClass) {
		st := styleOf(t)
		dash := ""
		if t == TypeLiteral {
			dash = ",stroke-dasharray:4 3"
		}
		fmt.Fprintf(bw, "  classDef %s fill:%s,stroke:#555555%s\n", t, st.Fill, dash)
		fmt.Fprintf(bw, "  class %s %s\n", strings.Join(byClass[t], ","), t)
	}
	return bw.Flush()
}

// mermaidClass reports whether a type gets a classDef: parley's types and literals, whose
// names are safe as class names.
func mermaidClass(t string) bool {
	if t == TypeLiteral {
		return true
	}
	for _, known := range typeOrder() {
		if t == known {
			return true
		}
	}
	return false
}

// mermaidText escapes a label for a quoted Mermaid string: the characters Mermaid or its
// HTML labels would read are written as entity codes, line breaks as spaces.
func mermaidText(s string) string {
	return strings.NewReplacer(
		"#", "#35;", `"`, "#quot;", "<", "#lt;", ">", "#gt;", "&", "#amp;",
		"|", "#124;", "`", "#96;", "\r\n", " ", "\n", " ", "\r", " ",
	).Replace(s)
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
