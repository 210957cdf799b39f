package export

import (
	"cmp"
	"math"
	"slices"
)

// The pictures are laid out here, in layers from left to right as Graphviz's dot does
// with rankdir=LR (Sugiyama's method): cycles are broken by reversing the back edges a
// depth-first search finds; nodes take layers by longest path, then move toward the side
// most of their edges lead to; a link longer than one layer passes through virtual nodes,
// one of which carries its label, so that labels take room as nodes do; the layers are
// ordered by barycentre sweeps with transposition of neighbours, keeping the best order
// found; nodes are placed down their columns by least squares under order and spacing
// (pool adjacent violators); and links are routed as smooth curves through their virtual
// nodes. Nodes only ever sit in columns and links cross a column only between the nodes
// in it, so no link runs under a node or a label.

// Spacing, in points.
const (
	minRankGap  = 24.0  // the least room between two columns
	maxRankGap  = 120.0 // the most, for steep links
	nodeGap     = 18.0  // between two nodes of a column
	passGap     = 9.0   // between a node and a link or label passing it
	labelGap    = 5.0   // between two labels, or two links passing
	labelRise   = 2.0   // between a link and its label above it
	arrowLen    = 8.0   // the arrowhead's length
	portSpacing = 5.0   // between the ends of links at a node's side
	loopHeight  = 24.0  // a self-loop's height, at the least
)

// Effort: sweeps at most, fewer for a graph of many vnodes, so that each phase visits
// about a budget of vnodes at most (a big graph costs time, not minutes).
const (
	orderSweeps = 24
	placeSweeps = 40
	orderBudget = 300_000
	placeBudget = 500_000
	minSweeps   = 4
)

// sweeps is the number of sweeps a phase makes over n vnodes.
func sweeps(most, budget, n int) int {
	return min(most, max(minSweeps, budget/max(n, 1)))
}

// point is a position in points (1/72 inch), y down.
type point struct{ X, Y float64 }

// lnode is a node to lay out: its size, and the ID that orders it.
type lnode struct {
	ID   string
	W, H float64
	// Border is the shape's half-width at dy from its centre, where links meet it; nil
	// for a box.
	Border func(dy float64) float64
}

// llink is a link to lay out: its ends (indices of nodes), its label's size, and whether
// its end has an arrowhead.
type llink struct {
	From, To       int
	LabelW, LabelH float64
	Arrow          bool
}

// layout is where the nodes and links went.
type layout struct {
	Width, Height float64
	Nodes         []nodePlace
	Links         []linkRoute
}

// nodePlace is a node's centre and layer.
type nodePlace struct {
	X, Y  float64
	Layer int
}

// linkRoute is a link's curve, arrow and label.
type linkRoute struct {
	Path     []point // a cubic Bézier spline: the start, then three points a segment
	Tip      point   // the arrow's tip on the target's border; Path ends arrowLen before it
	Label    point   // the label's centre
	Reversed bool    // the link runs right to left: it closed a cycle
}

// vnode is a node of the layered graph: a real node, a link's label, or a bend of a link
// (a dummy).
type vnode struct {
	real        int // the lnode, or -1
	link        int // the link whose label this is, or -1
	rank        int // real nodes on even ranks, labels on odd ones
	comp        int
	w           float64 // width in its column
	top, bottom float64 // room above and below y
	up, down    []adj   // neighbours one rank before and after
}

type adj struct {
	v int
	w float64 // pull, as Graphviz weighs edges: dummies are kept straightest
}

// layering is the state of one layout.
type layering struct {
	nodes  []lnode
	links  []llink
	vs     []vnode
	pos    []int     // each vnode's place in its rank
	y      []float64 // each vnode's height
	ranks  [][]int   // vnode indices by rank, in order
	chains [][]int   // each link's vnodes, from its left end to its right end; nil for a loop
	rev    []bool    // links reversed to break cycles
	loops  [][]int   // self-loops by node
}

// layOut lays a graph out left to right. The result depends only on the nodes' IDs, the
// sizes and the links' order, not on the order the nodes come in.
func layOut(nodes []lnode, links []llink) *layout {
	l := &layering{nodes: nodes, links: links, loops: make([][]int, len(nodes))}
	byID := make([]int, len(nodes))
	for i := range byID {
		byID[i] = i
	}
	slices.SortStableFunc(byID, func(a, b int) int { return cmp.Compare(nodes[a].ID, nodes[b].ID) })
	l.breakCycles(byID)
	rank, comp := l.rankNodes(byID)
	l.addVirtual(rank, comp)
	l.order(byID)
	l.placeY()
	cols := l.placeX()
	return l.route(cols)
}

