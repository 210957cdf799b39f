package cmd

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/graph/analysis"
	"github.com/parley/parley/schema"
)

// Printing stances, shared by stance, conflicts and common-ground: a stance's reading,
// modality and evidence, blocks for terminals and the table of stances by side.

// stanceReading is how a stance on position on reads: the predicate's reading, with the
// position it is on when that is another one (through a contradiction, or related).
func stanceReading(st analysis.Stance, on string) string {
	r := st.Predicate.Reading
	switch {
	case st.Position.ID == on:
		return r
	case len(st.Contradicts) > 0:
		return fmt.Sprintf("%s “%s”, which contradicts it", r, st.Position.Label)
	}
	return fmt.Sprintf("%s “%s”", r, st.Position.Label)
}

// stanceModality lists the modalities of a stance's claims, and of the contradiction it
// is counted through.
func stanceModality(st analysis.Stance) string {
	m := modalities(st.Claims)
	if len(st.Contradicts) > 0 {
		m += "; contradiction " + modalities(st.Contradicts)
	}
	return m
}

// evidenceOf joins the evidence sentences of a stance's claims and contradiction.
func evidenceOf(st analysis.Stance) string {
	var out []string
	seen := map[string]bool{}
	for _, c := range append(append([]graph.Fact{}, st.Claims...), st.Contradicts...) {
		if c.Evidence != "" && !seen[c.Evidence] {
			seen[c.Evidence] = true
			out = append(out, c.Evidence)
		}
	}
	return strings.Join(out, " | ")
}

// writeStanceBlock prints a stance as a line, then each claim behind it
// (and behind the contradiction it is counted through) with its evidence.
func writeStanceBlock(b *strings.Builder, indent string, st analysis.Stance) {
	side := ""
	if st.Side.ID != st.Actor.ID {
		side = "  (" + st.Side.Label + ")"
	}
	reading := st.Predicate.Reading
	switch st.Strength {
	case schema.Tentative:
		reading += " (tentative)"
	case schema.NoStance:
		reading += " (no stance)"
	}
	fmt.Fprintf(b, "%s%s  %s  %s%s\n", indent, st.Actor.Label, reading, st.Position.Label, side)
	writeClaims(b, indent+"    ", st.Claims)
	if len(st.Contradicts) > 0 {
		c := st.Contradicts[0]
		fmt.Fprintf(b, "%s  which contradicts it: %s  %s  %s\n", indent, c.Subject.Label, c.Predicate.Reading, c.Object.Label)
		writeClaims(b, indent+"    ", st.Contradicts)
	}
}

// writeSideBlocks prints one side of a position: the sides, then each stance with its
// evidence.
func writeSideBlocks(b *strings.Builder, name string, sides []graph.Node, sts []analysis.Stance) {
	labels := make([]string, len(sides))
	for i, sd := range sides {
		labels[i] = sd.Label
	}
	fmt.Fprintf(b, "  %s: %s\n", name, strings.Join(labels, ", "))
	for _, st := range sts {
		writeStanceBlock(b, "    ", st)
	}
}

// stanceTable is rows of stances on positions: position, stance (for, against,
// tentative, related, no stance), side, actor, reading, strength, modality and, with why,
// evidence.
type stanceTable struct{ table }

func newStanceTable(why bool) *stanceTable {
	t := &stanceTable{table{header: []string{"position", "stance", "side", "actor", "reading", "strength", "modality"}}}
	if why {
		t.header = append(t.header, "evidence")
	}
	return t
}

func (t *stanceTable) addStances(on graph.Node, kind string, sts []analysis.Stance, why bool) {
	for _, st := range sts {
		row := []string{on.Label, kind, st.Side.Label, st.Actor.Label, stanceReading(st, on.ID), string(st.Strength), stanceModality(st)}
		if why {
			row = append(row, evidenceOf(st))
		}
		t.add(row...)
	}
}

// print renders the table as table.print does, without the padding a terminal table
// leaves after the last cell of a row whose last cells are empty (the "no stance" rows).
func (t *stanceTable) print(d *deps) error {
	if d.format() != outputTable {
		return t.table.print(d)
	}
	var buf bytes.Buffer
	streams := *d.io
	streams.Out = &buf
	padded := *d
	padded.io = &streams
	if err := t.table.print(&padded); err != nil {
		return err
	}
	lines := strings.SplitAfter(buf.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(strings.TrimSuffix(l, "\n"), " ") + l[len(strings.TrimSuffix(l, "\n")):]
	}
	_, err := io.WriteString(d.textOut(), strings.Join(lines, ""))
	return err
}

// addSides adds a row for each side that takes no stance on a position.
func (t *stanceTable) addSides(on graph.Node, kind string, sides []graph.Node, why bool) {
	for _, sd := range sides {
		row := []string{on.Label, kind, sd.Label, "", "", "", ""}
		if why {
			row = append(row, "")
		}
		t.add(row...)
	}
}

// sidesOf returns the distinct sides of stances, in order.
func sidesOf(sts []analysis.Stance) []graph.Node {
	var out []graph.Node
	seen := map[string]bool{}
	for _, st := range sts {
		if !seen[st.Side.ID] {
			seen[st.Side.ID] = true
			out = append(out, st.Side)
		}
	}
	return out
}

// labels joins the labels of nodes: "Russia, Ukraine".
func labels(ns []graph.Node) string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.Label
	}
	return strings.Join(out, ", ")
}
