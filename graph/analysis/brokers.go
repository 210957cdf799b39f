package analysis

import (
	"cmp"
	"context"
	"slices"

	"github.com/cayleygraph/quad"
	gonum "gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/network"
	"gonum.org/v1/gonum/graph/simple"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/schema"
)

// Broker is an actor with its betweenness on the actor graph: how many shortest paths
// between two other actors pass through it (each pair counted once, shared among equally
// short paths), that over the number of pairs of other actors, its links, and the sides
// its neighbours act for other than its own.
type Broker struct {
	Actor       graph.Node   `json:"actor"`
	Side        graph.Node   `json:"side"`
	Betweenness float64      `json:"betweenness"`
	Normalized  float64      `json:"normalized"`
	Degree      int          `json:"degree"`
	Reaches     []graph.Node `json:"reaches"`
}

// actorGraph links political actors (or their sides) that a fact links directly, that
// hold a stance of the same polarity on one position, or that facts link to the same
// event or role (participation, offices).
type actorGraph struct {
	valueGraph
}

// BrokerRule says which actors the broker analysis counts.
const BrokerRule = "Only political actors count, and only they link others: states, and the people and organizations that hold or own an office (holdsRole, roleOf), govern a state (governmentOf), belong to an organization or have members (memberOf), or take a pro or con stance or act for or against another (demands, rejects, warns, clashes with, attacks, ...); an actor that only organised or took part in an event, such as a broadcaster that interviewed an official, is no bridge and is left out."

// political returns the actors the broker analysis counts (BrokerRule).
func (a *Analyst) political(w *world) map[quad.Value]bool {
	out := map[quad.Value]bool{}
	for v := range w.types {
		if w.is(v, schema.TypeState) {
			out[v] = true
		}
	}
	for _, q := range w.facts {
		p := a.vocab.Predicate(schema.ID(q.Predicate))
		if p == nil || p.Kind != schema.Relation {
			continue
		}
		switch p.Name {
		case schema.PredHoldsRole, schema.PredGovernmentOf:
			out[q.Subject] = true
		case schema.PredRoleOf:
			out[q.Object] = true
		case schema.PredMemberOf:
			out[q.Subject], out[q.Object] = true, true
		}
		if p.Polarity != schema.Neutral {
			out[q.Subject] = true
			if p.Symmetric {
				out[q.Object] = true
			}
		}
	}
	for v := range out {
		if !w.isActor(v) {
			delete(out, v)
		}
	}
	return out
}

// mediated are the types through which two actors are linked.
var mediated = []string{schema.TypePosition, schema.TypeEvent, schema.TypeRole}

// notEngaging are the predicates that link a thing to an actor without the actor doing
// anything: a position about a state, an event located in one.
var notEngaging = map[string]bool{schema.PredAbout: true, schema.PredLocatedIn: true, schema.PredPartOf: true}

// newActorGraph links the political actors of the world, or with sides their sides.
func (a *Analyst) newActorGraph(w *world, political map[quad.Value]bool, sides bool) *actorGraph {
	ag := &actorGraph{valueGraph: newValueGraph()}
	key := func(v quad.Value) quad.Value {
		if sides {
			return w.side(v)
		}
		return v
	}
	for _, v := range w.sortedTyped() {
		if political[v] {
			ag.id(key(v)) // every political actor is a node, linked or not
		}
	}
	engaged := map[string][]quad.Value{} // a mediator, and for a position the polarity held
	for _, q := range w.facts {
		if !schema.IsNode(q.Object) || notEngaging[schema.ID(q.Predicate)] {
			continue
		}
		switch sa, oa := political[q.Subject], political[q.Object]; {
		case sa && oa:
			ag.link(key(q.Subject), key(q.Object))
		case sa && w.isAny(q.Object, mediated):
			m := schema.ID(q.Object)
			if p := a.vocab.Predicate(schema.ID(q.Predicate)); p != nil && w.is(q.Object, schema.TypePosition) {
				m += "\x00" + string(p.Polarity)
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

// sortedKeys returns the keys of m, sorted.
func sortedKeys(m map[string][]quad.Value) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// link links the actors a and b, adding them on first sight; an actor is not linked to
// itself.
func (ag *actorGraph) link(a, b quad.Value) {
	if a == b {
		return
	}
	ag.g.SetEdge(ag.g.NewEdge(simple.Node(ag.id(a)), simple.Node(ag.id(b))))
}

// Brokers ranks the political actors (or, with sides, the sides) by betweenness
// centrality on the actor graph of the facts ev admits, highest first. It also returns
// the actors left out as no political actors (BrokerRule), by label.
func (a *Analyst) Brokers(ctx context.Context, sides bool, ev schema.Evidence) ([]Broker, []graph.Node, error) {
	w, err := a.loadWorld(ctx, ev)
	if err != nil {
		return nil, nil, err
	}
	political := a.political(w)
	ag := a.newActorGraph(w, political, sides)
	left := []graph.Node{}
	for _, v := range w.sortedTyped() {
		if _, counted := ag.ids[v]; w.isActor(v) && !political[v] && !counted {
			left = append(left, a.node(ctx, v))
		}
	}
	sortNodes(left)
	bw := network.Betweenness(ag.g)
	n := float64(len(ag.nodes))
	out := make([]Broker, 0, len(ag.nodes))
	for id, v := range ag.nodes {
		b := Broker{Actor: a.node(ctx, v), Side: a.node(ctx, w.side(v)), Betweenness: bw[int64(id)] / 2, Reaches: []graph.Node{}}
		if n > 2 {
			b.Normalized = b.Betweenness / ((n - 1) * (n - 2) / 2)
		}
		seen := map[quad.Value]bool{w.side(v): true}
		for _, u := range gonum.NodesOf(ag.g.From(int64(id))) {
			b.Degree++
			if sd := w.side(ag.nodes[u.ID()]); !seen[sd] {
				seen[sd] = true
				b.Reaches = append(b.Reaches, a.node(ctx, sd))
			}
		}
		sortNodes(b.Reaches)
		out = append(out, b)
	}
	slices.SortFunc(out, func(x, y Broker) int {
		return cmp.Or(cmp.Compare(y.Betweenness, x.Betweenness), cmp.Compare(y.Degree, x.Degree), cmp.Compare(x.Actor.Label, y.Actor.Label))
	})
	return out, left, nil
}