// out lists each node's links, self-loops aside, in the links' order.
func (l *layering) out() [][]int {
	out := make([][]int, len(l.nodes))
	for i, k := range l.links {
		if k.From == k.To {
			l.loops[k.From] = append(l.loops[k.From], i)
			continue
		}
		out[k.From] = append(out[k.From], i)
	}
	return out
}

// breakCycles reverses the links that close a cycle: those a depth-first search, started
// from the nodes in ID order, finds pointing back into its stack.
func (l *layering) breakCycles(byID []int) {
	out := l.out()
	l.rev = make([]bool, len(l.links))
	state := make([]byte, len(l.nodes)) // 0 unseen, 1 on the stack, 2 done
	type frame struct{ v, next int }
	for _, s := range byID {
		if state[s] != 0 {
			continue
		}
		stack := []frame{{s, 0}}
		state[s] = 1
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			if f.next == len(out[f.v]) {
				state[f.v] = 2
				stack = stack[:len(stack)-1]
				continue
			}
			k := out[f.v][f.next]
			f.next++
			switch to := l.links[k].To; state[to] {
			case 0:
				state[to] = 1
				stack = append(stack, frame{to, 0})
			case 1:
				l.rev[k] = true
			}
		}
	}
}

// ends is a link's ends left to right: reversed if it closes a cycle.
func (l *layering) ends(k int) (int, int) {
	if l.rev[k] {
		return l.links[k].To, l.links[k].From
	}
	return l.links[k].From, l.links[k].To
}

// rankNodes gives each node a layer, by longest path from the sources, then balances the
// layers, and numbers the connected components, largest first.
func (l *layering) rankNodes(byID []int) (rank, comp []int) {
	n := len(l.nodes)
	preds, succs := make([][]int, n), make([][]int, n)
	indeg := make([]int, n)
	for k, lk := range l.links {
		if lk.From == lk.To {
			continue
		}
		a, b := l.ends(k)
		succs[a] = append(succs[a], b)
		preds[b] = append(preds[b], a)
		indeg[b]++
	}
	topo := make([]int, 0, n)
	for _, v := range byID {
		if indeg[v] == 0 {
			topo = append(topo, v)
		}
	}
	rank = make([]int, n)
	for i := 0; i < len(topo); i++ {
		v := topo[i]
		for _, w := range succs[v] {
			rank[w] = max(rank[w], rank[v]+1)
			if indeg[w]--; indeg[w] == 0 {
				topo = append(topo, w)
			}
		}
	}
	balance(topo, preds, succs, rank)
	comp = l.components(byID, preds, succs)
	low := map[int]int{}
	for v, c := range comp {
		if r, ok := low[c]; !ok || rank[v] < r {
			low[c] = rank[v]
		}
	}
	for v := range rank {
		rank[v] -= low[comp[v]]
	}
	return rank, comp
}

// balance moves each node toward the side more of its links lead to, as far as its
// neighbours' layers let it: each move shortens the links, so the passes end.
func balance(topo []int, preds, succs [][]int, rank []int) {
	for changed, pass := true, 0; changed && pass < 2*len(rank)+1; pass++ {
		changed = false
		for _, v := range topo {
			switch {
			case len(succs[v]) > len(preds[v]):
				hi := math.MaxInt
				for _, w := range succs[v] {
					hi = min(hi, rank[w]-1)
				}
				if hi > rank[v] {
					rank[v], changed = hi, true
				}
			case len(preds[v]) > len(succs[v]):
				lo := 0
				for _, w := range preds[v] {
					lo = max(lo, rank[w]+1)
				}
				if lo < rank[v] {
					rank[v], changed = lo, true
				}
			}
		}
	}
}

