package lint

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/parley/parley/graph/nquads"
	"github.com/parley/parley/schema"
)

// parse reads N-Quads lines as statements of file (numbered from 1); file "" places them
// nowhere, as a store's quads are.
func parse(t *testing.T, file string, lines []string) []schema.Statement {
	t.Helper()
	var out []schema.Statement
	for i, line := range lines {
		q, ok, err := nquads.ParseLine(line, nquads.Options{})
		if err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if ok {
			st := schema.Statement{Quad: q, File: file}
			if file != "" {
				st.Line = i + 1
			}
			out = append(out, st)
		}
	}
	return out
}

// small is a small store: two people with roles, a state, a position, a source with a
// claim, each in a fact.
var small = []string{
	`<putin> <type> <Person> .`,
	`<putin> <label> "Vladimir Putin" .`,
	`<russia> <type> <State> .`,
	`<russia> <label> "Russia" .`,
	`<pres-ru> <type> <Role> .`,
	`<pres-ru> <label> "Russian President" .`,
	`<kremlin> <type> <Organization> .`,
	`<kremlin> <label> "the Kremlin" .`,
	`<deal> <type> <Position> .`,
	`<deal> <label> "30-day ceasefire" .`,
	`<src> <type> <Source> .`,
	`<src> <label> "Wire" .`,
	`<src> <title> "Putin Weighs Ceasefire" .`,
	`<c0> <type> <Claim> .`,
	`<c0> <source> <src> .`,
	`<c0> <evidence> "Putin holds the office of Russian President." .`,
	`<c0> <modality> "asserted" .`,
	`<putin> <holdsRole> <pres-ru> <c0> .`,
	`<pres-ru> <roleOf> <russia> <c0> .`,
	`<kremlin> <governmentOf> <russia> <c0> .`,
	`<russia> <rejects> <deal> <c0> .`,
}

// claimLines is a claim <c1> of <src> with the given evidence, speaker and modality,
// backing one fact.
func claimLines(evidence, speaker, modality string) []string {
	out := []string{
		`<c1> <type> <Claim> .`,
		`<c1> <source> <src> .`,
		fmt.Sprintf(`<c1> <evidence> %q .`, evidence),
		fmt.Sprintf(`<c1> <modality> %q .`, modality),
	}
	if speaker != "" {
		out = append(out, fmt.Sprintf(`<c1> <speaker> <%s> .`, speaker))
	}
	return append(out, `<putin> <supports> <deal> <c1> .`)
}

