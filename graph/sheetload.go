package graph

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/parley/parley/graph/sheet"
	"github.com/parley/parley/schema"
)

// SheetStatements compiles claim sheets read from file into the statements of the data
// model, each at the sheet's line of the element it comes from, so that validation
// points into the sheet. Names resolve against the store (IDs, labels and aliases, by
// ResolveEntity's rules) and against the entities the sheets declare:
//   - a name that matches one entity, in the store or declared, is that entity; a whole
//     name (an ID, a label or an alias) wins over the first words of a label;
//   - a name that matches several (a declared entity and another in the store, or
//     several in the store) is a problem listing the candidates;
//   - a name that matches nothing is a problem: a new entity must be declared, with a type;
//   - a declared entity whose name the store already has is a problem (use the name, or
//     give its id), unless the declaration's id (given, or made from its name) is that
//     entity's, as in an exported sheet or a sheet loaded again; its name must then be
//     the store's label and its type one of the store's, so that loading it adds
//     nothing but new aliases.
//
// A claim's ID is its id, else <source>#cN for the Nth claim of its sheet; a source's IRI
// is its id, else src- and its title's slug. With problems, SheetStatements returns a
// *schema.ValidationError and the statements it could compile, so that a caller can
// validate those too and report every problem at once.
//
// Sheets that replace the store's versions of their sources (opt.Replace) are compiled
// against the store as the replace leaves it: a replaced source may change its title,
// and an entity whose names go with the old version is no longer in the store, so a
// sheet that still names it declares it again.
func (s *Store) SheetStatements(ctx context.Context, file string, sheets []sheet.Sheet, opt SheetOptions) ([]schema.Statement, error) {
	if err := s.ready(); err != nil {
		return nil, err
	}
	c := &sheetCompiler{s: s, ctx: ctx, file: file, replace: opt.Replace, verr: &schema.ValidationError{},
		byID: map[string]*declared{}, byName: map[string][]*declared{}, names: map[string]resolution{},
		sources: map[quad.IRI]string{}, claims: map[quad.IRI]int{}}
	for _, sh := range sheets {
		for _, e := range sh.Entities {
			if err := c.declare(e); err != nil {
				return nil, err
			}
		}
	}
	for _, sh := range sheets {
		if err := c.sheet(sh); err != nil {
			return nil, err
		}
	}
	c.verr.Sort([]string{file})
	return c.stmts, c.verr.Err()
}

// SheetOptions tune SheetStatements.
type SheetOptions struct {
	Replace *Replacement // the sheets replace the store's versions of their sources (PlanReplace)
}

// declared is an entity a sheet declares.
type declared struct {
	sheet.Entity
	iri quad.IRI
}

// resolution is what a name resolved to.
type resolution struct {
	iri quad.IRI
	err string // a problem, when it did not resolve
}

type sheetCompiler struct {
	s       *Store
	ctx     context.Context
	file    string
	replace *Replacement // nil: not a replace
	verr    *schema.ValidationError
	stmts   []schema.Statement
	byID    map[string]*declared
	byName  map[string][]*declared // by lowercased name, alias and ID
	names   map[string]resolution
	sources map[quad.IRI]string // the sources written, by title
	claims  map[quad.IRI]int    // the claims written, by line
}

