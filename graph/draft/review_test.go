package draft_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/parley/parley/graph/draft"
	"github.com/parley/parley/graph/sheet"
)

// reviewSheet is a drafted sheet of two claims and three facts, one commented out, and
// two new entities.
func reviewSheet() sheet.Sheet {
	return sheet.Sheet{
		Source: sheet.Source{Title: "Example wire"},
		Entities: []sheet.Entity{
			{Name: "Monitored ceasefire", Type: "Position", New: true},
			{Name: "Halt to arms deliveries", Type: "Position", New: true},
		},
		Claims: []sheet.Claim{
			{Evidence: "Kallas said the EU supports a monitored ceasefire.", Speaker: "Kaja Kallas", Modality: "attributed", Facts: []sheet.Fact{
				{Subject: "European Union", Predicate: "supports", Object: "Monitored ceasefire", Confidence: 0.8, Comment: `verb "supports"`},
				{Subject: "Kaja Kallas", Predicate: "supports", Object: "Monitored ceasefire", Confidence: 0.4, Disabled: true},
			}},
			{Evidence: "The Kremlin insisted on a halt to arms deliveries.", Speaker: "the Kremlin", Facts: []sheet.Fact{
				{Subject: "the Kremlin", Predicate: "insistsOn", Object: "Halt to arms deliveries", Confidence: 0.75},
			}},
		},
	}
}

// step is one answer; edit is the fact line an edit gives.
type step struct {
	key, edit string
	wantErr   string // an answer that is refused, the fact staying current
}

func TestReview(t *testing.T) {
	for _, tc := range []struct {
		name     string
		steps    []step
		facts    []string // the reviewed sheet's facts, "# " before one commented out
		entities []string
		skipped  []string
		counts   draft.ReviewCounts
	}{{
		name:     "accept all",
		steps:    []step{{key: "a"}, {key: "a"}, {key: "A"}},
		facts:    []string{`"European Union" supports "Monitored ceasefire"`, `"Kaja Kallas" supports "Monitored ceasefire"`, `"the Kremlin" insistsOn "Halt to arms deliveries"`},
		entities: []string{"Monitored ceasefire", "Halt to arms deliveries"},
		counts:   draft.ReviewCounts{Accepted: 3},
	}, {
		name:     "skip keeps the proposal, commented out if it was",
		steps:    []step{{key: "s"}, {key: "s"}, {key: "s"}},
		facts:    []string{`"European Union" supports "Monitored ceasefire"`, `# "Kaja Kallas" supports "Monitored ceasefire"`, `"the Kremlin" insistsOn "Halt to arms deliveries"`},
		entities: []string{"Monitored ceasefire", "Halt to arms deliveries"},
		counts:   draft.ReviewCounts{Skipped: 3},
	}, {
		name:     "reject drops the fact, an empty claim and an entity nothing names",
		steps:    []step{{key: "a"}, {key: "r"}, {key: "r"}},
		facts:    []string{`"European Union" supports "Monitored ceasefire"`},
		entities: []string{"Monitored ceasefire"},
		skipped:  []string{"The Kremlin insisted on a halt to arms deliveries."},
		counts:   draft.ReviewCounts{Accepted: 1, Rejected: 2},
	}, {
		name: "edit re-parses the line; a bad one is refused and asked again",
		steps: []step{
			{key: "e", edit: `"European Union" supports`, wantErr: "is not Subject predicate Object"},
			{key: "e", edit: `"European Union" opposes "Halt to arms deliveries"`},
			{key: "r"},
			{key: "e", edit: `"the Kremlin" insistsOn "Halt to arms deliveries"`},
		},
		facts:    []string{`"European Union" opposes "Halt to arms deliveries"`, `"the Kremlin" insistsOn "Halt to arms deliveries"`},
		entities: []string{"Halt to arms deliveries"},
		counts:   draft.ReviewCounts{Edited: 2, Rejected: 1},
	}, {
		name:     "quit writes what was decided; the rest is commented out",
		steps:    []step{{key: "a"}, {key: "q"}},
		facts:    []string{`"European Union" supports "Monitored ceasefire"`, `# "Kaja Kallas" supports "Monitored ceasefire"`, `# "the Kremlin" insistsOn "Halt to arms deliveries"`},
		entities: []string{"Monitored ceasefire"}, // the Kremlin's fact will not load: its new entity goes
		counts:   draft.ReviewCounts{Accepted: 1, Unreviewed: 2},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			r := draft.NewReview(reviewSheet())
			for i, st := range tc.steps {
				p, ok := r.Current()
				if !ok {
					t.Fatalf("step %d: the review is over", i)
				}
				a, ok := draft.ParseAnswer(st.key)
				if !ok {
					t.Fatalf("step %d: %q is no answer", i, st.key)
				}
				err := r.Answer(a, st.edit)
				switch {
				case st.wantErr != "" && (err == nil || !strings.Contains(err.Error(), st.wantErr)):
					t.Fatalf("step %d: Answer = %v, want %q", i, err, st.wantErr)
				case st.wantErr == "" && err != nil:
					t.Fatalf("step %d: Answer = %v", i, err)
				case st.wantErr != "":
					if again, _ := r.Current(); again.N != p.N {
						t.Fatalf("step %d: a refused edit moved on to fact %d", i, again.N)
					}
				}
			}
			if _, ok := r.Current(); ok {
				t.Fatal("the review is not over after the steps")
			}
			got := r.Sheet()
			var facts []string
			for _, c := range got.Claims {
				for _, f := range c.Facts {
					s := f.String()
					if f.Disabled {
						s = "# " + s
					}
					facts = append(facts, s)
				}
			}
			if !slices.Equal(facts, tc.facts) {
				t.Errorf("facts =\n  %s\nwant\n  %s", strings.Join(facts, "\n  "), strings.Join(tc.facts, "\n  "))
			}
			var entities []string
			for _, e := range got.Entities {
				entities = append(entities, e.Name)
			}
			if !slices.Equal(entities, tc.entities) {
				t.Errorf("entities = %q, want %q", entities, tc.entities)
			}
			if !slices.Equal(got.Skipped, tc.skipped) {
				t.Errorf("skipped = %q, want %q", got.Skipped, tc.skipped)
			}
			if r.Counts != tc.counts {
				t.Errorf("counts = %+v, want %+v", r.Counts, tc.counts)
			}
		})
	}
}

// TestReviewKeepsTheDraft: the review works on a copy; the draft is unchanged.
func TestReviewKeepsTheDraft(t *testing.T) {
	sh := reviewSheet()
	r := draft.NewReview(sh)
	r.Answer(draft.Edit, `Putin rejects "Monitored ceasefire"`)
	r.Answer(draft.Reject, "")
	r.Sheet()
	if !slices.EqualFunc(sh.Claims, reviewSheet().Claims, func(a, b sheet.Claim) bool { return slices.Equal(a.Facts, b.Facts) }) {
		t.Error("the review changed the draft it was given")
	}
	if _, ok := draft.ParseAnswer("x"); ok {
		t.Error("ParseAnswer accepts x")
	}
}
