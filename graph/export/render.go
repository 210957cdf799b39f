package export

import (
	"bufio"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"golang.org/x/image/font/gofont/goregular"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/schema"
)

// WriteSVG writes a picture of the subgraph as SVG, laid out in layers from left to right
// (top to bottom when left to right would be more than maxAspect times as wide as high)
// (layout.go) and drawn as WriteDOT describes it: nodes shaped and filled by type, edges
// labelled with their readings and coloured by polarity. Tooltips carry each node's type
// and ID and each edge's evidence.
func WriteSVG(w io.Writer, g *graph.Subgraph, opt Options) error {
	pic, err := newPicture(newTextView(g, opt.vocabulary()))
	if err != nil {
		return fmt.Errorf("render svg: %w", err)
	}
	return writeSVG(w, pic)
}

// WritePNG writes the picture of WriteSVG as a PNG at 144 dpi.
func WritePNG(w io.Writer, g *graph.Subgraph, opt Options) error {
	pic, err := newPicture(newTextView(g, opt.vocabulary()))
	if err != nil {
		return fmt.Errorf("render png: %w", err)
	}
	if err := paintPNG(w, pic); err != nil {
		return fmt.Errorf("render png: %w", err)
	}
	return nil
}

// Text sizes, in points, as in the DOT.
const (
	nodeFontSize    = 11.0
	literalFontSize = 9.0
	edgeFontSize    = 9.0
	lineSpacing     = 1.2 // a line's height, in font sizes
)

// Colours and strokes.
const (
	outlineColour = "#555555"
	textColour    = "#000000"
	background    = "#ffffff"
)

var (
	dashedStroke = []float64{5, 3}
	dottedStroke = []float64{1, 3}
)

// picture is a view laid out: what the SVG and PNG writers draw.
type picture struct {
	*layout
	fonts  *fonts
	nodes  []drawnNode // in the view's order
	edges  []drawnEdge
	legend *legend // under the graph
}

// drawnNode is a node with its label's lines and its shape's size.
type drawnNode struct {
	*node
	style    style
	lines    []string
	fontSize float64
	w, h     float64
	textDY   float64 // the label's centre below the node's, for a house under its roof
}

// drawnEdge is an edge with its label's lines and stroke.
type drawnEdge struct {
	*edge
	lines  []string
	colour string
	dash   []float64
}

// newPicture measures the view's labels, sizes its nodes and lays it out.
func newPicture(v *view) (*picture, error) {
	f, err := loadFonts()
	if err != nil {
		return nil, err
	}
	p, nodes, links := measure(v, f)
	p.layout = layOut(nodes, links)
	if p.Height > 0 && p.Width/p.Height > maxAspect {
		// Too wide for a screen: lay the layers out top to bottom instead, if that is
		// nearer a screen's shape.
		if tb := layOutDown(nodes, links); screenDistance(tb) < screenDistance(p.layout) {
			p.layout = tb
		}
	}
	p.legend = newLegend(v, f)
	if len(p.legend.items) > 0 {
		w := p.legend.place(max(p.Width, 360), p.Height+legendPad)
		p.Width = max(p.Width, w)
		p.Height += legendPad + p.legend.height + legendPad
	}
	return p, nil
}

// maxAspect is the widest picture, width over height, that keeps the layers left to
// right; screenAspect is a screen's shape, which a wider picture is brought nearer to.
const (
	maxAspect    = 2.5
	screenAspect = 16.0 / 10
)

// screenDistance is how far a layout's shape is from a screen's, as a factor.
func screenDistance(l *layout) float64 {
	if l.Height == 0 || l.Width == 0 {
		return math.Inf(1)
	}
	return math.Abs(math.Log(l.Width / l.Height / screenAspect))
}

