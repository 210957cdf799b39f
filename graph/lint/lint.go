// Package lint checks knowledge that the vocabulary admits but an analyst would not: the
// same thing under two entities, a name of several entities, entities no fact uses,
// positions named as facts, claims whose evidence does not bear them out, dates outside
// ISO 8601 and modalities against the modality rule. It reads quads with the places
// they were read from and says, for each finding, where it is and how to fix it.
package lint

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/parley/parley/schema"
)

// Severity says whether a finding blocks: errors always do, warnings under --strict.
type Severity string

// The severities.
const (
	Warning Severity = "warning"
	Error   Severity = "error"
)

// The rules, by the names findings carry.
const (
	RuleNearDuplicate        = "near-duplicate"          // two entities of one type whose names say they are one thing
	RuleAmbiguousName        = "ambiguous-name"          // a name of entities of different types
	RuleNoFacts              = "no-facts"                // an entity no fact uses
	RulePositionLabel        = "position-label"          // a Position named as an actor's stance
	RuleSpeakerNotInEvidence = "speaker-not-in-evidence" // a speaker the evidence does not mention
	RuleHeadingEvidence      = "heading-evidence"        // evidence that is a heading, not a sentence
	RuleEvidenceNotInSource  = "evidence-not-in-source"  // evidence not found in the source's attached text
	RuleDateFormat           = "date-format"             // a date outside ISO 8601
	RuleModalityCue          = "modality-cue"            // a modality the evidence's cue words contradict
)

// Rules lists the rules' names in the order they are documented.
func Rules() []string {
	return []string{RuleNearDuplicate, RuleAmbiguousName, RuleNoFacts, RulePositionLabel, RuleSpeakerNotInEvidence,
		RuleHeadingEvidence, RuleEvidenceNotInSource, RuleDateFormat, RuleModalityCue}
}

// Finding is one problem a rule found.
type Finding struct {
	File     string   `json:"file,omitempty"` // where it was read; empty for a store's quads
	Line     int      `json:"line,omitempty"`
	ID       string   `json:"id"` // the entity or claim it is about
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
	Fix      string   `json:"fix"`
}

// Location is FILE:LINE when the finding comes from a file, else the entity's or claim's ID.
func (f Finding) Location() string {
	switch {
	case f.File == "":
		return f.ID
	case f.Line <= 0:
		return f.File
	}
	return fmt.Sprintf("%s:%d", f.File, f.Line)
}

func (f Finding) String() string {
	return fmt.Sprintf("%s: %s: %s: %s (%s)", f.Location(), f.Severity, f.Rule, f.Message, f.Fix)
}

// Input is what Lint reads.
type Input struct {
	// Statements are the quads to check, each with the place it was read from (File
	// empty for a store's quads: findings then name the entity or claim).
	Statements []schema.Statement
	// Context is what is known beside them (a store's quads, when files are checked before
	// loading): it resolves names, speakers, roles and facts, but findings are only about
	// the entities and claims the Statements describe.
	Context []schema.Statement
	// Texts are the full texts of sources, by source ID. The data model keeps no text of a
	// source, so evidence is checked against a source's text only where one is given here.
	Texts map[string]string
	// Strict makes every warning an error.
	Strict bool
}

// Lint runs every rule over the input and returns the findings in input order: by file
// as the statements list them, then line, then ID and rule.
func Lint(in Input) []Finding {
	w := newWorld()
	for _, st := range in.Context {
		w.observe(st, false)
	}
	for _, st := range in.Statements {
		w.observe(st, true)
	}
	w.texts = in.Texts
	w.index()
	for _, rule := range []func(){w.nearDuplicates, w.noFacts, w.positionLabels, w.claimRules} {
		rule()
	}
	files := map[string]int{}
	for _, st := range in.Statements {
		if _, ok := files[st.File]; !ok {
			files[st.File] = len(files)
		}
	}
	out := w.findings
	for i := range out {
		if in.Strict {
			out[i].Severity = Error
		}
	}
	slices.SortStableFunc(out, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(files[a.File], files[b.File]), cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.ID, b.ID), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Message, b.Message))
	})
	return out
}

// Errors counts the findings of severity error.
func Errors(fs []Finding) int {
	n := 0
	for _, f := range fs {
		if f.Severity == Error {
			n++
		}
	}
	return n
}

// place is where a statement was read.
type place struct {
	file string
	line int
}

// name is a label or alias with where it was given.
type name struct {
	text  string
	at    place
	owned bool
}

// entity is what the quads say of a node other than a claim.
type entity struct {
	id      string
	types   []string
	labels  []name
	aliases []name
	facts   int
	owned   bool  // the statements (not the context) describe it
	at      place // its first owned statement
	roles   []string
	govern  []string // entities it is the government of, or governed by
}

// claim is what the quads say of a claim.
type claim struct {
	id         string
	owned      bool
	at         place
	evidence   string
	evidenceAt place
	modality   string
	modalityAt place
	speakers   []speaker
	sources    []string
	reports    bool // some fact of the claim reports (a predicate that is not background)
}

type speaker struct {
	id string
	at place
}

// world is everything the rules read, built in one pass over the quads.
type world struct {
	vocab    *schema.Vocabulary
	entities map[string]*entity
	claims   map[string]*claim
	titles   map[string][]string // source ID -> titles
	linked   map[[2]string]bool  // pairs of entities partOf or contradicts joins: distinct on purpose
	texts    map[string]string
	findings []Finding
	actorsBy map[string][]*entity // a normalized name -> the actors it names (Person, State, Organization)
}

