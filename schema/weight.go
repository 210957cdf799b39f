package schema

import (
	"fmt"
	"slices"
	"strings"
)

// Strength is how firmly the evidence commits an actor to a stance.
type Strength string

// The strengths of a stance.
const (
	// Firm: the source states the stance, or reports the actor stating it.
	Firm Strength = "firm"
	// Tentative: a hint, a plan, a course under consideration, an inference, or a
	// tentative predicate (considers, is optimistic about) whatever the modality.
	Tentative Strength = "tentative"
	// NoStance: the actor declined to state or confirm it; it counts for nothing.
	NoStance Strength = "none"
)

// Weights of evidence: what a claim counts for in the analyses.
const (
	FirmWeight      = 1.0  // asserted, attributed
	TentativeWeight = 0.5  // hedged, planned, considered; any claim of a tentative predicate
	InferredWeight  = 0.25 // the coder's inference: weaker than any hint of the source's
	NoWeight        = 0.0  // refused: an actor declining to state something takes no stance
)

// DefaultMinModality is the weakest modality the analyses count unless told otherwise:
// every claim of weight TentativeWeight or more, so that inferences are left out.
const DefaultMinModality = ModalityHedged

// Weight is one row of the table of evidence weights: a modality, its weight, the
// strength of a stance that rests on it, and whether the analyses count it by default.
type Weight struct {
	Modality string   `json:"modality"`
	Weight   float64  `json:"weight"`
	Strength Strength `json:"strength"`
	Default  bool     `json:"default"` // counted unless --min-modality says otherwise
	Doc      string   `json:"doc"`
}

// Weights is the table of evidence weights, strongest first. A claim without a modality
// counts as asserted, the modality `parley add` records by default.
func Weights() []Weight {
	return []Weight{
		{ModalityAsserted, FirmWeight, Firm, true, "the source's own voice states it"},
		{ModalityAttributed, FirmWeight, Firm, true, "the actor's own words, reported (said, told, maintains)"},
		{ModalityHedged, TentativeWeight, Tentative, true, "a hint or the source's guess (hinted, likely)"},
		{ModalityPlanned, TentativeWeight, Tentative, true, "announced for the future (will, plans to)"},
		{ModalityConsidered, TentativeWeight, Tentative, true, "under consideration (considering)"},
		{ModalityInferred, InferredWeight, Tentative, false, "the coder's inference: left out unless --min-modality inferred"},
		{ModalityRefused, NoWeight, NoStance, true, "the actor declined to state or confirm it: shown, never counted"},
	}
}

// WeightOf returns the table row of a modality; no modality counts as asserted. An
// unknown modality (foreign data) weighs as an inference: it is not the source's word.
func WeightOf(modality string) Weight {
	if modality == "" {
		modality = ModalityAsserted
	}
	for _, w := range Weights() {
		if w.Modality == modality {
			return w
		}
	}
	return Weight{Modality: modality, Weight: InferredWeight, Strength: Tentative, Doc: "not a modality of the vocabulary"}
}

// StrengthOf is the strength of a stance of the given weight.
func StrengthOf(weight float64) Strength {
	switch {
	case weight >= FirmWeight:
		return Firm
	case weight > NoWeight:
		return Tentative
	}
	return NoStance
}

// StanceWeight is the weight of a stance of predicate p resting on claims of the given
// modalities: its strongest claim's, and no more than TentativeWeight when p is tentative.
// Several claims make a stance no firmer than its firmest one.
func StanceWeight(p *Predicate, modalities []string) float64 {
	w := NoWeight
	for _, m := range modalities {
		w = max(w, WeightOf(m).Weight)
	}
	if p != nil && p.Tentative {
		w = min(w, TentativeWeight)
	}
	return w
}

// Evidence says which claims the analyses count: those whose modality weighs at least
// MinModality's (DefaultMinModality when empty). Refused claims are always read, since
// they are shown, but weigh nothing.
type Evidence struct {
	MinModality string
}

// Threshold is the least weight a counted claim has.
func (e Evidence) Threshold() float64 {
	m := e.MinModality
	if m == "" {
		m = DefaultMinModality
	}
	return WeightOf(m).Weight
}

// Admits reports whether a claim of the given modality is read.
func (e Evidence) Admits(modality string) bool {
	return modality == ModalityRefused || WeightOf(modality).Weight >= e.Threshold()
}

// Check rejects a MinModality that names no modality, or one that weighs nothing.
func (e Evidence) Check() error {
	if e.MinModality == "" {
		return nil
	}
	var ok []string
	for _, w := range Weights() {
		if w.Weight > NoWeight {
			ok = append(ok, w.Modality)
		}
	}
	if !slices.Contains(ok, e.MinModality) {
		return fmt.Errorf("minimum modality %q is not one of %s", e.MinModality, strings.Join(ok, ", "))
	}
	return nil
}
