package lint

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/parley/parley/graph/internal/editdist"
	"github.com/parley/parley/schema"
)

// stopwords are left out when names are compared: "the war in Ukraine" and "war in
// Ukraine" are one name.
var stopwords = map[string]bool{"the": true, "a": true, "an": true, "of": true, "in": true, "on": true,
	"to": true, "for": true, "and": true, "from": true, "by": true, "with": true, "at": true}

// words splits a name into lowercase words: letters, digits and inner hyphens or
// apostrophes ("30-day", "trump's"), curly apostrophes made straight.
func words(s string) []string {
	s = strings.NewReplacer("’", "'", "‘", "'").Replace(strings.ToLower(s))
	return strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '\''
	})
}

// content are a name's words without stopwords, possessive "'s" and edge punctuation.
func content(s string) []string { return contentWords(s, false) }

// contentWords are a name's words without stopwords and edge punctuation, and without
// possessive "'s" unless possessive.
func contentWords(s string, possessive bool) []string {
	var out []string
	for _, w := range words(s) {
		if !possessive {
			w = strings.TrimSuffix(w, "'s")
		}
		w = strings.Trim(w, "-'")
		if w != "" && !stopwords[w] {
			out = append(out, w)
		}
	}
	return out
}

// key is a name as compared: its content words joined by spaces.
func key(s string) string { return strings.Join(content(s), " ") }

// index builds the lookups the rules share.
func (w *world) index() {
	w.actorsBy = map[string][]*entity{}
	for _, e := range w.sortedEntities() {
		if !e.is(schema.TypePerson, schema.TypeState, schema.TypeOrganization) {
			continue
		}
		for _, n := range e.ownNames() {
			w.actorsBy[n] = append(w.actorsBy[n], e)
		}
	}
}

// mentions are the keys by which a text may mention e: its labels and aliases, a
// person's surname (the last word of each label), and the names of the roles it holds
// and of the state it governs or that governs it.
func (e *entity) mentions(w *world) []string {
	out := e.ownNames()
	for _, id := range append(append([]string(nil), e.roles...), e.govern...) {
		if r := w.entities[id]; r != nil {
			for _, n := range r.names() {
				if k := key(n.text); k != "" && !slices.Contains(out, k) {
					out = append(out, k)
				}
			}
		}
	}
	return out
}

