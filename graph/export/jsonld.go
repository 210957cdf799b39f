package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/schema"
)

// jsonldPrefixes are the prefixes of the @context, in the order written.
func jsonldPrefixes() []member {
	return []member{
		{"parley", schema.Namespace},
		{"rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"},
		{"rdfs", "http://www.w3.org/2000/01/rdf-schema#"},
		{"skos", "http://www.w3.org/2004/02/skos/core#"},
		{"xsd", "http://www.w3.org/2001/XMLSchema#"},
	}
}

// WriteJSONLD writes the subgraph as JSON-LD with absolute IRIs (schema.Expand), written as
// compact IRIs against an @context of parley:, rdf:, rdfs:, skos: and xsd:. Quads in the
// default graph are node objects; the facts a claim supports are the claim's named graph,
// an @graph on the claim's node object. Expanded to RDF, it is the same dataset as the
// N-Quads export with absolute IRIs.
func WriteJSONLD(w io.Writer, g *graph.Subgraph, opt Options) error {
	prefixes := jsonldPrefixes()
	c := compacter{prefixes: prefixes}
	graphs, err := groupQuads(c, g.Quads)
	if err != nil {
		return fmt.Errorf("write JSON-LD: %w", err)
	}
	def := graphs.graph("")
	for _, name := range graphs.order {
		if name != "" && def.nodes[name] == nil {
			def.node(name) // a named graph that the default graph does not describe
		}
	}
	top := []any{}
	for _, id := range def.order {
		obj := def.nodes[id].object()
		if named := graphs.byName[id]; named != nil && id != "" {
			var inner []any
			for _, sid := range named.order {
				inner = append(inner, named.nodes[sid].object())
			}
			obj = append(obj, member{"@graph", inner})
		}
		top = append(top, obj)
	}
	ctx := make(object, 0, len(prefixes))
	ctx = append(ctx, prefixes...)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(object{{"@context", ctx}, {"@graph", top}}); err != nil {
		return fmt.Errorf("write JSON-LD: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// ldGraphs are the node objects of each graph of a dataset, "" the default graph, each in
// first-seen order.
type ldGraphs struct {
	order  []string
	byName map[string]*ldGraph
}

type ldGraph struct {
	order []string
	nodes map[string]*ldNode
}

func (gs *ldGraphs) graph(name string) *ldGraph {
	g := gs.byName[name]
	if g == nil {
		g = &ldGraph{nodes: map[string]*ldNode{}}
		gs.byName[name] = g
		gs.order = append(gs.order, name)
	}
	return g
}

func (g *ldGraph) node(id string) *ldNode {
	n := g.nodes[id]
	if n == nil {
		n = &ldNode{id: id}
		g.nodes[id] = n
		g.order = append(g.order, id)
	}
	return n
}

// groupQuads sorts quads, their IRIs expanded, into node objects by graph and subject.
func groupQuads(c compacter, quads []quad.Quad) (*ldGraphs, error) {
	gs := &ldGraphs{byName: map[string]*ldGraph{}}
	for _, q := range quads {
		q = expandQuad(q)
		name := ""
		if q.Label != nil {
			id, err := c.nodeID(q.Label)
			if err != nil {
				return nil, fmt.Errorf("graph of %s: %w", q.NQuad(), err)
			}
			name = id
		}
		sid, err := c.nodeID(q.Subject)
		if err != nil {
			return nil, fmt.Errorf("subject of %s: %w", q.NQuad(), err)
		}
		if err := gs.graph(name).node(sid).add(c, q); err != nil {
			return nil, fmt.Errorf("%s: %w", q.NQuad(), err)
		}
	}
	return gs, nil
}

// ldNode is a node object being built: its types and its properties in first-seen order.
type ldNode struct {
	id    string
	types []any
	keys  []string
	props map[string][]any
}

func (n *ldNode) add(c compacter, q quad.Quad) error {
	p, ok := q.Predicate.(quad.IRI)
	if !ok {
		return fmt.Errorf("predicate %v is not an IRI", q.Predicate)
	}
	if string(p) == schema.RDFType {
		if _, isIRI := q.Object.(quad.IRI); isIRI || isBNode(q.Object) {
			id, err := c.nodeID(q.Object)
			if err != nil {
				return err
			}
			n.types = append(n.types, id)
			return nil
		}
	}
	v, err := c.value(q.Object)
	if err != nil {
		return err
	}
	key := c.compact(string(p))
	if n.props == nil {
		n.props = map[string][]any{}
	}
	if _, seen := n.props[key]; !seen {
		n.keys = append(n.keys, key)
	}
	n.props[key] = append(n.props[key], v)
	return nil
}

func (n *ldNode) object() object {
	obj := object{{"@id", n.id}}
	if len(n.types) > 0 {
		obj = append(obj, member{"@type", single(n.types)})
	}
	for _, k := range n.keys {
		obj = append(obj, member{k, single(n.props[k])})
	}
	return obj
}

// single writes a list of one value as the value alone.
func single(values []any) any {
	if len(values) == 1 {
		return values[0]
	}
	return values
}

func isBNode(v quad.Value) bool {
	_, ok := v.(quad.BNode)
	return ok
}

// compacter writes absolute IRIs as compact IRIs where JSON-LD expands them back unchanged.
type compacter struct{ prefixes []member }

func (c compacter) compact(iri string) string {
	for _, p := range c.prefixes {
		ns := p.value.(string)
		suffix, ok := strings.CutPrefix(iri, ns)
		// JSON-LD reads "p://x" as an absolute IRI, and "p:" alone as the term p.
		if ok && suffix != "" && !strings.HasPrefix(suffix, "//") {
			return p.key + ":" + suffix
		}
	}
	return iri
}

// nodeID is the @id of an IRI or blank node.
func (c compacter) nodeID(v quad.Value) (string, error) {
	switch v := v.(type) {
	case quad.IRI:
		return c.compact(string(v)), nil
	case quad.BNode:
		return "_:" + string(v), nil
	}
	return "", fmt.Errorf("%v is not an IRI or blank node", v)
}

// value is an object as a JSON-LD value: a node reference or a value object.
func (c compacter) value(v quad.Value) (any, error) {
	switch v := v.(type) {
	case quad.IRI, quad.BNode:
		id, err := c.nodeID(v)
		return object{{"@id", id}}, err
	case quad.String:
		return string(v), nil
	case quad.LangString:
		return object{{"@value", string(v.Value)}, {"@language", v.Lang}}, nil
	case quad.TypedString:
		return object{{"@value", string(v.Value)}, {"@type", c.compact(string(v.Type))}}, nil
	case quad.TypedStringer:
		return c.value(v.TypedString())
	}
	return nil, fmt.Errorf("cannot write %T %v in JSON-LD", v, v)
}

// member is one key and value of an object.
type member struct {
	key   string
	value any
}

// object is a JSON object that keeps its keys in order.
type object []member

// MarshalJSON writes the members in order.
func (o object) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, err := marshalNoHTML(m.key)
		if err != nil {
			return nil, err
		}
		buf.Write(k)
		buf.WriteByte(':')
		v, err := marshalNoHTML(m.value)
		if err != nil {
			return nil, err
		}
		buf.Write(v)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

func marshalNoHTML(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
