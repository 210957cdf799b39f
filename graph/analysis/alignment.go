package analysis

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/graph/community"
	"gonum.org/v1/gonum/graph/simple"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/schema"
)

// AlignedActor is an actor of the alignment with its bloc, numbered from 1. Uncertain
// says the assignment is no finding: it rests on tentative evidence only, on a tie, or on
// nothing; Reason says which.
type AlignedActor struct {
	graph.Node
	Bloc      int    `json:"bloc"`
	Uncertain bool   `json:"uncertain"`
	Reason    string `json:"reason,omitempty"`
}

// Alignment is the signed actor graph of shared and opposed stances: the actors (sides,
// or people and every other actor with People), the score matrix in the order of
// Actors, the pairs with an accord, and the blocs: communities of the signed graph.
type Alignment struct {
	Level  string         `json:"level"` // "sides" or "people"
	Method string         `json:"method"`
	Actors []AlignedActor `json:"actors"`
	Matrix [][]float64    `json:"matrix"`
	Pairs  []Pair         `json:"pairs"`
	Blocs  [][]graph.Node `json:"blocs"`
}

// BlocMethod says how Alignment finds blocs.
const BlocMethod = "Louvain modularity on the signed graph (gonum community.ModularizeMultiplex: agreement layer weight +1, disagreement layer weight -1, resolution 1, fixed seed)"

// Alignment scores every pair of actors by their stances on the evidence ev admits: at
// the level of sides, or with people of every person, state and organization as the
// facts name them.
func (a *Analyst) Alignment(ctx context.Context, people bool, ev schema.Evidence) (*Alignment, error) {
	set, err := a.loadStances(ctx, ev)
	if err != nil {
		return nil, err
	}
	actors, stances := heldStances(set, people)
	al := &Alignment{Level: "sides", Method: BlocMethod, Actors: []AlignedActor{}, Pairs: []Pair{}, Blocs: [][]graph.Node{}}
	if people {
		al.Level = "people"
	}
	index := map[string]int{}
	for i, n := range actors {
		index[n.ID] = i
	}
	for i := range actors {
		for j := i + 1; j < len(actors); j++ {
			p := pairOf(set, actors[i], actors[j], stances[actors[i].ID], stances[actors[j].ID])
			if len(p.Accords) > 0 {
				al.Pairs = append(al.Pairs, p)
			}
		}
	}
	slices.SortStableFunc(al.Pairs, func(x, y Pair) int { return cmp.Compare(y.Score, x.Score) })
	found, err := blocs(actors, al.Pairs, index)
	if err != nil {
		return nil, err
	}
	var apart map[string]string
	al.Blocs, apart = firmBlocs(found, al.Pairs)
	bloc := map[string]int{}
	for b, members := range al.Blocs {
		for _, n := range members {
			bloc[n.ID] = b + 1
		}
	}
	for b, members := range al.Blocs {
		for _, n := range members {
			x := AlignedActor{Node: n, Bloc: b + 1}
			x.Reason = uncertainty(n, bloc, len(al.Blocs), len(members), al.Pairs)
			if why, ok := apart[n.ID]; ok {
				x.Reason = why
			}
			x.Uncertain = x.Reason != ""
			al.Actors = append(al.Actors, x)
		}
	}
	al.Matrix = make([][]float64, len(al.Actors))
	for i, x := range al.Actors {
		al.Matrix[i] = make([]float64, len(al.Actors))
		for j, y := range al.Actors {
			al.Matrix[i][j] = scoreOf(al.Pairs, x.ID, y.ID)
		}
	}
	return al, nil
}