// components numbers the connected components, the largest first, ties by their first
// node's ID.
func (l *layering) components(byID []int, preds, succs [][]int) []int {
	n := len(l.nodes)
	raw := make([]int, n)
	for i := range raw {
		raw[i] = -1
	}
	var sizes []int
	for _, s := range byID {
		if raw[s] >= 0 {
			continue
		}
		c := len(sizes)
		raw[s] = c
		queue := []int{s}
		for i := 0; i < len(queue); i++ {
			for _, list := range [][]int{succs[queue[i]], preds[queue[i]]} {
				for _, w := range list {
					if raw[w] < 0 {
						raw[w] = c
						queue = append(queue, w)
					}
				}
			}
		}
		sizes = append(sizes, len(queue))
	}
	byOrder := make([]int, len(sizes))
	for i := range byOrder {
		byOrder[i] = i
	}
	slices.SortStableFunc(byOrder, func(a, b int) int { return cmp.Compare(sizes[b], sizes[a]) })
	renumber := make([]int, len(sizes))
	for i, c := range byOrder {
		renumber[c] = i
	}
	comp := make([]int, n)
	for v, c := range raw {
		comp[v] = renumber[c]
	}
	return comp
}

// addVirtual makes the layered graph: real nodes on even ranks, and each link a chain
// through one vnode a rank between its ends, the middle odd one carrying its label.
func (l *layering) addVirtual(rank, comp []int) {
	maxRank := 0
	for i, nd := range l.nodes {
		top, w := nd.H/2, nd.W
		if len(l.loops[i]) > 0 {
			room, wide := l.loopRoom(i)
			top, w = top+room, max(w, wide)
		}
		l.vs = append(l.vs, vnode{real: i, link: -1, rank: 2 * rank[i], comp: comp[i], w: w, top: top, bottom: nd.H / 2})
		maxRank = max(maxRank, 2*rank[i])
	}
	l.chains = make([][]int, len(l.links))
	for k, lk := range l.links {
		if lk.From == lk.To {
			continue
		}
		a, b := l.ends(k)
		r0, r1 := 2*rank[a], 2*rank[b]
		labelRank := r0 + 1 + 2*(((r1-r0)/2-1)/2) // the middle odd rank between the ends
		chain := []int{a}
		for r := r0 + 1; r < r1; r++ {
			v := vnode{real: -1, link: -1, rank: r, comp: comp[a], top: 1, bottom: 1}
			if r == labelRank {
				v.link, v.w, v.top, v.bottom = k, lk.LabelW, lk.LabelH+labelRise, 1
			}
			chain = append(chain, len(l.vs))
			l.vs = append(l.vs, v)
		}
		chain = append(chain, b)
		for i := 1; i < len(chain); i++ {
			u, v := chain[i-1], chain[i]
			w := 2.0
			if l.vs[u].real < 0 && l.vs[v].real < 0 {
				w = 8
			}
			l.vs[u].down = append(l.vs[u].down, adj{v, w})
			l.vs[v].up = append(l.vs[v].up, adj{u, w})
		}
		l.chains[k] = chain
	}
	l.ranks = make([][]int, maxRank+1)
	l.pos, l.y = make([]int, len(l.vs)), make([]float64, len(l.vs))
}

// order puts the vnodes of each rank in an order with few crossings: first as a
// breadth-first search from the nodes in ID order meets them, then by barycentre sweeps,
// down and up, each followed by transposition of neighbours; the best order found stays.
// Components never mix: each keeps its own band of every rank.
func (l *layering) order(byID []int) {
	starts := slices.Clone(byID)
	slices.SortStableFunc(starts, func(a, b int) int { return cmp.Compare(l.vs[a].comp, l.vs[b].comp) })
	seen := make([]bool, len(l.vs))
	for _, s := range starts {
		if seen[s] {
			continue
		}
		seen[s] = true
		queue := []int{s}
		for i := 0; i < len(queue); i++ {
			v := queue[i]
			l.ranks[l.vs[v].rank] = append(l.ranks[l.vs[v].rank], v)
			for _, list := range [][]adj{l.vs[v].down, l.vs[v].up} {
				for _, a := range list {
					if !seen[a.v] {
						seen[a.v] = true
						queue = append(queue, a.v)
					}
				}
			}
		}
	}
	l.renumber()
	best, bestC := l.saveOrder(), l.crossings()
	for sweep := 0; sweep < sweeps(orderSweeps, orderBudget, len(l.vs)) && bestC > 0; sweep++ {
		if sweep%2 == 0 {
			for r := 1; r < len(l.ranks); r++ {
				l.sortRank(r, true)
			}
		} else {
			for r := len(l.ranks) - 2; r >= 0; r-- {
				l.sortRank(r, false)
			}
		}
		l.transpose()
		if c := l.crossings(); c < bestC {
			best, bestC = l.saveOrder(), c
		}
	}
	l.ranks = best
	l.renumber()
}

