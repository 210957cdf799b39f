package graph

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/parley/parley/schema"
)

// Stance is what one actor holds on one position, as one fact states it: the actor, the
// side it acts for, the predicate and its polarity, how firmly it is held, and the claims
// behind the fact.
//
// The side of a state is the state; of an organization, the state it is the government of
// (the Kremlin is Russia's), else itself; of a person, the side of the state or
// organization one of their roles belongs to (holdsRole, roleOf), else the person.
//
// Weight is the weight of its firmest claim's modality (schema.Weights), no more than
// tentative for a tentative predicate (considers, is optimistic about), and for a stance
// counted through a contradiction no more than the contradiction's. A stance of weight 0
// (the actor refused to state it) is no stance: it counts neither for nor against.
type Stance struct {
	Actor     Node            `json:"actor"`
	Side      Node            `json:"side"`
	Predicate Node            `json:"predicate"` // labelled with its reading
	Position  Node            `json:"position"`
	Polarity  schema.Polarity `json:"polarity"`
	Weight    float64         `json:"weight"`
	Strength  schema.Strength `json:"strength"`
	Claims    []Fact          `json:"claims"`
	// Contradicts is set on a stance counted against a position the stance's own
	// position contradicts: the contradiction's claims.
	Contradicts []Fact `json:"contradicts,omitempty"`
}

// Sign is +1 for a pro stance, -1 for a con stance and 0 for a neutral one or one that
// weighs nothing.
func (st Stance) Sign() int {
	if st.Weight <= schema.NoWeight {
		return 0
	}
	switch st.Polarity {
	case schema.Pro:
		return 1
	case schema.Con:
		return -1
	}
	return 0
}

// Firm reports whether the stance is firmly held.
func (st Stance) Firm() bool { return st.Strength == schema.Firm }

// weigh sets the stance's weight and strength.
func (st *Stance) weigh(w float64) {
	st.Weight, st.Strength = w, schema.StrengthOf(w)
}

// weightOfClaims is the weight of the firmest of claims, for a predicate p (nil: none).
func weightOfClaims(p *schema.Predicate, claims []Fact) float64 {
	ms := make([]string, len(claims))
	for i, c := range claims {
		ms[i] = c.Modality
	}
	if len(ms) == 0 {
		ms = []string{""} // a fact without a claim: as the source states it
	}
	return schema.StanceWeight(p, ms)
}

// world is what the analyses read from the store in one pass: the relation facts, the
// types of the nodes they name and the side every actor acts for.
type world struct {
	facts []quad.Quad
	types map[quad.Value][]string
	sides map[quad.Value]quad.Value
}

// loadWorld reads the world through the store's indexes, so that it costs what the
// vocabulary's entities hold, not what the store holds: the entities with a type of the
// vocabulary (<x> <type> <T>, by object), then the facts with one of them at either end.
// Every analysis is about such entities; foreign data, untyped or typed outside the
// vocabulary, takes part only where it touches them. Facts whose claims the evidence
// filter leaves out (inferences, by default) are not read.
func (s *Store) loadWorld(ctx context.Context, ev schema.Evidence) (*world, error) {
	if err := s.ready(); err != nil {
		return nil, err
	}
	w := &world{types: map[quad.Value][]string{}, sides: map[quad.Value]quad.Value{}}
	for _, t := range s.vocab.Types() {
		typed, err := s.Subjects(ctx, schema.PredType, quad.IRI(t.Name))
		if err != nil {
			return nil, fmt.Errorf("read types: %w", err)
		}
		for _, x := range typed {
			w.types[x] = append(w.types[x], t.Name)
		}
	}
	seen := map[quad.Quad]bool{}
	read := func(x quad.Value, dirs ...quad.Direction) error {
		for _, d := range dirs {
			quads, err := s.factsWith(ctx, d, x)
			if err != nil {
				return fmt.Errorf("read the facts of %s: %w", x, err)
			}
			for _, q := range quads {
				if !seen[q] {
					seen[q] = true
					w.facts = append(w.facts, q)
				}
			}
		}
		return nil
	}
	for _, x := range sortedTyped(w) {
		if err := read(x, quad.Subject, quad.Object); err != nil {
			return nil, err
		}
	}
	// A side follows roles to their owners and owners to their states, which need no type
	// under --allow-unknown: follow such chains through untyped entities too.
	for i := 0; i < len(w.facts); i++ {
		q := w.facts[i]
		switch schema.ID(q.Predicate) {
		case schema.PredHoldsRole, schema.PredRoleOf:
			if _, typed := w.types[q.Object]; !typed && schema.IsNode(q.Object) {
				if err := read(q.Object, quad.Subject); err != nil {
					return nil, err
				}
			}
		}
	}
	if err := s.admitFacts(ctx, w, ev); err != nil {
		return nil, err
	}
	w.computeSides()
	return w, nil
}

