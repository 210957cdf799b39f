package schema

import (
	"slices"
	"testing"
)

// TestWeightsCoverModalities: every modality has exactly one row, strongest first.
func TestWeightsCoverModalities(t *testing.T) {
	var got []string
	ws := Weights()
	for i, w := range ws {
		got = append(got, w.Modality)
		if i > 0 && w.Weight > ws[i-1].Weight {
			t.Errorf("%s (%v) after %s (%v): not strongest first", w.Modality, w.Weight, ws[i-1].Modality, ws[i-1].Weight)
		}
		if StrengthOf(w.Weight) != w.Strength {
			t.Errorf("%s: strength %s, but a weight of %v is %s", w.Modality, w.Strength, w.Weight, StrengthOf(w.Weight))
		}
	}
	want := Modalities()
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("weights for %v, modalities %v", got, want)
	}
}

func TestStanceWeight(t *testing.T) {
	v := Default()
	for _, tc := range []struct {
		name       string
		pred       string
		modalities []string
		weight     float64
		strength   Strength
	}{
		{"asserted", PredDemands, []string{ModalityAsserted}, 1, Firm},
		{"attributed", PredRejects, []string{ModalityAttributed}, 1, Firm},
		{"no modality counts as asserted", PredSupports, []string{""}, 1, Firm},
		{"hedged", PredSupports, []string{ModalityHedged}, 0.5, Tentative},
		{"planned", PredDiscusses, []string{ModalityPlanned}, 0.5, Tentative},
		{"considered", PredConsiders, []string{ModalityConsidered}, 0.5, Tentative},
		{"inferred", PredSupports, []string{ModalityInferred}, 0.25, Tentative},
		{"refused", PredDeclinesToComment, []string{ModalityRefused}, 0, NoStance},
		{"the firmest claim", PredAccepts, []string{ModalityHedged, ModalityAsserted}, 1, Firm},
		{"a tentative predicate, asserted", PredOptimisticAbout, []string{ModalityAttributed}, 0.5, Tentative},
		{"considers, asserted", PredConsiders, []string{ModalityAsserted}, 0.5, Tentative},
		{"a tentative predicate, inferred", PredOptimisticAbout, []string{ModalityInferred}, 0.25, Tentative},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := StanceWeight(v.Predicate(tc.pred), tc.modalities)
			if w != tc.weight || StrengthOf(w) != tc.strength {
				t.Errorf("weight %v (%s), want %v (%s)", w, StrengthOf(w), tc.weight, tc.strength)
			}
		})
	}
}

func TestEvidenceAdmits(t *testing.T) {
	for _, tc := range []struct {
		min   string
		admit []string
		leave []string
	}{
		{"", []string{ModalityAsserted, ModalityAttributed, ModalityHedged, ModalityPlanned, ModalityConsidered, ModalityRefused, ""}, []string{ModalityInferred}},
		{ModalityInferred, Modalities(), nil},
		{ModalityAttributed, []string{ModalityAsserted, ModalityAttributed, ModalityRefused}, []string{ModalityHedged, ModalityPlanned, ModalityConsidered, ModalityInferred}},
		{ModalityAsserted, []string{ModalityAsserted, ModalityAttributed}, []string{ModalityHedged}},
		{ModalityConsidered, []string{ModalityHedged}, []string{ModalityInferred}},
	} {
		t.Run("min "+tc.min, func(t *testing.T) {
			e := Evidence{MinModality: tc.min}
			if err := e.Check(); err != nil {
				t.Fatal(err)
			}
			for _, m := range tc.admit {
				if !e.Admits(m) {
					t.Errorf("%q left out", m)
				}
			}
			for _, m := range tc.leave {
				if e.Admits(m) {
					t.Errorf("%q admitted", m)
				}
			}
		})
	}
	for _, bad := range []string{"rumoured", ModalityRefused, "firm"} {
		if err := (Evidence{MinModality: bad}).Check(); err == nil {
			t.Errorf("min modality %q accepted", bad)
		}
	}
}
