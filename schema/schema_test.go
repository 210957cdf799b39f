package schema

import (
	"regexp"
	"strings"
	"testing"
)

func TestExpandCompact(t *testing.T) {
	for _, tc := range []struct {
		name  string
		short string
		full  string
	}{
		{"entity", "putin", Namespace + "putin"},
		{"type", "Person", Namespace + "Person"},
		{"relation", "insistsOn", Namespace + "insistsOn"},
		{"claim with fragment", "src-trump-putin-call#c20", Namespace + "src-trump-putin-call#c20"},
		{"path", "a/b", Namespace + "a/b"},
		{"rdf:type", PredType, RDFType},
		{"rdfs:label", PredLabel, RDFSLabel},
		{"skos:altLabel", PredAlias, SKOSAltLabel},
		{"absolute http", "http://example.org/x", "http://example.org/x"},
		{"absolute urn", "urn:isbn:0451450523", "urn:isbn:0451450523"},
		{"namespace itself", Namespace, Namespace},
		{"other w3id namespace", "https://w3id.org/other/putin", "https://w3id.org/other/putin"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Expand(tc.short); got != tc.full {
				t.Errorf("Expand(%q) = %q, want %q", tc.short, got, tc.full)
			}
			if got := Compact(tc.full); got != tc.short {
				t.Errorf("Compact(%q) = %q, want %q", tc.full, got, tc.short)
			}
		})
	}
}

func TestIsAbsolute(t *testing.T) {
	for _, tc := range []struct {
		iri  string
		want bool
	}{
		{"http://example.org/", true},
		{"https://w3id.org/parley/putin", true},
		{"urn:x", true},
		{"mailto:a@b", true},
		{"x:", true},
		{"a+b.c-d9:rest", true},
		{"putin", false},
		{"src-trump-putin-call#c20", false},
		{"", false},
		{":x", false},
		{"9p:x", false},
		{"-p:x", false},
		{"a/b:c", false},
		{"a b:c", false},
		{"#frag:x", false},
		{"/abs/path", false},
	} {
		if got := IsAbsolute(tc.iri); got != tc.want {
			t.Errorf("IsAbsolute(%q) = %v, want %v", tc.iri, got, tc.want)
		}
	}
}

// TestVocabularyNames checks that every name the vocabulary refers to is declared once.
func TestVocabularyNames(t *testing.T) {
	v := Default()
	types := map[string]bool{}
	for _, typ := range v.Types() {
		if types[typ.Name] {
			t.Errorf("type %s declared twice", typ.Name)
		}
		types[typ.Name] = true
		if typ.Doc == "" {
			t.Errorf("type %s has no doc", typ.Name)
		}
		if v.Type(typ.Name) == nil {
			t.Errorf("Type(%q) = nil", typ.Name)
		}
	}
	preds := map[string]bool{}
	for _, p := range v.Predicates() {
		if preds[p.Name] {
			t.Errorf("predicate %s declared twice", p.Name)
		}
		preds[p.Name] = true
		if v.Predicate(p.Name) == nil {
			t.Errorf("Predicate(%q) = nil", p.Name)
		}
		if p.Reading == "" || p.Inverse == "" || p.Doc == "" {
			t.Errorf("predicate %s lacks a reading, an inverse reading or a doc: %+v", p.Name, p)
		}
		for _, role := range []struct {
			name  string
			types []string
		}{{"domain", p.Domain}, {"range", p.Range}} {
			for _, typ := range role.types {
				if !types[typ] {
					t.Errorf("predicate %s: %s names undeclared type %q", p.Name, role.name, typ)
				}
			}
		}
		if p.Literal && len(p.Range) > 0 {
			t.Errorf("predicate %s takes a literal but has a range %v", p.Name, p.Range)
		}
		switch p.Kind {
		case Relation, Descriptive, Provenance:
		default:
			t.Errorf("predicate %s has unknown kind %q", p.Name, p.Kind)
		}
		switch p.Polarity {
		case Pro, Con, Neutral:
		default:
			t.Errorf("predicate %s has unknown polarity %q", p.Name, p.Polarity)
		}
	}
}

