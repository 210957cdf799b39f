package graph

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/cayleygraph/quad"
	gonum "gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/path"
	"gonum.org/v1/gonum/graph/simple"

	"github.com/parley/parley/schema"
)

// DefaultMaxHops bounds the length of a path unless told otherwise.
const DefaultMaxHops = 4

// factGraph is the store's relation facts as an undirected graph: a node for every entity
// a fact names (literals are no nodes), an edge wherever facts link two of them, either way.
// valueGraph is an undirected gonum graph whose nodes stand for quad values.
type valueGraph struct {
	g     *simple.UndirectedGraph
	ids   map[quad.Value]int64
	nodes []quad.Value // by ID
}

func newValueGraph() valueGraph {
	return valueGraph{g: simple.NewUndirectedGraph(), ids: map[quad.Value]int64{}}
}

// id returns the node of v, adding it on first sight.
func (vg *valueGraph) id(v quad.Value) int64 {
	if id, ok := vg.ids[v]; ok {
		return id
	}
	id := int64(len(vg.nodes))
	vg.ids[v] = id
	vg.nodes = append(vg.nodes, v)
	vg.g.AddNode(simple.Node(id))
	return id
}

type factGraph struct {
	valueGraph
	links map[[2]int64][]quad.Quad // the facts between two nodes, the lower ID first
}

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
	Reading string `json:"reading"`
	Reverse bool   `json:"reverse"`
	Claims  []Fact `json:"claims"`
}

// Hop is one step of a path: every fact that links From to To.
type Hop struct {
	From  Node   `json:"from"`
	To    Node   `json:"to"`
	Links []Link `json:"links"`
}

// Path is a chain of hops.
type Path struct {
	Hops []Hop `json:"hops"`
}

// PathResult is the shortest paths between two entities.
type PathResult struct {
	From  Node   `json:"from"`
	To    Node   `json:"to"`
	Hops  int    `json:"hops"`
	Paths []Path `json:"paths"`
}

