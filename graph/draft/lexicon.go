package draft

import (
	"cmp"
	"slices"
	"strings"
	"unicode"

	"github.com/cayleygraph/quad"

	"github.com/parley/parley/schema"
)

// Entity is what a draft knows of an entity: its names, its type and, for a role, who
// holds it and whose it is.
type Entity struct {
	ID      string
	Label   string
	Type    string
	Aliases []string
	Holders []string // a Role's holders (holdsRole), by ID
	RoleOf  []string // the states or organizations a Role belongs to (roleOf), by ID
}

// Lexicon is the set of entities a draft finds in text by their names.
type Lexicon struct {
	entities []Entity
	byID     map[string]int
	names    map[string][]name // by first word
}

// name is one way to write an entity, as normalized words.
type name struct {
	words   []string
	entity  int
	proper  bool // written with a capital: the text's word must be capitalized too
	label   bool // the entity's label, not an alias
	surname bool // a person's last name, implied by the label
}

// NewLexicon indexes entities by their labels and aliases, and people also by their
// last name ("Grushko" for "Alexander Grushko"). A leading "the" of a proper name is
// optional in text ("the Kremlin", "Kremlin").
func NewLexicon(entities []Entity) *Lexicon {
	lx := &Lexicon{entities: entities, byID: map[string]int{}, names: map[string][]name{}}
	for i, e := range entities {
		lx.byID[e.ID] = i
		for j, n := range append([]string{e.Label}, e.Aliases...) {
			lx.add(n, i, j == 0, false)
		}
		if e.Type == schema.TypePerson {
			if w := strings.Fields(e.Label); len(w) > 1 {
				lx.add(w[len(w)-1], i, false, true)
			}
		}
	}
	for k := range lx.names {
		slices.SortStableFunc(lx.names[k], func(a, b name) int { return cmp.Compare(len(b.words), len(a.words)) })
	}
	return lx
}

func (lx *Lexicon) add(n string, entity int, label, surname bool) {
	ws := words(n)
	if len(ws) > 1 && ws[0] == "the" && hasUpper(n) {
		ws = ws[1:]
	}
	if len(ws) == 0 {
		return
	}
	proper := hasUpper(n)
	if t := lx.entities[entity].Type; (t == schema.TypePosition || t == schema.TypeEvent) && !hasUpper(n[1:]) {
		proper = false // a sentence-cased phrase: "Ironclad security guarantees"
	}
	lx.names[ws[0]] = append(lx.names[ws[0]], name{words: ws, entity: entity, proper: proper, label: label, surname: surname})
}

func hasUpper(s string) bool { return strings.IndexFunc(s, unicode.IsUpper) >= 0 }

// Entities returns the lexicon's entities.
func (lx *Lexicon) Entities() []Entity { return lx.entities }

// Entity returns the entity with the ID, or false.
func (lx *Lexicon) Entity(id string) (Entity, bool) {
	i, ok := lx.byID[id]
	if !ok {
		return Entity{}, false
	}
	return lx.entities[i], true
}

// LexiconFromQuads builds a lexicon from the quads that type and name entities (type,
// label, alias) and tie people to roles and roles to their owners (holdsRole, roleOf),
// as graph.Store.NameQuads returns them. Sources and claims are left out; so are the
// types in skip.
func LexiconFromQuads(quads []quad.Quad, skip ...string) *Lexicon {
	byID := map[string]*Entity{}
	var order []string
	get := func(v quad.Value) *Entity {
		id := idOf(v)
		e, ok := byID[id]
		if !ok {
			e = &Entity{ID: id}
			byID[id] = e
			order = append(order, id)
		}
		return e
	}
	for _, q := range quads {
		if idOf(q.Predicate) == schema.PredType {
			get(q.Subject).Type = idOf(q.Object)
		}
	}
	for _, q := range quads {
		switch idOf(q.Predicate) {
		case schema.PredLabel:
			get(q.Subject).Label = textOf(q.Object)
		case schema.PredAlias:
			e := get(q.Subject)
			e.Aliases = append(e.Aliases, textOf(q.Object))
		case schema.PredHoldsRole:
			role := get(q.Object)
			if p := idOf(q.Subject); !slices.Contains(role.Holders, p) {
				role.Holders = append(role.Holders, p)
			}
		case schema.PredRoleOf:
			role := get(q.Subject)
			if o := idOf(q.Object); !slices.Contains(role.RoleOf, o) {
				role.RoleOf = append(role.RoleOf, o)
			}
		}
	}
	var out []Entity
	for _, id := range order {
		e := byID[id]
		switch {
		case e.Label == "", e.Type == "", e.Type == schema.TypeSource, e.Type == schema.TypeClaim,
			slices.Contains(skip, e.Type):
			continue
		}
		out = append(out, *e)
	}
	return NewLexicon(out)
}

func idOf(v quad.Value) string {
	if iri, ok := v.(quad.IRI); ok {
		return string(iri)
	}
	return textOf(v)
}

func textOf(v quad.Value) string {
	switch x := v.(type) {
	case quad.String:
		return string(x)
	case quad.TypedString:
		return string(x.Value)
	case quad.LangString:
		return string(x.Value)
	case nil:
		return ""
	}
	return v.String()
}
