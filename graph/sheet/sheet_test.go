package sheet

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/parley/parley/schema"
)

func TestParseFact(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    Fact
		wantErr string
	}{
		{in: `Kallas rejects "Ironclad security guarantees"`, want: Fact{Subject: "Kallas", Predicate: "rejects", Object: "Ironclad security guarantees"}},
		{in: `"30-day ceasefire" demanded by "Donald Trump"`, want: Fact{Subject: "30-day ceasefire", Predicate: "demanded by", Object: "Donald Trump"}},
		{in: `Kremlin is optimistic about  "30-day ceasefire"`, want: Fact{Subject: "Kremlin", Predicate: "is optimistic about", Object: "30-day ceasefire"}},
		{in: `<putin> demands <ukraine-renounces-nato>`, want: Fact{Subject: "<putin>", Predicate: "demands", Object: "<ukraine-renounces-nato>"}},
		{in: `"say \"no\"" warns against "a \\ b"`, want: Fact{Subject: `say "no"`, Predicate: "warns against", Object: `a \ b`}},
		{in: `Kallas rejects`, wantErr: "is not Subject predicate Object"},
		{in: `Kallas rejects "Ironclad`, wantErr: "a quote is not closed"},
		{in: `Kallas "rejects" NATO`, wantErr: `"rejects" is between the subject and the object`},
		{in: `Kallas rejects Iron"clad`, wantErr: "a quote inside the word"},
		{in: `"Kallas"rejects NATO`, wantErr: "a space must follow the closing quote"},
		{in: `"" rejects NATO`, wantErr: "an empty name"},
	} {
		got, err := ParseFact(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ParseFact(%q) = %v, want an error with %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseFact(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
			continue
		}
		if back, err := ParseFact(got.String()); err != nil || back != got {
			t.Errorf("ParseFact(%q.String() = %q) = %+v, %v", tc.in, got.String(), back, err)
		}
	}
}

// TestParseProblems: each problem of a sheet is reported at its line, all at once.
func TestParseProblems(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want []string // "LINE: substring", in order
	}{
		{"no title", "source:\n  url: https://example.org\nclaims: []\n", []string{"1: the source has no title"}},
		{"no source", "claims: []\n", []string{"1: the sheet has no source"}},
		{"unknown keys", "source:\n  title: T\n  author: X\nclaim: []\n", []string{`3: the source: unknown key "author"`, `4: a sheet: unknown key "claim"`}},
		{"text file", "source:\n  title: T\n  text_file: article.txt\n", []string{"3: the source: text_file: a sheet names no other file"}},
		{"bad dates", "source:\n  title: T\n  published: March 2025\nclaims:\n  - evidence: E\n    date: 2025-02-30\n    facts: []\n",
			[]string{`3: published: date "March 2025" is not YYYY`, `6: the date: date "2025-02-30" is not a day of the calendar`}},
		{"modality", "source: {title: T}\nclaims:\n  - evidence: E\n    modality: rumoured\n", []string{`4: modality "rumoured" is not one of asserted`}},
		{"no evidence", "source: {title: T}\nclaims:\n  - speaker: Putin\n    facts: [Putin demands NATO]\n", []string{"3: the claim has no evidence"}},
		{"bad facts", "source: {title: T}\nclaims:\n  - evidence: E\n    facts:\n      - Keir Starmer\n      - A rejects \"B\n      - {subject: A, object: B}\n      - [a, b]\n",
			[]string{"5: fact \"Keir Starmer\" is not Subject predicate Object", "6: a quote is not closed", "7: a fact needs a subject, a predicate and an object", "8: a fact is `Subject predicate Object`"}},
		{"entities", "source: {title: T}\nentities:\n  - name: Ironclad\n  - name: Dragon\n    type: Dragon\n  - type: Person\nclaims: []\n",
			[]string{`3: entity "Ironclad" has no type`, `4: entity "Dragon": unknown type "Dragon"`, "6: an entity has no name"}},
		{"bad id", "source: {title: T, id: src x}\nclaims: []\n", []string{`1: the source's id "src x" is not an IRI`}},
		{"offset", "source:\n  title: T\n  text: Hello world.\nclaims:\n  - evidence: Hello\n    offset: [0, 4]\n", []string{`6: offset [0, 4] holds "Hell" in the source's text, not the evidence`}},
		{"not yaml", "source: {title: T}\nclaims:\n  - evidence: [\n", []string{"3: not YAML"}},
		{"second document", "source: {title: T}\nclaims: []\n---\nsource: {title: U}\nclaims:\n  - evidence: E\n    modality: maybe\n", []string{`7: modality "maybe"`}},
		{"list", "- a\n- b\n", []string{"1: a sheet is a mapping"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("s.yaml", strings.NewReader(tc.in))
			var verr *schema.ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("Parse = %v, want a *schema.ValidationError", err)
			}
			if len(verr.Problems) != len(tc.want) {
				t.Fatalf("Parse: %d problems, want %d:\n%v", len(verr.Problems), len(tc.want), err)
			}
			for i, w := range tc.want {
				line, msg, _ := strings.Cut(w, ": ")
				if got := verr.Problems[i].String(); !strings.HasPrefix(got, "s.yaml:"+line+": ") || !strings.Contains(got, msg) {
					t.Errorf("problem %d = %q, want s.yaml:%s: …%s…", i, got, line, msg)
				}
			}
		})
	}
}

