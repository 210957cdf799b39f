// Package schema is parley's vocabulary: the entity types, the predicates with their
// domain, range, readings, polarity and event codes, the IRIs they are written with, and
// the validation of quads against them.
//
// IRIs are short and relative, in Cayley's own style (<putin>, <demands>), so that a Gizmo
// query stays short. Expand and Compact map them to and from standard RDF against
// Namespace, for exports to RDF formats and for loading such exports back.
package schema

import (
	"slices"
	"sort"
	"strings"
	"sync"
)

// Namespace is the base IRI that parley's short IRIs expand against in RDF exports.
const Namespace = "https://w3id.org/parley/"

// Prefix is the prefix registered for Namespace in RDF exports.
const Prefix = "parley:"

// Standard RDF terms that parley's descriptive predicates map to.
const (
	RDFType      = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
	RDFSLabel    = "http://www.w3.org/2000/01/rdf-schema#label"
	SKOSAltLabel = "http://www.w3.org/2004/02/skos/core#altLabel"
)

// Type is an entity type, such as Person or Position.
type Type struct {
	Name string `json:"id"`  // IRI of the type, e.g. "Person"
	Doc  string `json:"doc"` // one line on what the type holds
}

// Polarity is the stance a predicate takes toward its object.
type Polarity string

// The polarities.
const (
	Pro     Polarity = "pro"
	Con     Polarity = "con"
	Neutral Polarity = "neutral"
)

// Kind tells what a predicate records, and so what provenance it needs.
type Kind string

// The kinds of predicate.
const (
	// Relation is a fact drawn from a source: its quad's label must be a Claim.
	Relation Kind = "relation"
	// Descriptive names or types an entity (type, label, alias); no claim needed.
	Descriptive Kind = "descriptive"
	// Provenance describes a Claim or a Source.
	Provenance Kind = "provenance"
)

// Predicate is a term of the vocabulary with its constraints and readings.
type Predicate struct {
	Name      string   `json:"id"`               // IRI, e.g. "demands"
	Reading   string   `json:"reading"`          // forward reading, "demands"
	Inverse   string   `json:"inverse"`          // reverse reading, "demanded by"
	Domain    []string `json:"domain,omitempty"` // allowed subject types; empty: any entity
	Range     []string `json:"range,omitempty"`  // allowed object types; empty with Literal unset: any entity
	Literal   bool     `json:"literal"`          // the object is a literal
	Kind      Kind     `json:"kind"`             // what the predicate records
	Polarity  Polarity `json:"polarity"`         // stance toward the object
	PLOVER    string   `json:"plover,omitempty"` // PLOVER v0.8 event type; empty where PLOVER codes no event
	CAMEO     string   `json:"cameo,omitempty"`  // CAMEO root code, e.g. "10"
	CAMEOName string   `json:"cameo_name,omitempty"`
	Symmetric bool     `json:"symmetric,omitempty"` // A p B implies B p A
	// Tentative marks a stance that leans without committing (considers, is optimistic
	// about): analyses show it apart from firm stances and weigh it less.
	Tentative bool `json:"tentative,omitempty"`
	// Background marks a relation that describes rather than reports (a role, membership, a
	// place, a part, what a thing is about, the order of events): the reporter's own
	// description, asserted in any sentence whatever its cue words.
	Background bool   `json:"background,omitempty"`
	Doc        string `json:"doc"`
}

// Vocabulary is a set of types and predicates with lookups by name and reading.
type Vocabulary struct {
	types      []Type
	predicates []Predicate
	typeByName map[string]*Type
	predByName map[string]*Predicate
	byReading  map[string]*Predicate // forward and inverse readings, lowercased
}

// New builds a vocabulary from types and predicates.
func New(types []Type, preds []Predicate) *Vocabulary {
	v := &Vocabulary{
		types:      types,
		predicates: preds,
		typeByName: make(map[string]*Type, len(types)),
		predByName: make(map[string]*Predicate, len(preds)),
		byReading:  make(map[string]*Predicate, 3*len(preds)),
	}
	for i := range v.types {
		v.typeByName[v.types[i].Name] = &v.types[i]
	}
	for i := range v.predicates {
		p := &v.predicates[i]
		v.predByName[p.Name] = p
		for _, r := range []string{p.Name, p.Reading, p.Inverse} {
			if r != "" {
				v.byReading[strings.ToLower(r)] = p
			}
		}
	}
	return v
}

// Default returns parley's vocabulary. It is built once and shared: a Vocabulary is
// never changed once made (Types and Predicates return copies).
func Default() *Vocabulary { return defaultVocabulary() }

// defaultVocabulary builds the default vocabulary on first use. Building it took a
// millisecond, and a command line asked for it a few dozen times (help texts, completion).
var defaultVocabulary = sync.OnceValue(func() *Vocabulary { return New(defaultTypes(), defaultPredicates()) })

// Types returns the entity types in declaration order.
func (v *Vocabulary) Types() []Type { return slices.Clone(v.types) }

// Predicates returns the predicates in declaration order.
func (v *Vocabulary) Predicates() []Predicate { return slices.Clone(v.predicates) }

// Type returns the type with the given IRI, or nil.
func (v *Vocabulary) Type(name string) *Type { return v.typeByName[name] }

// Predicate returns the predicate with the given IRI, or nil.
func (v *Vocabulary) Predicate(name string) *Predicate { return v.predByName[name] }

// Resolve finds a predicate by its IRI, its forward reading or its reverse reading,
// case-insensitively. reverse is true when the name is the reverse reading.
func (v *Vocabulary) Resolve(name string) (p *Predicate, reverse bool, ok bool) {
	key := strings.ToLower(strings.TrimSpace(name))
	key = strings.TrimSuffix(strings.TrimPrefix(key, "<"), ">")
	p, ok = v.byReading[key]
	if !ok {
		return nil, false, false
	}
	return p, strings.ToLower(p.Inverse) == key && strings.ToLower(p.Reading) != key && strings.ToLower(p.Name) != key, true
}

// Readings lists every accepted predicate name and reading, sorted, for error messages.
func (v *Vocabulary) Readings() []string {
	out := make([]string, 0, len(v.byReading))
	for r := range v.byReading {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

// Allows reports whether typ is in the list; an empty list allows every type.
func Allows(list []string, types []string) bool {
	if len(list) == 0 {
		return true
	}
	for _, t := range types {
		for _, want := range list {
			if t == want {
				return true
			}
		}
	}
	return false
}

// Expand maps a short parley IRI to a full RDF IRI: the descriptive predicates to their
// standard terms, everything else relative to Namespace. Absolute IRIs are unchanged.
func Expand(iri string) string {
	switch iri {
	case PredType:
		return RDFType
	case PredLabel:
		return RDFSLabel
	case PredAlias:
		return SKOSAltLabel
	}
	if IsAbsolute(iri) {
		return iri
	}
	return Namespace + iri
}

// Compact is the inverse of Expand: it maps a full IRI back to parley's short form.
// IRIs outside Namespace and the standard terms are unchanged.
func Compact(iri string) string {
	switch iri {
	case RDFType:
		return PredType
	case RDFSLabel:
		return PredLabel
	case SKOSAltLabel:
		return PredAlias
	}
	if s, ok := strings.CutPrefix(iri, Namespace); ok && s != "" {
		return s
	}
	return iri
}

// IsAbsolute reports whether iri starts with a scheme (RFC 3987: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":").
func IsAbsolute(iri string) bool {
	for i := 0; i < len(iri); i++ {
		c := iri[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return true
		default:
			return false
		}
	}
	return false
}