func (c *sheetCompiler) problem(line int, format string, args ...any) {
	c.verr.Add(0, schema.Problem{File: c.file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

func (c *sheetCompiler) emit(line int, qs ...quad.Quad) {
	for _, q := range qs {
		c.stmts = append(c.stmts, schema.Statement{Quad: q, File: c.file, Line: line})
	}
}

// storeNames are the names the store gives iri: its ID, labels, aliases and foreign names.
func (c *sheetCompiler) storeNames(iri quad.IRI) ([]string, error) {
	out := []string{string(iri)}
	for _, p := range namePredicates {
		vals, err := c.s.Objects(c.ctx, iri, p)
		if err != nil {
			return nil, err
		}
		for _, v := range vals {
			out = append(out, schema.Text(v))
		}
	}
	return out, nil
}

// inStore finds the store's entities a name means: those it names whole (an ID, a label
// or an alias), else those whose label starts with it; via tells how each matched.
func (c *sheetCompiler) inStore(name string) (whole, start []Candidate, err error) {
	iris := []quad.IRI{}
	iri, err := c.s.ResolveEntity(c.ctx, name)
	var nf *NotFoundError
	var amb *AmbiguousError
	switch {
	case err == nil:
		iris = append(iris, iri)
	case errors.As(err, &nf):
		return nil, nil, nil
	case errors.As(err, &amb):
		for _, cand := range amb.Candidates {
			iris = append(iris, quad.IRI(cand.ID))
		}
	default:
		return nil, nil, err
	}
	bare := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(name), "<"), ">")
	for _, iri := range iris {
		if c.replace.going(iri) {
			continue // gone with the old version of the source
		}
		names, err := c.storeNames(iri)
		if err != nil {
			return nil, nil, err
		}
		cand := Candidate{ID: string(iri), Label: c.s.Label(c.ctx, iri), Via: "first words"}
		for i, n := range names {
			if strings.EqualFold(n, name) || i == 0 && strings.EqualFold(n, bare) {
				cand.Via = "in the store"
				break
			}
		}
		if cand.Via == "first words" {
			start = append(start, cand)
		} else {
			whole = append(whole, cand)
		}
	}
	return whole, start, nil
}

// declare records a declared entity and emits its quads.
func (c *sheetCompiler) declare(e sheet.Entity) error {
	if strings.TrimSpace(e.Name) == "" || e.Type == "" {
		return nil // sheet.Parse reports it
	}
	id := e.ID
	if id == "" {
		if !strings.ContainsFunc(e.Name, func(r rune) bool {
			return r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
		}) {
			c.problem(e.Line, "entity %q needs an id: its name has no letter or digit to make one of", e.Name)
			return nil
		}
		id = slug(e.Name)
	}
	iri := quad.IRI(schema.Compact(id))
	if prev, ok := c.byID[string(iri)]; ok {
		if prev.Name != e.Name || prev.Type != e.Type {
			c.problem(e.Line, "entity %s is declared twice: as %q (%s, line %d) and as %q (%s)", iri, prev.Name, prev.Type, prev.Line, e.Name, e.Type)
		}
		return nil
	}
	// What the store already has of the name and of the id.
	whole, _, err := c.inStore(e.Name)
	if err != nil {
		return err
	}
	var others []string
	same := false
	for _, cand := range whole {
		if cand.ID == string(iri) {
			same = true
		} else {
			others = append(others, "<"+cand.ID+">")
		}
	}
	if len(others) > 0 && !same {
		c.problem(e.Line, "entity %q is already in the store as %s; use the name, or give its id", e.Name, strings.Join(others, ", "))
		return nil
	}
	exists, err := c.s.hasNode(iri)
	if err != nil {
		return err
	}
	exists = exists && !c.replace.going(iri)
	if exists {
		if err := c.agrees(e, iri, same); err != nil {
			return err
		}
	}
	d := &declared{Entity: e, iri: iri}
	c.byID[string(iri)] = d
	for _, n := range append([]string{e.Name, string(iri)}, e.Aliases...) {
		key := strings.ToLower(n)
		if !slices.Contains(c.byName[key], d) {
			c.byName[key] = append(c.byName[key], d)
		}
	}
	c.emit(e.Line,
		quad.Make(iri, quad.IRI(schema.PredType), quad.IRI(e.Type), nil),
		quad.Make(iri, quad.IRI(schema.PredLabel), quad.String(e.Name), nil))
	for _, a := range e.Aliases {
		c.emit(e.Line, quad.Make(iri, quad.IRI(schema.PredAlias), quad.String(a), nil))
	}
	return nil
}

// agrees checks a declaration of an entity the store has by its id: declared by its
// label and with one of its types, so that loading it adds no second label or type.
func (c *sheetCompiler) agrees(e sheet.Entity, iri quad.IRI, named bool) error {
	label := c.s.Label(c.ctx, iri)
	if !named {
		c.problem(e.Line, "%s is in the store as %q; declare it by that name, or give %q another id", iri, label, e.Name)
		return nil
	}
	if label != e.Name {
		c.problem(e.Line, "%s is labelled %q in the store; declare it by that name", iri, label)
	}
	types, err := storeKnown{ctx: c.ctx, s: c.s}.Types(iri)
	if err != nil {
		return err
	}
	if len(types) > 0 && !slices.Contains(types, e.Type) {
		c.problem(e.Line, "%s is a %s in the store, not a %s", iri, strings.Join(types, "/"), e.Type)
	}
	return nil
}

// resolve finds the entity a name of the sheet means; it reports a problem at line and
// returns "" when there is none or several.
func (c *sheetCompiler) resolve(name string, line int, role string) (quad.IRI, error) {
	r, ok := c.names[name]
	if !ok {
		var err error
		if r, err = c.resolveName(name); err != nil {
			return "", err
		}
		c.names[name] = r
	}
	if r.err != "" {
		c.problem(line, "%s: %s", role, r.err)
	}
	return r.iri, nil
}

func (c *sheetCompiler) resolveName(name string) (resolution, error) {
	var hits []Candidate
	trimmed := strings.TrimSpace(name)
	key := strings.ToLower(trimmed)
	if strings.HasPrefix(trimmed, "<") && strings.HasSuffix(trimmed, ">") {
		if d := c.byID[schema.Compact(trimmed[1:len(trimmed)-1])]; d != nil {
			hits = append(hits, Candidate{ID: string(d.iri), Label: d.Name, Via: fmt.Sprintf("declared at line %d", d.Line)})
		}
	} else {
		for _, d := range c.byName[key] {
			hits = append(hits, Candidate{ID: string(d.iri), Label: d.Name, Via: fmt.Sprintf("declared at line %d", d.Line)})
		}
	}
	whole, start, err := c.inStore(name)
	if err != nil {
		return resolution{}, err
	}
	for _, w := range whole {
		if !slices.ContainsFunc(hits, func(h Candidate) bool { return h.ID == w.ID }) {
			hits = append(hits, w)
		}
	}
	if len(hits) == 0 {
		hits = start
	}
	switch len(hits) {
	case 0:
		msg := fmt.Sprintf("no entity is named %q, in the store or among the sheet's entities; declare a new one under entities: with a type", name)
		if c.replace != nil {
			msg += " (an entity only the replaced version named goes with it, so it is declared again)"
		}
		return resolution{err: msg}, nil
	case 1:
		return resolution{iri: quad.IRI(hits[0].ID)}, nil
	}
	slices.SortFunc(hits, func(a, b Candidate) int { return strings.Compare(a.ID, b.ID) })
	var b strings.Builder
	fmt.Fprintf(&b, "%q is ambiguous; it may name", name)
	for i, h := range hits {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, " <%s> %q (%s)", h.ID, h.Label, h.Via)
	}
	fmt.Fprintf(&b, "; name one by its ID, e.g. <%s>", hits[0].ID)
	return resolution{err: b.String()}, nil
}

