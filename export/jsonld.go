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
	ctx := make(object, 0, len(prefixes))
	for _, p := range prefixes {
		ctx = append(ctx, p)
	}
	c := compacter{prefixes: prefixes}

	// Group the quads by graph, then by subject, keeping the subgraph's order.
	type graphNodes struct {
		order []string
		nodes map[string]*ldNode
	}
	graphs := map[string]*graphNodes{}
	var graphOrder []string
	for _, q := range g.Quads {
		q = expandQuad(q)
		gname := ""
		if q.Label != nil {
			id, err := c.nodeID(q.Label)
			if err != nil {
				return fmt.Errorf("write JSON-LD: graph of %s: %w", q.NQuad(), err)
			}
			gname = id
		}
		gn := graphs[gname]
		if gn == nil {
			gn = &graphNodes{nodes: map[string]*ldNode{}}
			graphs[gname] = gn
			graphOrder = append(graphOrder, gname)
		}
		sid, err := c.nodeID(q.Subject)
		if err != nil {
			return fmt.Errorf("write JSON-LD: subject of %s: %w", q.NQuad(), err)
		}
		n := gn.nodes[sid]
		if n == nil {
			n = &ldNode{id: sid}
			gn.nodes[sid] = n
			gn.order = append(gn.order, sid)
		}
		if err := n.add(c, q); err != nil {
			return fmt.Errorf("write JSON-LD: %s: %w", q.NQuad(), err)
		}
	}

	var top []any
	def := graphs[""]
	if def == nil {
		def = &graphNodes{nodes: map[string]*ldNode{}}
	}
	for _, gname := range graphOrder {
		if gname != "" && def.nodes[gname] == nil {
			// A named graph whose name the default graph does not describe.
			def.nodes[gname] = &ldNode{id: gname}
			def.order = append(def.order, gname)
		}
	}
	for _, id := range def.order {
		n := def.nodes[id]
		obj := n.object()
		if gn := graphs[id]; gn != nil && id != "" {
			var inner []any
			for _, sid := range gn.order {
				inner = append(inner, gn.nodes[sid].object())
			}
			obj = append(obj, member{"@graph", inner})
		}
		top = append(top, obj)
	}
	if top == nil {
		top = []any{}
	}
	doc := object{{"@context", ctx}, {"@graph", top}}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write JSON-LD: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
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
