package analysis

import (
	"github.com/cayleygraph/quad"
	"gonum.org/v1/gonum/graph/simple"
)

// valueGraph is an undirected gonum graph whose nodes stand for quad values.
type valueGraph struct {
	g     *simple.UndirectedGraph
	ids   map[quad.Value]int64
	nodes []quad.Value // by ID
}

// newValueGraph returns an empty graph.
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
