package analysis

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/cayleygraph/quad"

	"github.com/parley/parley/schema"
)

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
func (a *Analyst) loadWorld(ctx context.Context, ev schema.Evidence) (*world, error) {
	if err := a.r.Ready(); err != nil {
		return nil, err
	}
	w := &world{types: map[quad.Value][]string{}, sides: map[quad.Value]quad.Value{}}
	for _, t := range a.vocab.Types() {
		typed, err := a.r.Subjects(ctx, schema.PredType, quad.IRI(t.Name))
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
			quads, err := a.r.FactsWith(ctx, d, x)
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
	for _, x := range w.sortedTyped() {
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
	if err := a.admitFacts(ctx, w, ev); err != nil {
		return nil, err
	}
	w.computeSides()
	return w, nil
}

// admitFacts keeps the facts with a claim whose modality the evidence filter admits; a
// fact without a claim counts as asserted.
func (a *Analyst) admitFacts(ctx context.Context, w *world, ev schema.Evidence) error {
	modality := map[quad.Value]string{}
	kept := w.facts[:0]
	for _, q := range w.facts {
		if q.Label != nil {
			m, ok := modality[q.Label]
			if !ok {
				c, err := a.r.Claim(ctx, q.Label)
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

// is reports whether v has type typ.
func (w *world) is(v quad.Value, typ string) bool {
	return slices.Contains(w.types[v], typ)
}

// isAny reports whether v has one of types.
func (w *world) isAny(v quad.Value, types []string) bool {
	for _, t := range types {
		if w.is(v, t) {
			return true
		}
	}
	return false
}

// isActor reports whether v is a person, a state or an organization.
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

// sortedTyped returns the typed nodes, by ID.
func (w *world) sortedTyped() []quad.Value {
	out := make([]quad.Value, 0, len(w.types))
	for v := range w.types {
		out = append(out, v)
	}
	return sortedValues(out)
}

// sortedValues returns a sorted copy of vs, by ID.
func sortedValues(vs []quad.Value) []quad.Value {
	out := slices.Clone(vs)
	slices.SortFunc(out, func(a, b quad.Value) int { return cmp.Compare(schema.ID(a), schema.ID(b)) })
	return out
}