// uncertainty says why an actor's bloc is no finding, or "" when it is one. An actor's
// pull toward a bloc is the sum of its scores with the bloc's other members. The
// assignment is uncertain when
//   - the actor has no accord with any other actor;
//   - another bloc (or, in a bloc of several, standing alone) pulls it at least as much
//     as its own: a tie, or a closer bloc;
//   - the accords that put it in its bloc are all tentative: it rests on tentative
//     evidence only, such as one hedged fact. In a bloc of several these are its
//     agreements with the bloc's other members (a firm quarrel with a third bloc says
//     where it is not, not which of the others it is with); alone, its disagreements.
func uncertainty(n graph.Node, bloc map[string]int, blocs, size int, pairs []Pair) string {
	st := standingOf(n, bloc, pairs, size > 1)
	if !st.related {
		return "no shared or opposed position with another actor"
	}
	var reasons []string
	for _, r := range []string{st.tie(bloc[n.ID], blocs, size), st.thin()} {
		if r != "" {
			reasons = append(reasons, r)
		}
	}
	return strings.Join(reasons, "; ")
}

// standing is how an actor stands to the blocs: its pull toward each, whether a pair of
// it in the bloc scores at all, and the accords that support its own bloc.
type standing struct {
	pull    map[int]float64
	touched map[int]bool
	support []string
	firm    bool // a supporting accord is firm
	related bool // the actor has a pair
}

// standingOf is how actor n stands to the blocs; shared says its bloc holds others too.
func standingOf(n graph.Node, bloc map[string]int, pairs []Pair, shared bool) standing {
	st := standing{pull: map[int]float64{}, touched: map[int]bool{}}
	own := bloc[n.ID]
	for _, p := range pairs {
		other := p.Other
		switch n.ID {
		case p.Actor.ID:
		case p.Other.ID:
			other = p.Actor
		default:
			continue
		}
		st.related = true
		b := bloc[other.ID]
		st.pull[b] += p.Score
		st.touched[b] = st.touched[b] || p.Score != 0
		for _, ac := range p.Accords {
			if shared && b == own && ac.Sign > 0 || !shared && b != own && ac.Sign < 0 {
				st.firm = st.firm || ac.Strength == schema.Firm
				st.support = append(st.support, "with "+other.Label+", "+accordText(ac, p.Actor.ID != n.ID))
			}
		}
	}
	return st
}

// tie says when another bloc, or standing alone, pulls the actor at least as much as its
// own bloc does (own, of size members, among blocs).
func (st standing) tie(own, blocs, size int) string {
	mine := round(st.pull[own])
	best, bestBloc, bestTouched := math.Inf(-1), 0, false
	for b := 1; b <= blocs; b++ {
		if v := round(st.pull[b]); b != own && (v > best || v == best && st.touched[b] && !bestTouched) {
			best, bestBloc, bestTouched = v, b, st.touched[b]
		}
	}
	alone := size > 1 && (0 > best || 0 == best && !bestTouched)
	switch {
	case alone && mine < 0:
		return fmt.Sprintf("closer to standing alone than to its own bloc (%s)", signedScore(mine))
	case alone && mine == 0:
		return "nothing ties it to its bloc (score 0)"
	case best > mine:
		return fmt.Sprintf("closer to bloc %d (%s) than to its own (%s)", bestBloc, signedScore(best), signedScore(mine))
	case best == mine && (mine != 0 || bestTouched):
		return fmt.Sprintf("a tie: as close to bloc %d as to its own (%s)", bestBloc, signedScore(mine))
	}
	return ""
}

// thin says when the accords that support the actor's bloc are all tentative, or none.
func (st standing) thin() string {
	switch {
	case len(st.support) == 0:
		return "no accord supports it"
	case !st.firm && len(st.support) == 1:
		return "rests on one tentative fact: " + st.support[0]
	case !st.firm:
		return fmt.Sprintf("rests on %d tentative facts only: %s", len(st.support), strings.Join(st.support, "; "))
	}
	return ""
}

// accordText reads an accord as "30-day ceasefire (pro/pro, tentative)"; swap reads it
// from the other actor's side.
func accordText(ac Accord, swap bool) string {
	pos, pol, other, otherPol := ac.Position, ac.Polarity, ac.OtherPosition, ac.OtherPolarity
	if swap {
		pos, pol, other, otherPol = other, otherPol, pos, pol
	}
	if pos.ID == other.ID {
		return fmt.Sprintf("%s (%s/%s, %s)", pos.Label, pol, otherPol, ac.Strength)
	}
	return fmt.Sprintf("%s (%s) contradicts %s (%s), %s", pos.Label, pol, other.Label, otherPol, ac.Strength)
}