func sample() []Sheet {
	return []Sheet{{
		Source: Source{ID: "src-wire", Title: "Example wire: 19 March", Published: "2025-03-19", URL: "https://example.org/wire",
			Text: "Kallas said the EU rejects any deal.\nSecond line: \"quoted\".\n"},
		Entities: []Entity{
			{ID: "ironclad", Name: "Ironclad security guarantees", Type: "Position", Aliases: []string{"ironclad guarantees", "yes"}},
			{Name: "Kaja Kallas", Type: "Person", New: true},
		},
		Claims: []Claim{
			{ID: "src-wire#c1", Evidence: "Kallas said the EU rejects any deal.", Offset: []int{0, 36}, Speaker: "Kallas",
				Modality: "attributed", Date: "2025-03-19", Condition: "until: the war ends",
				Facts: []Fact{
					{Subject: "Kaja Kallas", Predicate: "rejects", Object: "Ironclad security guarantees", Comment: "rule rejects-active", Confidence: 0.9},
					{Subject: "Kallas", Predicate: "demands", Object: `a "quoted" name`, Comment: "low", Confidence: 0.3, Disabled: true},
					{Subject: "<kallas>", Predicate: "is optimistic about", Object: "peace"},
				}},
			{Evidence: "A multi-line\nevidence: with a colon # and a hash", Facts: []Fact{{Subject: "A", Predicate: "opposes", Object: "B", Disabled: true}}},
			{Evidence: "No facts."},
		},
		Skipped: []string{"The weather was fine.", `He said "no": #1`},
	}, {
		Source: Source{Title: "Second"},
		Claims: []Claim{{Evidence: "E", Facts: []Fact{{Subject: "X", Predicate: "supports", Object: "Y", Comment: "hand"}}}},
	}}
}

func clearLines(sheets []Sheet) {
	for i := range sheets {
		sheets[i].Source.Line = 0
		for j := range sheets[i].Entities {
			sheets[i].Entities[j].Line = 0
		}
		for j := range sheets[i].Claims {
			sheets[i].Claims[j].Line = 0
			for k := range sheets[i].Claims[j].Facts {
				sheets[i].Claims[j].Facts[k].Line = 0
			}
		}
	}
}

func TestWriteParse(t *testing.T) {
	want := sample()
	var b bytes.Buffer
	if err := Write(&b, want); err != nil {
		t.Fatal(err)
	}
	got, err := Parse("w.yaml", bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatalf("Parse(Write) = %v\n%s", err, b.String())
	}
	clearLines(got)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Parse(Write(sheets)) differs:\n got %+v\nwant %+v\n%s", got, want, b.String())
	}
	// And again: the text is stable.
	var again bytes.Buffer
	if err := Write(&again, got); err != nil {
		t.Fatal(err)
	}
	if again.String() != b.String() {
		t.Errorf("Write(Parse(Write(x))) != Write(x):\n%s\n---\n%s", again.String(), b.String())
	}
	for _, s := range []string{"# new", "# - Kallas demands", "# confidence 0.9: rule rejects-active", SkippedHeader} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("written sheet lacks %q:\n%s", s, b.String())
		}
	}
}

