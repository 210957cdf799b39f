package export

import (
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

// PNG pictures are painted here, with the Go font the layout measured the labels in.

// maxPixels caps a picture's size; a larger layout is painted at a smaller scale.
const maxPixels = 40_000_000

// pngScale is the number of pixels a point (1/72 inch) takes: 144 dpi.
const pngScale = 2.0

// fonts measures and draws text in the Go font, keeping a face for each size.
type fonts struct {
	ft    *truetype.Font
	faces map[float64]font.Face
}

func loadFonts() (*fonts, error) {
	ft, err := truetype.Parse(goregular.TTF)
	if err != nil {
		return nil, fmt.Errorf("load font: %w", err)
	}
	return &fonts{ft: ft, faces: map[float64]font.Face{}}, nil
}

func (f *fonts) face(size float64) font.Face {
	if face, ok := f.faces[size]; ok {
		return face
	}
	face := truetype.NewFace(f.ft, &truetype.Options{Size: size, DPI: 72, Hinting: font.HintingNone})
	f.faces[size] = face
	return face
}

// width is the width of a line of text, in points.
func (f *fonts) width(s string, size float64) float64 {
	return float64(font.MeasureString(f.face(size), s)) / 64
}

// block is the size of lines of text set one under another.
func (f *fonts) block(lines []string, size float64) (w, h float64) {
	for _, s := range lines {
		w = max(w, f.width(s, size))
	}
	return w, float64(len(lines)) * size * lineSpacing
}

// paintPNG paints a picture as a PNG, at pngScale pixels a point unless that would pass
// maxPixels.
func paintPNG(w io.Writer, p *picture) error {
	scale := pngScale
	if px := p.Width * p.Height * scale * scale; px > maxPixels {
		scale *= math.Sqrt(maxPixels / px)
	}
	c := &pngCanvas{
		dc:    gg.NewContext(int(math.Ceil(p.Width*scale)), int(math.Ceil(p.Height*scale))),
		scale: scale,
		fonts: p.fonts,
	}
	c.dc.SetColor(parseColour(background))
	c.dc.Clear()
	c.dc.SetLineJoinRound()
	c.dc.SetLineCapRound()
	p.draw(c)
	return c.dc.EncodePNG(w)
}

// pngCanvas paints marks onto a gg context, scaled from points to pixels.
type pngCanvas struct {
	dc    *gg.Context
	scale float64
	fonts *fonts
}

func (c *pngCanvas) group(class, id, title string) {}
func (c *pngCanvas) end()                          {}

func (c *pngCanvas) path(p shapePath, fill, stroke string, dash []float64) {
	if len(p) == 0 {
		return
	}
	at := func(q point) (float64, float64) { return q.X * c.scale, q.Y * c.scale }
	for _, seg := range p {
		switch seg.Op {
		case 'M':
			c.dc.NewSubPath()
			c.dc.MoveTo(at(seg.P[0]))
		case 'L':
			c.dc.LineTo(at(seg.P[0]))
		case 'C':
			x1, y1 := at(seg.P[0])
			x2, y2 := at(seg.P[1])
			x3, y3 := at(seg.P[2])
			c.dc.CubicTo(x1, y1, x2, y2, x3, y3)
		case 'Z':
			c.dc.ClosePath()
		}
	}
	if fill != "" {
		c.dc.SetColor(parseColour(fill))
		c.dc.FillPreserve()
	}
	if stroke == "" {
		c.dc.ClearPath()
		return
	}
	scaled := make([]float64, len(dash))
	for i, d := range dash {
		scaled[i] = d * c.scale
	}
	c.dc.SetColor(parseColour(stroke))
	c.dc.SetLineWidth(c.scale)
	c.dc.SetDash(scaled...)
	c.dc.Stroke()
	c.dc.SetDash()
}

func (c *pngCanvas) text(s string, x, y, size float64, colour string) {
	c.dc.SetFontFace(c.fonts.face(size * c.scale))
	c.dc.SetColor(parseColour(colour))
	c.dc.DrawStringAnchored(s, x*c.scale, y*c.scale, 0.5, 0)
}

// parseColour reads #rrggbb; anything else is black.
func parseColour(s string) color.Color {
	v, err := strconv.ParseUint(strings.TrimPrefix(s, "#"), 16, 32)
	if err != nil || len(s) != 7 {
		return color.Black
	}
	return color.NRGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}
}
