package export

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
)

// graphCase is a graph to lay out.
type graphCase struct {
	name  string
	nodes []lnode
	links []llink
}

// boxes makes n nodes named a, b, c… (then n26, n27…), of a few sizes.
func boxes(n int) []lnode {
	out := make([]lnode, n)
	for i := range out {
		id := fmt.Sprintf("n%02d", i)
		if i < 26 {
			id = string(rune('a' + i))
		}
		out[i] = lnode{ID: id, W: 40 + float64(i%4)*30, H: 26 + float64(i%3)*14}
	}
	return out
}

// links makes labelled links with arrows from pairs of node indices.
func links(pairs ...[2]int) []llink {
	out := make([]llink, len(pairs))
	for i, p := range pairs {
		out[i] = llink{From: p[0], To: p[1], LabelW: 30 + float64(i%3)*20, LabelH: 10.8, Arrow: true}
	}
	return out
}

// randomGraph is a connected graph of n nodes with extra links that make cycles,
// parallel links and self-loops, some with ellipses' borders.
func randomGraph(n, extra int, seed uint64) graphCase {
	r := rand.New(rand.NewPCG(seed, 7))
	nodes := boxes(n)
	for i := range nodes {
		if i%5 == 0 {
			nd := &nodes[i]
			w, h := nd.W, nd.H
			nd.Border = func(dy float64) float64 { return w / 2 * math.Sqrt(max(0, 1-sq(2*dy/h))) }
		}
	}
	var pairs [][2]int
	for i := 1; i < n; i++ {
		pairs = append(pairs, [2]int{r.IntN(i), i})
	}
	for range extra {
		pairs = append(pairs, [2]int{r.IntN(n), r.IntN(n)})
	}
	ls := links(pairs...)
	for i := range ls {
		ls[i].Arrow = i%7 != 0
	}
	return graphCase{fmt.Sprintf("random %d+%d", n, extra), nodes, ls}
}

func graphCases() []graphCase {
	star := make([][2]int, 0, 24)
	for i := 1; i <= 12; i++ {
		star = append(star, [2]int{0, i}, [2]int{12 + i, 0})
	}
	return []graphCase{
		{"empty", nil, nil},
		{"one node", boxes(1), nil},
		{"chain", boxes(3), links([2]int{0, 1}, [2]int{1, 2})},
		{"cycle", boxes(3), links([2]int{0, 1}, [2]int{1, 2}, [2]int{2, 0})},
		{"two-cycle", boxes(2), links([2]int{0, 1}, [2]int{1, 0})},
		{"parallel facts", boxes(2), links([2]int{0, 1}, [2]int{0, 1}, [2]int{0, 1}, [2]int{1, 0})},
		{"self-loops", boxes(3), links([2]int{0, 0}, [2]int{0, 1}, [2]int{1, 1}, [2]int{1, 1}, [2]int{1, 2})},
		{"long link", boxes(5), links([2]int{0, 1}, [2]int{1, 2}, [2]int{2, 3}, [2]int{3, 4}, [2]int{0, 4}, [2]int{4, 0})},
		{"hub", boxes(25), links(star...)},
		{"components", boxes(7), links([2]int{0, 1}, [2]int{2, 3}, [2]int{3, 4}, [2]int{5, 5})},
		randomGraph(60, 60, 1),
		randomGraph(150, 200, 2),
		actorsGraph(20, 60, 150, 5),
	}
}

// TestLayoutInvariants checks every layout for what makes a picture readable: nodes and
// labels apart, links starting and ending on their nodes' borders and passing under no
// node or label, and links pointing right but for those that close cycles.
func TestLayoutInvariants(t *testing.T) {
	for _, c := range graphCases() {
		t.Run(c.name, func(t *testing.T) {
			checkLayout(t, c.nodes, c.links, layOut(c.nodes, c.links))
		})
	}
}

// TestLayoutOfViews checks the invariants on the pictures of the fixtures.
func TestLayoutOfViews(t *testing.T) {
	f, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	for _, fx := range fixtures(t) {
		t.Run(fx.name, func(t *testing.T) {
			_, nodes, links := measure(newView(fx.g, Options{}.vocabulary()), f)
			checkLayout(t, nodes, links, layOut(nodes, links))
		})
	}
}

// rect is a box: its corners.
type rect struct{ x0, y0, x1, y1 float64 }

func box(x, y, w, h float64) rect { return rect{x - w/2, y - h/2, x + w/2, y + h/2} }

// inset is the box shrunk by d on every side.
func (r rect) inset(d float64) rect { return rect{r.x0 + d, r.y0 + d, r.x1 - d, r.y1 - d} }

func (r rect) overlaps(o rect) bool {
	return r.x0 < o.x1 && o.x0 < r.x1 && r.y0 < o.y1 && o.y0 < r.y1
}

