package analysis

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/cayleygraph/quad"
	gonum "gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/path"
	"gonum.org/v1/gonum/graph/simple"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/schema"
)

// DefaultMaxHops bounds the length of a path unless told otherwise.
const DefaultMaxHops = 4

// factGraph is the store's relation facts as an undirected graph: a node for every entity
// a fact names (literals are no nodes), an edge wherever facts link two of them, either way.
type factGraph struct {
	valueGraph
	links map[[2]int64][]quad.Quad // the facts between two nodes, the lower ID first
}

// newFactGraph builds the graph of facts.
func newFactGraph(facts []quad.Quad) *factGraph {
	fg := &factGraph{valueGraph: newValueGraph(), links: map[[2]int64][]quad.Quad{}}
	for _, q := range facts {
		if !schema.IsNode(q.Object) {
			continue
		}
		a, b := fg.id(q.Subject), fg.id(q.Object)
		if a == b {
			continue
		}
		if a > b {
			a, b = b, a
		}
		fg.links[[2]int64{a, b}] = append(fg.links[[2]int64{a, b}], q)
		fg.g.SetEdge(fg.g.NewEdge(simple.Node(a), simple.Node(b)))
	}
	return fg
}

// between returns the facts linking two nodes.
func (fg *factGraph) between(a, b int64) []quad.Quad {
	if a > b {
		a, b = b, a
	}
	return fg.links[[2]int64{a, b}]
}

// Link is a fact walked from one entity to the next: its reading in the direction walked
// (the reverse reading when walked from object to subject) and its claims.
type Link struct {
	Predicate graph.Predicate `json:"predicate"` // read in the direction walked
	Reverse   bool            `json:"reverse"`
	Claims    []graph.Fact    `json:"claims"`
}

// Hop is one step of a path: every fact that links From to To.
type Hop struct {
	From  graph.Node `json:"from"`
	To    graph.Node `json:"to"`
	Links []Link     `json:"links"`
}

// Path is a chain of hops.
type Path struct {
	Hops []Hop `json:"hops"`
}

// PathResult is the shortest paths between two entities.
type PathResult struct {
	From  graph.Node `json:"from"`
	To    graph.Node `json:"to"`
	Hops  int        `json:"hops"`
	Paths []Path     `json:"paths"`
}

// NoPathError says two entities are not linked within a bound. Shortest is the length of
// the shortest path, 0 when they are not linked at all.
type NoPathError struct {
	From, To graph.Node
	MaxHops  int
	Shortest int
}

func (e *NoPathError) Error() string {
	if e.Shortest == 0 {
		return fmt.Sprintf("no path links %s and %s", e.From.Label, e.To.Label)
	}
	return fmt.Sprintf("no path links %s and %s within %d hops; the shortest has %d", e.From.Label, e.To.Label, e.MaxHops, e.Shortest)
}

// PathQuery asks for the shortest chains of facts between two entities.
type PathQuery struct {
	From, To string
	MaxHops  int  // 0: DefaultMaxHops
	All      bool // every shortest path, not just the first
}

// ShortestPaths returns the shortest chains of facts linking two entities, whichever way
// the facts point: with All every one, those with the most facts along them first (then
// in label order), else only the first. Relation facts only; literals are no nodes. It
// is a *NoPathError when none is within the bound.
func (a *Analyst) ShortestPaths(ctx context.Context, pq PathQuery) (*PathResult, error) {
	from, err := a.r.ResolveNode(ctx, pq.From)
	if err != nil {
		return nil, err
	}
	to, err := a.r.ResolveNode(ctx, pq.To)
	if err != nil {
		return nil, err
	}
	if from == to {
		return nil, fmt.Errorf("%s and %s name the same entity %s", pq.From, pq.To, from)
	}
	if pq.MaxHops <= 0 {
		pq.MaxHops = DefaultMaxHops
	}
	facts, err := a.r.NearFacts(ctx, []quad.Value{from}, 0, to)
	if err != nil {
		return nil, err
	}
	fg := newFactGraph(facts)
	res := &PathResult{From: a.node(ctx, from), To: a.node(ctx, to), Paths: []Path{}}
	fid, ok1 := fg.ids[from]
	tid, ok2 := fg.ids[to]
	var routes [][]gonum.Node
	weight := math.Inf(1)
	if ok1 && ok2 {
		routes, weight = path.DijkstraAllFrom(simple.Node(fid), fg.g).AllTo(tid)
	}
	if math.IsInf(weight, 1) || len(routes) == 0 {
		return nil, &NoPathError{From: res.From, To: res.To, MaxHops: pq.MaxHops}
	}
	if res.Hops = int(weight); res.Hops > pq.MaxHops {
		return nil, &NoPathError{From: res.From, To: res.To, MaxHops: pq.MaxHops, Shortest: res.Hops}
	}
	for _, r := range routes {
		p, err := a.pathOf(ctx, fg, r)
		if err != nil {
			return nil, err
		}
		res.Paths = append(res.Paths, p)
	}
	slices.SortStableFunc(res.Paths, func(x, y Path) int {
		return cmp.Or(cmp.Compare(linkCount(y), linkCount(x)), cmp.Compare(pathKey(x), pathKey(y)))
	})
	if !pq.All {
		res.Paths = res.Paths[:1]
	}
	return res, nil
}

