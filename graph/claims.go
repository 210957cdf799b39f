package graph

import (
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/parley/parley/schema"
)

// claimSpec is a claim resolved to values: what its quads say. add and claim sheets
// both write claims through it, so a claim has one shape whoever writes it.
type claimSpec struct {
	ID        quad.IRI
	Source    quad.IRI
	Evidence  string
	Modality  string     // "" is asserted
	Speaker   quad.Value // nil: none
	Date      quad.Value // a typed date (ParseDate); nil: none
	Condition string
}

// quads are the claim's quads: type, source, evidence and modality, then speaker, date
// and condition where given.
func (c claimSpec) quads() []quad.Quad {
	modality := c.Modality
	if modality == "" {
		modality = schema.ModalityAsserted
	}
	out := []quad.Quad{
		quad.Make(c.ID, quad.IRI(schema.PredType), quad.IRI(schema.TypeClaim), nil),
		quad.Make(c.ID, quad.IRI(schema.PredSource), c.Source, nil),
		quad.Make(c.ID, quad.IRI(schema.PredEvidence), quad.String(c.Evidence), nil),
		quad.Make(c.ID, quad.IRI(schema.PredModality), quad.String(modality), nil),
	}
	if c.Speaker != nil {
		out = append(out, quad.Make(c.ID, quad.IRI(schema.PredSpeaker), c.Speaker, nil))
	}
	if c.Date != nil {
		out = append(out, quad.Make(c.ID, quad.IRI(schema.PredDate), c.Date, nil))
	}
	if c.Condition != "" {
		out = append(out, quad.Make(c.ID, quad.IRI(schema.PredCondition), quad.String(c.Condition), nil))
	}
	return out
}

// sourceSpec is a source document resolved to values.
type sourceSpec struct {
	ID        quad.IRI
	Title     string
	Published quad.Value // a typed date (ParseDate); nil: none
	URL       string
}

// quads are the source's quads: its type, its title as label and title, then its
// publication date and URL where given.
func (s sourceSpec) quads() []quad.Quad {
	out := []quad.Quad{
		quad.Make(s.ID, quad.IRI(schema.PredType), quad.IRI(schema.TypeSource), nil),
		quad.Make(s.ID, quad.IRI(schema.PredLabel), quad.String(s.Title), nil),
		quad.Make(s.ID, quad.IRI(schema.PredTitle), quad.String(s.Title), nil),
	}
	if s.Published != nil {
		out = append(out, quad.Make(s.ID, quad.IRI(schema.PredPublished), s.Published, nil))
	}
	if s.URL != "" {
		out = append(out, quad.Make(s.ID, quad.IRI(schema.PredURL), quad.String(s.URL), nil))
	}
	return out
}

// sourceIRI is the IRI of a new source with a title: src- and the title's slug.
func sourceIRI(title string) quad.IRI { return quad.IRI("src-" + slug(title)) }

// slug makes an IRI-safe lowercase name: letters and digits joined by hyphens.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 48 {
			break
		}
	}
	out := strings.TrimRight(b.String(), "-")
	if out == "" {
		out = "source"
	}
	return out
}
