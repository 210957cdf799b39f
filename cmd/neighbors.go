package cmd

import (
	"context"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley/parley/graph/analysis"
)

type neighborsOptions struct {
	*deps
	name  string
	depth int
}

// newNeighborsCmd builds the command; runF, when set, runs instead of the command (for tests of
// its flags and arguments).
func newNeighborsCmd(d *deps, runF func(*neighborsOptions) error) *cobra.Command {
	opts := &neighborsOptions{deps: d}
	cmd := &cobra.Command{
		Use:   "neighbors <entity> [--depth N]",
		Short: "List who and what is within some hops of an entity",
		Long: `List the entities within --depth hops (default 1) of an entity, following
relation facts either way, nearest first. For a neighbour one hop away the VIA column
gives the readings of the facts that link them, from the entity's side ("demands",
"demanded by"); further away, the entities one hop nearer it is reached through.`,
		Example: `  $ parley neighbors Zelensky
  $ parley neighbors "30-day ceasefire" --depth 2
  $ parley neighbors Putin -o json`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.depth < 1 {
				return usagef("--depth must be at least 1, not %d", opts.depth)
			}
			opts.name = args[0]
			if runF != nil {
				return runF(opts)
			}
			return runNeighbors(cmd.Context(), opts)
		},
	}
	cmd.Flags().IntVarP(&opts.depth, "depth", "d", 1, "how many hops away to look")
	return cmd
}

func runNeighbors(ctx context.Context, opts *neighborsOptions) error {
	s, err := opts.open(ctx, true)
	if err != nil {
		return err
	}
	defer s.Close()
	nb, err := analysis.New(s).Neighbors(ctx, opts.name, opts.depth)
	if err != nil {
		return err
	}
	if len(nb.Neighbors) == 0 {
		opts.io.Progressf("no fact links %s to anything\n", nb.Entity.Label)
	}
	if opts.format() == outputJSON {
		return opts.writeJSON(nb)
	}
	t := &table{header: []string{"distance", "entity", "type", "via"}}
	for _, n := range nb.Neighbors {
		via := strings.Join(n.Readings, ", ")
		if n.Distance > 1 {
			labels := make([]string, len(n.Via))
			for i, v := range n.Via {
				labels[i] = v.Label
			}
			via = "via " + strings.Join(labels, ", ")
		}
		t.add(strconv.Itoa(n.Distance), n.Label, strings.Join(n.Types, ", "), via)
	}
	return t.print(opts.deps)
}
