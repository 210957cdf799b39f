package schema

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/cayleygraph/quad"
)

// Statement is a quad with the place it was read from.
type Statement struct {
	Quad quad.Quad
	File string
	Line int
}

// Problem is one validation failure at a place in an input.
type Problem struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Msg  string `json:"problem"`
}

func (p Problem) String() string {
	switch {
	case p.File == "":
		return p.Msg
	case p.Line <= 0:
		return p.File + ": " + p.Msg
	}
	return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
}

// ValidationError lists every problem found (up to a cap) in the order of the input.
type ValidationError struct {
	Problems []Problem
	Omitted  int // problems past the cap
	// Stopped, when set, is where the reading gave up: past it, problems were not
	// counted (an input that is not statements at all is not read to its end).
	Stopped *Problem
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	n := len(e.Problems) + e.Omitted
	if e.Stopped != nil {
		b.WriteString("at least ")
	}
	fmt.Fprintf(&b, "%d problem", n)
	if n != 1 {
		b.WriteString("s")
	}
	b.WriteString(", nothing was written")
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	if e.Omitted > 0 {
		fmt.Fprintf(&b, "\n  ... and %d more", e.Omitted)
	}
	if e.Stopped != nil {
		b.WriteString("\n  ")
		b.WriteString(e.Stopped.String())
	}
	return b.String()
}

// Add records a problem, counting those past max instead of keeping them.
func (e *ValidationError) Add(max int, p Problem) {
	if max > 0 && len(e.Problems) >= max {
		e.Omitted++
		return
	}
	e.Problems = append(e.Problems, p)
}

// Sort orders the problems by file, in the order of files (files not listed last, in the
// order they first appear), then by line.
func (e *ValidationError) Sort(files []string) {
	order := map[string]int{}
	for _, f := range files {
		if _, ok := order[f]; !ok {
			order[f] = len(order)
		}
	}
	for _, p := range e.Problems {
		if _, ok := order[p.File]; !ok {
			order[p.File] = len(order)
		}
	}
	slices.SortStableFunc(e.Problems, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(order[a.File], order[b.File]), cmp.Compare(a.Line, b.Line))
	})
}

// Capped returns the first max problems of e (all when max is 0), counting the rest as omitted.
func (e *ValidationError) Capped(max int) *ValidationError {
	out := &ValidationError{Omitted: e.Omitted, Stopped: e.Stopped}
	for _, p := range e.Problems {
		out.Add(max, p)
	}
	return out
}

// Err returns e, or nil when it holds no problem.
func (e *ValidationError) Err() error {
	if len(e.Problems) == 0 && e.Omitted == 0 && e.Stopped == nil {
		return nil
	}
	return e
}

// Absorb adds the problems of err to e when err is a *ValidationError, and returns any
// other error: a reading that reports problems goes on, one that fails stops.
func (e *ValidationError) Absorb(err error) error {
	var verr *ValidationError
	if errors.As(err, &verr) {
		e.Merge(verr)
		return nil
	}
	return err
}

// Merge adds the problems of o to e (nil: none); e keeps the first place a reading
// stopped.
func (e *ValidationError) Merge(o *ValidationError) {
	if o == nil {
		return
	}
	e.Problems = append(e.Problems, o.Problems...)
	e.Omitted += o.Omitted
	if e.Stopped == nil {
		e.Stopped = o.Stopped
	}
}

// Known answers what a store already knows about entities outside the input.
type Known interface {
	// Types returns the types the store gives iri.
	Types(iri quad.Value) ([]string, error)
	// HasLabel reports whether the store gives iri a label.
	HasLabel(iri quad.Value) (bool, error)
	// HasProperty reports whether the store has a quad <iri> <pred> ?.
	HasProperty(iri quad.Value, pred string) (bool, error)
}

// ValidateOptions tune validation.
type ValidateOptions struct {
	// AllowUnknown admits foreign data: predicates and types outside the vocabulary and
	// entities without labels or types. Syntax and the vocabulary's own rules still hold.
	AllowUnknown bool
	// MaxProblems caps the problems kept; 0 keeps all.
	MaxProblems int
}

// DefaultMaxProblems is the cap on reported problems used by the commands.
const DefaultMaxProblems = 100

// place is where a statement was read: the file by its index among the checker's files.
type place struct {
	file uint32
	line uint32
}

