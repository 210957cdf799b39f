package schema

import (
	"os"
	"slices"
	"strings"
	"testing"
)

func TestExpectedModality(t *testing.T) {
	for _, tc := range []struct {
		evidence      string
		modality, cue string // modality "" when no cue
	}{
		{"Russia has stepped up its attacks on Ukraine's energy grid.", "", ""},
		{"Trump told reporters on Sunday that he would speak with Putin.", ModalityAttributed, "told"},
		{"Peskov SAID the Kremlin was ready.", ModalityAttributed, "said"},
		{"Moscow maintains that Ukraine must stay out of NATO.", ModalityAttributed, "maintains"},
		{"Russia is demanding guarantees.", ModalityAttributed, "is demanding"},
		{"Russia is\ndemanding guarantees.", ModalityAttributed, "is demanding"},
		{"Trump hinted at the subjects: “We’ll be talking about land,” he said.", ModalityHedged, "hinted"},
		{"He likely referred to the Zaporizhzhia plant.", ModalityHedged, "likely"},
		{"That outcome is unlikely.", "", ""}, // whole words only
		{"Trump will speak to Putin on Tuesday.", ModalityPlanned, "will"},
		{"Peskov said Putin will call on Tuesday.", ModalityAttributed, "said"},
		{"The EU plans to send envoys.", ModalityPlanned, "plans to"},
		{"The willing coalition met.", "", ""},
		{"Britain is considering sending troops, Starmer said.", ModalityConsidered, "considering"},
		{"The Kremlin declined to comment, officials said.", ModalityRefused, "declined to comment"},
		{"Officials remained tight-lipped.", ModalityRefused, "tight-lipped"},
		{"“Sovereignty,” insists Kallas.", ModalityAttributed, "insists"},
	} {
		m, cue, ok := ExpectedModality(tc.evidence)
		if m != tc.modality || cue != tc.cue || ok != (tc.modality != "") {
			t.Errorf("ExpectedModality(%q) = %q, %q, %v; want %q, %q", tc.evidence, m, cue, ok, tc.modality, tc.cue)
		}
	}
}

func TestClauseModalities(t *testing.T) {
	for _, tc := range []struct {
		evidence string
		want     []string
	}{
		{"The Kremlin confirmed Putin would take Trump’s call but remained tight-lipped on land.", []string{ModalityAttributed, ModalityPlanned, ModalityRefused}},
		{"Trump hinted at the subjects: “We’ll be talking about land,” he said.", []string{ModalityHedged}},
		{"Russia attacked Kyiv; Ukraine said it will respond.", []string{ModalityAsserted, ModalityAttributed, ModalityPlanned}},
		{"Trump announced plans to speak with Putin on Tuesday.", []string{ModalityAttributed, ModalityPlanned}},
		{"Starmer announced that the UK and France are considering sending peacekeepers.", []string{ModalityConsidered, ModalityAttributed}},
		{"“Maybe we can, maybe we can’t, but I think we have a very good chance.”", []string{ModalityAttributed, ModalityAsserted}},
		{"Officials declined to comment, reportedly.", []string{ModalityRefused}},
		// An opening subordinate phrase, a dash, an absolute phrase and an indirect question.
		{"While Ukraine accepted the proposal, Zelensky remains firm that sovereignty is non-negotiable.", []string{ModalityAsserted, ModalityAttributed}},
		{"Trump prepares to press Putin for a deal—while Russia sets tough demands.", []string{ModalityPlanned, ModalityAsserted}},
		{"Witkoff delivered a message, with Moscow expressing “cautious optimism.”", []string{ModalityAsserted, ModalityAttributed}},
		{"Asked whether the US would back a deal, Waltz replied, “No.”", []string{ModalityAsserted, ModalityAttributed}},
		{"Kallas said so, while Rubio said otherwise.", []string{ModalityAttributed}},
		{"Butter prices rose.", []string{ModalityAsserted}},
	} {
		if got, _ := ClauseModalities(tc.evidence); !slices.Equal(got, tc.want) {
			t.Errorf("ClauseModalities(%q) = %q, want %q", tc.evidence, got, tc.want)
		}
	}
}

// TestModalityRuleText checks that the rule's text and its table agree: every modality is
// stated, and every cue a line quotes before its colon is in the table under that line's
// modality.
func TestModalityRuleText(t *testing.T) {
	cues := map[string][]string{}
	for _, c := range ModalityCues() {
		if !slices.Contains(Modalities(), c.Modality) {
			t.Errorf("the cue table names an unknown modality %s", c.Modality)
		}
		cues[c.Modality] = c.Cues
	}
	stated := map[string]bool{}
	for _, l := range strings.Split(ModalityRule, "\n")[2:] {
		if !strings.HasPrefix(l, "  ") {
			continue // the rule's prose after its table
		}
		m := strings.Fields(l)[0]
		stated[m] = true
		head, _, _ := strings.Cut(l, ":")
		for _, cue := range quoted(head) {
			if !slices.Contains(cues[m], cue) {
				t.Errorf("the rule quotes %q for %s; the table does not have it", cue, m)
			}
		}
	}
	for _, m := range Modalities() {
		if !stated[m] {
			t.Errorf("ModalityRule does not state %s", m)
		}
	}
}

// quoted returns the double-quoted phrases of s.
func quoted(s string) []string {
	parts := strings.Split(s, `"`)
	var out []string
	for i := 1; i < len(parts); i += 2 {
		out = append(out, parts[i])
	}
	return out
}

// TestModalityRuleInReadme checks that the README states the rule as 'parley schema' prints it.
func TestModalityRuleInReadme(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), ModalityRule) {
		t.Errorf("README.md does not state schema.ModalityRule:\n%s", ModalityRule)
	}
}
