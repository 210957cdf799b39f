package export

import (
	"encoding/json"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/fogleman/gg"
	"github.com/golang/freetype/truetype"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
)

// PNG pictures are painted here from Graphviz's layout (its JSON output: the xdot drawing
// operations of every node and edge), not by go-graphviz's own PNG renderer, which in
// v0.2.10 strokes nothing (no edges, no outlines) and fills every curve.

// maxPixels caps a picture's size; a larger layout is painted at a smaller scale.
const maxPixels = 40_000_000

// pngScale is the number of pixels a point (1/72 inch) takes: 144 dpi.
const pngScale = 2.0

// layout is the part of Graphviz's JSON output a painter needs.
type layout struct {
	BB      string     `json:"bb"`
	Draw    []xdotOp   `json:"_draw_"`
	Objects []drawable `json:"objects"`
	Edges   []drawable `json:"edges"`
}

// drawable is a node or an edge with its drawing operations.
type drawable struct {
	Draw      []xdotOp `json:"_draw_"`
	LabelDraw []xdotOp `json:"_ldraw_"`
	HeadDraw  []xdotOp `json:"_hdraw_"`
	TailDraw  []xdotOp `json:"_tdraw_"`
	HeadLabel []xdotOp `json:"_hldraw_"`
	TailLabel []xdotOp `json:"_tldraw_"`
}

// xdotOp is one drawing operation (https://graphviz.org/docs/outputs/canon/#xdot).
type xdotOp struct {
	Op     string       `json:"op"`
	Points [][2]float64 `json:"points"`
	Rect   []float64    `json:"rect"` // ellipse: centre x, y, half-axes w, h
	Color  string       `json:"color"`
	Stops  []struct {
		Color string `json:"color"`
	} `json:"stops"`
	Style string     `json:"style"`
	Size  float64    `json:"size"`
	Face  string     `json:"face"`
	Pt    [2]float64 `json:"pt"`
	Align string     `json:"align"`
	Width float64    `json:"width"`
	Text  string     `json:"text"`
}

// painter paints drawing operations onto a gg context, mapping Graphviz's points (y up)
// to pixels (y down).
type painter struct {
	dc           *gg.Context
	x0, y1       float64 // the layout's left and top edges, in points
	scale, pad   float64
	font         *truetype.Font
	faces        map[float64]font.Face
	pen, fill    color.Color
	width        float64
	dash         []float64
	invisible    bool
	fontSize     float64
	fillsCurves  bool // a fill colour was set in the current list: closed curves are filled
	curvesFilled bool // the current list is a node's: its closed curves may be filled
}

// paintPNG paints Graphviz's JSON layout as a PNG.
func paintPNG(w io.Writer, layoutJSON []byte) error {
	var l layout
	if err := json.Unmarshal(layoutJSON, &l); err != nil {
		return fmt.Errorf("read Graphviz's layout: %w", err)
	}
	bb, err := parseBB(l.BB)
	if err != nil {
		return err
	}
	ft, err := truetype.Parse(goregular.TTF)
	if err != nil {
		return fmt.Errorf("load font: %w", err)
	}
	const pad = 12.0 // points of margin around the layout
	wPt, hPt := bb[2]-bb[0]+2*pad, bb[3]-bb[1]+2*pad
	scale := pngScale
	if px := wPt * hPt * scale * scale; px > maxPixels {
		scale *= math.Sqrt(maxPixels / px)
	}
	p := &painter{
		dc:    gg.NewContext(int(math.Ceil(wPt*scale)), int(math.Ceil(hPt*scale))),
		x0:    bb[0],
		y1:    bb[3],
		scale: scale,
		pad:   pad,
		font:  ft,
		faces: map[float64]font.Face{},
	}
	p.dc.SetColor(color.White)
	p.dc.Clear()
	p.dc.SetLineJoinRound()
	p.dc.SetLineCapRound()
	p.run(l.Draw, false)
	for _, e := range l.Edges {
		for _, ops := range [][]xdotOp{e.Draw, e.HeadDraw, e.TailDraw, e.LabelDraw, e.HeadLabel, e.TailLabel} {
			p.run(ops, false)
		}
	}
	for _, n := range l.Objects {
		p.run(n.Draw, true)
		p.run(n.LabelDraw, true)
	}
	return p.dc.EncodePNG(w)
}

func parseBB(s string) ([4]float64, error) {
	var bb [4]float64
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return bb, fmt.Errorf("read Graphviz's layout: bounding box %q", s)
	}
	for i, part := range parts {
		v, err := strconv.ParseFloat(strings.TrimSpace(part), 64)
		if err != nil {
			return bb, fmt.Errorf("read Graphviz's layout: bounding box %q: %w", s, err)
		}
		bb[i] = v
	}
	return bb, nil
}