// signedScore prints a score with its sign and at most two decimals: +1, 0, -0.5.
func signedScore(x float64) string {
	s := strconv.FormatFloat(math.Round(x*100)/100, 'f', -1, 64)
	if x > 0 {
		return "+" + s
	}
	return s
}

// blocs splits the actors into communities of the signed graph of pair scores, the
// largest first, members by label.
func blocs(actors []graph.Node, pairs []Pair, index map[string]int) ([][]graph.Node, error) {
	pos := simple.NewWeightedUndirectedGraph(0, 0)
	neg := simple.NewWeightedUndirectedGraph(0, 0)
	for i := range actors {
		pos.AddNode(simple.Node(i))
		neg.AddNode(simple.Node(i))
	}
	for _, p := range pairs {
		layer := pos
		if p.Score < 0 {
			layer = neg
		} else if p.Score == 0 {
			continue
		}
		layer.SetWeightedEdge(layer.NewWeightedEdge(simple.Node(index[p.Actor.ID]), simple.Node(index[p.Other.ID]), p.Score))
	}
	out := [][]graph.Node{}
	if len(actors) == 0 {
		return out, nil
	}
	layers, err := community.NewUndirectedLayers(pos, neg)
	if err != nil {
		return nil, fmt.Errorf("blocs: %w", err)
	}
	reduced := community.ModularizeMultiplex(layers, []float64{1, -1}, nil, true, rand.NewPCG(1, 2))
	for _, c := range reduced.Communities() {
		members := make([]graph.Node, 0, len(c))
		for _, n := range c {
			members = append(members, actors[n.ID()])
		}
		sortNodes(members)
		out = append(out, members)
	}
	sortBlocs(out)
	return out, nil
}

// sortBlocs orders blocs by size, then by their first member's label.
func sortBlocs(bs [][]graph.Node) {
	slices.SortStableFunc(bs, func(a, b []graph.Node) int {
		return cmp.Or(cmp.Compare(len(b), len(a)), cmp.Compare(a[0].Label, b[0].Label))
	})
}

// firmBlocs keeps in each bloc of several only the actors with a firm agreement with
// another member: an actor whose ties to its bloc are all tentative (the Kremlin's
// "cautious optimism") is no finding of the bloc, and stands apart in a bloc of its own,
// with the reason. It repeats until no member is left on tentative ties only.
func firmBlocs(found [][]graph.Node, pairs []Pair) ([][]graph.Node, map[string]string) {
	apart := map[string]string{}
	out := [][]graph.Node{}
	standApart := func(n graph.Node, grouped []graph.Node) {
		var leans []string
		for _, m := range grouped {
			for _, ac := range accordsOf(n, m, pairs) {
				if ac.Sign > 0 && m.ID != n.ID {
					leans = append(leans, "with "+m.Label+", "+ac.Position.Label)
				}
			}
		}
		why := "stands apart: no agreement with the others the bloc method grouped it with"
		if len(leans) > 0 {
			why = "stands apart: its agreements with the others the bloc method grouped it with are tentative only (" + strings.Join(leans, "; ") + ")"
		}
		apart[n.ID] = why
		out = append(out, []graph.Node{n})
	}
	for _, grouped := range found {
		members := grouped
		for again := len(members) > 1; again; {
			again = false
			for i, n := range members {
				if !firmTie(n, members, pairs) {
					standApart(n, grouped)
					members = slices.Delete(slices.Clone(members), i, i+1)
					again = len(members) > 1
					break
				}
			}
		}
		switch {
		case len(members) == 1 && len(grouped) > 1:
			standApart(members[0], grouped) // the last of a bloc that held on tentative ties
		case len(members) > 0:
			out = append(out, members)
		}
	}
	sortBlocs(out)
	return out, apart
}

// firmTie reports whether n agrees firmly with another of members.
func firmTie(n graph.Node, members []graph.Node, pairs []Pair) bool {
	for _, m := range members {
		for _, ac := range accordsOf(n, m, pairs) {
			if ac.Sign > 0 && ac.Strength == schema.Firm {
				return true
			}
		}
	}
	return false
}