func TestParseLines(t *testing.T) {
	in := `# a header comment
source:
  title: T
entities:
  - name: Kaja Kallas # new
    type: Person
claims:
  - evidence: >
      folded
      evidence
    facts:
      - Kallas rejects NATO
      - "Kaja Kallas" rejects "N'A#TO"  # quoted as it is said
      # a note, not a fact
      # - "Kallas" demands NATO  # confidence 0.2: weak
      - subject: Kallas
        predicate: warns against
        object: "the war"
  - evidence: E2
    facts:
`
	sheets, err := Parse("l.yaml", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	sh := sheets[0]
	if sh.Source.Line != 2 || sh.Entities[0].Line != 5 || !sh.Entities[0].New || sh.Claims[0].Line != 8 || sh.Claims[1].Line != 19 {
		t.Errorf("lines: source %d, entity %d (new %v), claims %d %d", sh.Source.Line, sh.Entities[0].Line, sh.Entities[0].New, sh.Claims[0].Line, sh.Claims[1].Line)
	}
	if sh.Claims[0].Evidence != "folded evidence\n" {
		t.Errorf("evidence %q", sh.Claims[0].Evidence)
	}
	want := []Fact{
		{Subject: "Kallas", Predicate: "rejects", Object: "NATO", Line: 12},
		{Subject: "Kaja Kallas", Predicate: "rejects", Object: "N'A#TO", Line: 13, Comment: "quoted as it is said"},
		{Subject: "Kallas", Predicate: "demands", Object: "NATO", Line: 15, Disabled: true, Confidence: 0.2, Comment: "weak"},
		{Subject: "Kallas", Predicate: "warns against", Object: "the war", Line: 16},
	}
	if !reflect.DeepEqual(sh.Claims[0].Facts, want) {
		t.Errorf("facts:\n got %+v\nwant %+v", sh.Claims[0].Facts, want)
	}
	if len(sh.Claims[1].Facts) != 0 {
		t.Errorf("second claim's facts: %+v", sh.Claims[1].Facts)
	}
}

// TestLineEnds: LF and CRLF line ends parse alike, with problems at the same lines; a
// lone carriage return (or another break YAML counts and editors do not) is refused at
// its line counted by line feeds.
func TestLineEnds(t *testing.T) {
	sheet := []string{"source:", "  title: T", "claims:", "  - evidence: E", "    facts: [A rejects B]", "    colour: red", ""}
	cases := []struct {
		name string
		text string
		want string // the problems, one per line
	}{
		{"LF", strings.Join(sheet, "\n"), "f.yaml:6: "},
		{"CRLF", strings.Join(sheet, "\r\n"), "f.yaml:6: "},
		{"lone CR", "source:\n  title: T\rclaims:\n  - evidence: E\n", "f.yaml:2: a carriage return not followed by a line feed: YAML counts it as a line end where editors and grep do not; end lines with LF or CRLF"},
		{"lone CRs", "source:\r  title: T\rclaims:\n", "f.yaml:1: a carriage return not followed by a line feed"},
		{"CRLF and a lone CR", "source:\r\n  title: T\r\n\rclaims:\r\n", "f.yaml:3: a carriage return not followed by a line feed"},
		{"LS", "source:\n  title: T\n  url: \"a\u2028b\"\n", "f.yaml:3: the line break U+2028: YAML counts it"},
		{"UTF-16", "\xff\xfes\x00o\x00\n\x00", "f.yaml:1: the sheet is in UTF-16"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("f.yaml", strings.NewReader(c.text))
			if err == nil {
				t.Fatalf("no error; want %q", c.want)
			}
			if !strings.Contains(err.Error(), "\n  "+c.want) {
				t.Errorf("error:\n%v\nwant a line starting %q", err, c.want)
			}
		})
	}
}
