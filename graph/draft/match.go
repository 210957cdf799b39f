package draft

import (
	"slices"
	"strings"

	"github.com/parley/parley/schema"
)

// gap in a pattern's words stands for up to maxGap words: "press * for" matches "press
// Putin for", "launch * strikes on" matches "launched fresh drone strikes on".
const (
	gap    = "*"
	maxGap = 3
)

// compiled is one inflected form of a pattern, as the words to find.
type compiled struct {
	pat        schema.VerbPattern
	speech     bool
	seq        []string
	participle bool // the verb is in its past participle: a passive when after be
	third      bool // the verb is in its third person, which may be a plural noun ("demands")
}

// patternSet indexes compiled patterns by their first word.
type patternSet struct {
	byFirst map[string][]compiled
}

func compilePatterns(pps []schema.PredicatePatterns) *patternSet {
	ps := &patternSet{byFirst: map[string][]compiled{}}
	add := func(c compiled) { ps.byFirst[c.seq[0]] = append(ps.byFirst[c.seq[0]], c) }
	for _, pp := range pps {
		for _, p := range pp.Patterns {
			ws := strings.Fields(p.Words)
			if len(ws) == 0 {
				continue
			}
			if p.Form != schema.FormVerb {
				add(compiled{pat: p, speech: pp.SpeechAct, seq: ws})
				continue
			}
			part := schema.Participle(ws[0], p.Irregular)
			for _, f := range schema.Inflect(ws[0], p.Irregular) {
				third := f != ws[0] && f != part && strings.HasSuffix(f, "s")
				add(compiled{pat: p, speech: pp.SpeechAct, seq: append([]string{f}, ws[1:]...), participle: f == part, third: third})
			}
		}
	}
	for k := range ps.byFirst {
		slices.SortStableFunc(ps.byFirst[k], func(a, b compiled) int { return len(b.seq) - len(a.seq) })
	}
	return ps
}

// match is a pattern found in a sentence.
type match struct {
	c          compiled
	start, end int // tokens [start, end)
}

// find returns the patterns a sentence holds, left to right, the longest at each place;
// matches do not overlap.
func (ps *patternSet) find(toks []token) []match {
	var out []match
	for i := 0; i < len(toks); i++ {
		if !toks[i].word {
			continue
		}
		// After a possessive a noun is likelier than a verb: "Trump’s push for diplomacy".
		nounFirst := i > 0 && toks[i-1].norm == "'s"
		best := match{end: -1}
		for _, c := range ps.byFirst[toks[i].norm] {
			end, ok := matchSeq(toks, i, c.seq)
			if !ok {
				continue
			}
			longer := end-i > best.end-best.start
			preferred := end-i == best.end-best.start && nounFirst && c.pat.Form == schema.FormNoun && best.c.pat.Form != schema.FormNoun
			if longer || preferred {
				best = match{c: c, start: i, end: end}
			}
		}
		if best.end > 0 {
			out = append(out, best)
			i = best.end - 1
		}
	}
	return out
}

// matchSeq matches words (with gaps) at token i and returns the token after the match.
func matchSeq(toks []token, i int, seq []string) (int, bool) {
	if len(seq) == 0 {
		return i, true
	}
	if seq[0] == gap {
		for g := 0; g <= maxGap; g++ {
			if end, ok := matchSeq(toks, i+g, seq[1:]); ok {
				return end, true
			}
			if i+g >= len(toks) || !toks[i+g].word {
				break
			}
		}
		return 0, false
	}
	if i >= len(toks) || !toks[i].word || toks[i].norm != seq[0] {
		return 0, false
	}
	return matchSeq(toks, i+1, seq[1:])
}
