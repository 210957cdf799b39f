package graph

import (
	"context"
	"math/rand/v2"
	"sort"

	"github.com/cayleygraph/quad"
	gonum "gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/community"
	"gonum.org/v1/gonum/graph/network"
	"gonum.org/v1/gonum/graph/simple"

	"github.com/parley/parley/schema"
)

// Accord is one reason two actors agree or disagree: a stance of each, on the same
// position or on two positions that contradict each other. Sign is +1 when they agree
// (both pro or both con on one position; one con on a position the other's contradicts)
// and -1 when they disagree (one pro, one con on one position; both pro on positions
// that contradict each other).
type Accord struct {
	Position      Node            `json:"position"`
	Polarity      schema.Polarity `json:"polarity"`
	OtherPosition Node            `json:"other_position"`
	OtherPolarity schema.Polarity `json:"other_polarity"`
	Sign          int             `json:"sign"`
}

// Pair is how two actors stand to each other: the sum of their accords' signs.
type Pair struct {
	Actor    Node     `json:"actor"`
	Other    Node     `json:"other"`
	Score    int      `json:"score"`
	Agree    int      `json:"agree"`
	Disagree int      `json:"disagree"`
	Accords  []Accord `json:"accords"`
}

// AlignedActor is an actor of the alignment with its bloc, numbered from 1.
type AlignedActor struct {
	Node
	Bloc int `json:"bloc"`
}

// Alignment is the signed actor graph of shared and opposed stances: the actors (sides,
// or people and every other actor with People), the score matrix in the order of
// Actors, the pairs with an accord, and the blocs: communities of the signed graph.
type Alignment struct {
	Level  string         `json:"level"` // "sides" or "people"
	Method string         `json:"method"`
	Actors []AlignedActor `json:"actors"`
	Matrix [][]int        `json:"matrix"`
	Pairs  []Pair         `json:"pairs"`
	Blocs  [][]Node       `json:"blocs"`
}

// BlocMethod says how Alignment finds blocs.
const BlocMethod = "Louvain modularity on the signed graph (gonum community.ModularizeMultiplex: agreement layer weight +1, disagreement layer weight -1, resolution 1, fixed seed)"

// held is an actor's non-neutral stance on a position.
type held struct {
	position Node
	sign     int
}

// Alignment scores every pair of actors by their stances: at the level of sides, or with
// people of every person, state and organization as the facts name them.
func (s *Store) Alignment(ctx context.Context, people bool) (*Alignment, error) {
	set, err := s.loadStances(ctx)
	if err != nil {
		return nil, err
	}
	actors, stances := heldStances(set, people)
	a := &Alignment{Level: "sides", Method: BlocMethod, Pairs: []Pair{}}
	if people {
		a.Level = "people"
	}
	index := map[string]int{}
	for i, n := range actors {
		index[n.ID] = i
	}
	for i := range actors {
		for j := i + 1; j < len(actors); j++ {
			p := pairOf(set, actors[i], actors[j], stances[actors[i].ID], stances[actors[j].ID])
			if len(p.Accords) > 0 {
				a.Pairs = append(a.Pairs, p)
			}
		}
	}
	sort.SliceStable(a.Pairs, func(i, j int) bool { return a.Pairs[i].Score > a.Pairs[j].Score })
	a.Blocs = blocs(actors, a.Pairs, index)
	for b, members := range a.Blocs {
		for _, n := range members {
			a.Actors = append(a.Actors, AlignedActor{Node: n, Bloc: b + 1})
		}
	}
	a.Matrix = make([][]int, len(a.Actors))
	for i, x := range a.Actors {
		a.Matrix[i] = make([]int, len(a.Actors))
		for j, y := range a.Actors {
			a.Matrix[i][j] = scoreOf(a.Pairs, x.ID, y.ID)
		}
	}
	return a, nil
}