// linkCount is the number of facts along a path: paths with more evidence come first.
func linkCount(p Path) int {
	n := 0
	for _, h := range p.Hops {
		n += len(h.Links)
	}
	return n
}

// pathKey orders paths by the labels of the entities they pass.
func pathKey(p Path) string {
	var k string
	for _, h := range p.Hops {
		k += h.To.Label + "\x00" + h.To.ID + "\x00"
	}
	return k
}

// pathOf renders a route of nodes as hops with their facts.
func (a *Analyst) pathOf(ctx context.Context, fg *factGraph, route []gonum.Node) (Path, error) {
	p := Path{Hops: make([]Hop, 0, len(route)-1)}
	for i := 1; i < len(route); i++ {
		from, to := route[i-1].ID(), route[i].ID()
		links, err := a.linksBetween(ctx, fg.nodes[from], fg.between(from, to))
		if err != nil {
			return Path{}, err
		}
		p.Hops = append(p.Hops, Hop{From: a.node(ctx, fg.nodes[from]), To: a.node(ctx, fg.nodes[to]), Links: links})
	}
	return p, nil
}

// linksBetween reads facts as walked from the node from, one link per fact with its claims.
func (a *Analyst) linksBetween(ctx context.Context, from quad.Value, quads []quad.Quad) ([]Link, error) {
	facts, err := a.r.Facts(ctx, quads)
	if err != nil {
		return nil, err
	}
	var out []Link
	for i, f := range facts {
		if i > 0 && facts[i-1].SameTriple(f) {
			out[len(out)-1].Claims = append(out[len(out)-1].Claims, f)
			continue
		}
		reverse := f.Subject.ID != schema.ID(from)
		p := a.predicate(quad.IRI(f.Predicate.ID), reverse && !a.symmetric(f.Predicate.ID))
		out = append(out, Link{Predicate: p, Reverse: reverse, Claims: []graph.Fact{f}})
	}
	return out, nil
}

// Neighbor is an entity within some hops of another: its types, its distance, and how it
// is reached: the readings of the facts from the start for distance 1, else the entities
// one hop nearer it is reached through.
type Neighbor struct {
	graph.Node
	Types    []string     `json:"types"`
	Distance int          `json:"distance"`
	Readings []string     `json:"readings,omitempty"`
	Via      []graph.Node `json:"via,omitempty"`
}

// Neighborhood is what lies within Depth hops of an entity, nearest first.
type Neighborhood struct {
	Entity    graph.Node `json:"entity"`
	Depth     int        `json:"depth"`
	Neighbors []Neighbor `json:"neighbors"`
}

// Neighbors returns the entities within depth hops (0: 1) of the entity a name resolves
// to, following relation facts either way.
func (a *Analyst) Neighbors(ctx context.Context, name string, depth int) (*Neighborhood, error) {
	start, err := a.r.ResolveNode(ctx, name)
	if err != nil {
		return nil, err
	}
	if depth <= 0 {
		depth = 1
	}
	facts, err := a.r.NearFacts(ctx, []quad.Value{start}, depth, nil)
	if err != nil {
		return nil, err
	}
	fg := newFactGraph(facts)
	nb := &Neighborhood{Entity: a.node(ctx, start), Depth: depth, Neighbors: []Neighbor{}}
	sid, ok := fg.ids[start]
	if !ok {
		return nb, nil
	}
	dist := path.DijkstraFrom(simple.Node(sid), fg.g)
	for id := range fg.nodes {
		d := dist.WeightTo(int64(id))
		if math.IsInf(d, 1) || d == 0 || int(d) > depth {
			continue
		}
		n, err := a.neighbor(ctx, fg, dist, sid, int64(id), int(d))
		if err != nil {
			return nil, err
		}
		nb.Neighbors = append(nb.Neighbors, n)
	}
	slices.SortFunc(nb.Neighbors, func(x, y Neighbor) int {
		return cmp.Or(cmp.Compare(x.Distance, y.Distance), cmp.Compare(x.Label, y.Label), cmp.Compare(x.ID, y.ID))
	})
	return nb, nil
}

// neighbor describes node id at distance d from the start.
func (a *Analyst) neighbor(ctx context.Context, fg *factGraph, dist path.Shortest, start, id int64, d int) (Neighbor, error) {
	v := fg.nodes[id]
	types, err := a.r.Objects(ctx, v, schema.PredType)
	if err != nil {
		return Neighbor{}, err
	}
	n := Neighbor{Node: a.node(ctx, v), Types: []string{}, Distance: d}
	for _, t := range types {
		n.Types = append(n.Types, schema.ID(t))
	}
	slices.Sort(n.Types)
	if d == 1 {
		links, err := a.linksBetween(ctx, fg.nodes[start], fg.between(start, id))
		if err != nil {
			return n, err
		}
		for _, l := range links {
			n.Readings = append(n.Readings, l.Predicate.Reading)
		}
		return n, nil
	}
	to := fg.g.From(id)
	for to.Next() {
		if u := to.Node().ID(); dist.WeightTo(u) == float64(d-1) {
			n.Via = append(n.Via, a.node(ctx, fg.nodes[u]))
		}
	}
	sortNodes(n.Via)
	return n, nil
}
