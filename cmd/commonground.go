package cmd

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley/parley/graph/analysis"
)

type commonGroundOptions struct {
	*deps
	evidenceFlags
	why bool
}

// newCommonGroundCmd builds the command; runF, when set, runs instead of the command (for tests of
// its flags and arguments).
func newCommonGroundCmd(d *deps, runF func(*commonGroundOptions) error) *cobra.Command {
	opts := &commonGroundOptions{deps: d}
	cmd := &cobra.Command{
		Use:   "common-ground [--why] [--min-modality M]",
		Short: "List the positions firmly supported across sides and opposed by none",
		Long: `List the positions that at least two sides hold firmly pro and none opposes: no con
stance on them, however tentative, and no pro stance on a position that contradicts
them. The nearest thing the graph knows to a zone of possible agreement, the most sides
first.

A side only tentatively for a position (is optimistic about it, considers it, or is
reported for it by a hedged or planned claim) is not counted: its stances are listed
apart as "tentative". Sides that take a stance elsewhere but none on the position are
listed as "no stance". Stances on positions that are about one of these (Trump seeks
"Putin supports the 30-day ceasefire") are listed as related, not counted.

` + stanceRule() + `

Sides are as in 'parley conflicts': people count for the state or organization whose
office they hold. --why prints each stance with its evidence.`,
		Example: `  $ parley common-ground
  $ parley common-ground --why
  $ parley common-ground -o json
  $ parley common-ground --min-modality attributed`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.evidenceFlags.check(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runCommonGround(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.why, "why", false, "show the evidence for each stance")
	opts.evidenceFlags.addFlags(cmd.Flags())
	return cmd
}

func runCommonGround(ctx context.Context, opts *commonGroundOptions) error {
	s, err := opts.open(ctx, true)
	if err != nil {
		return err
	}
	defer s.Close()
	agreements, err := analysis.New(s).CommonGround(ctx, opts.ev)
	if err != nil {
		return err
	}
	if len(agreements) == 0 {
		opts.io.Progressf("no position is held firmly pro by two sides and opposed by none\n")
	}
	if opts.format() == outputJSON {
		return opts.writeJSON(agreements)
	}
	if opts.why && opts.format() == outputTable {
		var b strings.Builder
		for i, a := range agreements {
			if i > 0 {
				b.WriteByte('\n')
			}
			fmt.Fprintf(&b, "%s\n", a.Position.Label)
			writeSideBlocks(&b, "for", a.Sides, a.For)
			if len(a.Tentative) > 0 {
				writeSideBlocks(&b, "tentative", sidesOf(a.Tentative), a.Tentative)
			}
			if len(a.NoStance) > 0 {
				fmt.Fprintf(&b, "  no stance: %s\n", labels(a.NoStance))
			}
			if len(a.Related) > 0 {
				fmt.Fprintf(&b, "  related:\n")
				for _, st := range a.Related {
					writeStanceBlock(&b, "    ", st)
				}
			}
		}
		_, err := io.WriteString(opts.textOut(), b.String())
		return err
	}
	t := newStanceTable(opts.why)
	for _, a := range agreements {
		t.addStances(a.Position, "for", a.For, opts.why)
		t.addStances(a.Position, "tentative", a.Tentative, opts.why)
		t.addSides(a.Position, "no stance", a.NoStance, opts.why)
		t.addStances(a.Position, "related", a.Related, opts.why)
	}
	return t.print(opts.deps)
}