// heldStances returns the actors with a non-neutral stance, by label, and their
// distinct stances.
func heldStances(set *stanceSet, people bool) ([]Node, map[string][]held) {
	stances := map[string][]held{}
	seen := map[[3]string]bool{}
	var actors []Node
	for _, st := range set.all {
		if st.Sign() == 0 {
			continue
		}
		who := st.Side
		if people {
			who = st.Actor
		}
		if _, ok := stances[who.ID]; !ok {
			actors = append(actors, who)
		}
		k := [3]string{who.ID, st.Position.ID, string(st.Polarity)}
		if !seen[k] {
			seen[k] = true
			stances[who.ID] = append(stances[who.ID], held{position: st.Position, sign: st.Sign()})
		}
	}
	sortNodes(actors)
	return actors, stances
}

func pairOf(set *stanceSet, a, b Node, ha, hb []held) Pair {
	p := Pair{Actor: a, Other: b, Accords: []Accord{}}
	for _, x := range ha {
		for _, y := range hb {
			sign := x.sign * y.sign
			if x.position.ID != y.position.ID {
				if !set.contradicts(x.position.ID, y.position.ID) {
					continue
				}
				sign = -sign
			}
			p.Accords = append(p.Accords, Accord{Position: x.position, Polarity: polarityOf(x.sign),
				OtherPosition: y.position, OtherPolarity: polarityOf(y.sign), Sign: sign})
			p.Score += sign
			if sign > 0 {
				p.Agree++
			} else {
				p.Disagree++
			}
		}
	}
	return p
}

func polarityOf(sign int) schema.Polarity {
	if sign > 0 {
		return schema.Pro
	}
	return schema.Con
}

func (set *stanceSet) contradicts(a, b string) bool {
	for _, c := range set.contra[a] {
		if c.other == b {
			return true
		}
	}
	return false
}

func scoreOf(pairs []Pair, a, b string) int {
	for _, p := range pairs {
		if p.Actor.ID == a && p.Other.ID == b || p.Actor.ID == b && p.Other.ID == a {
			return p.Score
		}
	}
	return 0
}

// blocs splits the actors into communities of the signed graph of pair scores, the
// largest first, members by label.
func blocs(actors []Node, pairs []Pair, index map[string]int) [][]Node {
	pos := simple.NewWeightedUndirectedGraph(0, 0)
	neg := simple.NewWeightedUndirectedGraph(0, 0)
	for i := range actors {
		pos.AddNode(simple.Node(i))
		neg.AddNode(simple.Node(i))
	}
	for _, p := range pairs {
		layer := pos
		if p.Score < 0 {
			layer = neg
		} else if p.Score == 0 {
			continue
		}
		layer.SetWeightedEdge(layer.NewWeightedEdge(simple.Node(index[p.Actor.ID]), simple.Node(index[p.Other.ID]), float64(p.Score)))
	}
	out := [][]Node{}
	if len(actors) == 0 {
		return out
	}
	layers, err := community.NewUndirectedLayers(pos, neg)
	if err != nil {
		panic(err) // both layers hold the same nodes
	}
	reduced := community.ModularizeMultiplex(layers, []float64{1, -1}, nil, true, rand.NewPCG(1, 2))
	for _, c := range reduced.Communities() {
		members := make([]Node, 0, len(c))
		for _, n := range c {
			members = append(members, actors[n.ID()])
		}
		sortNodes(members)
		out = append(out, members)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if len(out[i]) != len(out[j]) {
			return len(out[i]) > len(out[j])
		}
		return out[i][0].Label < out[j][0].Label
	})
	return out
}

// Broker is an actor with its betweenness on the actor graph: how many shortest paths
// between two other actors pass through it (each pair counted once, shared among equally
// short paths), that over the number of pairs of other actors, its links, and the sides
// its neighbours act for other than its own.
type Broker struct {
	Actor       Node    `json:"actor"`
	Side        Node    `json:"side"`
	Betweenness float64 `json:"betweenness"`
	Normalized  float64 `json:"normalized"`
	Degree      int     `json:"degree"`
	Reaches     []Node  `json:"reaches"`
}

// actorGraph links actors (or their sides) that a fact links directly, that hold a stance
// of the same polarity on one position, or that facts link to the same event or role
// (participation, offices).
type actorGraph struct {
	valueGraph
}

