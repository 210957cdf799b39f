package cmd

import (
	"context"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley/parley/graph/analysis"
)

type brokersOptions struct {
	*deps
	evidenceFlags
	level levelFlags
}

// newBrokersCmd builds the command; runF, when set, runs instead of the command (for tests of
// its flags and arguments).
func newBrokersCmd(d *deps, runF func(*brokersOptions) error) *cobra.Command {
	opts := &brokersOptions{deps: d, level: levelFlags{byDefault: "people"}}
	cmd := &cobra.Command{
		Use:   "brokers [--people | --sides] [--min-modality M]",
		Short: "Rank the political actors that bridge the others by betweenness centrality",
		Long: `Rank the actors by betweenness centrality (gonum's network.Betweenness) on the
actor graph, where two actors are linked when a fact links them directly (clashes with,
government of), when they hold a stance of the same polarity on one position, or when
facts link both to the same event or office (a call one initiates and the other
receives; an office and the state it belongs to).

` + wrap(analysis.BrokerRule+" Those left out are named on stderr.") + `

BETWEENNESS counts the shortest paths between two other actors that pass through the
actor, each pair once, shared among equally short paths; NORMALIZED divides it by the
number of such pairs. REACHES lists the sides of its neighbours other than its own.
Actors are people, states and organizations as the facts name them by default
(--people); --sides merges people into the state or organization whose office they
hold, as 'parley alignment' does by default. --min-modality leaves out the facts of
weaker claims (inferences, by default), as in the other analyses.`,
		Example: `  $ parley brokers
  $ parley brokers --sides
  $ parley brokers -o json`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.level.check(); err != nil {
				return err
			}
			if err := opts.evidenceFlags.check(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runBrokers(cmd.Context(), opts)
		},
	}
	opts.level.addFlags(cmd.Flags())
	opts.evidenceFlags.addFlags(cmd.Flags())
	return cmd
}

func runBrokers(ctx context.Context, opts *brokersOptions) error {
	s, err := opts.open(ctx, true)
	if err != nil {
		return err
	}
	defer s.Close()
	brokers, left, err := analysis.New(s).Brokers(ctx, !opts.level.atPeople, opts.ev)
	if err != nil {
		return err
	}
	if len(left) > 0 {
		opts.io.Progressf("left out as no political actors (see 'parley brokers --help'): %s\n", labels(left))
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
