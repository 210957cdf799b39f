package schema

import "github.com/cayleygraph/quad"

// The one copy of the helpers that read a quad's terms.

// ID is a term as parley names it: an IRI's text ("putin" for <putin>), a blank node's or
// a literal's N-Quads notation, "" for none.
func ID(v quad.Value) string {
	switch v := v.(type) {
	case quad.IRI:
		return string(v)
	case nil:
		return ""
	}
	return v.String()
}

// Text is a literal's lexical form ("2025-03" for "2025-03"^^xsd:gYearMonth), an IRI's
// text, another node's N-Quads notation, "" for none.
func Text(v quad.Value) string {
	switch v := v.(type) {
	case quad.String:
		return string(v)
	case quad.TypedString:
		return string(v.Value)
	case quad.LangString:
		return string(v.Value)
	case quad.IRI:
		return string(v)
	case nil:
		return ""
	}
	return quad.StringOf(v)
}

// IsNode reports whether a term is a node (an IRI or a blank node), not a literal.
func IsNode(v quad.Value) bool {
	switch v.(type) {
	case quad.IRI, quad.BNode:
		return true
	}
	return false
}
