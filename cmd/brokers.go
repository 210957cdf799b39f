package cmd

import (
	"context"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
)

type brokersOptions struct {
	*deps
	sides bool
}

func newBrokersCmd(d *deps) *cobra.Command {
	opts := &brokersOptions{deps: d}
	cmd := &cobra.Command{
		Use:   "brokers [--sides]",
		Short: "Rank the actors that bridge the others by betweenness centrality",
		Long: `Rank the actors by betweenness centrality (gonum's network.Betweenness) on the
actor graph, where two actors are linked when a fact links them directly (clashes with,
government of), when they hold a stance of the same polarity on one position, or when
facts link both to the same event or office (a call one initiates and the other
receives; an office and the state it belongs to).

BETWEENNESS counts the shortest paths between two other actors that pass through the
actor, each pair once, shared among equally short paths; NORMALIZED divides it by the
number of such pairs. REACHES lists the sides of its neighbours other than its own.
--sides merges people into the state or organization whose office they hold.`,
		Example: `  $ parley brokers
  $ parley brokers --sides
  $ parley brokers -o json`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBrokers(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.sides, "sides", false, "rank sides (states and organizations), people merged into them")
	return cmd
}

func runBrokers(ctx context.Context, opts *brokersOptions) error {
	s, err := opts.open(ctx, true)
	if err != nil {
		return err
	}
	defer s.Close()
	brokers, err := s.Brokers(ctx, opts.sides)
	if err != nil {
		return err
	}
	if opts.format() == outputJSON {
		return opts.writeJSON(brokers)
	}
	t := &table{header: []string{"rank", "actor", "side", "betweenness", "normalized", "links", "reaches"}}
	for i, b := range brokers {
		reaches := make([]string, len(b.Reaches))
		for j, r := range b.Reaches {
			reaches[j] = r.Label
		}
		t.add(strconv.Itoa(i+1), b.Actor.Label, b.Side.Label, strconv.FormatFloat(b.Betweenness, 'f', 2, 64),
			strconv.FormatFloat(b.Normalized, 'f', 3, 64), strconv.Itoa(b.Degree), strings.Join(reaches, ", "))
	}
	return t.print(opts.deps)
}