// entityFacts is what the input says about one entity, kept small: a checker holds one
// per node of the input.
type entityFacts struct {
	types    []string
	label    bool
	source   bool  // a claim's <source>
	evidence bool  // a claim's <evidence>
	used     bool  // subject or object of a fact
	firstUse place // where it is first used
	defined  place // where it is first a subject
	seen     bool  // defined is set
	wanted   bool  // used by a statement of the vocabulary (under AllowUnknown)
}

// Checker validates a stream of statements in two passes with memory proportional to
// the entities, not the statements: Observe every statement, then (when NeedsTypes)
// ObserveTypes every statement, then Check every statement, then Finish.
type Checker struct {
	v        *Vocabulary
	known    Known
	opt      ValidateOptions
	facts    map[quad.Value]*entityFacts
	stored   map[quad.Value][]string // types the store gives entities the input does not type
	all      ValidationError
	files    []string
	fileIdx  map[string]uint32
	lastFile string
	lastIdx  uint32
	types    map[string]string // each type's name once, shared by the entities it types
	foreign  bool              // Observe skipped a foreign type (under AllowUnknown)
	wanted   int               // entities marked wanted
}

// NewChecker starts a validation against the vocabulary; known answers for entities the
// input uses but does not describe (nil: nothing is known).
func (v *Vocabulary) NewChecker(known Known, opt ValidateOptions) *Checker {
	return &Checker{v: v, known: known, opt: opt, facts: make(map[quad.Value]*entityFacts), stored: make(map[quad.Value][]string),
		fileIdx: map[string]uint32{}, types: map[string]string{}}
}

// SetKnown sets what answers for entities the input uses but does not describe: the
// first pass needs no store, the second does.
func (c *Checker) SetKnown(k Known) { c.known = k }

func (c *Checker) get(x quad.Value) *entityFacts {
	f := c.facts[x]
	if f == nil {
		f = &entityFacts{}
		c.facts[x] = f
	}
	return f
}

// Observe records what a statement says about its subject (first pass).
func (c *Checker) Observe(st Statement) {
	at := c.placeOf(st) // also lists the file, for the order of problems
	q := st.Quad
	p, _ := q.Predicate.(quad.IRI)
	if c.opt.AllowUnknown {
		// Foreign data needs no labels, so only what types and claims need is kept, and a
		// foreign type only for the entities a statement of the vocabulary uses, which
		// ObserveTypes collects: the checker's memory then grows with the input's parley
		// entities, not all of them.
		switch string(p) {
		case PredType:
			if t, ok := q.Object.(quad.IRI); ok && c.v.Type(string(t)) == nil {
				c.foreign = true
				return
			}
		case PredSource, PredEvidence:
		default:
			if !c.Local(st) {
				c.want(q.Subject)
				if IsNode(q.Object) {
					c.want(q.Object)
				}
				if q.Label != nil {
					c.want(q.Label)
				}
			}
			return
		}
	}
	f := c.get(q.Subject)
	if !f.seen {
		f.defined, f.seen = at, true
	}
	switch string(p) {
	case PredType:
		if t, ok := q.Object.(quad.IRI); ok {
			f.types = append(f.types, c.typeName(string(t)))
		}
	case PredLabel:
		f.label = true
	case PredSource:
		f.source = true
	case PredEvidence:
		f.evidence = true
	}
}

// want marks x as used by a statement of the vocabulary, whose check needs x's types.
func (c *Checker) want(x quad.Value) {
	if f := c.get(x); !f.wanted {
		f.wanted = true
		c.wanted++
	}
}

// NeedsTypes reports whether the checker, having observed every statement under
// AllowUnknown, must also be given them to ObserveTypes before Check: it skipped foreign
// types, and statements of the vocabulary use entities that may have them.
func (c *Checker) NeedsTypes() bool { return c.foreign && c.wanted > 0 }

// ObserveTypes records a foreign type that Observe skipped, when an entity a statement of
// the vocabulary uses has it (a further pass, when NeedsTypes).
func (c *Checker) ObserveTypes(st Statement) {
	q := st.Quad
	if p, _ := q.Predicate.(quad.IRI); string(p) != PredType {
		return
	}
	t, ok := q.Object.(quad.IRI)
	if !ok || c.v.Type(string(t)) != nil {
		return // kept by Observe
	}
	if f := c.facts[q.Subject]; f != nil && f.wanted {
		f.types = append(f.types, c.typeName(string(t)))
	}
}

