package graph

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/graph/community"
	"gonum.org/v1/gonum/graph/simple"

	"github.com/parley/parley/schema"
)

// Accord is one reason two actors agree or disagree: a stance of each, on the same
// position or on two positions that contradict each other. Sign is +1 when they agree
// (both pro or both con on one position; one con on a position the other's contradicts)
// and -1 when they disagree (one pro, one con on one position; both pro on positions
// that contradict each other).
//
// Weight is the weaker of the two stances' weights (and of the contradiction's), so an
// accord is firm only when both stances are. Counts is what it adds to the pair's score:
// one claim counts once, so the accords of a pair that rest on one claim (one sentence
// naming several positions) share a single unit of weight. Precisely, each accord rests
// on a stance of each actor and, across a contradiction, on the contradiction; for each
// of these take the number of the pair's accords resting on its least used claim; the
// accord counts its Weight divided by the largest of these numbers. No claim then adds
// more than its weight to a pair's score.
type Accord struct {
	Position      Node            `json:"position"`
	Polarity      schema.Polarity `json:"polarity"`
	OtherPosition Node            `json:"other_position"`
	OtherPolarity schema.Polarity `json:"other_polarity"`
	Sign          int             `json:"sign"`
	Weight        float64         `json:"weight"`
	Strength      schema.Strength `json:"strength"`
	Counts        float64         `json:"counts"`
	Claims        []string        `json:"claims"` // the claims it rests on
	groups        [][]string      // the claims of each stance, and of the contradiction
}

// Pair is how two actors stand to each other: Score is the sum of their accords' signed
// Counts, Agree and Disagree the sums of those that agree and disagree.
type Pair struct {
	Actor    Node     `json:"actor"`
	Other    Node     `json:"other"`
	Score    float64  `json:"score"`
	Agree    float64  `json:"agree"`
	Disagree float64  `json:"disagree"`
	Accords  []Accord `json:"accords"`
}

// AlignedActor is an actor of the alignment with its bloc, numbered from 1. Uncertain
// says the assignment is no finding: it rests on tentative evidence only, on a tie, or on
// nothing; Reason says which.
type AlignedActor struct {
	Node
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
	Blocs  [][]Node       `json:"blocs"`
}

// BlocMethod says how Alignment finds blocs.
const BlocMethod = "Louvain modularity on the signed graph (gonum community.ModularizeMultiplex: agreement layer weight +1, disagreement layer weight -1, resolution 1, fixed seed)"

// held is an actor's pro or con stance on a position: the weight of its firmest stance
// and the claims of all of them.
type held struct {
	position Node
	sign     int
	weight   float64
	claims   []string
}

// Alignment scores every pair of actors by their stances on the evidence ev admits: at
// the level of sides, or with people of every person, state and organization as the
// facts name them.
func (s *Store) Alignment(ctx context.Context, people bool, ev schema.Evidence) (*Alignment, error) {
	set, err := s.loadStances(ctx, ev)
	if err != nil {
		return nil, err
	}
	actors, stances := heldStances(set, people)
	a := &Alignment{Level: "sides", Method: BlocMethod, Pairs: []Pair{}}
	if people {
		a.Level = "people"
	}
	index := map[string]int{}
	for i, n := range actors {
		index[n.ID] = i
	}
	for i := range actors {
		for j := i + 1; j < len(actors); j++ {
			p := pairOf(set, actors[i], actors[j], stances[actors[i].ID], stances[actors[j].ID])
			if len(p.Accords) > 0 {
				a.Pairs = append(a.Pairs, p)
			}
		}
	}
	sort.SliceStable(a.Pairs, func(i, j int) bool { return a.Pairs[i].Score > a.Pairs[j].Score })
	found, err := blocs(actors, a.Pairs, index)
	if err != nil {
		return nil, err
	}
	var apart map[string]string
	a.Blocs, apart = firmBlocs(found, a.Pairs)
	bloc := map[string]int{}
	for b, members := range a.Blocs {
		for _, n := range members {
			bloc[n.ID] = b + 1
		}
	}
	for b, members := range a.Blocs {
		for _, n := range members {
			x := AlignedActor{Node: n, Bloc: b + 1}
			x.Reason = uncertainty(n, bloc, len(a.Blocs), len(members), a.Pairs)
			if why, ok := apart[n.ID]; ok {
				x.Reason = why
			}
			x.Uncertain = x.Reason != ""
			a.Actors = append(a.Actors, x)
		}
	}
	a.Matrix = make([][]float64, len(a.Actors))
	for i, x := range a.Actors {
		a.Matrix[i] = make([]float64, len(a.Actors))
		for j, y := range a.Actors {
			a.Matrix[i][j] = scoreOf(a.Pairs, x.ID, y.ID)
		}
	}
	return a, nil
}

// heldStances returns the actors with a pro or con stance that weighs something, by
// label, and their distinct stances.
func heldStances(set *stanceSet, people bool) ([]Node, map[string][]held) {
	stances := map[string][]held{}
	at := map[[3]string]int{}
	var actors []Node
	for _, st := range set.all {
		if st.Sign() == 0 {
			continue
		}
		who := st.Side
		if people {
			who = st.Actor
		}
		if _, ok := stances[who.ID]; !ok {
			actors = append(actors, who)
		}
		k := [3]string{who.ID, st.Position.ID, string(st.Polarity)}
		i, ok := at[k]
		if !ok {
			i = len(stances[who.ID])
			at[k] = i
			stances[who.ID] = append(stances[who.ID], held{position: st.Position, sign: st.Sign()})
		}
		h := &stances[who.ID][i]
		h.weight = max(h.weight, st.Weight)
		h.claims = union(h.claims, claimKeys(st.Claims, st.Actor.ID+" "+st.Predicate.ID+" "+st.Position.ID))
	}
	sortNodes(actors)
	return actors, stances
}