func newWorld() *world {
	return &world{vocab: schema.Default(), entities: map[string]*entity{}, claims: map[string]*claim{},
		titles: map[string][]string{}, linked: map[[2]string]bool{}}
}

func (w *world) entity(id string) *entity {
	e := w.entities[id]
	if e == nil {
		e = &entity{id: id}
		w.entities[id] = e
	}
	return e
}

func (w *world) claim(id string) *claim {
	c := w.claims[id]
	if c == nil {
		c = &claim{id: id}
		w.claims[id] = c
	}
	return c
}

// observe records one statement; owned is true for the statements checked, false for
// their context.
func (w *world) observe(st schema.Statement, owned bool) {
	q := st.Quad
	at := place{st.File, st.Line}
	subj, pred := schema.ID(q.Subject), schema.ID(q.Predicate)
	if owned && schema.IsDatePredicate(pred) {
		if err := schema.CheckDate(q.Object); err != nil {
			w.report(at, subj, RuleDateFormat, Error, err.Error(),
				"write the date as YYYY, YYYY-MM or YYYY-MM-DD, resolving a relative date against the source's publication date")
		}
	}
	p := w.vocab.Predicate(pred)
	switch {
	case pred == schema.PredType && schema.ID(q.Object) == schema.TypeClaim:
		c := w.claim(subj)
		c.own(owned, at)
		return
	case p != nil && p.Kind == schema.Provenance:
		w.provenance(st, pred, owned)
		return
	}
	e := w.entity(subj)
	if owned && !e.owned {
		e.owned, e.at = true, at
	}
	switch pred {
	case schema.PredType:
		e.types = append(e.types, schema.ID(q.Object))
	case schema.PredLabel:
		e.labels = append(e.labels, name{schema.Text(q.Object), at, owned})
	case schema.PredAlias:
		e.aliases = append(e.aliases, name{schema.Text(q.Object), at, owned})
	default: // a fact: a relation of the vocabulary, or a foreign predicate
		e.facts++
		if q.Label != nil && (p == nil || !p.Background) {
			w.claim(schema.ID(q.Label)).reports = true
		}
		if !schema.IsNode(q.Object) {
			return
		}
		obj := schema.ID(q.Object)
		w.entity(obj).facts++
		switch pred {
		case schema.PredPartOf, schema.PredContradicts, schema.PredAbout:
			w.linked[pair(subj, obj)] = true
		}
		switch pred {
		case schema.PredHoldsRole:
			e.roles = append(e.roles, obj)
		case schema.PredGovernmentOf:
			e.govern = append(e.govern, obj)
			w.entity(obj).govern = append(w.entity(obj).govern, subj)
		}
	}
}

// provenance records a quad that describes a claim or a source.
func (w *world) provenance(st schema.Statement, pred string, owned bool) {
	q := st.Quad
	at := place{st.File, st.Line}
	subj := schema.ID(q.Subject)
	if pred == schema.PredTitle || pred == schema.PredPublished || pred == schema.PredURL {
		if pred == schema.PredTitle {
			w.titles[subj] = append(w.titles[subj], schema.Text(q.Object))
		}
		return
	}
	c := w.claim(subj)
	c.own(owned, at)
	switch pred {
	case schema.PredEvidence:
		c.evidence, c.evidenceAt = schema.Text(q.Object), at
	case schema.PredModality:
		c.modality, c.modalityAt = schema.Text(q.Object), at
	case schema.PredSpeaker:
		c.speakers = append(c.speakers, speaker{schema.ID(q.Object), at})
	case schema.PredSource:
		c.sources = append(c.sources, schema.ID(q.Object))
	}
}

func (c *claim) own(owned bool, at place) {
	if owned && !c.owned {
		c.owned, c.at = true, at
	}
}

func (w *world) report(at place, id, rule string, sev Severity, msg, fix string) {
	w.findings = append(w.findings, Finding{File: at.file, Line: at.line, ID: id, Rule: rule, Severity: sev, Message: msg, Fix: fix})
}

func (w *world) warn(at place, id, rule, msg, fix string) { w.report(at, id, rule, Warning, msg, fix) }

// isEntity reports whether e is a thing the naming rules check: typed, and not a claim or
// a source (which are named by their text).
func (e *entity) isEntity() bool {
	for _, t := range e.types {
		if t != schema.TypeClaim && t != schema.TypeSource {
			return true
		}
	}
	return false
}

func (e *entity) is(types ...string) bool {
	for _, t := range e.types {
		if slices.Contains(types, t) {
			return true
		}
	}
	return false
}

// label is the entity's first label, else its ID.
func (e *entity) label() string {
	if len(e.labels) > 0 {
		return e.labels[0].text
	}
	return e.id
}

// names are the entity's labels and aliases.
func (e *entity) names() []name { return append(append([]name(nil), e.labels...), e.aliases...) }

// noFacts reports the entities the statements describe that no fact uses.
func (w *world) noFacts() {
	for _, e := range w.sortedEntities() {
		if e.owned && e.isEntity() && e.facts == 0 {
			w.warn(e.at, e.id, RuleNoFacts, fmt.Sprintf("<%s> (%q) is in no fact", e.id, e.label()),
				"state what the source says of it, with a claim, or remove it")
		}
	}
}

func (w *world) sortedEntities() []*entity {
	out := make([]*entity, 0, len(w.entities))
	for _, e := range w.entities {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b *entity) int { return cmp.Compare(a.id, b.id) })
	return out
}

func pair(a, b string) [2]string {
	if a > b {
		a, b = b, a
	}
	return [2]string{a, b}
}