// TestEventCodes checks the PLOVER and CAMEO codes of the relations.
func TestEventCodes(t *testing.T) {
	plover := map[string]bool{}
	for _, c := range strings.Fields("AGREE CONSULT SUPPORT CONCEDE COOPERATE AID RETREAT INVESTIGATE REQUEST ACCUSE REJECT THREATEN PROTEST SANCTION MOBILIZE COERCE ASSAULT") {
		plover[c] = true
	}
	cameo := regexp.MustCompile(`^(0[1-9]|1[0-9]|20)$`)
	coded := 0
	for _, p := range Default().Predicates() {
		if p.Kind != Relation && (p.PLOVER != "" || p.CAMEO != "") {
			t.Errorf("%s is a %s predicate with event codes %q/%q", p.Name, p.Kind, p.PLOVER, p.CAMEO)
		}
		if p.PLOVER != "" {
			coded++
			if !plover[p.PLOVER] {
				t.Errorf("%s: PLOVER %q is not a PLOVER event type", p.Name, p.PLOVER)
			}
			if p.CAMEO == "" {
				t.Errorf("%s: PLOVER %q without a CAMEO code", p.Name, p.PLOVER)
			}
		}
		if p.CAMEO != "" && !cameo.MatchString(p.CAMEO) {
			t.Errorf("%s: CAMEO %q is not a root code 01-20", p.Name, p.CAMEO)
		}
		if (p.CAMEO == "") != (p.CAMEOName == "") {
			t.Errorf("%s: CAMEO code %q with name %q", p.Name, p.CAMEO, p.CAMEOName)
		}
	}
	if coded == 0 {
		t.Error("no predicate has a PLOVER code")
	}
}

// TestReadingsUnique checks that no name or reading resolves to two predicates, and that
// only a symmetric predicate reads the same both ways.
func TestReadingsUnique(t *testing.T) {
	owner := map[string]string{}
	for _, p := range Default().Predicates() {
		for _, r := range []string{p.Name, p.Reading, p.Inverse} {
			key := strings.ToLower(r)
			if prev, ok := owner[key]; ok && prev != p.Name {
				t.Errorf("reading %q belongs to both %s and %s", r, prev, p.Name)
			}
			owner[key] = p.Name
		}
		if strings.EqualFold(p.Reading, p.Inverse) && !p.Symmetric {
			t.Errorf("%s reads %q both ways but is not symmetric", p.Name, p.Reading)
		}
	}
}

func TestResolve(t *testing.T) {
	v := Default()
	for _, tc := range []struct {
		name    string
		want    string // "" when nothing resolves
		reverse bool
	}{
		{"demands", PredDemands, false},
		{"<demands>", PredDemands, false},
		{"DEMANDS", PredDemands, false},
		{"demanded by", PredDemands, true},
		{"Demanded By", PredDemands, true},
		{"insistsOn", PredInsistsOn, false},
		{"insistson", PredInsistsOn, false},
		{"insists on", PredInsistsOn, false},
		{"insisted on by", PredInsistsOn, true},
		{"  held by ", PredHoldsRole, true},
		{"clashes with", PredClashesWith, false},
		{"type", PredType, false},
		{"type of", PredType, true},
		{"label of", PredLabel, true},
		{"source", PredSource, false},
		{"nonsense", "", false},
		{"demand", "", false},
		{"", "", false},
	} {
		p, reverse, ok := v.Resolve(tc.name)
		switch {
		case tc.want == "" && ok:
			t.Errorf("Resolve(%q) = %s, want nothing", tc.name, p.Name)
		case tc.want == "":
		case !ok:
			t.Errorf("Resolve(%q) found nothing, want %s", tc.name, tc.want)
		case p.Name != tc.want || reverse != tc.reverse:
			t.Errorf("Resolve(%q) = %s reverse=%v, want %s reverse=%v", tc.name, p.Name, reverse, tc.want, tc.reverse)
		}
	}
}

func TestAllows(t *testing.T) {
	for _, tc := range []struct {
		list, types []string
		want        bool
	}{
		{nil, nil, true},
		{nil, []string{TypePerson}, true},
		{[]string{TypePerson}, []string{TypePerson}, true},
		{[]string{TypePerson, TypeState}, []string{TypeEvent, TypeState}, true},
		{[]string{TypePerson}, []string{TypeState}, false},
		{[]string{TypePerson}, nil, false},
	} {
		if got := Allows(tc.list, tc.types); got != tc.want {
			t.Errorf("Allows(%v, %v) = %v, want %v", tc.list, tc.types, got, tc.want)
		}
	}
}