// sheet compiles one sheet's source, claims and facts.
func (c *sheetCompiler) sheet(sh sheet.Sheet) error {
	src := sourceSpec{ID: quad.IRI(schema.Compact(sh.Source.ID)), Title: sh.Source.Title, URL: sh.Source.URL}
	if sh.Source.ID == "" {
		src.ID = sourceIRI(sh.Source.Title)
	}
	if sh.Source.Published != "" {
		src.Published, _ = schema.ParseDate(sh.Source.Published) // checked by sheet.Parse
	}
	if err := c.source(src, sh.Source.Line); err != nil {
		return err
	}
	for i, cl := range sh.Claims {
		id := quad.IRI(schema.Compact(cl.ID))
		if cl.ID == "" {
			id = quad.IRI(fmt.Sprintf("%s#c%d", string(src.ID), i+1))
		}
		if prev, ok := c.claims[id]; ok {
			c.problem(cl.Line, "claim %s is given twice (line %d)", id, prev)
			continue
		}
		c.claims[id] = cl.Line
		if err := c.claim(cl, claimSpec{ID: id, Source: src.ID, Evidence: cl.Evidence, Modality: cl.Modality, Condition: cl.Condition}); err != nil {
			return err
		}
	}
	return nil
}

// source emits a source's quads once; a source the store has must have the same title.
func (c *sheetCompiler) source(src sourceSpec, line int) error {
	if title, ok := c.sources[src.ID]; ok {
		if title != src.Title {
			c.problem(line, "source %s is given twice, titled %q and %q", src.ID, title, src.Title)
		}
		return nil
	}
	c.sources[src.ID] = src.Title
	titles, err := c.s.Objects(c.ctx, src.ID, schema.PredTitle)
	if err != nil {
		return err
	}
	if len(titles) > 0 && !c.replace.replacing(src.ID) && !slices.ContainsFunc(titles, func(v quad.Value) bool { return schema.Text(v) == src.Title }) {
		c.problem(line, "source %s is in the store titled %q; give this source another id", src.ID, schema.Text(titles[0]))
	}
	c.emit(line, src.quads()...)
	return nil
}