// mediated are the types through which two actors are linked.
var mediated = []string{schema.TypePosition, schema.TypeEvent, schema.TypeRole}

// notEngaging are the predicates that link a thing to an actor without the actor doing
// anything: a position about a state, an event located in one.
var notEngaging = map[string]bool{schema.PredAbout: true, schema.PredLocatedIn: true, schema.PredPartOf: true}

func newActorGraph(s *Store, w *world, sides bool) *actorGraph {
	ag := &actorGraph{valueGraph: newValueGraph()}
	key := func(v quad.Value) quad.Value {
		if sides {
			return w.side(v)
		}
		return v
	}
	for _, v := range sortedTyped(w) {
		if w.isActor(v) {
			ag.id(key(v)) // every actor is a node, linked or not
		}
	}
	engaged := map[string][]quad.Value{} // a mediator, and for a position the polarity held
	for _, q := range w.facts {
		if !schema.IsNode(q.Object) || notEngaging[schema.ID(q.Predicate)] {
			continue
		}
		switch sa, oa := w.isActor(q.Subject), w.isActor(q.Object); {
		case sa && oa:
			ag.link(key(q.Subject), key(q.Object))
		case sa && w.isAny(q.Object, mediated):
			m := schema.ID(q.Object)
			if p := s.vocab.Predicate(schema.ID(q.Predicate)); p != nil && w.is(q.Object, schema.TypePosition) {
				pol, _ := stancePolarity(p)
				m += "\x00" + string(pol)
			}
			engaged[m] = append(engaged[m], key(q.Subject))
		case oa && w.isAny(q.Subject, mediated):
			engaged[schema.ID(q.Subject)] = append(engaged[schema.ID(q.Subject)], key(q.Object))
		}
	}
	for _, m := range sortedKeys(engaged) {
		as := engaged[m]
		for i := range as {
			for j := i + 1; j < len(as); j++ {
				ag.link(as[i], as[j])
			}
		}
	}
	return ag
}

func (w *world) isAny(v quad.Value, types []string) bool {
	for _, t := range types {
		if w.is(v, t) {
			return true
		}
	}
	return false
}

func sortedTyped(w *world) []quad.Value {
	out := make([]quad.Value, 0, len(w.types))
	for v := range w.types {
		out = append(out, v)
	}
	return sortedValues(out)
}

func sortedKeys(m map[string][]quad.Value) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (ag *actorGraph) link(a, b quad.Value) {
	if a == b {
		return
	}
	ag.g.SetEdge(ag.g.NewEdge(simple.Node(ag.id(a)), simple.Node(ag.id(b))))
}

// Brokers ranks the actors (or, with sides, the sides) by betweenness centrality on the
// actor graph, highest first.
func (s *Store) Brokers(ctx context.Context, sides bool) ([]Broker, error) {
	w, err := s.loadWorld(ctx)
	if err != nil {
		return nil, err
	}
	ag := newActorGraph(s, w, sides)
	bw := network.Betweenness(ag.g)
	n := float64(len(ag.nodes))
	out := make([]Broker, 0, len(ag.nodes))
	for id, v := range ag.nodes {
		b := Broker{Actor: s.node(ctx, v), Side: s.node(ctx, w.side(v)), Betweenness: bw[int64(id)] / 2, Reaches: []Node{}}
		if n > 2 {
			b.Normalized = b.Betweenness / ((n - 1) * (n - 2) / 2)
		}
		seen := map[quad.Value]bool{w.side(v): true}
		for _, u := range gonum.NodesOf(ag.g.From(int64(id))) {
			b.Degree++
			if sd := w.side(ag.nodes[u.ID()]); !seen[sd] {
				seen[sd] = true
				b.Reaches = append(b.Reaches, s.node(ctx, sd))
			}
		}
		sortNodes(b.Reaches)
		out = append(out, b)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Betweenness != b.Betweenness {
			return a.Betweenness > b.Betweenness
		}
		if a.Degree != b.Degree {
			return a.Degree > b.Degree
		}
		return a.Actor.Label < b.Actor.Label
	})
	return out, nil
}