func TestRules(t *testing.T) {
	for _, tc := range []struct {
		name  string
		rule  string   // the rule under test: only its findings are compared
		lines []string // t.nq, checked against small
		texts map[string]string
		want  []string // "LINE: ID: message"
	}{
		{
			name:  "near-duplicate: one name inside another",
			rule:  RuleNearDuplicate,
			lines: []string{`<deal2> <type> <Position> .`, `<deal2> <label> "US 30-day ceasefire proposal" .`, `<putin> <rejects> <deal2> <c0> .`},
			want:  []string{`2: deal2: <deal> and <deal2> may be one Position: "30-day ceasefire" is part of "US 30-day ceasefire proposal"`},
		},
		{
			name:  "near-duplicate: a shared alias",
			rule:  RuleNearDuplicate,
			lines: []string{`<truce> <type> <Position> .`, `<truce> <label> "Truce" .`, `<truce> <alias> "30-day ceasefire" .`},
			want:  []string{`3: truce: <deal> and <truce> may be one Position: both are named "30-day ceasefire"`},
		},
		{
			name:  "near-duplicate: similar names",
			rule:  RuleNearDuplicate,
			lines: []string{`<vp> <type> <Person> .`, `<vp> <label> "Vladimir V. Putin" .`},
			want:  []string{`2: vp: <putin> and <vp> may be one Person: "Vladimir Putin" and "Vladimir V. Putin" are similar`},
		},
		{
			name:  "near-duplicate: a spelling",
			rule:  RuleNearDuplicate,
			lines: []string{`<vladimir> <type> <Person> .`, `<vladimir> <label> "Vladimir Putn" .`},
			want:  []string{`2: vladimir: <putin> and <vladimir> may be one Person: "Vladimir Putin" and "Vladimir Putn" are similar`},
		},
		{
			name:  "near-duplicate: not two people of one family name",
			rule:  RuleNearDuplicate,
			lines: []string{`<lp> <type> <Person> .`, `<lp> <label> "Lyudmila Putina" .`},
		},
		{
			name:  "near-duplicate: not when partOf joins them",
			rule:  RuleNearDuplicate,
			lines: []string{`<deal2> <type> <Position> .`, `<deal2> <label> "US 30-day ceasefire proposal" .`, `<deal> <partOf> <deal2> <c0> .`},
		},
		{
			name:  "near-duplicate: not across types",
			rule:  RuleNearDuplicate,
			lines: []string{`<ceasefire-talks> <type> <Event> .`, `<ceasefire-talks> <label> "30-day ceasefire talks" .`},
		},
		{
			name:  "ambiguous-name: a name of entities of different types",
			rule:  RuleAmbiguousName,
			lines: []string{`<georgia> <type> <Place> .`, `<georgia> <label> "Georgia" .`, `<georgia-state> <type> <State> .`, `<georgia-state> <label> "georgia" .`},
			want:  []string{`2: georgia: the name "Georgia" belongs to <georgia> (Place), <georgia-state> (State)`},
		},
		{
			name:  "ambiguous-name: a place's name for its government is metonymy",
			rule:  RuleAmbiguousName,
			lines: []string{`<moscow> <type> <Place> .`, `<moscow> <label> "Moscow" .`, `<kremlin> <alias> "moscow" .`},
		},
		{
			name:  "ambiguous-name: a place's name as another place's alias is no metonymy",
			rule:  RuleAmbiguousName,
			lines: []string{`<moscow> <type> <Place> .`, `<moscow> <label> "Moscow" .`, `<moscow-oblast> <type> <Place> .`, `<moscow-oblast> <label> "Moscow Oblast" .`, `<moscow-oblast> <alias> "Moscow" .`, `<kremlin> <alias> "moscow" .`},
			want:  []string{`2: moscow: the name "Moscow" belongs to <kremlin> (Organization), <moscow> (Place), <moscow-oblast> (Place)`},
		},
		{
			name:  "ambiguous-name: one entity's two names are no ambiguity",
			rule:  RuleAmbiguousName,
			lines: []string{`<kremlin> <alias> "Kremlin" .`},
		},
		{
			name:  "no-facts",
			rule:  RuleNoFacts,
			lines: []string{`<af1> <type> <Asset> .`, `<af1> <label> "Air Force One" .`, `<kyiv> <type> <Place> .`, `<kyiv> <label> "Kyiv" .`, `<putin> <attacks> <kyiv> <c0> .`},
			want:  []string{`1: af1: <af1> ("Air Force One") is in no fact`},
		},
		{
			name:  "no-facts: a speaker only is in no fact",
			rule:  RuleNoFacts,
			lines: append([]string{`<peskov> <type> <Person> .`, `<peskov> <label> "Dmitry Peskov" .`}, claimLines("Peskov said so.", "peskov", "attributed")...),
			want:  []string{`1: peskov: <peskov> ("Dmitry Peskov") is in no fact`},
		},
		{
			name: "position-label: an actor's stance",
			rule: RulePositionLabel,
			lines: []string{
				`<p1> <type> <Position> .`, `<p1> <label> "Putin supports the 30-day ceasefire" .`,
				`<p2> <type> <Position> .`, `<p2> <label> "Russia rejected the deal" .`,
				`<p3> <type> <Position> .`, `<p3> <label> "Russia renounces its claims" .`, // an act: what a demand asks
				`<p4> <type> <Position> .`, `<p4> <label> "Russia's demands prove nothing" .`, // a possessive
			},
			want: []string{
				`2: p1: the Position's label "Putin supports the 30-day ceasefire" states a stance of <putin>, not a position`,
				`4: p2: the Position's label "Russia rejected the deal" states a stance of <russia>, not a position`,
			},
		},
		{
			name:  "speaker-not-in-evidence: a pronoun with no word of his",
			rule:  RuleSpeakerNotInEvidence,
			lines: claimLines("He did not specify details but likely meant the plant.", "putin", "hedged"),
			want:  []string{`5: c1: the speaker <putin> ("Vladimir Putin") is not mentioned in the evidence "He did not specify details but likely meant the plant."`},
		},
		{
			name:  "speaker-not-in-evidence: a pronoun that speaks",
			rule:  RuleSpeakerNotInEvidence,
			lines: claimLines("He stressed that the deal is good.", "putin", "attributed"),
		},
		{
			name:  "speaker-not-in-evidence: a quotation",
			rule:  RuleSpeakerNotInEvidence,
			lines: claimLines("“The deal is good.”", "putin", "attributed"),
		},
		{
			name:  "speaker-not-in-evidence: by surname",
			rule:  RuleSpeakerNotInEvidence,
			lines: claimLines("Putin’s aide said the deal is good.", "putin", "attributed"),
		},
		{
			name:  "speaker-not-in-evidence: by a role the speaker holds",
			rule:  RuleSpeakerNotInEvidence,
			lines: claimLines("The Russian president said the deal is good.", "putin", "attributed"),
		},
		{
			name:  "speaker-not-in-evidence: a state by its government",
			rule:  RuleSpeakerNotInEvidence,
			lines: claimLines("The Kremlin said the deal is good.", "russia", "attributed"),
		},
		{
			name:  "heading-evidence: no final punctuation",
			rule:  RuleHeadingEvidence,
			lines: claimLines("Putin’s ‘Ironclad’ Demands", "", "asserted"),
			want:  []string{`3: c1: the evidence "Putin’s ‘Ironclad’ Demands" is a heading, not a sentence: it does not end as a sentence does (. ! ? …)`},
		},
		{
			name:  "heading-evidence: the source's title",
			rule:  RuleHeadingEvidence,
			lines: claimLines("Putin weighs ceasefire", "", "asserted"),
			want:  []string{`3: c1: the evidence "Putin weighs ceasefire" is a heading, not a sentence: it is the title of <src>`},
		},
		{
			name:  "heading-evidence: a quotation ends with its quote",
			rule:  RuleHeadingEvidence,
			lines: claimLines("“We support the deal,” Putin said.”", "", "attributed"),
		},
		{
			name:  "evidence-not-in-source",
			rule:  RuleEvidenceNotInSource,
			lines: append(claimLines("Putin supports the deal.", "", "asserted"), `<c2> <type> <Claim> .`, `<c2> <source> <src> .`, `<c2> <evidence> "Putin’s   reply came late." .`),
			texts: map[string]string{"src": "Putin's reply\ncame late. Russia waits."},
			want:  []string{`3: c1: the evidence "Putin supports the deal." is not in the text of <src>`},
		},
		{
			name:  "evidence-not-in-source: no text attached, no check",
			rule:  RuleEvidenceNotInSource,
			lines: claimLines("Putin supports the deal.", "", "asserted"),
		},
		{
			name: "date-format",
			rule: RuleDateFormat,
			lines: []string{
				`<c0> <date> "next week" .`,
				`<c0> <date> "2025-03-18"^^<http://www.w3.org/2001/XMLSchema#date> .`,
				`<src> <published> "2025-02-30" .`,
			},
			want: []string{
				`1: c0: date "next week" is not YYYY, YYYY-MM or YYYY-MM-DD`,
				`3: src: date "2025-02-30" is not a day of the calendar`,
			},
		},
		{
			name:  "modality-cue: a cue of another modality",
			rule:  RuleModalityCue,
			lines: claimLines("Putin hinted at support: “We’ll back it,” he said.", "putin", "attributed"),
			want:  []string{`4: c1: modality "attributed", but the evidence gives hedged ("hinted")`},
		},
		{
			name:  "modality-cue: no cue for the modality",
			rule:  RuleModalityCue,
			lines: claimLines("Putin backs the deal.", "putin", "planned"),
			want:  []string{`4: c1: modality "planned", but the evidence gives asserted (no cue word)`},
		},
		{
			name:  "modality-cue: the modality of one clause",
			rule:  RuleModalityCue,
			lines: claimLines("Putin took the call but remained tight-lipped on land.", "", "refused"),
		},
		{
			name: "modality-cue: background facts are asserted in any sentence",
			rule: RuleModalityCue,
			lines: []string{`<c1> <type> <Claim> .`, `<c1> <source> <src> .`,
				`<c1> <evidence> "Russian President Vladimir Putin said he will back the deal." .`,
				`<c1> <modality> "asserted" .`, `<putin> <holdsRole> <pres-ru> <c1> .`},
		},
		{
			name: "modality-cue: a reporting fact in the same sentence is not background",
			rule: RuleModalityCue,
			lines: []string{`<c1> <type> <Claim> .`, `<c1> <source> <src> .`,
				`<c1> <evidence> "Russian President Vladimir Putin said he will back the deal." .`,
				`<c1> <modality> "asserted" .`, `<putin> <holdsRole> <pres-ru> <c1> .`, `<putin> <supports> <deal> <c1> .`},
			want: []string{`4: c1: modality "asserted", but the evidence gives attributed ("said") or planned ("will")`},
		},
		{
			name: "modality-cue: an act of speech and what was said",
			rule: RuleModalityCue,
			lines: []string{`<c1> <type> <Claim> .`, `<c1> <source> <src> .`,
				`<c1> <evidence> "Putin announced plans to back the deal." .`,
				`<c1> <modality> "planned" .`, `<putin> <supports> <deal> <c1> .`},
		},
		{
			name:  "modality-cue: inferred contradicts no cue",
			rule:  RuleModalityCue,
			lines: claimLines("Putin said he will back the deal.", "", "inferred"),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			findings := Lint(Input{Statements: parse(t, "t.nq", tc.lines), Context: parse(t, "", small), Texts: tc.texts})
			var got []string
			for _, f := range findings {
				if f.File != "t.nq" {
					t.Errorf("a finding outside the statements: %s", f)
				}
				if f.Rule == tc.rule {
					got = append(got, fmt.Sprintf("%d: %s: %s", f.Line, f.ID, f.Message))
					if f.Fix == "" {
						t.Errorf("%s has no fix", f)
					}
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("findings:\n  %s\nwant:\n  %s\nall: %v", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "), findings)
			}
		})
	}
}

// TestStore checks a store's quads: placed nowhere, findings name their entity or claim,
// and small itself is clean.
func TestStore(t *testing.T) {
	if fs := Lint(Input{Statements: parse(t, "", small)}); len(fs) != 0 {
		t.Fatalf("small has findings: %v", fs)
	}
	lines := append(slices.Clone(small), `<af1> <type> <Asset> .`, `<af1> <label> "Air Force One" .`)
	fs := Lint(Input{Statements: parse(t, "", lines)})
	if len(fs) != 1 || fs[0].Location() != "af1" || fs[0].Rule != RuleNoFacts || fs[0].Severity != Warning {
		t.Fatalf("findings %v, want one no-facts warning located at af1", fs)
	}
}

// TestSeverity checks that date-format is an error, the rest warnings, and that Strict
// makes every finding an error.
func TestSeverity(t *testing.T) {
	lines := []string{`<af1> <type> <Asset> .`, `<af1> <label> "Air Force One" .`, `<c0> <date> "soon" .`}
	for _, strict := range []bool{false, true} {
		fs := Lint(Input{Statements: parse(t, "t.nq", lines), Context: parse(t, "", small), Strict: strict})
		var got []string
		for _, f := range fs {
			got = append(got, f.Rule+"="+string(f.Severity))
		}
		want := []string{"no-facts=warning", "date-format=error"}
		if strict {
			want = []string{"no-facts=error", "date-format=error"}
		}
		if !slices.Equal(got, want) || Errors(fs) != strings.Count(strings.Join(want, " "), "error") {
			t.Errorf("strict %v: %v, want %v", strict, got, want)
		}
	}
}
