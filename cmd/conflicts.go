package cmd

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley/parley/graph"
)

type conflictsOptions struct {
	*deps
	why bool
}

func newConflictsCmd(d *deps) *cobra.Command {
	opts := &conflictsOptions{deps: d}
	cmd := &cobra.Command{
		Use:   "conflicts [--why]",
		Short: "List the contested positions with both sides and the evidence for each stance",
		Long: `List the positions some actors hold pro and others oppose, the most sides first.

For: a pro stance on the position (demands, insists on, seeks, proposes, accepts,
agrees to, supports, asserts, is optimistic about; considers counts as for, marked
tentative). Against: a con stance on it (rejects, opposes, dismisses, warns of), or a
pro stance on a position that contradicts it (the contradiction's modality is shown).

People count for the state or organization whose office they hold, the Kremlin for
Russia: these are the sides. A position is contested when its stances come from at
least two sides. --why prints each stance with its evidence.`,
		Example: `  $ parley conflicts
  $ parley conflicts --why
  $ parley conflicts -o json`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runConflicts(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.why, "why", false, "show the evidence for each stance")
	return cmd
}

func runConflicts(ctx context.Context, opts *conflictsOptions) error {
	s, err := opts.open(ctx, true)
	if err != nil {
		return err
	}
	defer s.Close()
	conflicts, err := s.Conflicts(ctx)
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
func writeSideBlocks(b *strings.Builder, name string, sides []graph.Node, sts []graph.Stance) {
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
// related), side, actor, reading, modality and, with why, evidence.
type stanceTable struct{ table }

func newStanceTable(why bool) *stanceTable {
	t := &stanceTable{table{header: []string{"position", "stance", "side", "actor", "reading", "modality"}}}
	if why {
		t.header = append(t.header, "evidence")
	}
	return t
}

func (t *stanceTable) addStances(on graph.Node, kind string, sts []graph.Stance, why bool) {
	for _, st := range sts {
		row := []string{on.Label, kind, st.Side.Label, st.Actor.Label, stanceReading(st, on.ID), stanceModality(st)}
		if why {
			row = append(row, evidenceOf(st))
		}
		t.add(row...)
	}
}
