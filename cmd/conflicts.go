package cmd

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/graph/analysis"
)

type conflictsOptions struct {
	*deps
	evidenceFlags
	why bool
}

// newConflictsCmd builds the command; runF, when set, runs instead of the command (for tests of
// its flags and arguments).
func newConflictsCmd(d *deps, runF func(*conflictsOptions) error) *cobra.Command {
	opts := &conflictsOptions{deps: d}
	cmd := &cobra.Command{
		Use:   "conflicts [--why] [--min-modality M]",
		Short: "List the contested positions with both sides and the evidence for each stance",
		Long: `List the positions some actors hold pro and others oppose, the most sides first.

For: a pro stance on the position. Against: a con stance on it, or a pro stance on a
position that contradicts it (the contradiction's modality is shown, and the stance is
no firmer than the contradiction; an inferred contradiction is left out by default).
Firm and tentative stances both count; the STRENGTH column says which each is, firm
ones first.

` + stanceRule() + `

People count for the state or organization whose office they hold, the Kremlin for
Russia: these are the sides. A position is contested when its stances come from at
least two sides. --why prints each stance with its evidence.`,
		Example: `  $ parley conflicts
  $ parley conflicts --why
  $ parley conflicts -o json
  $ parley conflicts --min-modality inferred`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.evidenceFlags.check(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runConflicts(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.why, "why", false, "show the evidence for each stance")
	opts.evidenceFlags.addFlags(cmd.Flags())
	return cmd
}

func runConflicts(ctx context.Context, opts *conflictsOptions) error {
	s, err := opts.open(ctx, true)
	if err != nil {
		return err
	}
	defer s.Close()
	conflicts, err := analysis.New(s).Conflicts(ctx, opts.ev)
	if err != nil {
		return err
	}
	if len(conflicts) == 0 {
		opts.io.Progressf("no position is contested between sides\n")
	}
	if opts.format() == outputJSON {
		return opts.writeJSON(conflicts)
	}
	if opts.why && opts.format() == outputTable {
		var b strings.Builder
		for i, c := range conflicts {
			if i > 0 {
				b.WriteByte('\n')
			}
			fmt.Fprintf(&b, "%s\n", c.Position.Label)
			writeSideBlocks(&b, "for", c.SidesFor, c.For)
			writeSideBlocks(&b, "against", c.SidesAgainst, c.Against)
		}
		_, err := io.WriteString(opts.io.Out, b.String())
		return err
	}
	t := newStanceTable(opts.why)
	for _, c := range conflicts {
		t.addStances(c.Position, "for", c.For, opts.why)
		t.addStances(c.Position, "against", c.Against, opts.why)
	}
	return t.print(opts.deps)
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
	_, err := io.WriteString(d.io.Out, strings.Join(lines, ""))
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
