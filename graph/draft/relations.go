package draft

import (
	"regexp"
	"slices"
	"strings"

	"github.com/parley/parley/schema"
)

// relations proposes the facts of a sentence from its verb patterns; it returns the
// patterns a negation undid, as "cue pattern" strings.
func (d *drafter) relations(s *sentence) (props []proposal, negated []string) {
	var covered [][2]int // objects found so far: a pattern inside one is part of it
	for k, m := range s.matches {
		if slices.ContainsFunc(covered, func(c [2]int) bool { return m.start >= c[0] && m.end <= c[1] }) {
			continue
		}
		verbText := s.phrase(m.start, m.end)
		subjects, objSpan, how, ok := d.subjectsOf(s, k) // a negated verb's subject is still the sentence's
		if cue := s.negated(m.start); cue != "" {
			negated = append(negated, cue+" "+verbText)
			continue
		}
		if !ok {
			continue
		}
		pred := m.c.pat.Predicate
		rules := []string{describe("%s %q", m.c.pat.Form, verbText), how}
		conf := m.c.pat.Confidence
		clause := objSpan[0] < len(s.toks) && (m.c.pat.Clause && s.toks[objSpan[0]].norm == "that" || s.toks[objSpan[0]].norm == "to")
		quoted := s.toks[m.start].quoted
		cond := ""
		if objSpan[1] < 0 {
			// A noun's object, or a participle's ("With Ukraine backing the plan, …"), is short.
			short := m.c.pat.Form == schema.FormNoun || strings.HasSuffix(s.toks[m.start].norm, "ing") && !s.afterBe(m.start) && !m.c.pat.Clause
			objSpan[1], cond = s.objectEnd(objSpan[0], d.limit(s, k), clause, quoted, short)
		}
		if objSpan[0] >= objSpan[1] {
			if rs, re, ok := s.relativeObject(subjects[0]); ok {
				objSpan = [2]int{rs, re}
				rules = append(rules, "object before the relative clause")
				conf -= 0.05
			}
		}
		if dt, ok := findDate(s.toks, d.pub, false); ok && dt.end == objSpan[1] && dt.start > objSpan[0] {
			objSpan[1] = dt.start
		}
		if clause && pred == schema.PredAsserts && mustClause(s.phrase(objSpan[0], objSpan[1])) {
			pred = schema.PredInsistsOn
			rules = append(rules, "a “must” clause: insists on")
		}
		if !clause {
			covered = append(covered, objSpan)
		}
		for _, it := range s.splitItems(objSpan[0], objSpan[1], clause, quoted) {
			obj, ok := d.objectFor(s, pred, it)
			if !ok {
				continue
			}
			for _, subj := range subjects {
				p := proposal{pred: pred, subj: subj, obj: obj, conf: conf, rules: slices.Clone(rules),
					condition: cond, speech: m.c.speech, matchStart: m.start}
				d.adjust(s, &p)
				props = append(props, p)
			}
		}
	}
	return props, negated
}

// limit is where the object of match k must end: before a later verb of the same
// subject ("… and is demanding"), or before "to" and a later pattern ("… to discuss").
func (d *drafter) limit(s *sentence, k int) int {
	for _, n := range s.matches[k+1:] {
		if s.conjunct(n.start) {
			j := n.start - 1
			for j >= 0 && auxiliaries[s.toks[j].norm] {
				j--
			}
			if j > 0 && s.toks[j-1].text == "," {
				j--
			}
			return j
		}
		if n.start > 0 && s.toks[n.start-1].norm == "to" {
			return n.start - 1
		}
	}
	return len(s.toks)
}

var mustWords = regexp.MustCompile(`(?i)\b(must|should|has to|have to|needs to|need to)\b`)

func mustClause(s string) bool { return mustWords.MatchString(s) }

