package export

import (
	"slices"

	"github.com/parley/parley/schema"
)

// The legend, drawn under a picture: the shape and fill of each type the picture shows,
// the colours of the polarities, and the strokes of tentative and refused claims.

// Legend sizes, in points.
const (
	legendFont   = 9.0
	legendSwatch = 22.0 // a swatch's width
	legendRowH   = 18.0 // a row's height
	legendGap    = 14.0 // between two items of a row
	legendPad    = 8.0  // around the legend, and between it and the graph
)

// legendItem is one entry: a node swatch of a type, or a line swatch of a stroke.
type legendItem struct {
	text   string
	typ    string    // a node swatch of this type, or "" for a line
	colour string    // the line's colour
	dash   []float64 // the line's dash
	w      float64   // the item's width: swatch, gap, text
	at     point     // the swatch's centre, once placed
}

// legend is the legend's items, placed in rows within a width.
type legend struct {
	items  []legendItem
	height float64
}

// newLegend lists what the view shows: its types in the vocabulary's order (literals last),
// the polarities, and the strokes of tentative and refused claims.
func newLegend(v *view, f *fonts) *legend {
	types := map[string]bool{}
	pol := map[schema.Polarity]bool{}
	var dashed, dotted bool
	for _, n := range v.Nodes {
		types[n.Type()] = true
	}
	for _, e := range v.Edges {
		pol[e.Polarity] = true
		dashed = dashed || e.Dashed()
		dotted = dotted || e.Fact.Modality == schema.ModalityRefused
	}
	lg := &legend{}
	add := func(it legendItem) {
		it.w = legendSwatch + 4 + f.width(it.text, legendFont)
		lg.items = append(lg.items, it)
	}
	order := append(typeOrder(), TypeLiteral)
	for _, t := range order {
		if types[t] {
			add(legendItem{text: t, typ: t})
		}
	}
	var other []string
	for t := range types {
		if t != "" && !slices.Contains(order, t) {
			other = append(other, t)
		}
	}
	slices.Sort(other)
	for _, t := range other {
		add(legendItem{text: t, typ: t})
	}
	for _, p := range []struct {
		p    schema.Polarity
		text string
	}{{schema.Pro, "pro"}, {schema.Con, "con"}, {schema.Neutral, "neutral"}} {
		if pol[p.p] {
			add(legendItem{text: p.text, colour: polarityColour(p.p)})
		}
	}
	if dashed {
		add(legendItem{text: "tentative: hedged, planned, considered", colour: outlineColour, dash: dashedStroke})
	}
	if dotted {
		add(legendItem{text: "refused", colour: outlineColour, dash: dottedStroke})
	}
	return lg
}

// place puts the items in rows no wider than width, from top; it returns the widest row.
func (lg *legend) place(width, top float64) float64 {
	x, y, widest := legendPad, top+legendRowH/2, 0.0
	for i := range lg.items {
		it := &lg.items[i]
		if x > legendPad && x+it.w > width-legendPad {
			x, y = legendPad, y+legendRowH
		}
		it.at = point{x + legendSwatch/2, y}
		x += it.w + legendGap
		widest = max(widest, x-legendGap+legendPad)
	}
	lg.height = y + legendRowH/2 - top
	return widest
}

// draw draws the legend's swatches and words.
func (lg *legend) draw(c canvas, f *fonts) {
	c.group("legend", "legend", "legend")
	for _, it := range lg.items {
		if it.typ != "" {
			n := drawnNode{node: &node{Literal: it.typ == TypeLiteral}, style: styleOf(it.typ), w: legendSwatch, h: 13}
			body, marks := outline(n, it.at)
			fill, dash := n.style.Fill, []float64(nil)
			if n.style.DOTStyles == "" {
				fill = ""
			}
			if n.Literal {
				fill, dash = background, []float64{4, 3}
			}
			c.path(body, fill, outlineColour, dash)
			c.path(marks, "", outlineColour, nil)
		} else {
			var line shapePath
			line.move(point{it.at.X - legendSwatch/2, it.at.Y})
			line.line(point{it.at.X + legendSwatch/2, it.at.Y})
			c.path(line, "", it.colour, it.dash)
		}
		tw := f.width(it.text, legendFont)
		c.text(it.text, it.at.X+legendSwatch/2+4+tw/2, it.at.Y+0.35*legendFont, legendFont, textColour)
	}
	c.end()
}
