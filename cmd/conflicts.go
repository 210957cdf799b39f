package cmd

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

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
		_, err := io.WriteString(opts.textOut(), b.String())
		return err
	}
	t := newStanceTable(opts.why)
	for _, c := range conflicts {
		t.addStances(c.Position, "for", c.For, opts.why)
		t.addStances(c.Position, "against", c.Against, opts.why)
	}
	return t.print(opts.deps)
}
