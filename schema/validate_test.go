package schema

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/parley/parley/graph/nquads"
)

// fakeKnown is a store that already describes a few entities.
type fakeKnown struct {
	types map[quad.Value][]string
	props map[quad.Value][]string // the predicates each entity has
}

func (k fakeKnown) Types(x quad.Value) ([]string, error) { return k.types[x], nil }

func (k fakeKnown) HasLabel(x quad.Value) (bool, error) { return k.HasProperty(x, PredLabel) }

func (k fakeKnown) HasProperty(x quad.Value, pred string) (bool, error) {
	for _, p := range k.props[x] {
		if p == pred {
			return true, nil
		}
	}
	return false, nil
}

// store knows <putin> (a Person), <deal> (a Position), <src> (a Source), all labelled, and
// the claim <c1> with its source and evidence.
var store = fakeKnown{
	types: map[quad.Value][]string{
		quad.IRI("putin"): {TypePerson},
		quad.IRI("deal"):  {TypePosition},
		quad.IRI("src"):   {TypeSource},
		quad.IRI("c1"):    {TypeClaim},
	},
	props: map[quad.Value][]string{
		quad.IRI("putin"): {PredType, PredLabel},
		quad.IRI("deal"):  {PredType, PredLabel},
		quad.IRI("src"):   {PredType, PredLabel, PredTitle},
		quad.IRI("c1"):    {PredType, PredSource, PredEvidence},
	},
}

// parse reads N-Quads lines as statements of file t.nq, numbered from 1.
func parse(t *testing.T, lines []string) []Statement {
	t.Helper()
	var out []Statement
	for i, line := range lines {
		q, ok, err := nquads.ParseLine(line, nquads.Options{})
		if err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if ok {
			out = append(out, Statement{Quad: q, File: "t.nq", Line: i + 1})
		}
	}
	return out
}

// problems returns the messages and omitted count of a Validate error.
func problems(t *testing.T, err error) ([]string, int) {
	t.Helper()
	if err == nil {
		return nil, 0
	}
	var verr *ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("Validate error is %T, not a *ValidationError: %v", err, err)
	}
	var out []string
	for _, p := range verr.Problems {
		out = append(out, p.String())
	}
	return out, verr.Omitted
}

