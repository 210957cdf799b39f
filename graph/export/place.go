package export

import (
	"cmp"
	"math"
	"slices"
)

// Placement and routing, the second half of the layout: once layout.go has ordered the
// ranks, the vnodes get their y (down a column) and x (the column's), and the links their
// curves.

// margin is the room around a layout, in points.
const margin = 8.0

// column is a rank's span across the picture.
type column struct{ left, width float64 }

func (c column) centre() float64 { return c.left + c.width/2 }
func (c column) right() float64  { return c.left + c.width }

// sep is the least distance between the centres of u and v, u above v in a rank.
func (l *layering) sep(u, v int) float64 {
	a, b := &l.vs[u], &l.vs[v]
	gap := labelGap
	switch {
	case a.real >= 0 && b.real >= 0:
		gap = nodeGap
	case a.real >= 0 || b.real >= 0:
		gap = passGap
	}
	return a.bottom + gap + b.top
}

// placeY stacks each rank, then moves every vnode toward the weighted mean of its
// neighbours' heights, rank by rank, down and up, as far as its rank's order and spacing
// let it.
func (l *layering) placeY() {
	for _, row := range l.ranks {
		y := 0.0
		for i, v := range row {
			if i > 0 {
				y += l.sep(row[i-1], v)
			}
			l.y[v] = y
		}
	}
	var f fitter
	for sweep, moved := 0, math.Inf(1); sweep < sweeps(placeSweeps, placeBudget, len(l.vs)) && moved > 0.1; sweep++ {
		moved = 0
		for r := range l.ranks {
			moved = max(moved, l.placeRank(r, &f))
		}
		for r := len(l.ranks) - 1; r >= 0; r-- {
			moved = max(moved, l.placeRank(r, &f))
		}
	}
}

// placeRank places a rank and says how far a vnode moved the most.
func (l *layering) placeRank(r int, f *fitter) float64 {
	row := l.ranks[r]
	want, weight, sep := f.reset(len(row))
	for i, v := range row {
		sum, w := 0.0, 0.0
		for _, list := range [2][]adj{l.vs[v].up, l.vs[v].down} {
			for _, a := range list {
				sum += a.w * l.y[a.v]
				w += a.w
			}
		}
		if w == 0 {
			want[i], weight[i] = l.y[v], 1e-3 // nothing pulls it: stay
		} else {
			want[i], weight[i] = sum/w, w
		}
		if i > 0 {
			sep[i] = l.sep(row[i-1], v)
		}
	}
	moved := 0.0
	for i, y := range f.fit() {
		moved = max(moved, math.Abs(l.y[row[i]]-y))
		l.y[row[i]] = y
	}
	return moved
}

// fitter places a rank: the heights nearest the wanted ones (least weighted squares) that
// keep the rank's order with sep[i] at least between i-1 and i. With the separations
// taken out that is a monotone regression, solved by pooling adjacent violators. It keeps
// its buffers from rank to rank.
type fitter struct {
	want, weight, sep, off, y []float64
	blocks                    []block
}

// block is a run of vnodes that pool at one height, less their offsets.
type block struct {
	w, sum     float64 // weight, and weighted sum of targets
	start, end int
}

// reset readies the fitter for n vnodes, and returns the slices to fill in.
func (f *fitter) reset(n int) (want, weight, sep []float64) {
	grow := func(s []float64) []float64 { return slices.Grow(s[:0], n)[:n] }
	f.want, f.weight, f.sep, f.off, f.y = grow(f.want), grow(f.weight), grow(f.sep), grow(f.off), grow(f.y)
	return f.want, f.weight, f.sep
}

func (f *fitter) fit() []float64 {
	f.blocks = f.blocks[:0]
	for i := range f.want {
		f.off[i] = 0
		if i > 0 {
			f.off[i] = f.off[i-1] + f.sep[i]
		}
		b := block{f.weight[i], f.weight[i] * (f.want[i] - f.off[i]), i, i + 1}
		for len(f.blocks) > 0 {
			last := f.blocks[len(f.blocks)-1]
			if last.sum/last.w < b.sum/b.w {
				break
			}
			f.blocks = f.blocks[:len(f.blocks)-1]
			b = block{last.w + b.w, last.sum + b.sum, last.start, b.end}
		}
		f.blocks = append(f.blocks, b)
	}
	for _, b := range f.blocks {
		for i := b.start; i < b.end; i++ {
			f.y[i] = b.sum/b.w + f.off[i]
		}
	}
	return f.y
}