// claimKeys names the claims of facts; a fact without a claim is a claim of its own,
// named by fact.
func claimKeys(claims []Fact, fact string) []string {
	var out []string
	for _, c := range claims {
		if c.Claim == "" {
			out = append(out, "fact "+fact)
			continue
		}
		out = append(out, c.Claim)
	}
	if len(out) == 0 {
		out = append(out, "fact "+fact)
	}
	return out
}

// union returns the distinct strings of a and b, sorted.
func union(a, b []string) []string {
	out := append(append([]string{}, a...), b...)
	slices.Sort(out)
	return slices.Compact(out)
}

func pairOf(set *stanceSet, a, b Node, ha, hb []held) Pair {
	p := Pair{Actor: a, Other: b, Accords: []Accord{}}
	for _, x := range ha {
		for _, y := range hb {
			sign := x.sign * y.sign
			weight := min(x.weight, y.weight)
			groups := [][]string{x.claims, y.claims}
			if x.position.ID != y.position.ID {
				c := set.contradiction(x.position.ID, y.position.ID)
				if c == nil {
					continue
				}
				sign = -sign
				weight = min(weight, c.weight)
				groups = append(groups, claimKeys(c.claims, x.position.ID+" contradicts "+y.position.ID))
			}
			claims := union(nil, nil)
			for _, g := range groups {
				claims = union(claims, g)
			}
			p.Accords = append(p.Accords, Accord{Position: x.position, Polarity: polarityOf(x.sign),
				OtherPosition: y.position, OtherPolarity: polarityOf(y.sign), Sign: sign,
				Weight: weight, Strength: schema.StrengthOf(weight), Claims: claims, groups: groups})
		}
	}
	shareClaims(p.Accords)
	for _, ac := range p.Accords {
		if ac.Sign > 0 {
			p.Agree += ac.Counts
		} else {
			p.Disagree += ac.Counts
		}
	}
	p.Agree, p.Disagree = round(p.Agree), round(p.Disagree)
	p.Score = round(p.Agree - p.Disagree)
	return p
}

// shareClaims sets what each accord of a pair counts: its weight over the number of the
// pair's accords that rest on the same claim (see Accord).
func shareClaims(accords []Accord) {
	uses := map[string]int{}
	for _, ac := range accords {
		for _, c := range ac.Claims {
			uses[c]++
		}
	}
	for i := range accords {
		n := 1
		for _, g := range accords[i].groups {
			least := 0
			for _, c := range g {
				if least == 0 || uses[c] < least {
					least = uses[c]
				}
			}
			n = max(n, least)
		}
		accords[i].Counts = round(accords[i].Weight / float64(n))
	}
}

// round drops the noise of floating-point sums: scores are kept to six decimals.
func round(x float64) float64 { return math.Round(x*1e6) / 1e6 }

func polarityOf(sign int) schema.Polarity {
	if sign > 0 {
		return schema.Pro
	}
	return schema.Con
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

func scoreOf(pairs []Pair, a, b string) float64 {
	for _, p := range pairs {
		if p.Actor.ID == a && p.Other.ID == b || p.Actor.ID == b && p.Other.ID == a {
			return p.Score
		}
	}
	return 0
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
func uncertainty(n Node, bloc map[string]int, blocs, size int, pairs []Pair) string {
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

func standingOf(n Node, bloc map[string]int, pairs []Pair, shared bool) standing {
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
func blocs(actors []Node, pairs []Pair, index map[string]int) ([][]Node, error) {
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
	out := [][]Node{}
	if len(actors) == 0 {
		return out, nil
	}
	layers, err := community.NewUndirectedLayers(pos, neg)
	if err != nil {
		return nil, fmt.Errorf("blocs: %w", err)
	}
	reduced := community.ModularizeMultiplex(layers, []float64{1, -1}, nil, true, rand.NewPCG(1, 2))
	for _, c := range reduced.Communities() {
		members := make([]Node, 0, len(c))
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
func sortBlocs(bs [][]Node) {
	slices.SortStableFunc(bs, func(a, b []Node) int {
		return cmp.Or(cmp.Compare(len(b), len(a)), cmp.Compare(a[0].Label, b[0].Label))
	})
}

// firmBlocs keeps in each bloc of several only the actors with a firm agreement with
// another member: an actor whose ties to its bloc are all tentative (the Kremlin's
// "cautious optimism") is no finding of the bloc, and stands apart in a bloc of its own,
// with the reason. It repeats until no member is left on tentative ties only.
func firmBlocs(found [][]Node, pairs []Pair) ([][]Node, map[string]string) {
	apart := map[string]string{}
	var out [][]Node
	standApart := func(n Node, grouped []Node) {
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
		out = append(out, []Node{n})
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
func firmTie(n Node, members []Node, pairs []Pair) bool {
	for _, m := range members {
		for _, ac := range accordsOf(n, m, pairs) {
			if ac.Sign > 0 && ac.Strength == schema.Firm {
				return true
			}
		}
	}
	return false
}

// accordsOf returns the accords of the pair of a and b, if they have one.
func accordsOf(a, b Node, pairs []Pair) []Accord {
	for _, p := range pairs {
		if p.Actor.ID == a.ID && p.Other.ID == b.ID || p.Actor.ID == b.ID && p.Other.ID == a.ID {
			return p.Accords
		}
	}
	return nil
}
