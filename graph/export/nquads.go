package export

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/schema"
)

// WriteNQuads writes the subgraph's quads as N-Quads, one a line, in the subgraph's order:
// W3C N-Quads with absolute IRIs (schema.Expand: parley's namespace, rdf:type, rdfs:label,
// skos:altLabel), which RDF tools read, or with parley's short IRIs when opt.Short is set,
// as Cayley writes them. 'parley load' of either into an empty store holds exactly these
// quads: loading maps absolute IRIs back.
func WriteNQuads(w io.Writer, g *graph.Subgraph, opt Options) error {
	bw := bufio.NewWriter(w)
	for _, q := range g.Quads {
		if !opt.Short {
			q = expandQuad(q)
		}
		line, err := nquadLine(q)
		if err != nil {
			return err
		}
		bw.WriteString(line)
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// expandQuad maps every IRI of q (not literal datatypes) to its absolute form.
func expandQuad(q quad.Quad) quad.Quad {
	for _, d := range quad.Directions {
		if iri, ok := q.Get(d).(quad.IRI); ok {
			q.Set(d, quad.IRI(schema.Expand(string(iri))))
		}
	}
	return q
}

// nquadLine is q in N-Quads, without the newline.
func nquadLine(q quad.Quad) (string, error) {
	var b strings.Builder
	for i, v := range []quad.Value{q.Subject, q.Predicate, q.Object, q.Label} {
		if v == nil && i == 3 {
			break
		}
		t, err := nquadTerm(v)
		if err != nil {
			return "", fmt.Errorf("write %s: %w", q.NQuad(), err)
		}
		b.WriteString(t)
		b.WriteByte(' ')
	}
	b.WriteByte('.')
	return b.String(), nil
}

// nquadTerm is one term in N-Quads notation.
func nquadTerm(v quad.Value) (string, error) {
	switch v := v.(type) {
	case quad.IRI:
		return "<" + escapeIRI(string(v)) + ">", nil
	case quad.BNode:
		return "_:" + string(v), nil
	case quad.String:
		return `"` + escapeLiteral(string(v)) + `"`, nil
	case quad.LangString:
		return `"` + escapeLiteral(string(v.Value)) + `"@` + v.Lang, nil
	case quad.TypedString:
		return `"` + escapeLiteral(string(v.Value)) + `"^^<` + escapeIRI(string(v.Type)) + ">", nil
	case quad.TypedStringer:
		return nquadTerm(v.TypedString())
	case nil:
		return "", fmt.Errorf("missing term")
	}
	return "", fmt.Errorf("cannot write %T %v in N-Quads", v, v)
}

// escapeLiteral escapes what a quoted N-Quads literal cannot hold raw.
func escapeLiteral(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`).Replace(s)
}

// escapeIRI writes the characters an IRIREF forbids as \u escapes.
func escapeIRI(s string) string { return escapeRunes(s, iriForbidden) }

func iriForbidden(r rune) bool {
	return r <= 0x20 || strings.ContainsRune("<>\"{}|^`\\", r)
}
