package export

import (
	"bytes"
	"encoding/xml"
	"image"
	"image/png"
	"io"
	"strings"
	"testing"
)

// TestSVG checks the picture is well-formed XML with an <svg> root and the labels in it.
func TestSVG(t *testing.T) {
	for _, fx := range fixtures(t) {
		out := write(t, SVG, fx.g, Options{})
		dec := xml.NewDecoder(bytes.NewReader(out))
		root := ""
		var text strings.Builder
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: invalid XML: %v", fx.name, err)
			}
			switch tok := tok.(type) {
			case xml.StartElement:
				if root == "" {
					root = tok.Name.Local
				}
			case xml.CharData:
				text.Write(tok)
			}
		}
		if root != "svg" {
			t.Errorf("%s: root element %q", fx.name, root)
		}
		for _, f := range fx.g.Facts {
			if !strings.Contains(text.String(), f.Predicate.Label) {
				t.Errorf("%s: no %q in the picture", fx.name, f.Predicate.Label)
			}
		}
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
