package analysis

import (
	"cmp"
	"context"
	"slices"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/schema"
)

// Conflict is a contested position: the stances for it and against it, from at least two
// sides. A stance against it is a con stance (rejects, opposes, dismisses, ...) or a pro
// stance on a position that contradicts it (its Contradicts holds the contradiction's
// claims).
type Conflict struct {
	Position     graph.Node   `json:"position"`
	SidesFor     []graph.Node `json:"sides_for"`
	SidesAgainst []graph.Node `json:"sides_against"`
	For          []Stance     `json:"for"`
	Against      []Stance     `json:"against"`
}

// Conflicts returns the contested positions on the evidence ev admits, those with the
// most sides first. Tentative stances count, and say so in their Strength; stances that
// weigh nothing (refused) do not.
func (a *Analyst) Conflicts(ctx context.Context, ev schema.Evidence) ([]Conflict, error) {
	set, err := a.loadStances(ctx, ev)
	if err != nil {
		return nil, err
	}
	out := []Conflict{}
	for _, id := range set.positions() {
		pro := bySign(set.onPosition(id), 1)
		con := set.against(id)
		if len(pro) == 0 || len(con) == 0 {
			continue
		}
		c := Conflict{Position: pro[0].Position, SidesFor: sidesOf(pro), SidesAgainst: sidesOf(con), For: pro, Against: con}
		if len(sidesOf(append(append([]Stance{}, pro...), con...))) < 2 {
			continue // a side at odds with itself is no conflict between sides
		}
		out = append(out, c)
	}
	slices.SortStableFunc(out, func(a, b Conflict) int {
		na, nb := len(a.SidesFor)+len(a.SidesAgainst), len(b.SidesFor)+len(b.SidesAgainst)
		return cmp.Or(cmp.Compare(nb, na), cmp.Compare(a.Position.Label, b.Position.Label))
	})
	return out, nil
}

// bySign keeps the stances of one sign: 1 pro, -1 con, 0 neutral.
func bySign(sts []Stance, sign int) []Stance {
	var out []Stance
	for _, st := range sts {
		if st.Sign() == sign {
			out = append(out, st)
		}
	}
	return out
}

// sidesOf returns the distinct sides of stances, sorted by label.
func sidesOf(sts []Stance) []graph.Node {
	seen := map[string]bool{}
	out := []graph.Node{}
	for _, st := range sts {
		if !seen[st.Side.ID] {
			seen[st.Side.ID] = true
			out = append(out, st.Side)
		}
	}
	sortNodes(out)
	return out
}

// Agreement is a position held firmly pro by at least two sides and opposed by none:
// nothing con on it, nothing pro on a position that contradicts it, however tentative.
// Sides are the sides firmly for it and For their pro stances; Tentative are the pro
// stances of the sides only tentatively for it (is optimistic about, considers, a hedged
// claim), shown and not counted; NoStance are the sides that take a stance elsewhere but
// none for or against this position. Related are stances on positions that are about it
// (Trump seeks "Putin supports the 30-day ceasefire"), shown for context and not counted.
type Agreement struct {
	Position  graph.Node   `json:"position"`
	Sides     []graph.Node `json:"sides"`
	For       []Stance     `json:"for"`
	Tentative []Stance     `json:"tentative"`
	NoStance  []graph.Node `json:"no_stance"`
	Related   []Stance     `json:"related"`
}

// CommonGround returns the positions firmly supported across sides and opposed by none,
// on the evidence ev admits, those with the most sides first: the nearest thing the
// graph knows to a zone of possible agreement.
func (a *Analyst) CommonGround(ctx context.Context, ev schema.Evidence) ([]Agreement, error) {
	set, err := a.loadStances(ctx, ev)
	if err != nil {
		return nil, err
	}
	var counted []Stance
	for _, st := range set.all {
		if st.Sign() != 0 {
			counted = append(counted, st)
		}
	}
	everySide := sidesOf(counted)
	out := []Agreement{}
	for _, id := range set.positions() {
		pro := bySign(set.onPosition(id), 1)
		firm := map[string]bool{}
		for _, st := range pro {
			if st.Firm() {
				firm[st.Side.ID] = true
			}
		}
		if len(firm) < 2 || len(set.against(id)) > 0 {
			continue
		}
		ag := Agreement{Position: pro[0].Position, For: []Stance{}, Tentative: []Stance{}, NoStance: []graph.Node{}, Related: []Stance{}}
		for _, st := range pro {
			if firm[st.Side.ID] {
				ag.For = append(ag.For, st)
			} else {
				ag.Tentative = append(ag.Tentative, st)
			}
		}
		ag.Sides = sidesOf(ag.For)
		took := ids(sidesOf(pro))
		for _, sd := range everySide {
			if !took[sd.ID] {
				ag.NoStance = append(ag.NoStance, sd)
			}
		}
		for _, other := range set.about[id] {
			ag.Related = append(ag.Related, set.onPosition(other)...)
		}
		sortStances(ag.Related)
		out = append(out, ag)
	}
	slices.SortStableFunc(out, func(a, b Agreement) int {
		return cmp.Or(cmp.Compare(len(b.Sides), len(a.Sides)), cmp.Compare(a.Position.Label, b.Position.Label))
	})
	return out, nil
}