// admitFacts keeps the facts with a claim whose modality the evidence filter admits; a
// fact without a claim counts as asserted.
func (s *Store) admitFacts(ctx context.Context, w *world, ev schema.Evidence) error {
	modality := map[quad.Value]string{}
	kept := w.facts[:0]
	for _, q := range w.facts {
		if q.Label != nil {
			m, ok := modality[q.Label]
			if !ok {
				c, err := s.claim(ctx, q.Label)
				if err != nil {
					return err
				}
				m, modality[q.Label] = c.Modality, c.Modality
			}
			if !ev.Admits(m) {
				continue
			}
		}
		kept = append(kept, q)
	}
	w.facts = kept
	return nil
}

func (w *world) is(v quad.Value, typ string) bool {
	for _, t := range w.types[v] {
		if t == typ {
			return true
		}
	}
	return false
}

func (w *world) isActor(v quad.Value) bool {
	return w.is(v, schema.TypePerson) || w.is(v, schema.TypeState) || w.is(v, schema.TypeOrganization)
}

// side is the state or organization an actor acts for, or the actor itself.
func (w *world) side(v quad.Value) quad.Value {
	if sd, ok := w.sides[v]; ok {
		return sd
	}
	return v
}

// computeSides maps every person with a role to the owner of the role, and every
// government to its state.
func (w *world) computeSides() {
	links := map[string]map[quad.Value][]quad.Value{
		schema.PredHoldsRole: {}, schema.PredRoleOf: {}, schema.PredGovernmentOf: {},
	}
	for _, q := range w.facts {
		if m, ok := links[schema.ID(q.Predicate)]; ok && schema.IsNode(q.Object) {
			m[q.Subject] = append(m[q.Subject], q.Object)
		}
	}
	government := func(v quad.Value) quad.Value {
		if states := sortedValues(links[schema.PredGovernmentOf][v]); len(states) > 0 {
			return states[0]
		}
		return v
	}
	for actor := range w.types {
		switch {
		case w.is(actor, schema.TypePerson):
			for _, role := range sortedValues(links[schema.PredHoldsRole][actor]) {
				if owners := sortedValues(links[schema.PredRoleOf][role]); len(owners) > 0 {
					w.sides[actor] = government(owners[0])
					break
				}
			}
		case w.is(actor, schema.TypeOrganization):
			w.sides[actor] = government(actor)
		}
	}
}

func sortedValues(vs []quad.Value) []quad.Value {
	out := append([]quad.Value(nil), vs...)
	sort.Slice(out, func(i, j int) bool { return schema.ID(out[i]) < schema.ID(out[j]) })
	return out
}

// stanceSet is every stance of the store with the contradictions between positions.
type stanceSet struct {
	all    []Stance
	contra map[string][]contradiction // position ID -> the positions it contradicts
	about  map[string][]string        // position ID -> positions that are about it
}

type contradiction struct {
	other  string
	claims []Fact
	weight float64
}