// ownNames are the keys of e's labels and aliases, and of a person's surname.
func (e *entity) ownNames() []string {
	var out []string
	add := func(k string) {
		if k != "" && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	for _, n := range e.names() {
		ws := content(n.text)
		add(strings.Join(ws, " "))
		if e.is(schema.TypePerson) && len(ws) > 1 {
			add(ws[len(ws)-1])
		}
	}
	return out
}

// contains reports whether the word sequence sub occurs in ws.
func contains(ws, sub []string) bool {
	if len(sub) == 0 || len(sub) > len(ws) {
		return false
	}
	for i := 0; i+len(sub) <= len(ws); i++ {
		if slices.Equal(ws[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

// maxBucket bounds the names compared through one shared word: a word most names share
// ("ukraine" in a large store) says nothing of duplicates, and would cost a comparison of
// every pair.
const maxBucket = 64

// similarity is the share of content words two names have in common (Jaccard) above
// which they are called similar.
const similarity = 0.75

// nearDuplicates reports pairs of entities of one type whose names say they may be one
// thing (near-duplicate), and names that entities of different types share
// (ambiguous-name). Pairs that partOf or contradicts joins are distinct on purpose and
// not reported; about is no such link ("X becomes part of the deal" is about X and may
// still be X).
func (w *world) nearDuplicates() {
	byKey := map[string][]named{}
	byWord := map[string][]named{}
	for _, e := range w.sortedEntities() {
		if !e.isEntity() {
			continue
		}
		for _, n := range e.names() {
			ws := content(n.text)
			if len(ws) == 0 {
				continue
			}
			nm := named{e, n, ws}
			k := strings.Join(ws, " ")
			if !slices.ContainsFunc(byKey[k], func(o named) bool { return o.e == e }) {
				byKey[k] = append(byKey[k], nm)
			}
			for _, word := range buckets(ws) {
				byWord[word] = append(byWord[word], nm)
			}
		}
	}
	seen := map[[2]string]bool{}
	w.sharedNames(byKey, seen)
	w.similarNames(byWord, seen)
}

// sharedNames reports names several entities share: near-duplicates within a type,
// ambiguous across types.
func (w *world) sharedNames(byKey map[string][]named, seen map[[2]string]bool) {
	for _, k := range sortedKeys(byKey) {
		list := byKey[k]
		if len(list) < 2 {
			continue
		}
		for i, a := range list {
			for _, b := range list[i+1:] {
				if sharesType(a.e, b.e) {
					w.pairFinding(seen, a.n, a.e, b.n, b.e, fmt.Sprintf("both are named %q", a.n.text))
				}
			}
		}
		if allOneType(list) || metonymy(list) {
			continue
		}
		var ids []string
		at, owner := name{}, ""
		for _, nm := range list {
			ids = append(ids, fmt.Sprintf("<%s> (%s)", nm.e.id, strings.Join(nm.e.types, "/")))
			if nm.n.owned && (owner == "" || nm.n.at.file == at.at.file && nm.n.at.line < at.at.line) {
				at, owner = nm.n, nm.e.id
			}
		}
		if owner == "" {
			continue
		}
		w.warn(at.at, owner, RuleAmbiguousName, fmt.Sprintf("the name %q belongs to %s", at.text, strings.Join(ids, ", ")),
			"keep each name for one entity: give the others a name of their own, so that the name resolves to one thing")
	}
}

// similarNames reports pairs of one type with similar names, or one name inside the
// other, comparing the names that share a bucket (a word or its first letters).
func (w *world) similarNames(byWord map[string][]named, seen map[[2]string]bool) {
	for _, word := range sortedKeys(byWord) {
		list := byWord[word]
		if len(list) < 2 || len(list) > maxBucket {
			continue
		}
		for i, a := range list {
			for _, b := range list[i+1:] {
				if a.e == b.e || !sharesType(a.e, b.e) || w.linked[pair(a.e.id, b.e.id)] {
					continue
				}
				short, long := a, b
				if len(short.ws) > len(long.ws) {
					short, long = long, short
				}
				// A one-word name inside another is a duplicate only as a person's surname.
				inside := (len(short.ws) > 1 || a.e.is(schema.TypePerson) && b.e.is(schema.TypePerson)) && contains(long.ws, short.ws)
				switch {
				case inside && len(short.ws) < len(long.ws):
					w.pairFinding(seen, short.n, short.e, long.n, long.e, fmt.Sprintf("%q is part of %q", short.n.text, long.n.text))
				case similar(a.ws, b.ws):
					w.pairFinding(seen, a.n, a.e, b.n, b.e, fmt.Sprintf("%q and %q are similar", a.n.text, b.n.text))
				}
			}
		}
	}
}

// pairFinding reports a near-duplicate pair once, at the place of a name the statements give.
func (w *world) pairFinding(seen map[[2]string]bool, an name, a *entity, bn name, b *entity, why string) {
	k := pair(a.id, b.id)
	if seen[k] || w.linked[k] || !an.owned && !bn.owned {
		return
	}
	seen[k] = true
	at, id := bn, b.id
	if !bn.owned || an.owned && (an.at.file == bn.at.file && an.at.line > bn.at.line) {
		at, id = an, a.id
	}
	first, second := a, b
	if id == a.id {
		first, second = b, a
	}
	w.warn(at.at, id, RuleNearDuplicate,
		fmt.Sprintf("<%s> and <%s> may be one %s: %s", first.id, second.id, commonType(a, b), why),
		fmt.Sprintf("if they are one thing, keep <%s> and move the other's facts and names to it; if one is part of or about the other, state it (partOf, about); else rename one", first.id))
}

func sharesType(a, b *entity) bool {
	for _, t := range a.types {
		if t != schema.TypeClaim && t != schema.TypeSource && slices.Contains(b.types, t) {
			return true
		}
	}
	return false
}

func commonType(a, b *entity) string {
	for _, t := range a.types {
		if slices.Contains(b.types, t) {
			return t
		}
	}
	return "thing"
}

// named is one name of an entity, with its content words.
type named struct {
	e  *entity
	n  name
	ws []string
}

// metonymy reports a place's name that is also another name of organisations or states:
// news writing's capital for its government ("Moscow expressed cautious optimism"). Such a
// name is written on purpose, and questions that use it ask which entity is meant.
func metonymy(list []named) bool {
	places := 0
	for _, x := range list {
		switch {
		case x.e.is(schema.TypePlace) && slices.Contains(x.e.labels, x.n):
			places++
		case x.e.is(schema.TypeOrganization, schema.TypeState) && slices.Contains(x.e.aliases, x.n):
		default:
			return false
		}
	}
	return places == 1
}

func allOneType(list []named) bool {
	for _, x := range list[1:] {
		if !sharesType(list[0].e, x.e) {
			return false
		}
	}
	return true
}

// buckets are the keys under which a name is compared with others: its words, and the
// first four letters of each (so that "Zelensky" meets "Zelenskyy").
func buckets(ws []string) []string {
	var out []string
	for _, w := range ws {
		out = append(out, w)
		if r := []rune(w); len(r) > 4 {
			out = append(out, string(r[:4])+"…")
		}
	}
	return uniq(out)
}

// similar reports whether two different names are alike: most of their words shared
// (Jaccard at least similarity), or their texts a few edits apart (Levenshtein distance
// at most 15% of the longer, names of at least six letters).
func similar(a, b []string) bool {
	ka, kb := strings.Join(a, " "), strings.Join(b, " ")
	if ka == kb {
		return false
	}
	if jaccard(a, b) >= similarity {
		return true
	}
	ra, rb := []rune(ka), []rune(kb)
	longer := max(len(ra), len(rb))
	if min(len(ra), len(rb)) < 6 || float64(abs(len(ra)-len(rb))) > 0.15*float64(longer) {
		return false
	}
	limit := int(0.15 * float64(longer))
	return editdist.Distance(ka, kb, limit) <= limit
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func jaccard(a, b []string) float64 {
	ua, ub := uniq(a), uniq(b)
	common := 0
	for _, x := range ua {
		if slices.Contains(ub, x) {
			common++
		}
	}
	return float64(common) / float64(len(ua)+len(ub)-common)
}

func uniq(ws []string) []string {
	out := slices.Clone(ws)
	slices.Sort(out)
	return slices.Compact(out)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.SortFunc(out, cmp.Compare[string])
	return out
}

// stanceVerb is a form of a stance predicate's reading, in content words.
type stanceVerb struct {
	words []string
	pred  string
}

// stanceVerbs are the words that, after an actor's name, make a label state the actor's
// stance: the forward readings of the vocabulary's predicates toward positions, in their
// plain, third-person and past forms ("support", "supports", "supported", "insists on").
func (w *world) stanceVerbs() []stanceVerb {
	var out []stanceVerb
	for _, p := range w.vocab.Predicates() {
		if p.Kind != schema.Relation || !slices.Contains(p.Range, schema.TypePosition) {
			continue
		}
		r := content(p.Reading)
		first, rest := r[0], r[1:]
		forms := []string{first}
		if first == "is" {
			forms = append(forms, "was", "are", "were")
		} else if stem, ok := strings.CutSuffix(first, "s"); ok {
			forms = append(forms, stem, stem+"ed", stem+"d")
			if s, ok := strings.CutSuffix(stem, "ie"); ok { // denies: deny
				forms = append(forms, s+"y")
			}
		}
		for _, f := range forms {
			out = append(out, stanceVerb{append([]string{f}, rest...), p.Name})
		}
	}
	return out
}

// positionLabels reports Positions whose label states an actor's stance ("Putin supports
// the 30-day ceasefire"): a stance is a fact of the graph, the actor its subject; a
// position is what the stance is toward. The label must start with an actor's name (a
// label, alias or surname of a Person, State or Organization) followed by a reading of a
// predicate toward positions. A position about an actor's own act ("Ukraine renounces
// NATO ambitions", what a demand asks) has no such reading and is not reported.
func (w *world) positionLabels() {
	verbs := w.stanceVerbs()
	for _, e := range w.sortedEntities() {
		if !e.owned || !e.is(schema.TypePosition) {
			continue
		}
		for _, l := range e.labels {
			if !l.owned {
				continue
			}
			ws := contentWords(l.text, true) // "Russia's demands" is no stance of Russia
			for _, actorKey := range sortedKeys(w.actorsBy) {
				aw := strings.Fields(actorKey)
				if len(ws) <= len(aw) || !slices.Equal(ws[:len(aw)], aw) {
					continue
				}
				v, ok := startsWithVerb(ws[len(aw):], verbs)
				if !ok {
					continue
				}
				actor := w.actorsBy[actorKey][0]
				what := strings.Join(ws[len(aw)+len(v.words):], " ")
				w.warn(l.at, e.id, RulePositionLabel,
					fmt.Sprintf("the Position's label %q states a stance of <%s>, not a position", l.text, actor.id),
					fmt.Sprintf("name the position for its content (%q) and state the stance as a fact with its claim: <%s> <%s> <%s>", what, actor.id, v.pred, e.id))
				break
			}
		}
	}
}

func startsWithVerb(ws []string, verbs []stanceVerb) (stanceVerb, bool) {
	for _, v := range verbs {
		if len(ws) > len(v.words) && slices.Equal(ws[:len(v.words)], v.words) {
			return v, true
		}
	}
	return stanceVerb{}, false
}
