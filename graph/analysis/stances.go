package analysis

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/parley/parley/graph"
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
	Actor     graph.Node      `json:"actor"`
	Side      graph.Node      `json:"side"`
	Predicate graph.Predicate `json:"predicate"`
	Position  graph.Node      `json:"position"`
	Polarity  schema.Polarity `json:"polarity"`
	Weight    float64         `json:"weight"`
	Strength  schema.Strength `json:"strength"`
	Claims    []graph.Fact    `json:"claims"`
	// Contradicts is set on a stance counted against a position the stance's own
	// position contradicts: the contradiction's claims.
	Contradicts []graph.Fact `json:"contradicts,omitempty"`
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
func weightOfClaims(p *schema.Predicate, claims []graph.Fact) float64 {
	ms := make([]string, len(claims))
	for i, c := range claims {
		ms[i] = c.Modality
	}
	if len(ms) == 0 {
		ms = []string{""} // a fact without a claim: as the source states it
	}
	return schema.StanceWeight(p, ms)
}

// stanceSet is every stance of the store with the contradictions between positions.
type stanceSet struct {
	all    []Stance
	contra map[string][]contradiction // position ID -> the positions it contradicts
	about  map[string][]string        // position ID -> positions that are about it
}

// contradiction is one position's contradiction of another, with its claims and weight.
type contradiction struct {
	other  string
	claims []graph.Fact
	weight float64
}

// loadStances reads the store's stances on the evidence ev admits.
func (a *Analyst) loadStances(ctx context.Context, ev schema.Evidence) (*stanceSet, error) {
	w, err := a.loadWorld(ctx, ev)
	if err != nil {
		return nil, err
	}
	return a.stances(ctx, w, ev)
}

// stances gathers every stance: a relation fact from an actor to a Position, of a weight
// the evidence filter admits (the world holds only the claims it admits).
func (a *Analyst) stances(ctx context.Context, w *world, ev schema.Evidence) (*stanceSet, error) {
	type key struct{ actor, pred, pos quad.Value }
	groups := map[key][]quad.Quad{}
	var contra, about []quad.Quad
	for _, q := range w.facts {
		p := a.vocab.Predicate(schema.ID(q.Predicate))
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
		claims, err := a.r.Facts(ctx, quads)
		if err != nil {
			return nil, err
		}
		p := a.vocab.Predicate(schema.ID(k.pred))
		st := Stance{
			Actor: a.node(ctx, k.actor), Side: a.node(ctx, w.side(k.actor)),
			Predicate: a.predicate(k.pred, false), Position: a.node(ctx, k.pos),
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
		claims, err := a.r.Facts(ctx, []quad.Quad{q})
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
	slices.SortStableFunc(sts, func(a, b Stance) int {
		return cmp.Or(cmp.Compare(a.Position.Label, b.Position.Label),
			cmp.Compare(polarityOrder[a.Polarity], polarityOrder[b.Polarity]),
			compareStrength(a, b),
			cmp.Compare(a.Side.Label, b.Side.Label), cmp.Compare(a.Actor.Label, b.Actor.Label),
			cmp.Compare(a.Predicate.ID, b.Predicate.ID), cmp.Compare(a.Actor.ID, b.Actor.ID))
	})
}

// compareStrength orders firm stances before tentative ones, and those before no stance.
func compareStrength(a, b Stance) int {
	return cmp.Compare(strengthOrder[a.Strength], strengthOrder[b.Strength])
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

// contradiction returns the contradiction between two positions, or nil.
func (set *stanceSet) contradiction(a, b string) *contradiction {
	for i, c := range set.contra[a] {
		if c.other == b {
			return &set.contra[a][i]
		}
	}
	return nil
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
	Actor   graph.Node   `json:"actor"`
	Side    graph.Node   `json:"side"`
	Direct  bool         `json:"direct"`
	Members []graph.Node `json:"members"` // the actors whose stances are included
	Pro     []Stance     `json:"pro"`
	Con     []Stance     `json:"con"`
	Neutral []Stance     `json:"neutral"`
}

// NotActorError says a name resolves to an entity that is no actor.
type NotActorError struct {
	Entity graph.Node
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
func (a *Analyst) Stance(ctx context.Context, name string, direct bool, ev schema.Evidence) (*StanceReport, error) {
	iri, err := a.r.ResolveEntity(ctx, name)
	if err != nil {
		return nil, err
	}
	w, err := a.loadWorld(ctx, ev)
	if err != nil {
		return nil, err
	}
	if !w.isActor(iri) {
		return nil, &NotActorError{Entity: a.node(ctx, iri), Types: w.types[iri]}
	}
	set, err := a.stances(ctx, w, ev)
	if err != nil {
		return nil, err
	}
	r := &StanceReport{Actor: a.node(ctx, iri), Side: a.node(ctx, w.side(iri)), Direct: direct,
		Members: []graph.Node{}, Pro: []Stance{}, Con: []Stance{}, Neutral: []Stance{}}
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
		slices.SortStableFunc(g, compareStrength)
	}
	return r, nil
}