// stances gathers every stance: a relation fact from an actor to a Position, of a weight
// the evidence filter admits (the world holds only the claims it admits).
func (s *Store) stances(ctx context.Context, w *world, ev schema.Evidence) (*stanceSet, error) {
	type key struct{ actor, pred, pos quad.Value }
	groups := map[key][]quad.Quad{}
	var contra, about []quad.Quad
	for _, q := range w.facts {
		p := s.vocab.Predicate(schema.ID(q.Predicate))
		if p == nil || p.Kind != schema.Relation || !w.is(q.Object, schema.TypePosition) {
			continue
		}
		switch {
		case p.Name == schema.PredContradicts:
			contra = append(contra, q)
		case p.Name == schema.PredAbout && w.is(q.Subject, schema.TypePosition):
			about = append(about, q)
		case w.isActor(q.Subject):
			k := key{q.Subject, q.Predicate, q.Object}
			groups[k] = append(groups[k], q)
		}
	}
	set := &stanceSet{contra: map[string][]contradiction{}, about: map[string][]string{}}
	for k, quads := range groups {
		claims, err := s.Facts(ctx, quads)
		if err != nil {
			return nil, err
		}
		p := s.vocab.Predicate(schema.ID(k.pred))
		st := Stance{
			Actor: s.node(ctx, k.actor), Side: s.node(ctx, w.side(k.actor)),
			Predicate: s.predicateNode(k.pred, false), Position: s.node(ctx, k.pos),
			Polarity: p.Polarity, Claims: claims,
		}
		st.weigh(weightOfClaims(p, claims))
		if st.Weight > schema.NoWeight && st.Weight < ev.Threshold() {
			continue // a tentative predicate when only firm stances are asked for
		}
		set.all = append(set.all, st)
	}
	sortStances(set.all)
	for _, q := range contra {
		claims, err := s.Facts(ctx, []quad.Quad{q})
		if err != nil {
			return nil, err
		}
		a, b := schema.ID(q.Subject), schema.ID(q.Object)
		weight := weightOfClaims(nil, claims)
		set.contra[a] = append(set.contra[a], contradiction{other: b, claims: claims, weight: weight})
		set.contra[b] = append(set.contra[b], contradiction{other: a, claims: claims, weight: weight})
	}
	for _, q := range about {
		set.about[schema.ID(q.Object)] = append(set.about[schema.ID(q.Object)], schema.ID(q.Subject))
	}
	return set, nil
}

var (
	polarityOrder = map[schema.Polarity]int{schema.Pro: 0, schema.Con: 1, schema.Neutral: 2}
	strengthOrder = map[schema.Strength]int{schema.Firm: 0, schema.Tentative: 1, schema.NoStance: 2}
)

// sortStances orders stances by position, polarity, strength (firm first), side, actor
// and predicate.
func sortStances(sts []Stance) {
	sort.SliceStable(sts, func(i, j int) bool {
		a, b := sts[i], sts[j]
		if a.Position.Label != b.Position.Label {
			return a.Position.Label < b.Position.Label
		}
		if a.Polarity != b.Polarity {
			return polarityOrder[a.Polarity] < polarityOrder[b.Polarity]
		}
		if a.Strength != b.Strength {
			return strengthOrder[a.Strength] < strengthOrder[b.Strength]
		}
		for _, c := range [][2]string{{a.Side.Label, b.Side.Label}, {a.Actor.Label, b.Actor.Label}, {a.Predicate.ID, b.Predicate.ID}} {
			if c[0] != c[1] {
				return c[0] < c[1]
			}
		}
		return a.Actor.ID < b.Actor.ID
	})
}

// onPosition returns the stances on a position.
func (set *stanceSet) onPosition(id string) []Stance {
	var out []Stance
	for _, st := range set.all {
		if st.Position.ID == id {
			out = append(out, st)
		}
	}
	return out
}

