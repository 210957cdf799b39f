package cmd

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

type commonGroundOptions struct {
	*deps
	why bool
}

func newCommonGroundCmd(d *deps) *cobra.Command {
	opts := &commonGroundOptions{deps: d}
	cmd := &cobra.Command{
		Use:   "common-ground [--why]",
		Short: "List the positions supported across sides and opposed by none",
		Long: `List the positions that at least two sides hold pro (proposes, accepts, supports,
agrees to, demands, seeks, is optimistic about, ...) and none opposes: no con stance on
them and no pro stance on a position that contradicts them. The nearest thing the graph
knows to a zone of possible agreement, the most sides first.

Sides are as in 'parley conflicts': people count for the state or organization whose
office they hold. Stances on positions that are about one of these (Trump seeks "Putin
supports the 30-day ceasefire") are listed as related, not counted.
--why prints each stance with its evidence.`,
		Example: `  $ parley common-ground
  $ parley common-ground --why
  $ parley common-ground -o json`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCommonGround(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.why, "why", false, "show the evidence for each stance")
	return cmd
}

func runCommonGround(ctx context.Context, opts *commonGroundOptions) error {
	s, err := opts.open(ctx, true)
	if err != nil {
		return err
	}
	defer s.Close()
	agreements, err := s.CommonGround(ctx)
	if err != nil {
		return err
	}
	if len(agreements) == 0 {
		opts.io.Progressf("no position is held pro by two sides and opposed by none\n")
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
			if len(a.Related) > 0 {
				fmt.Fprintf(&b, "  related:\n")
				for _, st := range a.Related {
					writeStanceBlock(&b, "    ", st)
				}
			}
		}
		_, err := io.WriteString(opts.io.Out, b.String())
		return err
	}
	t := newStanceTable(opts.why)
	for _, a := range agreements {
		t.addStances(a.Position, "for", a.For, opts.why)
		t.addStances(a.Position, "related", a.Related, opts.why)
	}
	return t.print(opts.deps)
}
