package export

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/parley/parley/graph"
)

// textFormats are the formats a terminal may show: they write control characters as
// visible escapes.
func textFormats() []string { return []string{CSV, DOT, Mermaid, GML, GraphML, SVG} }

// TestNoControlCharacters exports the hostile fixture, whose event's label sets a
// terminal's title (ESC ] 0 ; … BEL) and holds a C1 CSI, in every text format: no control
// character but tab and newline reaches the file, and the escape is written visibly.
func TestNoControlCharacters(t *testing.T) {
	g := hostile()
	for _, name := range textFormats() {
		out := string(write(t, name, g, Options{}))
		for i, r := range out {
			if isControl(r) || r == '\r' {
				t.Errorf("%s: control character %U at %d", name, r, i)
				break
			}
		}
		visible := `\u001B]0;pwned\u0007`
		if name == DOT {
			visible = `\\u001B]0;pwned\\u0007` // a backslash in a DOT string is doubled
		}
		if !strings.Contains(out, visible) {
			t.Errorf("%s: the escape sequence is not written visibly", name)
		}
	}
	if got := safeText("a\x1bb\tc\nd\u009be\x7f"); got != `a\u001Bb`+"\tc\nd"+`\u009Be\u007F` {
		t.Errorf("safeText = %q", got)
	}
}

// TestXMLWellFormed parses GraphML and SVG of every fixture as XML.
func TestXMLWellFormed(t *testing.T) {
	for _, fx := range fixtures(t) {
		for _, name := range []string{GraphML, SVG} {
			dec := xml.NewDecoder(bytes.NewReader(write(t, name, fx.g, Options{})))
			for {
				_, err := dec.Token()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Errorf("%s %s: %v", fx.name, name, err)
					break
				}
			}
		}
	}
}

// TestEventDates checks that every graph format keeps an event's date, from its <date>
// quad, on the event's node.
func TestEventDates(t *testing.T) {
	g := hostile()
	for _, name := range []string{JSON, DOT, GraphML, GML, Mermaid, SVG} {
		if out := string(write(t, name, g, Options{})); !strings.Contains(out, "2025-03-19") {
			t.Errorf("%s: the event's date 2025-03-19 is lost", name)
		}
	}
}

// TestDocumentIsNotSource checks that no graph format calls the claim's source document
// "source", the name GraphML, GML and node-link JSON give an edge's start.
func TestDocumentIsNotSource(t *testing.T) {
	g := hostile()
	graphml := string(write(t, GraphML, g, Options{}))
	if strings.Contains(graphml, `attr.name="source"`) || !strings.Contains(graphml, `attr.name="document"`) {
		t.Errorf("GraphML declares no document attribute, or one named source")
	}
	gml := string(write(t, GML, g, Options{}))
	if !strings.Contains(gml, `document "Wire, &quot;quoted&quot;"`) {
		t.Errorf("GML has no document attribute:\n%s", gml)
	}
	csv := string(write(t, CSV, g, Options{}))
	if !strings.HasSuffix(strings.SplitN(csv, "\n", 2)[0], ",claim,document") {
		t.Errorf("CSV header: %s", strings.SplitN(csv, "\n", 2)[0])
	}
}

// TestGMLMultigraph checks that GML declares a multigraph, so that parallel edges (two
// facts between the same two entities) load in NetworkX.
func TestGMLMultigraph(t *testing.T) {
	g := hostile()
	f := g.Facts[0]
	f.Predicate = graph.Predicate{ID: "supports", Reading: "supports"}
	g.Facts = append(g.Facts, f)
	if out := string(write(t, GML, g, Options{})); !strings.Contains(out, "  directed 1\n  multigraph 1\n") {
		t.Errorf("GML with parallel edges declares no multigraph:\n%s", out)
	}
}