const allTypes = "Person, State, Organization, Place, Asset, Position, Event, Role, Source, Claim"

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name    string
		lines   []string
		known   Known
		opt     ValidateOptions
		want    []string
		omitted int // problems past the cap
	}{
		{
			name: "self-contained input",
			lines: []string{
				`<putin> <type> <Person> .`,
				`<putin> <label> "Vladimir Putin" .`,
				`<deal> <type> <Position> .`,
				`<deal> <label> "a deal" .`,
				`<src> <type> <Source> .`,
				`<src> <label> "a source" .`,
				`<c1> <type> <Claim> .`,
				`<c1> <source> <src> .`,
				`<c1> <evidence> "Putin demands a deal." .`,
				`<c1> <modality> "attributed" .`,
				`<putin> <demands> <deal> <c1> .`,
			},
		},
		{
			name:  "fact about entities described only in the store",
			lines: []string{`<putin> <demands> <deal> <c1> .`},
			known: store,
		},
		{
			name:  "claim completed by the store",
			lines: []string{`<c1> <type> <Claim> .`, `<c1> <speaker> <putin> .`},
			known: store,
		},
		{
			name:  "fact about entities nobody describes",
			lines: []string{`<putin> <demands> <deal> <c1> .`},
			want: []string{
				"t.nq:1: <c1> has no type (claim); give it one with <type>",
				"t.nq:1: <putin> has no type (subject of <demands>); give it one with <type>",
				"t.nq:1: <deal> has no type (object of <demands>); give it one with <type>",
				"t.nq:1: <deal> has no label; give it one with <label>",
				"t.nq:1: <putin> has no label; give it one with <label>",
			},
		},
		{
			name:  "unknown predicate",
			lines: []string{`<putin> <likes> <deal> <c1> .`},
			known: store,
			want:  []string{"t.nq:1: unknown predicate <likes> (see 'parley schema'; --allow-unknown admits foreign data)"},
		},
		{
			name:  "unknown type",
			lines: []string{`<x> <label> "X" .`, `<x> <type> <Alien> .`},
			known: store,
			want:  []string{"t.nq:2: unknown type <Alien> (types: " + allTypes + ")"},
		},
		{
			name:  "domain violation",
			lines: []string{`<deal> <demands> <deal> <c1> .`},
			known: store,
			want:  []string{"t.nq:1: <deal> is a Position, but the subject of <demands> must be a Person, State or Organization"},
		},
		{
			name:  "range violation",
			lines: []string{`# comment`, `<putin> <demands> <putin> <c1> .`},
			known: store,
			want:  []string{"t.nq:2: <putin> is a Person, but the object of <demands> must be a Position, Event, Asset or Place"},
		},
		{
			name:  "literal where an entity is needed",
			lines: []string{`<putin> <demands> "peace" <c1> .`, `<putin> <type> "Person" .`},
			known: store,
			want: []string{
				`t.nq:1: <demands> takes an entity, not the literal "peace"`,
				`t.nq:2: <type> takes an entity, not the literal "Person"`,
			},
		},
		{
			name:  "entity where a literal is needed",
			lines: []string{`<putin> <label> <deal> .`, `<putin> <alias> _:b .`},
			known: store,
			want: []string{
				"t.nq:1: <label> takes a literal, not the IRI <deal>",
				"t.nq:2: <alias> takes a literal, not the blank node _:b",
			},
		},
		{
			name:  "fact without claim",
			lines: []string{`<putin> <demands> <deal> .`},
			known: store,
			want:  []string{"t.nq:1: fact <putin> <demands> <deal> has no claim: give it a claim as the fourth term"},
		},
		{
			name:  "claim label that is not a claim",
			lines: []string{`<putin> <demands> <deal> <src> .`},
			known: store,
			want:  []string{"t.nq:1: <src> is a Source, but the claim must be a Claim"},
		},
		{
			name: "claim without source and evidence",
			lines: []string{
				`<c2> <type> <Claim> .`,
				`<c2> <modality> "asserted" .`,
				`<putin> <demands> <deal> <c2> .`,
			},
			known: store,
			want: []string{
				"t.nq:1: claim <c2> has no <source>",
				"t.nq:1: claim <c2> has no <evidence>",
			},
		},
		{
			name:  "entity without label",
			lines: []string{`<x> <type> <Person> .`, `<x> <demands> <deal> <c1> .`},
			known: store,
			want:  []string{"t.nq:2: <x> has no label; give it one with <label>"},
		},
		{
			name:  "bad modality",
			lines: []string{`<c1> <modality> "maybe" .`},
			known: store,
			want:  []string{`t.nq:1: modality "maybe" is not one of asserted, attributed, hedged, planned, considered, refused, inferred`},
		},
		{
			name: "dates are ISO 8601, the rule add applies",
			lines: []string{
				`<c1> <date> "2025-03-18"^^<http://www.w3.org/2001/XMLSchema#date> .`,
				`<c1> <date> "2025-03" .`,
				`<c1> <date> "next week" .`,
				`<c1> <date> "2025-03"^^<http://www.w3.org/2001/XMLSchema#date> .`,
				`<src> <published> "2025-02-30" .`,
			},
			known: store,
			want: []string{
				`t.nq:3: date "next week" is not YYYY, YYYY-MM or YYYY-MM-DD (ISO 8601: resolve a relative date against the source's publication date)`,
				`t.nq:4: date "2025-03" is typed xsd:date, but its form is xsd:gYearMonth (ISO 8601: resolve a relative date against the source's publication date)`,
				`t.nq:5: date "2025-02-30" is not a day of the calendar (ISO 8601: resolve a relative date against the source's publication date)`,
			},
		},
		{
			name: "allow unknown admits foreign data",
			lines: []string{
				`<x> <http://xmlns.com/foaf/0.1/knows> <y> .`,
				`<x> <type> <http://xmlns.com/foaf/0.1/Person> .`,
				`<z> <type> <Person> .`,
				`<z> <demands> <deal> <c1> .`,
				`<w> <demands> <deal> <c1> .`,
			},
			known: store,
			opt:   ValidateOptions{AllowUnknown: true},
		},
		{
			name: "allow unknown keeps the vocabulary's rules",
			lines: []string{
				`<x> <type> <http://xmlns.com/foaf/0.1/Person> .`,
				`<x> <demands> <deal> <c1> .`,
				`<deal> <demands> <deal> <c1> .`,
				`<y> <demands> <deal> <c1> .`, // y's foreign type comes later
				`<y> <type> <http://xmlns.com/foaf/0.1/Agent> .`,
				`<v> <type> <http://xmlns.com/foaf/0.1/Agent> .`, // both kinds: allowed
				`<v> <type> <Person> .`,
				`<v> <demands> <deal> <c1> .`,
				`<c2> <type> <http://xmlns.com/foaf/0.1/Document> .`, // still a claim
				`<c2> <type> <Claim> .`,
				`<c2> <source> <src> .`,
			},
			known: store,
			opt:   ValidateOptions{AllowUnknown: true},
			want: []string{
				"t.nq:2: <x> is a http://xmlns.com/foaf/0.1/Person, but the subject of <demands> must be a Person, State or Organization",
				"t.nq:3: <deal> is a Position, but the subject of <demands> must be a Person, State or Organization",
				"t.nq:4: <y> is a http://xmlns.com/foaf/0.1/Agent, but the subject of <demands> must be a Person, State or Organization",
				"t.nq:10: claim <c2> has no <evidence>", // where it is first said of it in parley's terms
			},
		},
		{
			name: "cap on problems",
			lines: []string{
				`<putin> <p1> <deal> <c1> .`,
				`<putin> <p2> <deal> <c1> .`,
				`<putin> <p3> <deal> <c1> .`,
				`<putin> <p4> <deal> <c1> .`,
			},
			known: store,
			opt:   ValidateOptions{MaxProblems: 2},
			want: []string{
				"t.nq:1: unknown predicate <p1> (see 'parley schema'; --allow-unknown admits foreign data)",
				"t.nq:2: unknown predicate <p2> (see 'parley schema'; --allow-unknown admits foreign data)",
			},
			omitted: 2,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Default().Validate(parse(t, tc.lines), tc.known, tc.opt)
			got, omitted := problems(t, err)
			if !reflect.DeepEqual(got, tc.want) || omitted != tc.omitted {
				t.Errorf("problems:\n  %s\nomitted %d; want:\n  %s\nomitted %d",
					strings.Join(got, "\n  "), omitted, strings.Join(tc.want, "\n  "), tc.omitted)
			}
		})
	}
}

