package analysis

import (
	"encoding/json"
	"math"
	"slices"
	"strings"

	"github.com/parley/parley/graph"
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
	Position      graph.Node      `json:"position"`
	Polarity      schema.Polarity `json:"polarity"`
	OtherPosition graph.Node      `json:"other_position"`
	OtherPolarity schema.Polarity `json:"other_polarity"`
	Sign          int             `json:"sign"`
	Weight        float64         `json:"weight"`
	Strength      schema.Strength `json:"strength"`
	Counts        float64         `json:"counts"`
	Claims        []string        `json:"claims"` // the claims it rests on; JSON: [{"id"}]
	groups        [][]string      // the claims of each stance, and of the contradiction
}

// MarshalJSON writes the accord with its claims as claims are written everywhere,
// {"id": ...}; a fact that no claim backs is left out of them.
func (ac Accord) MarshalJSON() ([]byte, error) {
	type plain Accord
	out := struct {
		plain
		Claims []graph.Claim `json:"claims"`
	}{plain: plain(ac), Claims: []graph.Claim{}}
	for _, c := range ac.Claims {
		if !strings.HasPrefix(c, "fact ") {
			out.Claims = append(out.Claims, graph.Claim{ID: c})
		}
	}
	return json.Marshal(out)
}

// Pair is how two actors stand to each other: Score is the sum of their accords' signed
// Counts, Agree and Disagree the sums of those that agree and disagree.
type Pair struct {
	Actor    graph.Node `json:"actor"`
	Other    graph.Node `json:"other"`
	Score    float64    `json:"score"`
	Agree    float64    `json:"agree"`
	Disagree float64    `json:"disagree"`
	Accords  []Accord   `json:"accords"`
}

// held is an actor's pro or con stance on a position: the weight of its firmest stance
// and the claims of all of them.
type held struct {
	position graph.Node
	sign     int
	weight   float64
	claims   []string
}

// heldStances returns the actors with a pro or con stance that weighs something, by
// label, and their distinct stances.
func heldStances(set *stanceSet, people bool) ([]graph.Node, map[string][]held) {
	stances := map[string][]held{}
	at := map[[3]string]int{}
	var actors []graph.Node
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
func claimKeys(claims []graph.Fact, fact string) []string {
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

// pairOf scores the pair of actors a and b from their held stances ha and hb: an accord
// for each position both take a stance on, or two that contradict each other.
func pairOf(set *stanceSet, a, b graph.Node, ha, hb []held) Pair {
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

// polarityOf is the polarity of a sign: pro for +1, con otherwise.
func polarityOf(sign int) schema.Polarity {
	if sign > 0 {
		return schema.Pro
	}
	return schema.Con
}

// scoreOf is the score of the pair of actors a and b, 0 when they have no accord.
func scoreOf(pairs []Pair, a, b string) float64 {
	for _, p := range pairs {
		if p.Actor.ID == a && p.Other.ID == b || p.Actor.ID == b && p.Other.ID == a {
			return p.Score
		}
	}
	return 0
}

// accordsOf returns the accords of the pair of a and b, if they have one.
func accordsOf(a, b graph.Node, pairs []Pair) []Accord {
	for _, p := range pairs {
		if p.Actor.ID == a.ID && p.Other.ID == b.ID || p.Actor.ID == b.ID && p.Other.ID == a.ID {
			return p.Accords
		}
	}
	return nil
}
