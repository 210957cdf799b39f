package draft

import (
	"testing"

	"github.com/parley/parley/schema"
	"github.com/parley/parley/seed"
)

// fold is one measurement of the draft on the seed article.
type fold struct {
	name     string
	patterns []string // origins
	half     string   // "a", "b" or "" for the whole article
}

var folds = []fold{
	{"seed, all patterns", []string{schema.OriginLexicon, schema.OriginSeedA, schema.OriginSeedB}, ""},
	{"seed, general patterns only", []string{schema.OriginLexicon}, ""},
	{"fold 1: tuned on A, scored on B", []string{schema.OriginLexicon, schema.OriginSeedA}, "b"},
	{"fold 2: tuned on B, scored on A", []string{schema.OriginLexicon, schema.OriginSeedB}, "a"},
}

func scoreFold(t testing.TB, f fold, preds []string) Score {
	g, lx := seedGold(t)
	text := seed.Article()
	sh, _ := Draft(text, lx, Options{Title: "seed", Published: "2025-03", Patterns: PatternsFrom(f.patterns...)})
	a, b := Halves(text)
	only := map[string]func(string) bool{"a": a, "b": b}[f.half]
	return Evaluate(sh, g, Scope{Predicates: preds, Evidence: only})
}

func frac(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// TestSeedQuality holds the draft of the seed article to the goals on stance
// facts: precision ≥ 0.7, recall ≥ 0.5, the speaker right for ≥ 0.8 of the facts found,
// every evidence verbatim. Modality is logged, not held: where it differs, today's seed
// contradicts schema's own cue rule (see bench/RESULTS.md).
func TestSeedQuality(t *testing.T) {
	for _, f := range folds {
		for _, preds := range [][]string{StancePredicates, PatternPredicates()} {
			s := scoreFold(t, f, preds)
			t.Logf("%-32s %3d predicates: P %.2f R %.2f (%d matched, %d proposed, %d gold) speaker %.2f modality %.2f verbatim %d/%d",
				f.name, len(preds), s.Precision, s.Recall, s.Matched, s.Predicted, s.Gold,
				frac(s.SpeakerRight, s.Matched), frac(s.ModalityRight, s.Matched), s.Verbatim, s.Claims)
			if s.Verbatim != s.Claims || s.Claims == 0 {
				t.Errorf("%s: %d of %d claims verbatim", f.name, s.Verbatim, s.Claims)
			}
		}
	}
	s := scoreFold(t, folds[0], StancePredicates)
	if s.Precision < 0.7 || s.Recall < 0.5 || frac(s.SpeakerRight, s.Matched) < 0.8 {
		t.Errorf("stance facts of the seed: P %.2f R %.2f speaker %.2f; want P ≥ 0.7, R ≥ 0.5, speaker ≥ 0.8",
			s.Precision, s.Recall, frac(s.SpeakerRight, s.Matched))
	}
	for _, f := range folds[2:] {
		if s := scoreFold(t, f, StancePredicates); s.Precision < 0.7 || s.Recall < 0.4 {
			t.Errorf("%s: P %.2f R %.2f; want P ≥ 0.7, R ≥ 0.4", f.name, s.Precision, s.Recall)
		}
	}
}

// BenchmarkDraftSeed drafts the seed article: well under a second.
func BenchmarkDraftSeed(b *testing.B) {
	_, lx := seedGold(b)
	text := seed.Article()
	b.ReportAllocs()
	for b.Loop() {
		Draft(text, lx, Options{Title: "seed", Published: "2025-03"})
	}
}
