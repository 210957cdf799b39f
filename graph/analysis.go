package graph

import (
	"context"
	"fmt"
	"sort"

	"github.com/cayleygraph/quad"

	"github.com/parley/parley/schema"
)

// Conflict is a contested position: the stances for it and against it, from at least two
// sides. A stance against it is a con stance (rejects, opposes, dismisses, ...) or a pro
// stance on a position that contradicts it (its Contradicts holds the contradiction's
// claims).
type Conflict struct {
	Position     Node     `json:"position"`
	SidesFor     []Node   `json:"sides_for"`
	SidesAgainst []Node   `json:"sides_against"`
	For          []Stance `json:"for"`
	Against      []Stance `json:"against"`
}

// Conflicts returns the contested positions on the evidence ev admits, those with the
// most sides first. Tentative stances count, and say so in their Strength; stances that
// weigh nothing (refused) do not.
func (s *Store) Conflicts(ctx context.Context, ev schema.Evidence) ([]Conflict, error) {
	set, err := s.loadStances(ctx, ev)
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
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		na, nb := len(a.SidesFor)+len(a.SidesAgainst), len(b.SidesFor)+len(b.SidesAgainst)
		if na != nb {
			return na > nb
		}
		return a.Position.Label < b.Position.Label
	})
	return out, nil
}

// loadStances reads the store's stances on the evidence ev admits.
func (s *Store) loadStances(ctx context.Context, ev schema.Evidence) (*stanceSet, error) {
	w, err := s.loadWorld(ctx, ev)
	if err != nil {
		return nil, err
	}
	return s.stances(ctx, w, ev)
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
func sidesOf(sts []Stance) []Node {
	seen := map[string]bool{}
	out := []Node{}
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
	Position  Node     `json:"position"`
	Sides     []Node   `json:"sides"`
	For       []Stance `json:"for"`
	Tentative []Stance `json:"tentative"`
	NoStance  []Node   `json:"no_stance"`
	Related   []Stance `json:"related"`
}

// CommonGround returns the positions firmly supported across sides and opposed by none,
// on the evidence ev admits, those with the most sides first: the nearest thing the
// graph knows to a zone of possible agreement.
func (s *Store) CommonGround(ctx context.Context, ev schema.Evidence) ([]Agreement, error) {
	set, err := s.loadStances(ctx, ev)
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
		a := Agreement{Position: pro[0].Position, For: []Stance{}, Tentative: []Stance{}, NoStance: []Node{}, Related: []Stance{}}
		for _, st := range pro {
			if firm[st.Side.ID] {
				a.For = append(a.For, st)
			} else {
				a.Tentative = append(a.Tentative, st)
			}
		}
		a.Sides = sidesOf(a.For)
		took := ids(sidesOf(pro))
		for _, sd := range everySide {
			if !took[sd.ID] {
				a.NoStance = append(a.NoStance, sd)
			}
		}
		for _, other := range set.about[id] {
			a.Related = append(a.Related, set.onPosition(other)...)
		}
		sortStances(a.Related)
		out = append(out, a)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if len(out[i].Sides) != len(out[j].Sides) {
			return len(out[i].Sides) > len(out[j].Sides)
		}
		return out[i].Position.Label < out[j].Position.Label
	})
	return out, nil
}

// ids returns the IDs of nodes as a set.
func ids(nodes []Node) map[string]bool {
	out := make(map[string]bool, len(nodes))
	for _, n := range nodes {
		out[n.ID] = true
	}
	return out
}

// Reason is one claim behind a fact, with its source's title, publication date and URL.
type Reason struct {
	Fact
	Title     string `json:"title,omitempty"`
	Published string `json:"published,omitempty"`
	URL       string `json:"url,omitempty"`
}

// NoFactError says no fact fits a pattern.
type NoFactError struct{ Pattern Pattern }

func (e *NoFactError) Error() string {
	return fmt.Sprintf("no fact %s %s %s", e.Pattern.Subject, e.Pattern.Predicate, e.Pattern.Object)
}

// Why returns every claim behind the facts that fit a pattern, or a *NoFactError.
func (s *Store) Why(ctx context.Context, p Pattern) ([]Reason, error) {
	facts, err := s.Match(ctx, p)
	if err != nil {
		return nil, err
	}
	if len(facts) == 0 {
		return nil, &NoFactError{Pattern: p}
	}
	out := make([]Reason, 0, len(facts))
	sources := map[string]Reason{}
	for _, f := range facts {
		r := Reason{Fact: f}
		if f.Source != nil {
			src, ok := sources[f.Source.ID]
			if !ok {
				src = s.sourceReason(ctx, f.Source.ID)
				sources[f.Source.ID] = src
			}
			r.Title, r.Published, r.URL = src.Title, src.Published, src.URL
		}
		out = append(out, r)
	}
	return out, nil
}

// sourceReason reads a source's title, publication date and URL; the title falls back to
// the source's label.
func (s *Store) sourceReason(ctx context.Context, id string) Reason {
	var r Reason
	for pred, dst := range map[string]*string{schema.PredTitle: &r.Title, schema.PredPublished: &r.Published, schema.PredURL: &r.URL} {
		if vals, err := s.Objects(ctx, quad.IRI(id), pred); err == nil && len(vals) > 0 {
			*dst = schema.Text(vals[0])
		}
	}
	if r.Title == "" {
		r.Title = s.Label(ctx, quad.IRI(id))
	}
	return r
}