func (c *sheetCompiler) claim(cl sheet.Claim, spec claimSpec) error {
	if cl.Speaker != "" {
		sp, err := c.resolve(cl.Speaker, cl.Line, "speaker")
		if err != nil {
			return err
		}
		if sp != "" {
			spec.Speaker = sp
		}
	}
	if cl.Date != "" {
		spec.Date, _ = schema.ParseDate(cl.Date) // checked by sheet.Parse
	}
	c.emit(cl.Line, spec.quads()...)
	for _, f := range cl.Facts {
		if f.Disabled {
			continue
		}
		if err := c.fact(f, spec.ID); err != nil {
			return err
		}
	}
	return nil
}

// fact emits one fact, labelled by its claim: a relation, or an event's date.
func (c *sheetCompiler) fact(f sheet.Fact, claim quad.IRI) error {
	pred, reverse, err := c.s.resolvePredicate(c.ctx, f.Predicate)
	var unknown *UnknownPredicateError
	switch {
	case errors.As(err, &unknown):
		c.problem(f.Line, "%s%s", err.Error(), c.quoteHint(f))
		return nil
	case err != nil:
		return err
	}
	def := c.s.vocab.Predicate(string(pred))
	if def != nil && def.Kind != schema.Relation && def.Name != schema.PredDate {
		c.problem(f.Line, "%s is not a fact of a claim: give it with its key (a claim's facts are relations, and an event's date)", pred)
		return nil
	}
	subj, obj := f.Subject, f.Object
	if reverse {
		subj, obj = obj, subj
	}
	s, err := c.resolve(subj, f.Line, "subject")
	if err != nil {
		return err
	}
	var o quad.Value
	switch {
	case def != nil && def.Name == schema.PredDate:
		if o, err = schema.ParseDate(obj); err != nil {
			c.problem(f.Line, "%v (ISO 8601: resolve a relative date against the source's publication date)", err)
		}
	case def != nil && def.Literal:
		o = quad.String(obj)
	default:
		iri, err := c.resolve(obj, f.Line, "object")
		if err != nil {
			return err
		}
		if iri != "" {
			o = iri
		}
	}
	if s == "" || o == nil {
		return nil
	}
	c.emit(f.Line, quad.Make(s, pred, o, claim))
	return nil
}

// quoteHint suggests quoting when a predicate ends with a reading: the subject's words
// were read as the predicate's.
func (c *sheetCompiler) quoteHint(f sheet.Fact) string {
	words := strings.Fields(f.Predicate)
	for i := 1; i < len(words); i++ {
		if _, _, ok := c.s.vocab.Resolve(strings.Join(words[i:], " ")); ok {
			fixed := sheet.Fact{Subject: f.Subject + " " + strings.Join(words[:i], " "), Predicate: strings.Join(words[i:], " "), Object: f.Object}
			return fmt.Sprintf("; quote a name with spaces: '%s'", fixed)
		}
	}
	return ""
}
