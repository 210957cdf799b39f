package cmd

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/parley/parley/graph"
)

// printFacts renders facts: JSON records; or rows of subject, predicate, object and the
// modalities of the claims behind each fact (one row per fact); or, with why, one row per
// claim with its modality, date, speaker, source, evidence and condition. On a terminal, why prints
// each claim as a block, the evidence on a line of its own.
func (d *deps) printFacts(facts []graph.Fact, why bool) error {
	if d.format() == outputJSON {
		if facts == nil {
			facts = []graph.Fact{}
		}
		return d.writeJSON(facts)
	}
	if why && d.format() == outputTable {
		return writeFactBlocks(d.textOut(), facts)
	}
	t := &table{header: []string{"subject", "predicate", "object", "modality"}}
	if why {
		t.header = append(t.header, "date", "speaker", "source", "claim", "evidence", "condition")
		for _, f := range facts {
			t.add(f.Subject.Label, f.Predicate.Reading, f.Object.Label, f.Modality, f.Date, nodeLabel(f.Speaker), nodeID(f.Source), f.Claim, f.Evidence, f.Condition)
		}
		return t.print(d)
	}
	for _, g := range groupFacts(facts) {
		t.add(g[0].Subject.Label, g[0].Predicate.Reading, g[0].Object.Label, modalities(g))
	}
	return t.print(d)
}

// groupFacts groups consecutive facts with the same subject, predicate and object: the
// claims behind one fact. Facts come sorted, so a fact's claims are consecutive.
func groupFacts(facts []graph.Fact) [][]graph.Fact {
	var out [][]graph.Fact
	for i, f := range facts {
		if i > 0 && facts[i-1].SameTriple(f) {
			out[len(out)-1] = append(out[len(out)-1], f)
			continue
		}
		out = append(out, []graph.Fact{f})
	}
	return out
}

// modalities lists the distinct modalities of a fact's claims, sorted.
func modalities(claims []graph.Fact) string {
	seen := map[string]bool{}
	var out []string
	for _, c := range claims {
		if c.Modality != "" && !seen[c.Modality] {
			seen[c.Modality] = true
			out = append(out, c.Modality)
		}
	}
	slices.Sort(out)
	return strings.Join(out, ", ")
}

// writeFactBlocks prints each fact with its claims: the fact on one line, then for each
// claim the evidence and a line naming modality, date, speaker and claim.
func writeFactBlocks(w io.Writer, facts []graph.Fact) error {
	var b strings.Builder
	for i, g := range groupFacts(facts) {
		if i > 0 {
			b.WriteByte('\n')
		}
		f := g[0]
		fmt.Fprintf(&b, "%s  %s  %s\n", f.Subject.Label, f.Predicate.Reading, f.Object.Label)
		writeClaims(&b, "    ", g)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeClaims prints each claim's evidence and a line naming its modality, date, speaker
// and claim, under each fact of match --why and in the analyses.
func writeClaims(b *strings.Builder, indent string, claims []graph.Fact) {
	for _, c := range claims {
		if c.Evidence != "" {
			fmt.Fprintf(b, "%s“%s”\n", indent, c.Evidence)
		}
		var about []string
		for _, s := range []string{c.Modality, c.Date, speakerOf(c)} {
			if s != "" {
				about = append(about, s)
			}
		}
		if c.Condition != "" {
			about = append(about, "condition: "+c.Condition)
		}
		if c.Claim != "" {
			about = append(about, "<"+c.Claim+">")
		}
		if len(about) > 0 {
			fmt.Fprintf(b, "%s— %s\n", indent, strings.Join(about, ", "))
		}
	}
}

func speakerOf(f graph.Fact) string {
	if f.Speaker == nil {
		return ""
	}
	return "said by " + f.Speaker.Label
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