// NoPathError says two entities are not linked within a bound. Shortest is the length of
// the shortest path, 0 when they are not linked at all.
type NoPathError struct {
	From, To Node
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
func (s *Store) ShortestPaths(ctx context.Context, pq PathQuery) (*PathResult, error) {
	from, err := s.ResolveNode(ctx, pq.From)
	if err != nil {
		return nil, err
	}
	to, err := s.ResolveNode(ctx, pq.To)
	if err != nil {
		return nil, err
	}
	if from == to {
		return nil, fmt.Errorf("%s and %s name the same entity %s", pq.From, pq.To, from)
	}
	if pq.MaxHops <= 0 {
		pq.MaxHops = DefaultMaxHops
	}
	facts, err := s.nearFacts(ctx, []quad.Value{from}, 0, to)
	if err != nil {
		return nil, err
	}
	fg := newFactGraph(facts)
	res := &PathResult{From: s.node(ctx, from), To: s.node(ctx, to), Paths: []Path{}}
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
		p, err := s.pathOf(ctx, fg, r)
		if err != nil {
			return nil, err
		}
		res.Paths = append(res.Paths, p)
	}
	sort.SliceStable(res.Paths, func(i, j int) bool {
		a, b := res.Paths[i], res.Paths[j]
		if la, lb := linkCount(a), linkCount(b); la != lb {
			return la > lb
		}
		return pathKey(a) < pathKey(b)
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
func (s *Store) pathOf(ctx context.Context, fg *factGraph, route []gonum.Node) (Path, error) {
	p := Path{Hops: make([]Hop, 0, len(route)-1)}
	for i := 1; i < len(route); i++ {
		a, b := route[i-1].ID(), route[i].ID()
		links, err := s.linksBetween(ctx, fg.nodes[a], fg.between(a, b))
		if err != nil {
			return Path{}, err
		}
		p.Hops = append(p.Hops, Hop{From: s.node(ctx, fg.nodes[a]), To: s.node(ctx, fg.nodes[b]), Links: links})
	}
	return p, nil
}

// linksBetween reads facts as walked from the node from, one link per fact with its claims.
func (s *Store) linksBetween(ctx context.Context, from quad.Value, quads []quad.Quad) ([]Link, error) {
	facts, err := s.Facts(ctx, quads)
	if err != nil {
		return nil, err
	}
	var out []Link
	for i, f := range facts {
		if i > 0 && sameFact(facts[i-1], f) {
			out[len(out)-1].Claims = append(out[len(out)-1].Claims, f)
			continue
		}
		reverse := f.Subject.ID != schema.ID(from)
		reading := s.predicateNode(quad.IRI(f.Predicate.ID), reverse && !s.isSymmetric(quad.IRI(f.Predicate.ID))).Label
		out = append(out, Link{Reading: reading, Reverse: reverse, Claims: []Fact{f}})
	}
	return out, nil
}

func sameFact(a, b Fact) bool {
	return a.Subject.ID == b.Subject.ID && a.Predicate.ID == b.Predicate.ID && a.Object.ID == b.Object.ID
}

// Neighbor is an entity within some hops of another: its types, its distance, and how it
// is reached: the readings of the facts from the start for distance 1, else the entities
// one hop nearer it is reached through.
type Neighbor struct {
	Node
	Types    []string `json:"types"`
	Distance int      `json:"distance"`
	Readings []string `json:"readings,omitempty"`
	Via      []Node   `json:"via,omitempty"`
}

// Neighborhood is what lies within Depth hops of an entity, nearest first.
type Neighborhood struct {
	Entity    Node       `json:"entity"`
	Depth     int        `json:"depth"`
	Neighbors []Neighbor `json:"neighbors"`
}

// Neighbors returns the entities within depth hops (0: 1) of the entity a name resolves
// to, following relation facts either way.
func (s *Store) Neighbors(ctx context.Context, name string, depth int) (*Neighborhood, error) {
	start, err := s.ResolveNode(ctx, name)
	if err != nil {
		return nil, err
	}
	if depth <= 0 {
		depth = 1
	}
	facts, err := s.nearFacts(ctx, []quad.Value{start}, depth, nil)
	if err != nil {
		return nil, err
	}
	fg := newFactGraph(facts)
	nb := &Neighborhood{Entity: s.node(ctx, start), Depth: depth, Neighbors: []Neighbor{}}
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
		n, err := s.neighbor(ctx, fg, dist, sid, int64(id), int(d))
		if err != nil {
			return nil, err
		}
		nb.Neighbors = append(nb.Neighbors, n)
	}
	sort.Slice(nb.Neighbors, func(i, j int) bool {
		a, b := nb.Neighbors[i], nb.Neighbors[j]
		if a.Distance != b.Distance {
			return a.Distance < b.Distance
		}
		if a.Label != b.Label {
			return a.Label < b.Label
		}
		return a.ID < b.ID
	})
	return nb, nil
}

// neighbor describes node id at distance d from the start.
func (s *Store) neighbor(ctx context.Context, fg *factGraph, dist path.Shortest, start, id int64, d int) (Neighbor, error) {
	v := fg.nodes[id]
	types, err := s.Objects(ctx, v, schema.PredType)
	if err != nil {
		return Neighbor{}, err
	}
	n := Neighbor{Node: s.node(ctx, v), Types: []string{}, Distance: d}
	for _, t := range types {
		n.Types = append(n.Types, schema.ID(t))
	}
	sort.Strings(n.Types)
	if d == 1 {
		links, err := s.linksBetween(ctx, fg.nodes[start], fg.between(start, id))
		if err != nil {
			return n, err
		}
		for _, l := range links {
			n.Readings = append(n.Readings, l.Reading)
		}
		return n, nil
	}
	to := fg.g.From(id)
	for to.Next() {
		if u := to.Node().ID(); dist.WeightTo(u) == float64(d-1) {
			n.Via = append(n.Via, s.node(ctx, fg.nodes[u]))
		}
	}
	sortNodes(n.Via)
	return n, nil
}