// layOutDown lays a graph out in layers from top to bottom: the left-to-right layout of
// the graph with every size turned a quarter, turned back. Links then meet a node's
// bounding box at top and bottom.
func layOutDown(nodes []lnode, links []llink) *layout {
	tn := make([]lnode, len(nodes))
	for i, n := range nodes {
		tn[i] = lnode{ID: n.ID, W: n.H, H: n.W}
	}
	tl := make([]llink, len(links))
	for i, k := range links {
		tl[i] = k
		tl[i].LabelW, tl[i].LabelH = k.LabelH, k.LabelW
	}
	l := layOut(tn, tl)
	swap := func(p point) point { return point{p.Y, p.X} }
	l.Width, l.Height = l.Height, l.Width
	for i := range l.Nodes {
		l.Nodes[i].X, l.Nodes[i].Y = l.Nodes[i].Y, l.Nodes[i].X
	}
	for i := range l.Links {
		r := &l.Links[i]
		for j := range r.Path {
			r.Path[j] = swap(r.Path[j])
		}
		r.Tip, r.Label = swap(r.Tip), swap(r.Label)
	}
	return l
}

// measure sizes a view's nodes and edge labels: the picture, still to be laid out, and
// the nodes and links its layout takes.
func measure(v *view, f *fonts) (*picture, []lnode, []llink) {
	p := &picture{fonts: f}
	nodes := make([]lnode, len(v.Nodes))
	for i, n := range v.Nodes {
		d := drawnNode{node: n, style: styleOf(n.Type()), lines: n.caption(labelWidth), fontSize: nodeFontSize}
		if n.Literal {
			d.fontSize = literalFontSize
		}
		nodes[i] = d.size(f)
		d.w, d.h = nodes[i].W, nodes[i].H
		p.nodes = append(p.nodes, d)
	}
	links := make([]llink, len(v.Edges))
	for i, e := range v.Edges {
		d := drawnEdge{edge: e, lines: wrap(e.Reading, labelWidth), colour: polarityColour(e.Polarity)}
		switch {
		case e.Dashed():
			d.dash = dashedStroke
		case e.Fact.Modality == schema.ModalityRefused:
			d.dash = dottedStroke
		}
		w, h := f.block(d.lines, edgeFontSize)
		links[i] = llink{From: e.From.Index, To: e.To.Index, LabelW: w + 2, LabelH: h, Arrow: !e.Symmetric}
		p.edges = append(p.edges, d)
	}
	return p, nodes, links
}

// size is the node's shape's size around its label, and where links meet its border.
func (d *drawnNode) size(f *fonts) lnode {
	tw, th := f.block(d.lines, d.fontSize)
	const mx, my = 11.0, 5.0 // Graphviz's margin of 0.15 by 0.06 inches, about
	n := lnode{ID: d.ID, W: max(tw+2*mx, 40), H: max(th+2*my, 26)}
	switch d.style.Shape {
	case "ellipse":
		n.W, n.H = max((tw+8)*math.Sqrt2, 50), max((th+4)*math.Sqrt2, 26)
		n.Border = func(dy float64) float64 { return n.W / 2 * math.Sqrt(max(0, 1-sq(2*dy/n.H))) }
	case "diamond":
		n.W, n.H = max(2*(tw+4), 50), max(2*(th+2), 30)
		n.Border = func(dy float64) float64 { return n.W / 2 * max(0, 1-math.Abs(2*dy/n.H)) }
	case "hexagon":
		n.W += n.H * 0.58
		n.Border = func(dy float64) float64 { return n.W/2 - 0.29*n.H*math.Abs(2*dy/n.H) }
	case "house":
		n.H += roofHeight
		d.textDY = roofHeight / 2
		n.Border = func(dy float64) float64 { return n.W / 2 * min(1, (dy+n.H/2)/roofHeight) }
	case "cylinder":
		n.H += 2 * capHeight
	case "folder":
		n.H += tabHeight
		d.textDY = tabHeight / 2
	case "note":
		n.W += foldSize / 2
	case "plaintext":
		n.W, n.H = tw+8, th+4
	}
	return n
}

func sq(x float64) float64 { return x * x }

// canvas is what a picture is drawn on: SVG elements, or a PNG's pixels.
type canvas interface {
	// group starts a group of marks for one node or edge, with a tooltip; end ends it.
	group(class, id, title string)
	end()
	// path fills and strokes a path; "" is no fill or no stroke.
	path(p shapePath, fill, stroke string, dash []float64)
	// text writes a line centred on x with its baseline at y.
	text(s string, x, y, size float64, colour string)
}

