package schema

import (
	"slices"
	"testing"
)

// TestEveryStanceHasPatterns: a predicate an actor can state toward something brings its
// verb patterns with it, so that `parley draft` can find it.
func TestEveryStanceHasPatterns(t *testing.T) {
	has := map[string]bool{}
	for _, pp := range Patterns() {
		has[pp.Predicate] = len(pp.Patterns) > 0
	}
	checked := 0
	for _, p := range Default().Predicates() {
		if p.Kind != Relation || !slices.Equal(p.Domain, actors) {
			continue
		}
		checked++
		if !has[p.Name] {
			t.Errorf("predicate %s has no verb patterns in schema/patterns.go", p.Name)
		}
	}
	if checked < 20 {
		t.Errorf("checked %d stance predicates; the vocabulary has more", checked)
	}
}

func TestPatternsAreWellFormed(t *testing.T) {
	v := Default()
	seen := map[string]string{}
	for _, pp := range Patterns() {
		if v.Predicate(pp.Predicate) == nil {
			t.Errorf("patterns for %q, which the vocabulary lacks", pp.Predicate)
		}
		for _, p := range pp.Patterns {
			if p.Predicate != pp.Predicate {
				t.Errorf("%q is listed under %s but states %s", p.Words, pp.Predicate, p.Predicate)
			}
			if p.Confidence <= 0 || p.Confidence > 1 {
				t.Errorf("%s %q: confidence %v outside (0, 1]", pp.Predicate, p.Words, p.Confidence)
			}
			if !slices.Contains([]string{OriginLexicon, OriginSeedA, OriginSeedB}, p.Origin) {
				t.Errorf("%s %q: unknown origin %q", pp.Predicate, p.Words, p.Origin)
			}
			key := string(p.Form) + " " + p.Words
			if other, ok := seen[key]; ok && other == pp.Predicate {
				t.Errorf("%s %q listed twice", pp.Predicate, p.Words)
			}
			seen[key] = pp.Predicate
		}
	}
}

func TestInflect(t *testing.T) {
	for _, tc := range []struct {
		lemma, irregular string
		want             []string
	}{
		{"reject", "", []string{"reject", "rejects", "rejected", "rejecting"}},
		{"propose", "", []string{"propose", "proposes", "proposed", "proposing"}},
		{"deny", "", []string{"deny", "denies", "denied", "denying"}},
		{"dismiss", "", []string{"dismiss", "dismisses", "dismissed", "dismissing"}},
		{"agree", "", []string{"agree", "agrees", "agreed", "agreeing"}},
		{"push", "", []string{"push", "pushes", "pushed", "pushing"}},
		{"veto", "", []string{"veto", "vetoes", "vetoed", "vetoing"}},
		{"seek", "seeks sought sought seeking", []string{"seek", "seeks", "sought", "seeking"}},
		{"take", "takes took taken taking", []string{"take", "takes", "took", "taken", "taking"}},
	} {
		if got := Inflect(tc.lemma, tc.irregular); !slices.Equal(got, tc.want) {
			t.Errorf("Inflect(%q, %q) = %q, want %q", tc.lemma, tc.irregular, got, tc.want)
		}
	}
	if got := Participle("take", "takes took taken taking"); got != "taken" {
		t.Errorf("Participle(take) = %q", got)
	}
	if got := Participle("reject", ""); got != "rejected" {
		t.Errorf("Participle(reject) = %q", got)
	}
}

func TestAttributionVerbs(t *testing.T) {
	got := AttributionVerbs()
	for _, w := range []string{"said", "told", "says", "according", "stressed", "replied"} {
		if w == "according" {
			continue // "according to" is prepositional, found by the draft itself
		}
		if !slices.Contains(got, w) {
			t.Errorf("AttributionVerbs() lacks %q", w)
		}
	}
}

func TestPatternsIsACopy(t *testing.T) {
	a := Patterns()
	a[0].Patterns[0].Words = "changed"
	if Patterns()[0].Patterns[0].Words == "changed" {
		t.Error("Patterns() shares the table with its callers")
	}
}