// fitInOrder places one rank with a fitter of its own.
func fitInOrder(want, weight, sep []float64) []float64 {
	var f fitter
	w, wt, s := f.reset(len(want))
	copy(w, want)
	copy(wt, weight)
	copy(s, sep)
	return f.fit()
}

// placeX sizes the columns to their widest vnode and spaces them by the steepest link
// between them, so that curves stay readable.
func (l *layering) placeX() []column {
	cols := make([]column, len(l.ranks))
	x := 0.0
	for r, row := range l.ranks {
		steepest := 0.0
		for _, v := range row {
			cols[r].width = max(cols[r].width, l.vs[v].w)
			for _, a := range l.vs[v].down {
				steepest = max(steepest, math.Abs(l.y[a.v]-l.y[v]))
			}
		}
		cols[r].left = x
		x += cols[r].width + min(max(steepest/2, minRankGap), maxRankGap)
	}
	return cols
}

// route draws every link through its chain and places the pictures' parts; the result is
// moved to start at the margin.
func (l *layering) route(cols []column) *layout {
	out := &layout{Nodes: make([]nodePlace, len(l.nodes)), Links: make([]linkRoute, len(l.links))}
	for i := range l.nodes {
		out.Nodes[i] = nodePlace{X: cols[l.vs[i].rank].centre(), Y: l.y[i], Layer: l.vs[i].rank / 2}
	}
	ports := l.ports()
	for k, chain := range l.chains {
		if chain == nil {
			continue
		}
		way, label := l.way(k, cols, out.Nodes, ports[k])
		out.Links[k] = l.curve(k, way)
		out.Links[k].Label = label
	}
	l.routeLoops(out)
	return fitMargin(out, l.nodes, l.links)
}

// way is the points a link passes, left to right: its ends at the nodes' sides, level
// to their columns' edges; its label's platform, level across the label's column; and
// between them its bends, each on the straight line between the points either side of
// it as far as the room around it in its column allows, so that a long link runs
// straight where it can and never under a node or a label. It returns the label's centre
// too.
func (l *layering) way(k int, cols []column, nodes []nodePlace, port [2]float64) (way []point, label point) {
	chain := l.chains[k]
	a, b := chain[0], chain[len(chain)-1]
	add := func(p point) {
		if n := len(way); n == 0 || math.Abs(way[n-1].X-p.X)+math.Abs(way[n-1].Y-p.Y) > 0.01 {
			way = append(way, p)
		}
	}
	start := point{nodes[a].X + l.halfWidth(a, port[0]), nodes[a].Y + port[0]}
	end := point{nodes[b].X - l.halfWidth(b, port[1]), nodes[b].Y + port[1]}
	before := point{cols[l.vs[a].rank].right(), start.Y} // the last fixed point
	after := point{cols[l.vs[b].rank].left, end.Y}       // the next one, past the label
	labelAt := point{}
	for _, v := range chain {
		if l.vs[v].link == k {
			labelAt = point{cols[l.vs[v].rank].left, l.y[v]}
		}
	}
	add(start)
	add(before)
	for _, v := range chain[1 : len(chain)-1] {
		c := cols[l.vs[v].rank]
		if l.vs[v].link == k {
			y := l.y[v]
			add(point{c.left, y})
			add(point{c.right(), y})
			label = point{c.centre(), y - labelRise - l.links[k].LabelH/2}
			before = point{c.right(), y}
			continue
		}
		next := after
		if before.X < labelAt.X {
			next = labelAt
		}
		lo, hi := l.corridor(v)
		along := func(x float64) point {
			t := (x - before.X) / (next.X - before.X)
			return point{x, min(max(before.Y+t*(next.Y-before.Y), lo), hi)}
		}
		add(along(c.left))
		add(along(c.right()))
	}
	add(after)
	add(end)
	return way, label
}

// corridor is the band of a dummy's column that is its own: clear of the nodes and
// labels above and below it, and halfway to the links passing next to it.
func (l *layering) corridor(v int) (lo, hi float64) {
	me, y, pos := &l.vs[v], l.y[v], l.pos[v]
	row := l.ranks[me.rank]
	lo, hi = math.Inf(-1), math.Inf(1)
	if pos > 0 {
		if u := row[pos-1]; l.vs[u].real < 0 && l.vs[u].link < 0 {
			lo = (l.y[u] + y) / 2
		} else {
			lo = l.y[u] + l.vs[u].bottom + passGap/2
		}
	}
	if pos+1 < len(row) {
		if w := row[pos+1]; l.vs[w].real < 0 && l.vs[w].link < 0 {
			hi = (l.y[w] + y) / 2
		} else {
			hi = l.y[w] - l.vs[w].top - passGap/2
		}
	}
	return min(lo, y), max(hi, y)
}