// draw draws the picture: edges first, then the nodes over their ends.
func (p *picture) draw(c canvas) {
	for i, e := range p.edges {
		r := p.Links[i]
		c.group("edge", "e"+strconv.Itoa(i), e.From.Label+" "+e.Reading+" "+e.To.Label+edgeTitle(e.edge))
		var line shapePath
		line.move(r.Path[0])
		for j := 1; j+2 < len(r.Path); j += 3 {
			line.curve(r.Path[j], r.Path[j+1], r.Path[j+2])
		}
		c.path(line, "", e.colour, e.dash)
		if !e.Symmetric {
			c.path(arrowhead(r.Path[len(r.Path)-1], r.Tip), e.colour, e.colour, nil)
		}
		writeLines(c, e.lines, r.Label, edgeFontSize, e.colour)
		c.end()
	}
	for i, n := range p.nodes {
		at := p.Nodes[i]
		tip := n.ID
		if t := n.Type(); t != "" {
			tip = t + " " + n.ID
		}
		c.group("node", "n"+strconv.Itoa(i), tip)
		body, marks := outline(n, point{at.X, at.Y})
		fill, dash := n.style.Fill, []float64(nil)
		if n.style.DOTStyles == "" {
			fill = ""
		}
		if n.Literal {
			fill, dash = background, []float64{4, 3}
		}
		if n.style.Shape != "plaintext" {
			c.path(body, fill, outlineColour, dash)
			c.path(marks, "", outlineColour, nil)
		}
		writeLines(c, n.lines, point{at.X, at.Y + n.textDY}, n.fontSize, textColour)
		c.end()
	}
	if p.legend != nil && len(p.legend.items) > 0 {
		p.legend.draw(c, p.fonts)
	}
}

// edgeTitle is the evidence of an edge as its tooltip's second line, or "".
func edgeTitle(e *edge) string {
	if t := edgeTooltip(e); t != "" {
		return "\n" + t
	}
	return ""
}

// writeLines writes a label's lines centred on a point.
func writeLines(c canvas, lines []string, centre point, size float64, colour string) {
	lh := size * lineSpacing
	for i, s := range lines {
		y := centre.Y + (float64(i)-float64(len(lines)-1)/2)*lh + 0.35*size
		c.text(s, centre.X, y, size, colour)
	}
}

// arrowhead is the triangle from a link's end to its tip.
func arrowhead(base, tip point) shapePath {
	dx, dy := tip.X-base.X, tip.Y-base.Y
	l := math.Hypot(dx, dy)
	if l == 0 {
		return nil
	}
	const half = 3.2 // the half-width of the base
	nx, ny := -dy/l*half, dx/l*half
	var s shapePath
	s.polygon(tip, point{base.X + nx, base.Y + ny}, point{base.X - nx, base.Y - ny})
	return s
}