// against returns the stances that oppose a position: con stances on it, and pro stances
// on a position that contradicts it (marked with the contradiction's claims, and no
// firmer than the contradiction). Stances that weigh nothing are left out.
func (set *stanceSet) against(id string) []Stance {
	var out []Stance
	for _, st := range set.onPosition(id) {
		if st.Sign() < 0 {
			out = append(out, st)
		}
	}
	for _, c := range set.contra[id] {
		for _, st := range set.onPosition(c.other) {
			if st.Sign() > 0 {
				st.Contradicts = c.claims
				st.weigh(min(st.Weight, c.weight))
				out = append(out, st)
			}
		}
	}
	sortStances(out)
	return out
}

// positions returns the IDs of the positions stances are held on, in stance order.
func (set *stanceSet) positions() []string {
	seen := map[string]bool{}
	var out []string
	for _, st := range set.all {
		if !seen[st.Position.ID] {
			seen[st.Position.ID] = true
			out = append(out, st.Position.ID)
		}
	}
	return out
}

// StanceReport is an actor's stances grouped by polarity, firm before tentative in each
// group; a pro or con stance that weighs nothing (refused) is neutral. Unless Direct, the
// stances of the actors who act for it (its people, its government) are included: their
// Actor is not the report's Actor.
type StanceReport struct {
	Actor   Node     `json:"actor"`
	Side    Node     `json:"side"`
	Direct  bool     `json:"direct"`
	Members []Node   `json:"members"` // the actors whose stances are included
	Pro     []Stance `json:"pro"`
	Con     []Stance `json:"con"`
	Neutral []Stance `json:"neutral"`
}

// NotActorError says a name resolves to an entity that is no actor.
type NotActorError struct {
	Entity Node
	Types  []string
}

func (e *NotActorError) Error() string {
	what := "an untyped entity"
	if len(e.Types) > 0 {
		what = "a " + strings.Join(e.Types, ", ")
	}
	return fmt.Sprintf("%s <%s> is %s, not an actor (a Person, State or Organization)", e.Entity.Label, e.Entity.ID, what)
}

// Stance returns the stances of the actor a name resolves to on the evidence ev admits;
// direct leaves out those of the actors that act for it.
func (s *Store) Stance(ctx context.Context, name string, direct bool, ev schema.Evidence) (*StanceReport, error) {
	iri, err := s.ResolveEntity(ctx, name)
	if err != nil {
		return nil, err
	}
	w, err := s.loadWorld(ctx, ev)
	if err != nil {
		return nil, err
	}
	if !w.isActor(iri) {
		return nil, &NotActorError{Entity: s.node(ctx, iri), Types: w.types[iri]}
	}
	set, err := s.stances(ctx, w, ev)
	if err != nil {
		return nil, err
	}
	r := &StanceReport{Actor: s.node(ctx, iri), Side: s.node(ctx, w.side(iri)), Direct: direct,
		Members: []Node{}, Pro: []Stance{}, Con: []Stance{}, Neutral: []Stance{}}
	members := map[string]bool{}
	for _, st := range set.all {
		if st.Actor.ID != string(iri) && (direct || st.Side.ID != string(iri)) {
			continue
		}
		if !members[st.Actor.ID] {
			members[st.Actor.ID] = true
			r.Members = append(r.Members, st.Actor)
		}
		switch st.Sign() {
		case 1:
			r.Pro = append(r.Pro, st)
		case -1:
			r.Con = append(r.Con, st)
		default:
			r.Neutral = append(r.Neutral, st)
		}
	}
	sortNodes(r.Members)
	for _, g := range [][]Stance{r.Pro, r.Con, r.Neutral} {
		sort.SliceStable(g, func(i, j int) bool { return strengthOrder[g[i].Strength] < strengthOrder[g[j].Strength] })
	}
	return r, nil
}

// sortNodes orders nodes by label, then ID.
func sortNodes(ns []Node) {
	sort.Slice(ns, func(i, j int) bool {
		if ns[i].Label != ns[j].Label {
			return ns[i].Label < ns[j].Label
		}
		return ns[i].ID < ns[j].ID
	})
}
