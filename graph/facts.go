package graph

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/parley/parley/schema"
)

// Node is an entity or literal as printed: its ID and its human label. A literal's ID is
// its N-Quads notation. In JSON it is {"id", "label"}, the shape of an entity everywhere.
type Node struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// Predicate is a predicate as printed: its ID and its reading in the direction the fact is
// read ("demands", or "demanded by" walked from the object). In JSON it is
// {"id", "reading"}, the shape of a predicate everywhere.
type Predicate struct {
	ID      string `json:"id"`
	Reading string `json:"reading"`
}

// Fact is one quad with its labels and the provenance of its claim. Its JSON form nests the
// provenance as the claim it is: {"subject", "predicate", "object", "claim": {"id",
// "document", "evidence", "speaker", "date", "modality", "condition"}} (see Claim).
type Fact struct {
	Subject   Node
	Predicate Predicate
	Object    Node
	Claim     string // the claim's ID; "" for a quad no claim labels
	Source    *Node  // the claim's source document: "document" in JSON
	Evidence  string
	Speaker   *Node
	Date      string
	Modality  string
	Condition string // the condition the source attaches to the claim
}

// Claim is the JSON shape of a claim: its ID and its provenance. The source document is
// "document", never "source", which in graph formats names an edge's start.
type Claim struct {
	ID        string    `json:"id"`
	Document  *Document `json:"document,omitempty"`
	Evidence  string    `json:"evidence,omitempty"`
	Speaker   *Node     `json:"speaker,omitempty"`
	Date      string    `json:"date,omitempty"`
	Modality  string    `json:"modality,omitempty"`
	Condition string    `json:"condition,omitempty"`
}

// Document is the JSON shape of a claim's source document: an entity, and where known
// its title, publication date and URL.
type Document struct {
	ID        string `json:"id"`
	Label     string `json:"label"`
	Title     string `json:"title,omitempty"`
	Published string `json:"published,omitempty"`
	URL       string `json:"url,omitempty"`
}

// FactJSON is the JSON shape of a fact.
type FactJSON struct {
	Subject   Node      `json:"subject"`
	Predicate Predicate `json:"predicate"`
	Object    Node      `json:"object"`
	Claim     *Claim    `json:"claim,omitempty"`
}

// JSON returns the fact in its JSON shape.
func (f Fact) JSON() FactJSON {
	out := FactJSON{Subject: f.Subject, Predicate: f.Predicate, Object: f.Object}
	if f.Claim != "" {
		c := &Claim{ID: f.Claim, Evidence: f.Evidence, Speaker: f.Speaker, Date: f.Date, Modality: f.Modality, Condition: f.Condition}
		if f.Source != nil {
			c.Document = &Document{ID: f.Source.ID, Label: f.Source.Label}
		}
		out.Claim = c
	}
	return out
}

// MarshalJSON writes the fact in its JSON shape (FactJSON).
func (f Fact) MarshalJSON() ([]byte, error) { return json.Marshal(f.JSON()) }

// UnmarshalJSON reads a fact from its JSON shape.
func (f *Fact) UnmarshalJSON(data []byte) error {
	var j FactJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	*f = Fact{Subject: j.Subject, Predicate: j.Predicate, Object: j.Object}
	if c := j.Claim; c != nil {
		f.Claim, f.Evidence, f.Speaker, f.Date, f.Modality, f.Condition = c.ID, c.Evidence, c.Speaker, c.Date, c.Modality, c.Condition
		if c.Document != nil {
			f.Source = &Node{ID: c.Document.ID, Label: c.Document.Label}
		}
	}
	return nil
}

// SameTriple reports whether f and g state the same subject, predicate and object, whatever
// claims back them.
func (f Fact) SameTriple(g Fact) bool {
	return f.Subject.ID == g.Subject.ID && f.Predicate.ID == g.Predicate.ID && f.Object.ID == g.Object.ID
}

// Pattern is a subject-predicate-object pattern; Wildcard matches anything.
type Pattern struct {
	Subject, Predicate, Object string
}

// Wildcard is the pattern term that matches anything.
const Wildcard = "_"