// writeSVG writes a picture as an SVG document, one <g class="node"> a node and one
// <g class="edge"> a fact, sized in points.
func writeSVG(w io.Writer, p *picture) error {
	bw := bufio.NewWriter(w)
	wd, ht := int(math.Ceil(p.Width)), int(math.Ceil(p.Height))
	fmt.Fprintf(bw, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n")
	fmt.Fprintf(bw, "<svg width=\"%dpt\" height=\"%dpt\" viewBox=\"0 0 %d %d\" xmlns=\"http://www.w3.org/2000/svg\">\n", wd, ht, wd, ht)
	// The Go font the labels were measured in, embedded, so that a browser draws the SVG
	// as the PNG is painted, whatever fonts it has.
	fmt.Fprintf(bw, "<defs><style>@font-face{font-family:\"%s\";src:url(data:font/ttf;base64,%s) format(\"truetype\")}</style></defs>\n",
		svgFont, base64.StdEncoding.EncodeToString(goregular.TTF))
	fmt.Fprintf(bw, "<g class=\"graph\" font-family=\"%s, Helvetica, Arial, sans-serif\" stroke=\"none\" stroke-linejoin=\"round\" stroke-linecap=\"round\">\n", svgFont)
	fmt.Fprintf(bw, "<rect width=\"%d\" height=\"%d\" fill=\"%s\"/>\n", wd, ht, background)
	p.draw(&svgCanvas{w: bw})
	fmt.Fprintf(bw, "</g>\n</svg>\n")
	return bw.Flush()
}

// svgFont is the name the SVG gives the embedded Go font.
const svgFont = "Go Regular"

// svgCanvas writes marks as SVG elements.
type svgCanvas struct{ w *bufio.Writer }

func (c *svgCanvas) group(class, id, title string) {
	fmt.Fprintf(c.w, "<g class=\"%s\" id=\"%s\"><title>%s</title>\n", class, id, xmlText(title))
}

func (c *svgCanvas) end() { c.w.WriteString("</g>\n") }

func (c *svgCanvas) path(p shapePath, fill, stroke string, dash []float64) {
	if len(p) == 0 {
		return
	}
	if fill == "" {
		fill = "none"
	}
	fmt.Fprintf(c.w, "<path d=\"%s\" fill=\"%s\"", p.svg(), fill)
	if stroke != "" {
		fmt.Fprintf(c.w, " stroke=\"%s\"", stroke)
	}
	if len(dash) > 0 {
		parts := make([]string, len(dash))
		for i, d := range dash {
			parts[i] = num(d)
		}
		fmt.Fprintf(c.w, " stroke-dasharray=\"%s\"", strings.Join(parts, ","))
	}
	c.w.WriteString("/>\n")
}

func (c *svgCanvas) text(s string, x, y, size float64, colour string) {
	fmt.Fprintf(c.w, "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" font-size=\"%s\" fill=\"%s\">%s</text>\n",
		num(x), num(y), num(size), colour, xmlText(s))
}

// xmlText escapes text for XML character data and attributes.
func xmlText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // a strings.Builder does not fail
	return b.String()
}

// num writes a coordinate with at most two decimals.
func num(v float64) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}

// Sizes of shapes' details, in points.
const (
	roofHeight = 9.0 // a house's roof
	capHeight  = 4.0 // the half-height of a cylinder's ends
	tabHeight  = 4.0 // a folder's tab
	foldSize   = 8.0 // a note's folded corner
	cornerSize = 5.0 // a literal's rounded corners
)

// outline is a node's shape around its centre, as Graphviz draws its shape: the body,
// filled and stroked, and the marks drawn over it (a cylinder's rim, a note's fold).
func outline(n drawnNode, c point) (body, marks shapePath) {
	x0, y0, x1, y1 := c.X-n.w/2, c.Y-n.h/2, c.X+n.w/2, c.Y+n.h/2
	switch {
	case n.Literal:
		r := cornerSize
		body.move(point{x0 + r, y0})
		body.line(point{x1 - r, y0})
		body.arc(point{x1 - r, y0 + r}, r, r, -math.Pi/2, 0)
		body.line(point{x1, y1 - r})
		body.arc(point{x1 - r, y1 - r}, r, r, 0, math.Pi/2)
		body.line(point{x0 + r, y1})
		body.arc(point{x0 + r, y1 - r}, r, r, math.Pi/2, math.Pi)
		body.line(point{x0, y0 + r})
		body.arc(point{x0 + r, y0 + r}, r, r, math.Pi, 3*math.Pi/2)
		body.close()
	case n.style.Shape == "ellipse":
		body.move(point{x1, c.Y})
		body.arc(c, n.w/2, n.h/2, 0, 2*math.Pi)
		body.close()
	case n.style.Shape == "diamond":
		body.polygon(point{c.X, y0}, point{x1, c.Y}, point{c.X, y1}, point{x0, c.Y})
	case n.style.Shape == "hexagon":
		s := 0.29 * n.h
		body.polygon(point{x0, c.Y}, point{x0 + s, y0}, point{x1 - s, y0}, point{x1, c.Y}, point{x1 - s, y1}, point{x0 + s, y1})
	case n.style.Shape == "house":
		body.polygon(point{c.X, y0}, point{x1, y0 + roofHeight}, point{x1, y1}, point{x0, y1}, point{x0, y0 + roofHeight})
	case n.style.Shape == "cylinder":
		top, bottom := point{c.X, y0 + capHeight}, point{c.X, y1 - capHeight}
		rx := n.w / 2
		body.move(point{x0, top.Y})
		body.line(point{x0, bottom.Y})
		body.arc(bottom, rx, capHeight, math.Pi, 0)
		body.line(point{x1, top.Y})
		body.arc(top, rx, capHeight, 0, -math.Pi)
		body.close()
		marks.move(point{x0, top.Y})
		marks.arc(top, rx, capHeight, math.Pi, 0)
	case n.style.Shape == "note":
		f := foldSize
		body.polygon(point{x0, y0}, point{x1 - f, y0}, point{x1, y0 + f}, point{x1, y1}, point{x0, y1})
		marks.move(point{x1 - f, y0})
		marks.line(point{x1 - f, y0 + f})
		marks.line(point{x1, y0 + f})
	case n.style.Shape == "folder":
		tab := min(n.w*0.35, 40)
		body.polygon(point{x0, y0}, point{x0 + tab, y0}, point{x0 + tab + tabHeight, y0 + tabHeight},
			point{x1, y0 + tabHeight}, point{x1, y1}, point{x0, y1})
	default: // box, and any shape not drawn otherwise
		body.polygon(point{x0, y0}, point{x1, y0}, point{x1, y1}, point{x0, y1})
	}
	return body, marks
}