// curve is a link's route along its way: its arrow's tip at the end the link points to,
// the way shortened there for the arrowhead, and the spline through it.
func (l *layering) curve(k int, way []point) linkRoute {
	r := linkRoute{Reversed: l.rev[k]}
	if r.Reversed { // the link points left, to the start of the way
		slices.Reverse(way)
	}
	r.Tip = way[len(way)-1]
	if l.links[k].Arrow {
		way = shorten(way)
	}
	if r.Reversed {
		slices.Reverse(way)
	}
	r.Path = spline(way)
	if r.Reversed {
		slices.Reverse(r.Path)
	}
	return r
}

// ports spreads the ends of the links at each side of a node, in the order of where they
// go, so that they neither cross nor meet at one point: for each link, the offsets from
// its left and right nodes' centres.
func (l *layering) ports() [][2]float64 {
	type end struct {
		link int
		to   float64 // the y of the next vnode along the link
	}
	left, right := make([][]end, len(l.nodes)), make([][]end, len(l.nodes))
	for k, chain := range l.chains {
		if chain == nil {
			continue
		}
		a, b := chain[0], chain[len(chain)-1]
		right[a] = append(right[a], end{k, l.y[chain[1]]})
		left[b] = append(left[b], end{k, l.y[chain[len(chain)-2]]})
	}
	out := make([][2]float64, len(l.links))
	for v := range l.nodes {
		for side, ends := range [2][]end{right[v], left[v]} {
			slices.SortStableFunc(ends, func(a, b end) int { return cmp.Compare(a.to, b.to) })
			step := portSpacing
			if n := len(ends); n > 1 {
				step = min(step, 0.6*l.nodes[v].H/float64(n-1))
			}
			for i, e := range ends {
				out[e.link][side] = (float64(i) - float64(len(ends)-1)/2) * step
			}
		}
	}
	return out
}

// halfWidth is a node's half-width at dy from its centre.
func (l *layering) halfWidth(v int, dy float64) float64 {
	if b := l.nodes[v].Border; b != nil {
		return b(dy)
	}
	return l.nodes[v].W / 2
}

// shorten ends a route an arrowhead's length before its tip, dropping the bends the
// arrowhead covers.
func shorten(way []point) []point {
	tip := way[len(way)-1]
	dir := 1.0
	if way[len(way)-2].X > tip.X {
		dir = -1
	}
	base := point{tip.X - dir*arrowLen, tip.Y}
	for len(way) > 1 && (way[len(way)-1].X-base.X)*dir >= 0 {
		way = way[:len(way)-1]
	}
	return append(way, base)
}

// spline joins the points of a way, left to right, with a smooth curve that keeps
// between the heights of each two points it joins (a monotone cubic, Fritsch and
// Carlson's): level where the way is level, as along a label or a node's side, and
// through the bends of a long link without wiggles.
func spline(way []point) []point {
	n := len(way)
	slope := make([]float64, n-1)
	for i := range slope {
		slope[i] = (way[i+1].Y - way[i].Y) / (way[i+1].X - way[i].X)
	}
	tangent := make([]float64, n) // level at both ends
	for i := 1; i+1 < n; i++ {
		if a, b := slope[i-1], slope[i]; a*b > 0 {
			tangent[i] = 2 / (1/a + 1/b) // their harmonic mean
		}
	}
	path := []point{way[0]}
	for i := 1; i < n; i++ {
		p, q := way[i-1], way[i]
		third := (q.X - p.X) / 3
		path = append(path, point{p.X + third, p.Y + tangent[i-1]*third}, point{q.X - third, q.Y - tangent[i]*third}, q)
	}
	return path
}

// loop is the shape of a self-loop over its node: its feet and sides stand out so far
// from the node's centre, its top so high over the node.
type loop struct{ foot, side, height float64 }