// term is a resolved pattern term; nil matches anything.
type term struct {
	value   quad.Value
	literal string // a literal's text, matched case-insensitively, when value is nil
	isLit   bool
}

// Match returns the facts that fit the pattern. Entity terms take an ID, label or alias;
// the predicate its IRI or either reading (a reverse reading swaps subject and object).
// A wildcard predicate matches relations and foreign predicates, not the descriptive and
// provenance ones.
func (s *Store) Match(ctx context.Context, p Pattern) ([]Fact, error) {
	if err := s.ready(); err != nil {
		return nil, err
	}
	var pred *quad.IRI
	if p.Predicate != Wildcard {
		iri, reverse, err := s.resolvePredicate(ctx, p.Predicate)
		if err != nil {
			return nil, err
		}
		pred = &iri
		if reverse {
			p.Subject, p.Object = p.Object, p.Subject
		}
	}
	subj, err := s.resolveTerm(ctx, p.Subject, false)
	if err != nil {
		return nil, err
	}
	literalObject := false
	if pred != nil {
		if d := s.vocab.Predicate(string(*pred)); d != nil && d.Literal {
			literalObject = true
		}
	}
	obj, err := s.resolveTerm(ctx, p.Object, literalObject)
	if err != nil {
		return nil, err
	}
	out, err := s.matchQuads(ctx, subj, pred, obj, false)
	if err != nil {
		return nil, err
	}
	if !obj.isLit && (subj.value != nil || obj.value != nil) && (pred == nil || s.isSymmetric(*pred)) {
		// A symmetric fact stored one way answers both: A clashes with B is B's too.
		swapped, err := s.matchQuads(ctx, obj, pred, subj, true)
		if err != nil {
			return nil, err
		}
		have := make(map[quad.Quad]bool, len(out))
		for _, q := range out {
			have[q] = true
		}
		for _, q := range swapped {
			q.Subject, q.Object = q.Object, q.Subject
			if !have[q] {
				out = append(out, q)
			}
		}
	}
	return s.Facts(ctx, out)
}

// matchQuads returns the stored quads that fit the terms; symmetricOnly keeps only those
// of symmetric predicates.
func (s *Store) matchQuads(ctx context.Context, subj term, pred *quad.IRI, obj term, symmetricOnly bool) ([]quad.Quad, error) {
	var quads []quad.Quad
	var err error
	switch {
	case subj.value != nil:
		quads, err = s.QuadsWith(ctx, quad.Subject, subj.value)
	case obj.value != nil:
		quads, err = s.QuadsWith(ctx, quad.Object, obj.value)
	case pred != nil:
		quads, err = s.QuadsWith(ctx, quad.Predicate, *pred)
	default:
		quads, err = s.allQuads(ctx)
	}
	if err != nil {
		return nil, err
	}
	var out []quad.Quad
	for _, q := range quads {
		switch {
		case subj.value != nil && q.Subject != subj.value,
			obj.value != nil && q.Object != obj.value,
			obj.isLit && !strings.EqualFold(schema.Text(q.Object), obj.literal),
			pred != nil && q.Predicate != *pred,
			pred == nil && !s.isFactPredicate(q.Predicate),
			symmetricOnly && !s.isSymmetric(q.Predicate):
			continue
		}
		out = append(out, q)
	}
	return out, nil
}

func (s *Store) isSymmetric(p quad.Value) bool {
	iri, _ := p.(quad.IRI)
	d := s.vocab.Predicate(string(iri))
	return d != nil && d.Symmetric
}

func (s *Store) isFactPredicate(p quad.Value) bool {
	iri, _ := p.(quad.IRI)
	d := s.vocab.Predicate(string(iri))
	return d == nil || d.Kind == schema.Relation
}

func (s *Store) resolveTerm(ctx context.Context, name string, literal bool) (term, error) {
	if name == Wildcard {
		return term{}, nil
	}
	if literal {
		return term{isLit: true, literal: name}, nil
	}
	v, err := s.ResolveNode(ctx, name)
	if err != nil {
		return term{}, err
	}
	return term{value: v}, nil
}

