package cmd

import (
	"github.com/parley/parley/graph"
)

// printFacts renders facts: JSON records, or rows of subject, predicate, object and,
// with why, the claim's modality, speaker, evidence and source. Without why, a fact that
// rests on several claims is one row.
func (d *deps) printFacts(facts []graph.Fact, why bool) error {
	if d.format() == outputJSON {
		if facts == nil {
			facts = []graph.Fact{}
		}
		return d.writeJSON(facts)
	}
	t := &table{header: []string{"subject", "predicate", "object"}}
	if why {
		t.header = append(t.header, "modality", "date", "speaker", "source", "evidence")
	}
	seen := map[[3]string]bool{}
	for _, f := range facts {
		if !why {
			k := [3]string{f.Subject.ID, f.Predicate.ID, f.Object.ID}
			if seen[k] {
				continue
			}
			seen[k] = true
			t.add(f.Subject.Label, f.Predicate.Label, f.Object.Label)
			continue
		}
		t.add(f.Subject.Label, f.Predicate.Label, f.Object.Label, f.Modality, f.Date, nodeLabel(f.Speaker), nodeID(f.Source), f.Evidence)
	}
	return t.print(d)
}

func nodeLabel(n *graph.Node) string {
	if n == nil {
		return ""
	}
	return n.Label
}

func nodeID(n *graph.Node) string {
	if n == nil {
		return ""
	}
	return n.ID
}