func (c *Checker) typeName(t string) string {
	name, ok := c.types[t]
	if !ok {
		name = t
		c.types[name] = name
	}
	return name
}

// Local reports whether st can be checked on its own, with nothing else the input or the
// store says: a statement with a predicate outside the vocabulary, or a <type>. A load
// checks those as it first reads them, and reads its input a second time only for the
// others.
func (c *Checker) Local(st Statement) bool {
	piri, _ := st.Quad.Predicate.(quad.IRI)
	p := c.v.Predicate(string(piri))
	return p == nil || p.Name == PredType
}

// Check validates one statement (second pass). Its error is a failure to consult the
// store; problems with the statement are kept for Finish.
func (c *Checker) Check(st Statement) error {
	return c.v.checkStatement(st, c.typesOf, c.use, c.add, c.opt)
}

// Finish checks each entity (labels, claims' source and evidence) and returns every
// problem found, in input order and capped, as a *ValidationError, or nil.
func (c *Checker) Finish() error {
	if err := c.v.checkEntities(c.facts, c.known, c.statement, c.add, c.opt); err != nil {
		return err
	}
	c.all.Sort(c.files)
	return c.all.Capped(c.opt.MaxProblems).Err()
}

func (c *Checker) add(st Statement, format string, args ...any) {
	c.all.Add(0, Problem{File: st.File, Line: st.Line, Msg: fmt.Sprintf(format, args...)})
}

// use records where x is first used, for the label check; foreign data needs none.
func (c *Checker) use(x quad.Value, st Statement) {
	if c.opt.AllowUnknown {
		return
	}
	if f := c.get(x); !f.used {
		f.used, f.firstUse = true, c.placeOf(st)
	}
}

func (c *Checker) placeOf(st Statement) place {
	if st.File != c.lastFile || len(c.files) == 0 {
		idx, ok := c.fileIdx[st.File]
		if !ok {
			idx = uint32(len(c.files))
			c.fileIdx[st.File] = idx
			c.files = append(c.files, st.File)
		}
		c.lastFile, c.lastIdx = st.File, idx
	}
	return place{file: c.lastIdx, line: uint32(st.Line)}
}

func (c *Checker) statement(p place) Statement {
	return Statement{File: c.files[p.file], Line: int(p.line)}
}

func (c *Checker) typesOf(x quad.Value) ([]string, error) {
	if f := c.facts[x]; f != nil && len(f.types) > 0 {
		return f.types, nil
	}
	if c.known == nil {
		return nil, nil
	}
	if types, ok := c.stored[x]; ok {
		return types, nil
	}
	types, err := c.known.Types(x)
	if err == nil {
		c.stored[x] = types
	}
	return types, err
}

// Validate checks statements against the vocabulary, consulting known for entities the
// statements use but do not describe. It returns a *ValidationError listing every problem,
// or nil.
func (v *Vocabulary) Validate(stmts []Statement, known Known, opt ValidateOptions) error {
	c := v.NewChecker(known, opt)
	for _, st := range stmts {
		c.Observe(st)
	}
	if c.NeedsTypes() {
		for _, st := range stmts {
			c.ObserveTypes(st)
		}
	}
	for _, st := range stmts {
		if err := c.Check(st); err != nil {
			return err
		}
	}
	return c.Finish()
}

type addFunc func(st Statement, format string, args ...any)