// run paints one list of operations; each list starts with Graphviz's defaults.
func (p *painter) run(ops []xdotOp, node bool) {
	p.pen, p.fill = color.Black, color.Transparent
	p.width, p.dash, p.invisible, p.fontSize = 1, nil, false, 14
	p.fillsCurves, p.curvesFilled = false, node
	for _, op := range ops {
		switch op.Op {
		case "c":
			p.pen = opColour(op)
		case "C":
			p.fill = opColour(op)
			p.fillsCurves = true
		case "S":
			p.style(op.Style)
		case "F":
			p.fontSize = op.Size
		case "E", "e":
			if len(op.Rect) == 4 {
				x, y := p.at(op.Rect[0], op.Rect[1])
				p.dc.DrawEllipse(x, y, op.Rect[2]*p.scale, op.Rect[3]*p.scale)
				p.finish(op.Op == "E")
			}
		case "P", "p", "L":
			p.polyline(op.Points)
			if op.Op != "L" {
				p.dc.ClosePath()
			}
			p.finish(op.Op == "P")
		case "B", "b":
			// Graphviz 12's JSON writer swaps xdot's b (filled) and B; a curve is filled
			// when it draws a node and a fill colour was set for it.
			p.bezier(op.Points)
			p.finish(p.curvesFilled && p.fillsCurves)
		case "T":
			p.text(op)
		}
	}
}

// at maps a layout point to a pixel.
func (p *painter) at(x, y float64) (float64, float64) {
	return (x - p.x0 + p.pad) * p.scale, (p.y1 - y + p.pad) * p.scale
}

func (p *painter) polyline(pts [][2]float64) {
	p.dc.NewSubPath()
	for i, pt := range pts {
		x, y := p.at(pt[0], pt[1])
		if i == 0 {
			p.dc.MoveTo(x, y)
		} else {
			p.dc.LineTo(x, y)
		}
	}
}

func (p *painter) bezier(pts [][2]float64) {
	if len(pts) == 0 {
		return
	}
	p.dc.NewSubPath()
	p.dc.MoveTo(p.at(pts[0][0], pts[0][1]))
	for i := 1; i+2 < len(pts); i += 3 {
		x1, y1 := p.at(pts[i][0], pts[i][1])
		x2, y2 := p.at(pts[i+1][0], pts[i+1][1])
		x3, y3 := p.at(pts[i+2][0], pts[i+2][1])
		p.dc.CubicTo(x1, y1, x2, y2, x3, y3)
	}
}

// finish fills the current path if asked, then strokes its outline with the pen.
func (p *painter) finish(filled bool) {
	if p.invisible {
		p.dc.ClearPath()
		return
	}
	if filled && !transparent(p.fill) {
		p.dc.SetColor(p.fill)
		p.dc.FillPreserve()
	}
	if transparent(p.pen) {
		p.dc.ClearPath()
		return
	}
	p.dc.SetColor(p.pen)
	p.dc.SetLineWidth(p.width * p.scale)
	p.dc.SetDash(p.dash...)
	p.dc.Stroke()
	p.dc.SetDash()
}

func (p *painter) style(s string) {
	switch {
	case s == "solid":
		p.dash = nil
	case s == "dashed":
		p.dash = []float64{5 * p.scale, 3 * p.scale}
	case s == "dotted":
		p.dash = []float64{1 * p.scale, 3 * p.scale}
	case s == "invis" || s == "invisible":
		p.invisible = true
	case s == "bold":
		p.width = 2
	case strings.HasPrefix(s, "setlinewidth("):
		if v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimPrefix(s, "setlinewidth("), ")"), 64); err == nil {
			p.width = v
		}
	}
}

// text draws a text span on its baseline, shrunk if the font runs wider than the space
// Graphviz measured for it.
func (p *painter) text(op xdotOp) {
	if p.invisible || op.Text == "" {
		return
	}
	size := p.fontSize * p.scale
	face := p.face(size)
	p.dc.SetFontFace(face)
	if w, _ := p.dc.MeasureString(op.Text); op.Width > 0 && w > op.Width*p.scale*1.02 {
		p.dc.SetFontFace(p.face(size * op.Width * p.scale / w))
	}
	ax := 0.5
	switch op.Align {
	case "l":
		ax = 0
	case "r":
		ax = 1
	}
	x, y := p.at(op.Pt[0], op.Pt[1])
	p.dc.SetColor(p.pen)
	p.dc.DrawStringAnchored(op.Text, x, y, ax, 0)
}

func (p *painter) face(size float64) font.Face {
	size = math.Round(size*4) / 4
	if f, ok := p.faces[size]; ok {
		return f
	}
	f := truetype.NewFace(p.font, &truetype.Options{Size: size, DPI: 72, Hinting: font.HintingNone})
	p.faces[size] = f
	return f
}

// opColour reads a colour operation: a plain colour, or a gradient's first stop.
func opColour(op xdotOp) color.Color {
	s := op.Color
	if s == "" && len(op.Stops) > 0 {
		s = op.Stops[0].Color
	}
	return parseColour(s)
}

// parseColour reads #rrggbb, #rrggbbaa and the few names Graphviz writes; others are black.
func parseColour(s string) color.Color {
	switch strings.ToLower(s) {
	case "transparent", "none", "invis":
		return color.Transparent
	case "white":
		return color.White
	case "black", "":
		return color.Black
	}
	h := strings.TrimPrefix(s, "#")
	if len(h) != 6 && len(h) != 8 {
		return color.Black
	}
	v, err := strconv.ParseUint(h, 16, 32)
	if err != nil {
		return color.Black
	}
	if len(h) == 6 {
		v = v<<8 | 0xff
	}
	c := color.NRGBA{R: uint8(v >> 24), G: uint8(v >> 16), B: uint8(v >> 8), A: uint8(v)}
	return c
}

func transparent(c color.Color) bool {
	_, _, _, a := c.RGBA()
	return a == 0
}