func (l *layering) renumber() {
	for _, row := range l.ranks {
		for i, v := range row {
			l.pos[v] = i
		}
	}
}

func (l *layering) saveOrder() [][]int {
	out := make([][]int, len(l.ranks))
	for r, row := range l.ranks {
		out[r] = slices.Clone(row)
	}
	return out
}

// sortRank orders a rank by the barycentres of its vnodes' neighbours in the rank before
// (up) or after; a vnode with no such neighbours keeps its place.
func (l *layering) sortRank(r int, up bool) {
	row := l.ranks[r]
	for i := 0; i < len(row); {
		j := i
		for j < len(row) && l.vs[row[j]].comp == l.vs[row[i]].comp {
			j++
		}
		l.sortBand(row[i:j], up)
		i = j
	}
	for i, v := range row {
		l.pos[v] = i
	}
}

func (l *layering) sortBand(band []int, up bool) {
	type keyed struct {
		v    int
		bary float64
	}
	var slots []int
	var movers []keyed
	for i, v := range band {
		nbrs := l.vs[v].down
		if up {
			nbrs = l.vs[v].up
		}
		if len(nbrs) == 0 {
			continue
		}
		sum := 0.0
		for _, a := range nbrs {
			sum += float64(l.pos[a.v])
		}
		slots = append(slots, i)
		movers = append(movers, keyed{v, sum / float64(len(nbrs))})
	}
	slices.SortStableFunc(movers, func(a, b keyed) int { return cmp.Compare(a.bary, b.bary) })
	for i, m := range movers {
		band[slots[i]] = m.v
	}
}

// transpose swaps neighbours in a rank while that removes crossings; after the first
// pass, only ranks next to one that changed are looked at again.
func (l *layering) transpose() {
	dirty := make([]bool, len(l.ranks))
	for r := range dirty {
		dirty[r] = true
	}
	for pass := 0; pass < 4; pass++ {
		swapped := make([]bool, len(l.ranks))
		changed := false
		for r, row := range l.ranks {
			if !dirty[r] {
				continue
			}
			for i := 0; i+1 < len(row); i++ {
				u, v := row[i], row[i+1]
				if l.vs[u].comp == l.vs[v].comp && l.pairCrossings(v, u) < l.pairCrossings(u, v) {
					row[i], row[i+1] = v, u
					l.pos[u], l.pos[v] = i+1, i
					swapped[r], changed = true, true
				}
			}
		}
		if !changed {
			return
		}
		for r := range dirty {
			dirty[r] = swapped[r] || r > 0 && swapped[r-1] || r+1 < len(swapped) && swapped[r+1]
		}
	}
}

// pairCrossings counts the crossings between the links of u and those of v, u above v.
func (l *layering) pairCrossings(u, v int) int {
	c := 0
	for _, side := range [2]bool{true, false} {
		nu, nv := l.vs[u].down, l.vs[v].down
		if side {
			nu, nv = l.vs[u].up, l.vs[v].up
		}
		for _, a := range nu {
			for _, b := range nv {
				if l.pos[a.v] > l.pos[b.v] {
					c++
				}
			}
		}
	}
	return c
}

// crossings counts the crossings between every two ranks: pairs of links whose ends are
// in opposite orders, counted with a Fenwick tree.
func (l *layering) crossings() int {
	total := 0
	var ends []int
	for r := 0; r+1 < len(l.ranks); r++ {
		tree := make([]int, len(l.ranks[r+1])+1)
		for _, u := range l.ranks[r] {
			ends = ends[:0]
			for _, a := range l.vs[u].down {
				ends = append(ends, l.pos[a.v])
			}
			slices.Sort(ends)
			for _, p := range ends {
				// Links met before that end further down cross this one.
				total += fenwickSum(tree, len(tree)-1) - fenwickSum(tree, p+1)
			}
			for _, p := range ends {
				for i := p + 1; i < len(tree); i += i & -i {
					tree[i]++
				}
			}
		}
	}
	return total
}

// fenwickSum is the number of links counted so far ending at positions below n.
func fenwickSum(tree []int, n int) int {
	s := 0
	for i := n; i > 0; i -= i & -i {
		s += tree[i]
	}
	return s
}