func (v *Vocabulary) checkStatement(st Statement, typesOf func(quad.Value) ([]string, error), use func(quad.Value, Statement), add addFunc, opt ValidateOptions) error {
	q := st.Quad
	piri, _ := q.Predicate.(quad.IRI)
	p := v.Predicate(string(piri))
	if p == nil {
		if !opt.AllowUnknown {
			add(st, "unknown predicate %s (see 'parley schema'; --allow-unknown admits foreign data)", q.Predicate)
		}
		return nil
	}
	if p.Literal {
		if _, ok := q.Object.(quad.IRI); ok {
			add(st, "%s takes a literal, not the IRI %s", q.Predicate, q.Object)
		} else if _, ok := q.Object.(quad.BNode); ok {
			add(st, "%s takes a literal, not the blank node %s", q.Predicate, q.Object)
		}
	} else if !IsNode(q.Object) {
		add(st, "%s takes an entity, not the literal %s", q.Predicate, q.Object)
		return nil
	}
	if p.Name == PredType {
		t, _ := q.Object.(quad.IRI)
		if v.Type(string(t)) == nil && !opt.AllowUnknown {
			add(st, "unknown type %s (types: %s)", q.Object, strings.Join(v.typeNames(), ", "))
		}
		return nil
	}
	if IsDatePredicate(p.Name) && p.Literal {
		if err := CheckDate(q.Object); err != nil {
			add(st, "%v (ISO 8601: resolve a relative date against the source's publication date)", err)
		}
	}
	if p.Name == PredModality {
		if m := Text(q.Object); !slices.Contains(Modalities(), m) {
			add(st, "modality %q is not one of %s", m, strings.Join(Modalities(), ", "))
		}
	}
	if p.Kind == Relation {
		if q.Label == nil {
			add(st, "fact %s %s %s has no claim: give it a claim as the fourth term", q.Subject, q.Predicate, q.Object)
		} else if err := checkTyped(st, q.Label, "claim", []string{TypeClaim}, typesOf, add, false); err != nil {
			return err
		}
		use(q.Subject, st)
		if IsNode(q.Object) {
			use(q.Object, st)
		}
	} else if q.Label != nil {
		if err := checkTyped(st, q.Label, "claim", []string{TypeClaim}, typesOf, add, false); err != nil {
			return err
		}
	}
	if p.Kind == Provenance && IsNode(q.Object) {
		use(q.Object, st)
	}
	if err := checkTyped(st, q.Subject, "subject of "+q.Predicate.String(), p.Domain, typesOf, add, opt.AllowUnknown); err != nil {
		return err
	}
	if !p.Literal {
		return checkTyped(st, q.Object, "object of "+q.Predicate.String(), p.Range, typesOf, add, opt.AllowUnknown)
	}
	return nil
}

// checkTyped checks that x has one of the allowed types.
func checkTyped(st Statement, x quad.Value, role string, allowed []string, typesOf func(quad.Value) ([]string, error), add addFunc, allowUntyped bool) error {
	types, err := typesOf(x)
	if err != nil {
		return fmt.Errorf("look up the types of %s: %w", x, err)
	}
	if len(types) == 0 {
		if !allowUntyped {
			add(st, "%s has no type (%s); give it one with <type>", x, role)
		}
		return nil
	}
	if !Allows(allowed, types) {
		add(st, "%s is a %s, but the %s must be a %s", x, strings.Join(types, "/"), role, orList(allowed))
	}
	return nil
}

// checkEntities checks what must hold of each entity the input uses: a label for every
// entity but claims, and a source and evidence for every claim the input defines.
func (v *Vocabulary) checkEntities(facts map[quad.Value]*entityFacts, known Known, at func(place) Statement, add addFunc, opt ValidateOptions) error {
	keys := make([]quad.Value, 0, len(facts))
	for k := range facts {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b quad.Value) int { return cmp.Compare(a.String(), b.String()) })
	for _, x := range keys {
		f := facts[x]
		if slices.Contains(f.types, TypeClaim) {
			for _, n := range []struct {
				pred string
				has  bool
			}{{PredSource, f.source}, {PredEvidence, f.evidence}} {
				need := n.pred
				if n.has {
					continue
				}
				ok := false
				if known != nil {
					var err error
					if ok, err = known.HasProperty(x, need); err != nil {
						return fmt.Errorf("look up %s of %s: %w", need, x, err)
					}
				}
				if !ok {
					add(at(f.defined), "claim %s has no <%s>", x, need)
				}
			}
			continue
		}
		if !f.used || f.label || opt.AllowUnknown || !IsNode(x) {
			continue
		}
		ok := false
		if known != nil {
			var err error
			if ok, err = known.HasLabel(x); err != nil {
				return fmt.Errorf("look up the label of %s: %w", x, err)
			}
		}
		if !ok {
			add(at(f.firstUse), "%s has no label; give it one with <label>", x)
		}
	}
	return nil
}

func (v *Vocabulary) typeNames() []string {
	out := make([]string, len(v.types))
	for i, t := range v.types {
		out[i] = t.Name
	}
	return out
}

// orList joins names as "A, B or C".
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