// subjectsOf finds the subjects of match k and where its object starts (and ends, for a
// passive, else -1), with the rule that found them.
func (d *drafter) subjectsOf(s *sentence, k int) ([]mention, [2]int, string, bool) {
	m := s.matches[k]
	quoted := s.toks[m.start].quoted
	switch {
	case m.c.pat.Form == schema.FormNoun:
		for _, x := range s.ms {
			if x.possessive && x.end+1 <= m.start && m.start <= x.end+3 && s.allWords(x.end+1, m.start) {
				if r, ok := s.resolve(x); ok && r.actor() {
					return []mention{r}, [2]int{m.end, -1}, "subject: the possessive before the noun", true
				}
			}
		}
		return nil, [2]int{}, "", false
	case s.passive(m):
		if !m.c.pat.Passive {
			return nil, [2]int{}, "", false
		}
		by := m.end
		if by >= len(s.toks) || s.toks[by].norm != "by" {
			return nil, [2]int{}, "", false
		}
		agent, ok := s.mentionAt(by + 1)
		if !ok || !agent.actor() {
			return nil, [2]int{}, "", false
		}
		be := m.start - 1
		for be > 0 && !beForms[s.toks[be].norm] {
			be--
		}
		start := be - 1
		for start > 0 && s.toks[start-1].word && !prepositions[s.toks[start-1].norm] && !clauseEnders[s.toks[start-1].norm] {
			start--
		}
		agent, _ = s.resolve(agent)
		return []mention{agent}, [2]int{start, be}, "passive: subject after “by”", true
	case m.c.pat.Form == schema.FormAdjective && !s.afterBe(m.start):
		return nil, [2]int{}, "", false
	}
	if s.conjunct(m.start) && s.first != nil {
		return *s.first, [2]int{m.end, -1}, "subject: the sentence's, before “and”/“but”", true
	}
	subj, ok := s.subjectBefore(m.start, quoted)
	if !ok {
		return nil, [2]int{}, "", false
	}
	if m.c.third && !s.nearVerb(subj.end, m.start) {
		return nil, [2]int{}, "", false // "sets tough demands": a noun
	}
	subjects := s.coordinated(subj)
	if s.first == nil {
		s.first = &subjects
	}
	how := "subject: the actor before the verb"
	switch {
	case subj.pronoun:
		how = "subject: " + subj.rule
	case subj.speaker:
		how = "subject: " + subj.rule
	case len(subjects) > 1:
		how = "subjects: the actors joined before the verb"
	}
	return subjects, [2]int{m.end, -1}, how, true
}

// nearVerb reports whether only adverbs, auxiliaries and commas stand between a subject
// ending at from and a verb at to: "Russia, however, insists".
func (s *sentence) nearVerb(from, to int) bool {
	for k := from; k < to; k++ {
		t := s.toks[k]
		if !auxiliaries[t.norm] && t.text != "," && !strings.HasSuffix(t.norm, "ly") && t.norm != "however" {
			return false
		}
	}
	return true
}

func (s *sentence) allWords(i, j int) bool {
	for k := i; k < j; k++ {
		if !s.toks[k].word {
			return false
		}
	}
	return true
}

// afterBe reports a form of be (remain, seem) before token i, past adverbs and "a".
func (s *sentence) afterBe(i int) bool {
	for j := i - 1; j >= max(0, i-3); j-- {
		if beForms[s.toks[j].norm] {
			return true
		}
		if !auxiliaries[s.toks[j].norm] && s.toks[j].norm != "a" {
			return false
		}
	}
	return false
}

// objectFor makes an item of an object span into an object the predicate admits.
func (d *drafter) objectFor(s *sentence, pred string, it [2]int) (object, bool) {
	obj, ok := s.objectOf(it[0], it[1])
	if !ok {
		return object{}, false
	}
	p := d.vocab.Predicate(pred)
	if p == nil || schema.Allows(p.Range, []string{obj.typ}) {
		return obj, true
	}
	// A phrase where the predicate wants an actor or a place: the first such it names.
	for _, x := range s.ms {
		if x.start >= it[0] && x.end <= it[1] && !x.possessive && schema.Allows(p.Range, []string{x.typ}) {
			if r, ok := s.resolve(x); ok {
				return object{mention: r}, true
			}
		}
	}
	if obj.phrase {
		for _, t := range []string{schema.TypeAsset, schema.TypeEvent, schema.TypePlace} {
			if schema.Allows(p.Range, []string{t}) {
				obj.typ = t
				return obj, true
			}
		}
	}
	return object{}, false
}

// adjust sets a proposal's confidence from how its parts were found.
func (d *drafter) adjust(s *sentence, p *proposal) {
	switch {
	case p.subj.pronoun, p.subj.speaker:
		p.conf -= 0.05
	case p.subj.entity < 0:
		p.conf -= 0.1
		p.rules = append(p.rules, "new subject")
	}
	if strings.HasPrefix(p.rules[1], "subject: the sentence's") {
		p.conf -= 0.05
	}
	switch {
	case !p.obj.phrase && p.obj.entity >= 0:
		p.conf += 0.1
		p.rules = append(p.rules, "object: a known entity")
	case p.obj.phrase:
		p.rules = append(p.rules, "object: a new position")
		if n := len(strings.Fields(p.obj.name)); n > 12 {
			p.conf -= 0.15
		} else if n == 1 && p.obj.typ == schema.TypePosition {
			p.conf -= 0.1
		}
	}
	if s.question && s.inQuestion(p.matchStart) {
		p.conf -= 0.2
		p.rules = append(p.rules, "in a question")
	}
	p.conf = min(max(p.conf, 0), 1)
}

// inQuestion reports whether token i is in a question: after "whether", or in a
// quotation ending with "?".
func (s *sentence) inQuestion(i int) bool {
	for j := i - 1; j >= 0; j-- {
		if s.toks[j].norm == "whether" {
			return true
		}
	}
	return s.toks[i].quoted && strings.Contains(s.Text[s.toks[i].start:], "?")
}