func (r rect) has(p point) bool { return p.X > r.x0 && p.X < r.x1 && p.Y > r.y0 && p.Y < r.y1 }

func checkLayout(t *testing.T, nodes []lnode, links []llink, lay *layout) {
	t.Helper()
	if len(lay.Nodes) != len(nodes) || len(lay.Links) != len(links) {
		t.Fatalf("%d nodes and %d links placed, want %d and %d", len(lay.Nodes), len(lay.Links), len(nodes), len(links))
	}
	frame := rect{0, 0, lay.Width, lay.Height}.inset(-0.01)
	var boxesOf, labels []rect
	for i, n := range lay.Nodes {
		b := box(n.X, n.Y, nodes[i].W, nodes[i].H)
		if b.x0 < frame.x0 || b.y0 < frame.y0 || b.x1 > frame.x1 || b.y1 > frame.y1 {
			t.Errorf("node %s at %v lies outside the picture %gx%g", nodes[i].ID, b, lay.Width, lay.Height)
		}
		for j, o := range boxesOf {
			if b.overlaps(o) {
				t.Errorf("nodes %s and %s overlap: %v, %v", nodes[i].ID, nodes[j].ID, b, o)
			}
		}
		boxesOf = append(boxesOf, b)
	}
	for k, r := range lay.Links {
		lb := box(r.Label.X, r.Label.Y, links[k].LabelW, links[k].LabelH)
		for i, b := range boxesOf {
			if lb.overlaps(b) {
				t.Errorf("link %d's label %v overlaps node %s %v", k, lb, nodes[i].ID, b)
			}
		}
		for j, o := range labels {
			if lb.overlaps(o) {
				t.Errorf("the labels of links %d and %d overlap: %v, %v", k, j, lb, o)
			}
		}
		labels = append(labels, lb)
	}
	for k, r := range lay.Links {
		lk := links[k]
		if len(r.Path) < 4 || (len(r.Path)-1)%3 != 0 {
			t.Errorf("link %d: a path of %d points is no cubic spline", k, len(r.Path))
			continue
		}
		from, to := lay.Nodes[lk.From], lay.Nodes[lk.To]
		switch {
		case lk.From == lk.To:
		case r.Reversed && !(from.Layer > to.Layer && from.X > to.X):
			t.Errorf("link %d closes a cycle, yet runs from layer %d to %d", k, from.Layer, to.Layer)
		case !r.Reversed && !(from.Layer < to.Layer && from.X < to.X):
			t.Errorf("link %d runs from layer %d to %d, not rightward", k, from.Layer, to.Layer)
		}
		end := r.Path[len(r.Path)-1]
		if lk.Arrow {
			end = r.Tip
			if d := math.Hypot(r.Tip.X-r.Path[len(r.Path)-1].X, r.Tip.Y-r.Path[len(r.Path)-1].Y); math.Abs(d-arrowLen) > 0.01 {
				t.Errorf("link %d: the arrowhead is %g long", k, d)
			}
		}
		for _, e := range []struct {
			name string
			p    point
			n    int
		}{{"start", r.Path[0], lk.From}, {"end", end, lk.To}} {
			if !onBorder(nodes[e.n], lay.Nodes[e.n], e.p, lk.From == lk.To) {
				t.Errorf("link %d: its %s %v is not on the border of node %s at %v", k, e.name, e.p, nodes[e.n].ID, lay.Nodes[e.n])
			}
		}
		for _, p := range samples(r.Path) {
			for i, b := range boxesOf {
				if i != lk.From && i != lk.To && b.inset(0.5).has(p) {
					t.Errorf("link %d passes under node %s at %v", k, nodes[i].ID, p)
					break
				}
			}
			for j, lb := range labels {
				if j != k && lb.inset(0.5).has(p) {
					t.Errorf("link %d passes under the label of link %d at %v", k, j, p)
					break
				}
			}
		}
	}
}

// onBorder reports whether a point lies on a node's border: where its shape's half-width
// at that height says, or for a self-loop on its top half.
func onBorder(n lnode, at nodePlace, p point, loop bool) bool {
	dy := p.Y - at.Y
	if math.Abs(dy) > n.H/2+0.01 {
		return false
	}
	if loop {
		return dy <= 0 && math.Abs(p.X-at.X) <= n.W/2
	}
	half := n.W / 2
	if n.Border != nil {
		half = n.Border(dy)
	}
	return math.Abs(math.Abs(p.X-at.X)-half) < 0.01
}

// samples are points along a cubic spline.
func samples(path []point) []point {
	var out []point
	for i := 0; i+3 < len(path); i += 3 {
		p0, p1, p2, p3 := path[i], path[i+1], path[i+2], path[i+3]
		for s := 0; s <= 16; s++ {
			u := float64(s) / 16
			a, b, c, d := (1-u)*(1-u)*(1-u), 3*u*(1-u)*(1-u), 3*u*u*(1-u), u*u*u
			out = append(out, point{a*p0.X + b*p1.X + c*p2.X + d*p3.X, a*p0.Y + b*p1.Y + c*p2.Y + d*p3.Y})
		}
	}
	return out
}