// TestValidateOrder checks the promise of ValidationError: problems come in input order,
// whether a statement or an entity has them, and a cap keeps the first ones.
func TestValidateOrder(t *testing.T) {
	stmts := parse(t, []string{
		`<x> <type> <Person> .`,
		`<x> <demands> <deal> <c1> .`, // <x> has no label: found when the input is done
		`<putin> <likes> <deal> <c1> .`,
	})
	for _, tc := range []struct {
		name      string
		max       int
		wantLines []int
	}{
		{"all", 0, []int{2, 3}},
		{"capped", 1, []int{2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Default().Validate(stmts, store, ValidateOptions{MaxProblems: tc.max})
			var verr *ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("Validate = %v, want a *ValidationError", err)
			}
			var lines []int
			for _, p := range verr.Problems {
				lines = append(lines, p.Line)
			}
			if !reflect.DeepEqual(lines, tc.wantLines) || verr.Omitted != 2-len(tc.wantLines) {
				t.Errorf("problems on lines %v, %d omitted; want lines %v, %d omitted\n%v",
					lines, verr.Omitted, tc.wantLines, 2-len(tc.wantLines), verr)
			}
		})
	}
}

// TestAbsorb: a validation error's problems join e's; any other error is returned.
func TestAbsorb(t *testing.T) {
	e := &ValidationError{}
	if err := e.Absorb(&ValidationError{Problems: []Problem{{File: "a", Line: 1, Msg: "x"}}, Omitted: 2}); err != nil {
		t.Fatalf("Absorb returned %v", err)
	}
	if err := e.Absorb(nil); err != nil {
		t.Fatalf("Absorb(nil) returned %v", err)
	}
	other := errors.New("disk full")
	if err := e.Absorb(fmt.Errorf("read: %w", other)); !errors.Is(err, other) {
		t.Fatalf("Absorb of another error returned %v", err)
	}
	if len(e.Problems) != 1 || e.Omitted != 2 {
		t.Errorf("absorbed %+v", e)
	}
}
