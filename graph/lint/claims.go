package lint

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/parley/parley/schema"
)

// claimRules checks each claim the statements describe against its evidence.
func (w *world) claimRules() {
	claims := make([]*claim, 0, len(w.claims))
	for _, c := range w.claims {
		if c.owned {
			claims = append(claims, c)
		}
	}
	slices.SortFunc(claims, func(a, b *claim) int { return cmp.Compare(a.id, b.id) })
	for _, c := range claims {
		if c.evidence == "" {
			continue // the validator requires evidence
		}
		w.speakerInEvidence(c)
		w.headingEvidence(c)
		w.evidenceInSource(c)
		w.modalityCue(c)
	}
}

// speakerInEvidence reports a speaker the evidence does not mention by any of its
// mentions (label, alias, surname, a role it holds, the state it governs or that governs
// it): a claim from the article's voice has no speaker there. A sentence that is wholly a
// quotation, or whose clause speaks through a pronoun ("He stressed …": its antecedent is in
// the sentence before), names its speaker elsewhere and is not checked.
func (w *world) speakerInEvidence(c *claim) {
	if schema.IsQuotation(c.evidence) || hasPronoun(c.evidence) {
		return
	}
	ev := content(c.evidence)
	for _, sp := range c.speakers {
		e := w.entities[sp.id]
		if e == nil {
			continue // the validator reports an unknown speaker
		}
		mentioned := false
		for _, m := range e.mentions(w) {
			if contains(ev, strings.Fields(m)) {
				mentioned = true
				break
			}
		}
		if !mentioned {
			w.warn(sp.at, c.id, RuleSpeakerNotInEvidence,
				fmt.Sprintf("the speaker <%s> (%q) is not mentioned in the evidence %q", e.id, e.label(), clip(c.evidence)),
				"quote the sentence that names the speaker; a reporter's own words or inference have no speaker (or the source as speaker)")
		}
	}
}

// pronouns stand for a speaker named in the sentence before.
var pronouns = []string{"he", "she", "they"}

// hasPronoun reports whether a clause of evidence speaks through a personal pronoun: it
// has one, and a verb of speech (an attributed cue of the modality rule), as in "He
// stressed the importance of …". A pronoun that only does or is something ("He did not
// specify details but likely referred to …") speaks for nobody.
func hasPronoun(evidence string) bool {
	for _, clause := range schema.Clauses(evidence) {
		if mods, _ := schema.ClauseModalities(clause); !slices.Contains(mods, schema.ModalityAttributed) {
			continue
		}
		for _, f := range strings.FieldsFunc(strings.ToLower(clause), func(r rune) bool { return !unicode.IsLetter(r) }) {
			if slices.Contains(pronouns, f) {
				return true
			}
		}
	}
	return false
}

// closers may follow a sentence's final punctuation: quotes and brackets.
const closers = `"'”’»)]`

// isHeading reports whether evidence is a heading rather than a sentence, and why. The
// rule is typographic, since a verb cannot be told without a parser: a sentence ends
// with a full stop, a question or exclamation mark or an ellipsis (closing quotes and
// brackets may follow), and a headline, by the convention of news writing, ends with
// none. Evidence that is a source's title is a heading too, whatever it ends with.
func (w *world) isHeading(c *claim) (bool, string) {
	for _, src := range c.sources {
		for _, t := range w.titles[src] {
			if strings.EqualFold(strings.TrimSpace(t), strings.TrimSpace(c.evidence)) {
				return true, "it is the title of <" + src + ">"
			}
		}
	}
	s := strings.TrimRight(strings.TrimSpace(c.evidence), closers)
	if s == "" {
		return false, ""
	}
	if !strings.ContainsAny(s[len(s)-1:], ".!?") && !strings.HasSuffix(s, "…") {
		return true, "it does not end as a sentence does (. ! ? …)"
	}
	return false, ""
}

func (w *world) headingEvidence(c *claim) {
	if ok, why := w.isHeading(c); ok {
		w.warn(c.evidenceAt, c.id, RuleHeadingEvidence,
			fmt.Sprintf("the evidence %q is a heading, not a sentence: %s", clip(c.evidence), why),
			"rest the claim on the sentence of the body that states it; a heading states nothing on its own")
	}
}

// evidenceInSource reports evidence that is not in the text of its source, where that
// text is attached (Input.Texts): compared with spaces collapsed and quotes made straight.
func (w *world) evidenceInSource(c *claim) {
	for _, src := range c.sources {
		t, ok := w.texts[src]
		if !ok {
			continue
		}
		if !strings.Contains(flat(t), flat(c.evidence)) {
			w.warn(c.evidenceAt, c.id, RuleEvidenceNotInSource,
				fmt.Sprintf("the evidence %q is not in the text of <%s>", clip(c.evidence), src),
				"quote the source verbatim: copy the sentence from its text")
		}
	}
}

// flat is text as evidence is compared: straight quotes and single spaces, lowercase.
func flat(s string) string {
	s = strings.NewReplacer("’", "'", "‘", "'", "“", `"`, "”", `"`, "—", "-", "–", "-").Replace(s)
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// modalityCue reports a modality the modality rule does not give the evidence: a claim
// takes the modality of one of its evidence's clauses (schema.ClauseModalities), the
// modality of its cue words or, without a cue, asserted. An inferred claim is the coder's
// own reading and contradicts no cue; a claim whose facts are all background (roles,
// places, parts: schema.Predicate.Background) is the reporter's description, asserted in
// any sentence.
func (w *world) modalityCue(c *claim) {
	if c.modality == "" || c.modality == schema.ModalityInferred {
		return
	}
	if !c.reports && c.modality == schema.ModalityAsserted {
		return
	}
	allowed, cues := schema.ClauseModalities(c.evidence)
	if slices.Contains(allowed, c.modality) {
		return
	}
	var gives []string
	for i, m := range allowed {
		if cues[i] == "" {
			gives = append(gives, m+" (no cue word)")
		} else {
			gives = append(gives, fmt.Sprintf("%s (%q)", m, cues[i]))
		}
	}
	w.warn(c.modalityAt, c.id, RuleModalityCue,
		fmt.Sprintf("modality %q, but the evidence gives %s", c.modality, strings.Join(gives, " or ")),
		fmt.Sprintf("make it %s as the modality rule says (parley schema), or quote the sentence that bears the modality out; inferred marks the coder's own reading", orList(allowed)))
}

func orList(ms []string) string {
	q := make([]string, len(ms))
	for i, m := range ms {
		q[i] = fmt.Sprintf("%q", m)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// clip shortens a quoted text for a message.
func clip(s string) string {
	const max = 80
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	return string(r[:max-1]) + "…"
}