// loopShapes nests a node's self-loops, each around the one before and its label.
func (l *layering) loopShapes(v int) []loop {
	var out []loop
	for j := range l.loops[v] {
		s := loop{foot: max(min(l.nodes[v].W/2-2, 5+5*float64(j)), 1), height: loopHeight}
		s.side = s.foot
		if j > 0 {
			inner, lk := out[j-1], l.links[l.loops[v][j-1]]
			s.side = max(s.foot, inner.side+6, lk.LabelW/2+4)
			s.height = inner.height + labelRise + lk.LabelH + 6
		}
		out = append(out, s)
	}
	return out
}

// loopRoom is the room a node's self-loops and their labels take above it, and the
// width they need.
func (l *layering) loopRoom(v int) (top, width float64) {
	shapes := l.loopShapes(v)
	last, lk := shapes[len(shapes)-1], l.links[l.loops[v][len(shapes)-1]]
	return last.height + labelRise + lk.LabelH, max(2*last.side+2, lk.LabelW)
}

// routeLoops draws self-loops over their nodes: up from the node's top, out, across over
// the label of the loop inside, and down with the arrow; each label over its loop.
func (l *layering) routeLoops(out *layout) {
	for v, loops := range l.loops {
		at := out.Nodes[v]
		for j, s := range l.loopShapes(v) {
			k := loops[j]
			yt := at.Y - l.topAt(v, s.foot)
			top, x, r := yt-s.height, at.X, min(6, s.side)
			foot := yt - arrowLen
			p := []point{{x - s.foot, yt}}
			line := func(q point) {
				o := p[len(p)-1]
				p = append(p, point{o.X + (q.X-o.X)/3, o.Y + (q.Y-o.Y)/3}, point{o.X + 2*(q.X-o.X)/3, o.Y + 2*(q.Y-o.Y)/3}, q)
			}
			line(point{x - s.foot, foot})
			p = append(p, point{x - s.foot, foot - 3}, point{x - s.side, foot - 3}, point{x - s.side, foot - 6})
			line(point{x - s.side, top + r})
			p = append(p, point{x - s.side, top}, point{x - s.side, top}, point{x - s.side + r, top})
			line(point{x + s.side - r, top})
			p = append(p, point{x + s.side, top}, point{x + s.side, top}, point{x + s.side, top + r})
			line(point{x + s.side, foot - 6})
			p = append(p, point{x + s.side, foot - 3}, point{x + s.foot, foot - 3}, point{x + s.foot, foot})
			tip := point{x + s.foot, yt}
			if !l.links[k].Arrow {
				line(tip)
			}
			out.Links[k] = linkRoute{Path: p, Tip: tip, Label: point{x, top - labelRise - l.links[k].LabelH/2}}
		}
	}
}

// topAt is how far above its centre a node's shape ends at dx either side of it.
func (l *layering) topAt(v int, dx float64) float64 {
	lo, hi := 0.0, l.nodes[v].H/2
	for range 30 {
		if mid := (lo + hi) / 2; l.halfWidth(v, -mid) >= dx {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}

// fitMargin moves a layout to start at the margin and sizes it to hold every node, label
// and curve.
func fitMargin(out *layout, nodes []lnode, links []llink) *layout {
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	grow := func(x, y, w, h float64) {
		x0, y0, x1, y1 = min(x0, x-w/2), min(y0, y-h/2), max(x1, x+w/2), max(y1, y+h/2)
	}
	for i, n := range out.Nodes {
		grow(n.X, n.Y, nodes[i].W, nodes[i].H)
	}
	for k, r := range out.Links {
		grow(r.Label.X, r.Label.Y, links[k].LabelW, links[k].LabelH)
		for _, p := range r.Path {
			grow(p.X, p.Y, 0, 0)
		}
	}
	if len(out.Nodes) == 0 {
		x0, y0, x1, y1 = 0, 0, 0, 0
	}
	dx, dy := margin-x0, margin-y0
	for i := range out.Nodes {
		out.Nodes[i].X += dx
		out.Nodes[i].Y += dy
	}
	for k := range out.Links {
		r := &out.Links[k]
		for i := range r.Path {
			r.Path[i].X += dx
			r.Path[i].Y += dy
		}
		r.Tip.X, r.Tip.Y = r.Tip.X+dx, r.Tip.Y+dy
		r.Label.X, r.Label.Y = r.Label.X+dx, r.Label.Y+dy
	}
	out.Width, out.Height = x1-x0+2*margin, y1-y0+2*margin
	return out
}