// UnknownPredicateError says a name is no predicate of the vocabulary or the store.
type UnknownPredicateError struct {
	Name     string
	Readings []string
}

func (e *UnknownPredicateError) Error() string {
	return fmt.Sprintf("unknown predicate %q (see 'parley schema' for names and readings)", e.Name)
}

// resolvePredicate maps a predicate name or reading to its IRI; a foreign predicate
// the store holds is taken by its IRI.
func (s *Store) resolvePredicate(ctx context.Context, name string) (quad.IRI, bool, error) {
	if d, reverse, ok := s.vocab.Resolve(name); ok {
		return quad.IRI(d.Name), reverse, nil
	}
	raw := strings.TrimSuffix(strings.TrimPrefix(name, "<"), ">")
	iri := quad.IRI(schema.Compact(raw))
	if ok, err := s.hasNode(iri); err != nil {
		return "", false, err
	} else if ok {
		return iri, false, nil
	}
	return "", false, &UnknownPredicateError{Name: name, Readings: s.vocab.Readings()}
}

func (s *Store) allQuads(ctx context.Context) ([]quad.Quad, error) {
	var out []quad.Quad
	err := s.eachQuad(ctx, func(q quad.Quad) error {
		out = append(out, q)
		return nil
	})
	return out, err
}

// Facts renders quads as facts with labels and provenance, sorted by subject, predicate,
// object and claim.
func (s *Store) Facts(ctx context.Context, quads []quad.Quad) ([]Fact, error) {
	claims := make(map[quad.Value]*Fact)
	out := make([]Fact, 0, len(quads))
	for _, q := range quads {
		f := Fact{
			Subject:   s.node(ctx, q.Subject),
			Predicate: PredicateOf(s.vocab, q.Predicate, false),
			Object:    s.node(ctx, q.Object),
		}
		if q.Label != nil {
			c, ok := claims[q.Label]
			if !ok {
				var err error
				if c, err = s.Claim(ctx, q.Label); err != nil {
					return nil, err
				}
				claims[q.Label] = c
			}
			f.Claim, f.Source, f.Evidence, f.Speaker, f.Date, f.Modality, f.Condition = c.Claim, c.Source, c.Evidence, c.Speaker, c.Date, c.Modality, c.Condition
		}
		out = append(out, f)
	}
	slices.SortStableFunc(out, compareFacts)
	return out, nil
}

// compareBool orders false before true.
func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// compareFacts orders facts by subject, predicate, object and claim, labels before IDs.
func compareFacts(a, b Fact) int {
	return cmp.Or(cmp.Compare(a.Subject.Label, b.Subject.Label), cmp.Compare(a.Subject.ID, b.Subject.ID),
		cmp.Compare(a.Predicate.ID, b.Predicate.ID),
		cmp.Compare(a.Object.Label, b.Object.Label), cmp.Compare(a.Object.ID, b.Object.ID),
		cmp.Compare(a.Claim, b.Claim))
}

// Claim returns the provenance of claim c (its source, evidence, speaker, date and
// modality) as a Fact with no subject, predicate or object. A claim the store does not
// describe has only its Claim set.
func (s *Store) Claim(ctx context.Context, c quad.Value) (*Fact, error) {
	f := &Fact{Claim: schema.ID(c)}
	quads, err := s.QuadsWith(ctx, quad.Subject, c)
	if err != nil {
		return nil, fmt.Errorf("read claim %s: %w", c, err)
	}
	for _, q := range quads {
		p, _ := q.Predicate.(quad.IRI)
		switch string(p) {
		case schema.PredSource:
			n := s.node(ctx, q.Object)
			f.Source = &n
		case schema.PredEvidence:
			f.Evidence = schema.Text(q.Object)
		case schema.PredSpeaker:
			n := s.node(ctx, q.Object)
			f.Speaker = &n
		case schema.PredDate:
			f.Date = schema.Text(q.Object)
		case schema.PredModality:
			f.Modality = schema.Text(q.Object)
		case schema.PredCondition:
			f.Condition = schema.Text(q.Object)
		}
	}
	return f, nil
}