// TestLayoutDeterministic checks that a layout depends on the graph, not on the run or on
// the order the nodes come in.
func TestLayoutDeterministic(t *testing.T) {
	for _, c := range graphCases() {
		t.Run(c.name, func(t *testing.T) {
			want := layOut(c.nodes, c.links)
			if got := layOut(c.nodes, c.links); !reflect.DeepEqual(got, want) {
				t.Fatal("two layouts of one graph differ")
			}
			// The nodes in reverse order, the links renumbered to match.
			n := len(c.nodes)
			nodes := make([]lnode, n)
			for i, nd := range c.nodes {
				nodes[n-1-i] = nd
			}
			links := make([]llink, len(c.links))
			for k, lk := range c.links {
				lk.From, lk.To = n-1-lk.From, n-1-lk.To
				links[k] = lk
			}
			got := layOut(nodes, links)
			for i := range c.nodes {
				if got.Nodes[n-1-i] != want.Nodes[i] {
					t.Errorf("node %s at %v, and at %v with the nodes reversed", c.nodes[i].ID, want.Nodes[i], got.Nodes[n-1-i])
				}
			}
			if !reflect.DeepEqual(got.Links, want.Links) {
				t.Error("the links' routes change with the nodes' order")
			}
		})
	}
}

// TestFitInOrder checks the placement of a rank: as near the wanted heights as order and
// spacing allow.
func TestFitInOrder(t *testing.T) {
	for _, c := range []struct {
		name              string
		want, weight, sep []float64
		expect            []float64
	}{
		{"room enough", []float64{0, 50, 100}, []float64{1, 1, 1}, []float64{0, 10, 10}, []float64{0, 50, 100}},
		{"pushed apart", []float64{10, 10}, []float64{1, 1}, []float64{0, 20}, []float64{0, 20}},
		{"heavier stays", []float64{10, 10}, []float64{3, 1}, []float64{0, 20}, []float64{5, 25}},
		{"out of order", []float64{30, 0, 60}, []float64{1, 1, 1}, []float64{0, 10, 10}, []float64{10, 20, 60}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := fitInOrder(c.want, c.weight, c.sep)
			for i := range got {
				if math.Abs(got[i]-c.expect[i]) > 1e-9 {
					t.Fatalf("got %v, want %v", got, c.expect)
				}
			}
		})
	}
}

// actorsGraph is shaped like parley's data: actors with facts about positions, events
// and places, some facts between actors, and some back from a topic to an actor.
func actorsGraph(actors, topics, facts int, seed uint64) graphCase {
	r := rand.New(rand.NewPCG(seed, 11))
	nodes := boxes(actors + topics)
	var pairs [][2]int
	for range facts {
		a, t := r.IntN(actors), actors+r.IntN(topics)
		switch r.IntN(10) {
		case 0:
			pairs = append(pairs, [2]int{t, a})
		case 1:
			pairs = append(pairs, [2]int{a, r.IntN(actors)})
		default:
			pairs = append(pairs, [2]int{a, t})
		}
	}
	return graphCase{fmt.Sprintf("actors %d, topics %d", actors, topics), nodes, links(pairs...)}
}

// BenchmarkLayout lays out graphs of 500 nodes: each should take well under a second.
// The random one, deep in cycles, makes tens of thousands of virtual nodes.
func BenchmarkLayout(b *testing.B) {
	for _, c := range []graphCase{actorsGraph(100, 400, 1000, 4), randomGraph(500, 500, 3)} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				layOut(c.nodes, c.links)
			}
		})
	}
}

// TestCrossings checks the count of crossings against one by every pair of links.
func TestCrossings(t *testing.T) {
	for _, c := range graphCases() {
		t.Run(c.name, func(t *testing.T) {
			l := &layering{nodes: c.nodes, links: c.links, loops: make([][]int, len(c.nodes))}
			byID := make([]int, len(c.nodes))
			for i := range byID {
				byID[i] = i
			}
			l.breakCycles(byID)
			l.addVirtual(l.rankNodes(byID))
			l.order(byID)
			want := 0
			for _, row := range l.ranks {
				for _, u := range row {
					for _, v := range row {
						if l.pos[u] >= l.pos[v] {
							continue
						}
						for _, a := range l.vs[u].down {
							for _, b := range l.vs[v].down {
								if l.pos[a.v] > l.pos[b.v] {
									want++
								}
							}
						}
					}
				}
			}
			if got := l.crossings(); got != want {
				t.Fatalf("%d crossings counted, %d by brute force", got, want)
			}
		})
	}
}
