package export

import (
	"bytes"
	"context"
	"image/png"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/seed"
)

// TestPictureFitsAScreen lays out the neighbourhood of Putin at depth 2, which left to
// right is 4.4 times as wide as high: the picture is at most 2.5 times as wide as high,
// carries a legend of what it shows, embeds the font it was measured in, and the PNG is
// the SVG's size at its scale.
func TestPictureFitsAScreen(t *testing.T) {
	ctx := context.Background()
	s, _, err := graph.Open(ctx, graph.Config{Backend: graph.BackendMemory, Seed: &graph.Seed{Name: seed.Name, Data: seed.Quads()}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sub, err := s.Select(ctx, graph.Selection{Around: []string{"Putin"}, Depth: 2})
	if err != nil {
		t.Fatal(err)
	}
	svg := string(write(t, SVG, sub, Options{}))
	m := regexp.MustCompile(`<svg width="([0-9]+)pt" height="([0-9]+)pt"`).FindStringSubmatch(svg)
	if m == nil {
		t.Fatal("no size")
	}
	w, _ := strconv.Atoi(m[1])
	h, _ := strconv.Atoi(m[2])
	if r := float64(w) / float64(h); r > maxAspect || r < 1/maxAspect {
		t.Errorf("aspect %.2f:1 (%dx%d), want at most %.1f:1 either way", r, w, h, maxAspect)
	}
	for _, want := range []string{`class="legend"`, ">Person<", ">Position<", ">Event<", ">pro<", ">con<", ">neutral<",
		">tentative: hedged, planned, considered<", `stroke-dasharray="5,3"`, "@font-face{font-family:\"Go Regular\"", `font-family="Go Regular, `} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %s", want)
		}
	}
	img, err := png.Decode(bytes.NewReader(write(t, PNG, sub, Options{})))
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	if math.Abs(float64(b.Dx())-float64(w)*pngScale) > pngScale+1 || math.Abs(float64(b.Dy())-float64(h)*pngScale) > pngScale+1 {
		t.Errorf("PNG %dx%d, SVG %dx%d points at %.0f pixels a point", b.Dx(), b.Dy(), w, h, pngScale)
	}
}