func (s *Store) node(ctx context.Context, v quad.Value) Node {
	return Node{ID: schema.ID(v), Label: s.Label(ctx, v)}
}

// PredicateOf gives predicate p its reading in vocabulary v, forward or reverse; a
// predicate v does not know reads as its ID ("ID (reverse)" read backwards).
func PredicateOf(v *schema.Vocabulary, p quad.Value, reverse bool) Predicate {
	id := schema.ID(p)
	d := v.Predicate(id)
	switch {
	case d == nil && reverse:
		return Predicate{ID: id, Reading: id + " (reverse)"}
	case d == nil:
		return Predicate{ID: id, Reading: id}
	case reverse:
		return Predicate{ID: id, Reading: d.Inverse}
	}
	return Predicate{ID: id, Reading: d.Reading}
}

// Entity is one entity with its names and types: the head of a description, a node of a
// subgraph.
type Entity struct {
	ID      string   `json:"id"`
	Label   string   `json:"label"`
	Types   []string `json:"types"`
	Aliases []string `json:"aliases"`
}

// Group is the facts of one predicate in one direction, the predicate read from the
// entity's side.
type Group struct {
	Predicate Predicate `json:"predicate"`
	Incoming  bool      `json:"incoming"`
	Facts     []Fact    `json:"facts"`
}

// Description is every fact about an entity, both directions, grouped by predicate.
type Description struct {
	Entity Entity  `json:"entity"`
	Groups []Group `json:"groups"`
	Said   []Fact  `json:"said"` // facts resting on claims the entity is the speaker of
}

// Describe gathers every fact about the entity a name resolves to.
func (s *Store) Describe(ctx context.Context, name string) (*Description, error) {
	iri, err := s.ResolveNode(ctx, name)
	if err != nil {
		return nil, err
	}
	d := &Description{Entity: Entity{ID: schema.ID(iri), Label: s.Label(ctx, iri), Types: []string{}, Aliases: []string{}}, Groups: []Group{}, Said: []Fact{}}
	out, err := s.QuadsWith(ctx, quad.Subject, iri)
	if err != nil {
		return nil, err
	}
	in, err := s.QuadsWith(ctx, quad.Object, iri)
	if err != nil {
		return nil, err
	}
	type key struct {
		incoming bool
		pred     string
	}
	byKey := make(map[key][]quad.Quad)
	for _, q := range out {
		switch schema.ID(q.Predicate) {
		case schema.PredType:
			d.Entity.Types = append(d.Entity.Types, schema.ID(q.Object))
			continue
		case schema.PredLabel:
			continue
		case schema.PredAlias:
			d.Entity.Aliases = append(d.Entity.Aliases, schema.Text(q.Object))
			continue
		}
		k := key{false, schema.ID(q.Predicate)}
		byKey[k] = append(byKey[k], q)
	}
	var said []quad.Quad
	for _, q := range in {
		switch schema.ID(q.Predicate) {
		case schema.PredSpeaker:
			// The entity spoke the claim: list the facts the claim supports.
			quads, err := s.claimFacts(ctx, q.Subject)
			if err != nil {
				return nil, err
			}
			said = append(said, quads...)
			continue
		case schema.PredSource:
			continue // a source's claims are counted by Sources, not listed here
		}
		k := key{true, schema.ID(q.Predicate)}
		byKey[k] = append(byKey[k], q)
	}
	if len(said) > 0 {
		facts, err := s.Facts(ctx, said)
		if err != nil {
			return nil, err
		}
		d.Said = facts
	}
	sort.Strings(d.Entity.Types)
	sort.Strings(d.Entity.Aliases)
	for k, quads := range byKey {
		facts, err := s.Facts(ctx, quads)
		if err != nil {
			return nil, err
		}
		d.Groups = append(d.Groups, Group{Predicate: PredicateOf(s.vocab, quad.IRI(k.pred), k.incoming), Incoming: k.incoming, Facts: facts})
	}
	slices.SortFunc(d.Groups, func(a, b Group) int {
		return cmp.Or(compareBool(a.Incoming, b.Incoming), cmp.Compare(a.Predicate.Reading, b.Predicate.Reading))
	})
	return d, nil
}
