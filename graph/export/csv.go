package export

import (
	"encoding/csv"
	"io"

	"github.com/parley/parley/graph"
)

// csvHeader names the columns of the csv format.
func csvHeader() []string {
	return []string{"subject_id", "subject", "predicate", "reading", "object_id", "object",
		"polarity", "modality", "date", "speaker", "evidence", "claim", "document"}
}

// WriteCSV writes a header, then one row a fact: the subject's and object's IDs and labels
// (a literal object's ID is its N-Quads notation), the predicate, its reading and polarity,
// and the claim's modality, date, speaker, evidence, ID and source document (labels).
// Control characters are written as visible escapes (safeText).
func WriteCSV(w io.Writer, g *graph.Subgraph, opt Options) error {
	v := newTextView(g, opt.vocabulary())
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader()); err != nil {
		return err
	}
	for _, e := range v.Edges {
		f := e.Fact
		if err := cw.Write([]string{
			e.From.ID, e.From.Label, f.Predicate.ID, e.Reading, e.To.ID, e.To.Label,
			string(e.Polarity), f.Modality, f.Date, speakerLabel(f), f.Evidence, f.Claim, sourceLabel(f),
		}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
