package graph_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/graph/sheet"
	"github.com/parley/parley/schema"
)

func compile(t *testing.T, s *graph.Store, text string) ([]schema.Statement, error) {
	t.Helper()
	sheets, err := sheet.Parse("s.yaml", strings.NewReader(text))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return s.SheetStatements(context.Background(), "s.yaml", sheets, graph.SheetOptions{})
}

func nquads(stmts []schema.Statement) []string {
	var out []string
	for _, st := range stmts {
		out = append(out, st.Quad.NQuad())
	}
	return out
}

// TestSheetQuads: a sheet compiles to the quads of the data model, each at its line.
func TestSheetQuads(t *testing.T) {
	s := seeded(t)
	stmts, err := compile(t, s, `source:
  title: Example wire, 19 March 2025
  published: 2025-03-19
  url: https://example.org/wire
entities:
  - name: Any deal that rewards aggression
    type: Position
claims:
  - evidence: Kallas said the EU rejects any deal that rewards aggression.
    speaker: Kallas
    modality: attributed
    date: 2025-03-19
    condition: until the war ends
    facts:
      - Kallas rejects "Any deal that rewards aggression"
      - "Any deal that rewards aggression" opposed by "European Union"
      # - Kallas demands NATO
  - id: src-example-wire#talks
    evidence: The call is on Tuesday.
    facts:
      - "Trump-Putin call" date 2025-03-18
`)
	if err != nil {
		t.Fatal(err)
	}
	got := nquads(stmts)
	wantAll := []string{
		`<any-deal-that-rewards-aggression> <type> <Position> .`,
		`<any-deal-that-rewards-aggression> <label> "Any deal that rewards aggression" .`,
		`<src-example-wire-19-march-2025> <type> <Source> .`,
		`<src-example-wire-19-march-2025> <label> "Example wire, 19 March 2025" .`,
		`<src-example-wire-19-march-2025> <title> "Example wire, 19 March 2025" .`,
		`<src-example-wire-19-march-2025> <published> "2025-03-19"^^<http://www.w3.org/2001/XMLSchema#date> .`,
		`<src-example-wire-19-march-2025> <url> "https://example.org/wire" .`,
		`<src-example-wire-19-march-2025#c1> <type> <Claim> .`,
		`<src-example-wire-19-march-2025#c1> <source> <src-example-wire-19-march-2025> .`,
		`<src-example-wire-19-march-2025#c1> <evidence> "Kallas said the EU rejects any deal that rewards aggression." .`,
		`<src-example-wire-19-march-2025#c1> <modality> "attributed" .`,
		`<src-example-wire-19-march-2025#c1> <speaker> <kallas> .`,
		`<src-example-wire-19-march-2025#c1> <date> "2025-03-19"^^<http://www.w3.org/2001/XMLSchema#date> .`,
		`<src-example-wire-19-march-2025#c1> <condition> "until the war ends" .`,
		`<kallas> <rejects> <any-deal-that-rewards-aggression> <src-example-wire-19-march-2025#c1> .`,
		`<eu> <opposes> <any-deal-that-rewards-aggression> <src-example-wire-19-march-2025#c1> .`,
		`<src-example-wire#talks> <type> <Claim> .`,
		`<src-example-wire#talks> <source> <src-example-wire-19-march-2025> .`,
		`<src-example-wire#talks> <evidence> "The call is on Tuesday." .`,
		`<src-example-wire#talks> <modality> "asserted" .`,
		`<trump-putin-call> <date> "2025-03-18"^^<http://www.w3.org/2001/XMLSchema#date> <src-example-wire#talks> .`,
	}
	if !slices.Equal(got, wantAll) {
		t.Errorf("quads:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantAll, "\n"))
	}
	lines := map[string]int{}
	for _, st := range stmts {
		lines[st.Quad.NQuad()] = st.Line
		if st.File != "s.yaml" {
			t.Errorf("%s: file %q", st.Quad, st.File)
		}
	}
	for q, line := range map[string]int{wantAll[0]: 6, wantAll[2]: 1, wantAll[7]: 9, wantAll[14]: 15, wantAll[15]: 16, wantAll[20]: 21} {
		if lines[q] != line {
			t.Errorf("%s at line %d, want %d", q, lines[q], line)
		}
	}
	// And they load.
	if _, err := s.LoadStatements(context.Background(), stmts, graph.LoadOptions{}); err != nil {
		t.Fatalf("LoadStatements: %v", err)
	}
}

// TestSheetResolution: the rules names resolve by, each problem at its line.
func TestSheetResolution(t *testing.T) {
	head := "source: {title: T}\nentities:\n  - {name: Kallas plan, type: Position, aliases: [Kallas]}\nclaims:\n  - evidence: E\n    facts:\n"
	for _, tc := range []struct {
		name  string
		facts string   // lines of facts, from line 7
		extra string   // more entities, from line 4 (shifting the facts)
		want  []string // problems, "LINE: substring"; none: the fact compiles
		quad  string   // the fact's quad, when it compiles
	}{
		{name: "store names", facts: "      - Putin demands \"Ironclad security guarantees\"\n", quad: "<putin> <demands> <ironclad-security-guarantees> <src-t#c1> ."},
		{name: "by id", facts: "      - <putin> demands <ironclad-security-guarantees>\n", quad: "<putin> <demands> <ironclad-security-guarantees> <src-t#c1> ."},
		{name: "declared", facts: "      - Putin rejects \"Kallas plan\"\n", quad: "<putin> <rejects> <kallas-plan> <src-t#c1> ."},
		{name: "reverse reading", facts: "      - \"kallas plan\" rejected by Russia\n", quad: "<russia> <rejects> <kallas-plan> <src-t#c1> ."},
		{name: "declared and in the store", facts: "      - Kallas rejects \"Kallas plan\"\n",
			want: []string{`7: subject: "Kallas" is ambiguous; it may name <kallas> "Kaja Kallas" (in the store), <kallas-plan> "Kallas plan" (declared at line 3)`}},
		{name: "several in the store", facts: "      - \"President of\" rejects \"Kallas plan\"\n", want: []string{`7: subject: "President of" is ambiguous; it may name <`}},
		{name: "unknown", facts: "      - Macron rejects \"Kallas plan\"\n      - Putin rejects \"Minsk agreements\"\n",
			want: []string{`7: subject: no entity is named "Macron", in the store or among the sheet's entities; declare`, `8: object: no entity is named "Minsk agreements"`}},
		{name: "declared but in the store", extra: "  - {name: Vladimir Putin, type: Person}\n  - {name: kursk, type: Place}\n", facts: "",
			want: []string{`4: entity "Vladimir Putin" is already in the store as <putin>; use the name, or give its id`, `5: <kursk> is labelled "Kursk" in the store; declare it by that name`}},
		{name: "declared with its id", extra: "  - {id: putin, name: Vladimir Putin, type: Person, aliases: [VVP]}\n", facts: "      - VVP demands \"Kallas plan\"\n",
			quad: "<putin> <demands> <kallas-plan> <src-t#c1> ."},
		{name: "declared with its id, another label", extra: "  - {id: putin, name: Putin, type: State}\n", facts: "",
			want: []string{`4: <putin> is labelled "Vladimir Putin" in the store; declare it by that name`, `4: <putin> is a Person in the store, not a State`}},
		{name: "an id taken", extra: "  - {id: putin, name: Someone Else, type: Person}\n", facts: "",
			want: []string{`4: <putin> is in the store as "Vladimir Putin"; declare it by that name, or give "Someone Else" another id`}},
		{name: "unquoted name", facts: "      - Keir Starmer supports \"Kallas plan\"\n",
			want: []string{`7: unknown predicate "Starmer supports"`, `quote a name with spaces: '"Keir Starmer" supports "Kallas plan"'`}},
		{name: "not a relation", facts: "      - Putin label \"Kallas plan\"\n", want: []string{"7: <label> is not a fact of a claim"}},
		{name: "a bad event date", facts: "      - \"Trump-Putin call\" date Tuesday\n", want: []string{`7: date "Tuesday" is not YYYY`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := head
			if tc.extra != "" {
				text = strings.Replace(head, "claims:", strings.TrimSuffix(tc.extra, "\n")+"\nclaims:", 1)
			}
			stmts, err := compile(t, seeded(t), text+tc.facts)
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				if tc.quad != "" && !slices.Contains(nquads(stmts), tc.quad) {
					t.Errorf("no %s in\n%s", tc.quad, strings.Join(nquads(stmts), "\n"))
				}
				return
			}
			var verr *schema.ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("SheetStatements = %v, want problems", err)
			}
			msg := err.Error()
			for _, w := range tc.want {
				if strings.HasPrefix(w, "quote") {
					if !strings.Contains(msg, w) {
						t.Errorf("problems lack %q:\n%s", w, msg)
					}
					continue
				}
				if !strings.Contains(msg, "s.yaml:"+w) {
					t.Errorf("problems lack s.yaml:%s:\n%s", w, msg)
				}
			}
		})
	}
}

// TestSheetLoadCompiled: compile problems and validation problems come back together, and
// nothing is written.
func TestSheetLoadCompiled(t *testing.T) {
	ctx := context.Background()
	s := seeded(t)
	stmts, err := compile(t, s, "source: {title: T}\nclaims:\n  - evidence: E\n    facts:\n      - Kursk demands \"Ironclad security guarantees\"\n      - Macron rejects NATO\n")
	var verr *schema.ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("SheetStatements = %v", err)
	}
	before, _ := s.Stats(ctx)
	_, err = s.LoadCompiled(ctx, stmts, verr, []string{"s.yaml"}, graph.LoadOptions{})
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	for _, w := range []string{"s.yaml:5: <kursk> is a Place, but the subject of <demands>", `s.yaml:6: subject: no entity is named "Macron"`} {
		if !strings.Contains(msg, w) {
			t.Errorf("LoadCompiled problems lack %q:\n%s", w, msg)
		}
	}
	after, _ := s.Stats(ctx)
	if before.Quads != after.Quads {
		t.Errorf("quads %d before, %d after a failed load", before.Quads, after.Quads)
	}
}
