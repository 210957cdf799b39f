package graph

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/parley/parley/schema"
)

// Node is an entity, predicate or literal as printed: its ID and its human label. A
// literal's ID is its N-Quads notation.
type Node struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// Fact is one quad with its labels and the provenance of its claim.
type Fact struct {
	Subject   Node   `json:"subject"`
	Predicate Node   `json:"predicate"`
	Object    Node   `json:"object"`
	Claim     string `json:"claim,omitempty"`
	Source    *Node  `json:"source,omitempty"`
	Evidence  string `json:"evidence,omitempty"`
	Speaker   *Node  `json:"speaker,omitempty"`
	Date      string `json:"date,omitempty"`
	Modality  string `json:"modality,omitempty"`
	Condition string `json:"condition,omitempty"` // the condition the source attaches to the claim
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
			Predicate: PredicateNode(s.vocab, q.Predicate, false),
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

// PredicateNode labels predicate p with its reading in vocabulary v, forward or reverse;
// a predicate v does not know is labelled with its ID ("ID (reverse)" read backwards).
func PredicateNode(v *schema.Vocabulary, p quad.Value, reverse bool) Node {
	id := schema.ID(p)
	d := v.Predicate(id)
	switch {
	case d == nil && reverse:
		return Node{ID: id, Label: id + " (reverse)"}
	case d == nil:
		return Node{ID: id, Label: id}
	case reverse:
		return Node{ID: id, Label: d.Inverse}
	}
	return Node{ID: id, Label: d.Reading}
}

// Entity is one entity with its names and types: the head of a description, a node of a
// subgraph.
type Entity struct {
	ID      string   `json:"id"`
	Label   string   `json:"label"`
	Types   []string `json:"types"`
	Aliases []string `json:"aliases"`
}

// Group is the facts of one predicate in one direction.
type Group struct {
	Predicate string `json:"predicate"`
	Reading   string `json:"reading"`
	Incoming  bool   `json:"incoming"`
	Facts     []Fact `json:"facts"`
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
		p := PredicateNode(s.vocab, quad.IRI(k.pred), k.incoming)
		d.Groups = append(d.Groups, Group{Predicate: p.ID, Reading: p.Label, Incoming: k.incoming, Facts: facts})
	}
	slices.SortFunc(d.Groups, func(a, b Group) int {
		return cmp.Or(compareBool(a.Incoming, b.Incoming), cmp.Compare(a.Reading, b.Reading))
	})
	return d, nil
}
