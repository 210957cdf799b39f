package export

import (
	"bytes"
	"encoding/xml"
	"image"
	"image/png"
	"regexp"
	"strings"
	"testing"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/schema"
)

// svgElement is an element of an SVG document, with its children.
type svgElement struct {
	XMLName  xml.Name
	Attrs    []xml.Attr   `xml:",any,attr"`
	Children []svgElement `xml:",any"`
	Text     string       `xml:",chardata"`
}

func (e *svgElement) attr(name string) string {
	for _, a := range e.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// all lists the element and its descendants named name, in document order.
func (e *svgElement) all(name string) []*svgElement {
	var out []*svgElement
	if e.XMLName.Local == name {
		out = append(out, e)
	}
	for i := range e.Children {
		out = append(out, e.Children[i].all(name)...)
	}
	return out
}

// TestSVG checks the picture is a well-formed SVG document sized in points, with one
// group a node, filled as its type says, and one group an edge, stroked in its
// polarity's colour, dashed or dotted as its modality says, with an arrowhead unless its
// predicate is symmetric, its reading written out and its evidence in its tooltip.
func TestSVG(t *testing.T) {
	cases := append(fixtures(t), fixture{"empty", &graph.Subgraph{}})
	for _, fx := range cases {
		t.Run(fx.name, func(t *testing.T) {
			out := write(t, SVG, fx.g, Options{})
			var root svgElement
			if err := xml.Unmarshal(out, &root); err != nil {
				t.Fatalf("invalid XML: %v", err)
			}
			if root.XMLName.Local != "svg" {
				t.Fatalf("root element %q", root.XMLName.Local)
			}
			size := regexp.MustCompile(`^[1-9][0-9]*pt$`)
			if !size.MatchString(root.attr("width")) || !size.MatchString(root.attr("height")) || root.attr("viewBox") == "" {
				t.Errorf("width %q, height %q, viewBox %q", root.attr("width"), root.attr("height"), root.attr("viewBox"))
			}
			v := newTextView(fx.g, Options{}.vocabulary())
			var nodes, edges []*svgElement
			for _, g := range root.all("g") {
				switch g.attr("class") {
				case "node":
					nodes = append(nodes, g)
				case "edge":
					edges = append(edges, g)
				}
			}
			if len(nodes) != len(v.Nodes) || len(edges) != len(fx.g.Facts) {
				t.Fatalf("%d node groups and %d edge groups, want %d and %d", len(nodes), len(edges), len(v.Nodes), len(fx.g.Facts))
			}
			for i, g := range nodes {
				checkSVGNode(t, v.Nodes[i], g)
			}
			for i, g := range edges {
				checkSVGEdge(t, v.Edges[i], g)
			}
		})
	}
}

func checkSVGNode(t *testing.T, n *node, g *svgElement) {
	t.Helper()
	st, paths := styleOf(n.Type()), g.all("path")
	want := st.Fill
	switch {
	case n.Literal:
		want = background
	case st.Shape == "plaintext":
		if len(paths) != 0 {
			t.Errorf("node %s: plain text drawn with %d paths", n.ID, len(paths))
		}
		return
	case st.DOTStyles == "":
		want = "none"
	}
	if len(paths) == 0 || paths[0].attr("fill") != want || paths[0].attr("stroke") != outlineColour {
		t.Errorf("node %s (%s): want a shape filled %s outlined %s, got %v", n.ID, n.Type(), want, outlineColour, paths)
	}
	var text []string
	for _, e := range g.all("text") {
		text = append(text, e.Text)
	}
	if got, want := strings.Join(text, " "), strings.Join(n.caption(labelWidth), " "); got != want {
		t.Errorf("node %s: label %q, want %q", n.ID, got, want)
	}
}

func checkSVGEdge(t *testing.T, e *edge, g *svgElement) {
	t.Helper()
	paths, colour := g.all("path"), polarityColour(e.Polarity)
	if len(paths) == 0 || paths[0].attr("stroke") != colour || paths[0].attr("fill") != "none" {
		t.Fatalf("edge %d: want a curve stroked %s, got %v", e.Index, colour, paths)
	}
	dash := ""
	switch {
	case e.Dashed():
		dash = "5,3"
	case e.Fact.Modality == schema.ModalityRefused:
		dash = "1,3"
	}
	if got := paths[0].attr("stroke-dasharray"); got != dash {
		t.Errorf("edge %d (%s): dashes %q, want %q", e.Index, e.Fact.Modality, got, dash)
	}
	if arrows := len(paths) - 1; arrows != 1 && !e.Symmetric || arrows != 0 && e.Symmetric {
		t.Errorf("edge %d (%s): %d arrowheads", e.Index, e.Reading, arrows)
	}
	var text []string
	for _, x := range g.all("text") {
		text = append(text, x.Text)
	}
	if got := strings.Join(text, " "); got != e.Reading {
		t.Errorf("edge %d: label %q, want %q", e.Index, got, e.Reading)
	}
	if titles := g.all("title"); len(titles) != 1 || !strings.Contains(titles[0].Text, e.Fact.Evidence) {
		t.Errorf("edge %d: tooltip %v lacks the evidence %q", e.Index, titles, e.Fact.Evidence)
	}
}

// TestPNG checks the picture decodes and draws lines, not only fills and text: the
// largest connected run of pixels in each edge colour (pro green, con red) and in the node
// outline colour must span a good distance, as a stroked curve or outline does and a
// glyph or an arrowhead does not.
func TestPNG(t *testing.T) {
	fx := fixtures(t)[0]
	out := write(t, PNG, fx.g, Options{})
	if !bytes.HasPrefix(out, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatalf("no PNG signature: %q", out[:8])
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	if b.Dx() < 400 || b.Dy() < 400 {
		t.Fatalf("picture is %dx%d", b.Dx(), b.Dy())
	}
	for _, c := range []struct {
		name    string
		r, g, b uint32
	}{
		{"pro edges", 0x2e, 0x7d, 0x32},
		{"con edges", 0xc6, 0x28, 0x28},
		{"node outlines", 0x55, 0x55, 0x55},
	} {
		if got := longestRun(img, c.r, c.g, c.b); got < 100 {
			t.Errorf("%s: the longest line is %d pixels", c.name, got)
		}
	}
}

// longestRun is the largest extent, across or down, of a connected set of pixels near a
// colour.
func longestRun(img image.Image, r, g, b uint32) int {
	bounds := img.Bounds()
	w, h := bounds.Dx(), bounds.Dy()
	in := make([]bool, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			pr, pg, pb, _ := img.At(bounds.Min.X+x, bounds.Min.Y+y).RGBA()
			in[y*w+x] = near(pr>>8, pg>>8, pb>>8, r, g, b)
		}
	}
	best := 0
	seen := make([]bool, w*h)
	for start := range in {
		if !in[start] || seen[start] {
			continue
		}
		minX, maxX, minY, maxY := w, 0, h, 0
		stack := []int{start}
		seen[start] = true
		for len(stack) > 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := p%w, p/w
			minX, maxX, minY, maxY = min(minX, x), max(maxX, x), min(minY, y), max(maxY, y)
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					nx, ny := x+dx, y+dy
					if nx >= 0 && ny >= 0 && nx < w && ny < h && in[ny*w+nx] && !seen[ny*w+nx] {
						seen[ny*w+nx] = true
						stack = append(stack, ny*w+nx)
					}
				}
			}
		}
		best = max(best, maxX-minX+1, maxY-minY+1)
	}
	return best
}

func near(r, g, b, wr, wg, wb uint32) bool {
	d := func(a, b uint32) uint32 {
		if a > b {
			return a - b
		}
		return b - a
	}
	return d(r, wr) < 24 && d(g, wg) < 24 && d(b, wb) < 24
}
