package cmd

import (
	"context"
	"strconv"

	"github.com/spf13/cobra"
)

type statsOptions struct{ *deps }

// newStatsCmd builds the command; runF, when set, runs instead of the command (for tests of
// its flags and arguments).
func newStatsCmd(d *deps, runF func(*statsOptions) error) *cobra.Command {
	opts := &statsOptions{deps: d}
	return &cobra.Command{
		Use:   "stats",
		Short: "Count quads, entities by type and quads by predicate",
		Example: `  $ parley stats
  $ parley stats -o json`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runStats(cmd.Context(), opts)
		},
	}
}

func runStats(ctx context.Context, opts *statsOptions) error {
	s, err := opts.open(ctx, true)
	if err != nil {
		return err
	}
	defer s.Close()
	st, err := s.Stats(ctx)
	if err != nil {
		return err
	}
	if opts.format() == outputJSON {
		return opts.writeJSON(st)
	}
	t := &table{header: []string{"kind", "name", "count"}}
	t.add("total", "quads", strconv.Itoa(st.Quads))
	t.add("total", "entities", strconv.Itoa(st.Entities))
	t.add("total", "claims", strconv.Itoa(st.Claims))
	for _, c := range st.Types {
		t.add("type", c.ID, strconv.Itoa(c.Count))
	}
	for _, c := range st.Predicates {
		t.add("predicate", c.ID, strconv.Itoa(c.Count))
	}
	return t.print(opts.deps)
}