// shapePath is a path: moves, lines, cubic curves and closes.
type shapePath []pathSeg

// pathSeg is one step of a path: 'M' and 'L' to P[0], 'C' through P[0] and P[1] to P[2],
// 'Z' back to the start.
type pathSeg struct {
	Op byte
	P  [3]point
}

func (s *shapePath) move(p point)          { *s = append(*s, pathSeg{Op: 'M', P: [3]point{p}}) }
func (s *shapePath) line(p point)          { *s = append(*s, pathSeg{Op: 'L', P: [3]point{p}}) }
func (s *shapePath) curve(c1, c2, p point) { *s = append(*s, pathSeg{Op: 'C', P: [3]point{c1, c2, p}}) }
func (s *shapePath) close()                { *s = append(*s, pathSeg{Op: 'Z'}) }
func (s *shapePath) polygon(pts ...point) {
	s.move(pts[0])
	for _, p := range pts[1:] {
		s.line(p)
	}
	s.close()
}

// points are the points a step goes through or to.
func (g *pathSeg) points() []point {
	switch g.Op {
	case 'M', 'L':
		return g.P[:1]
	case 'C':
		return g.P[:]
	}
	return nil
}

// arc continues the path along an ellipse from angle a0 to a1 (radians, y down, clockwise
// on the screen as the angle grows), in cubic curves of at most a quarter turn each.
func (s *shapePath) arc(c point, rx, ry, a0, a1 float64) {
	n := int(math.Ceil(math.Abs(a1-a0)/(math.Pi/2) - 1e-9))
	step := (a1 - a0) / float64(n)
	k := 4.0 / 3 * math.Tan(step/4)
	at := func(a float64) point { return point{c.X + rx*math.Cos(a), c.Y + ry*math.Sin(a)} }
	for i := 0; i < n; i++ {
		b0, b1 := a0+float64(i)*step, a0+float64(i+1)*step
		p0, p1 := at(b0), at(b1)
		c1 := point{p0.X - k*rx*math.Sin(b0), p0.Y + k*ry*math.Cos(b0)}
		c2 := point{p1.X + k*rx*math.Sin(b1), p1.Y - k*ry*math.Cos(b1)}
		s.curve(c1, c2, p1)
	}
}

// svg writes the path as an SVG path's data.
func (s shapePath) svg() string {
	var b strings.Builder
	for i, seg := range s {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte(seg.Op)
		for _, p := range seg.points() {
			b.WriteString(" " + num(p.X) + "," + num(p.Y))
		}
	}
	return b.String()
}
