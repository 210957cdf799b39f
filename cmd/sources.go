package cmd

import (
	"context"
	"strconv"

	"github.com/spf13/cobra"
)

type sourcesOptions struct{ *deps }

// newSourcesCmd builds the command; runF, when set, runs instead of the command (for tests of
// its flags and arguments).
func newSourcesCmd(d *deps, runF func(*sourcesOptions) error) *cobra.Command {
	opts := &sourcesOptions{deps: d}
	return &cobra.Command{
		Use:     "sources",
		Short:   "List the sources with their claim and fact counts",
		Example: `  $ parley sources`,
		Args:    usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runSources(cmd.Context(), opts)
		},
	}
}

func runSources(ctx context.Context, opts *sourcesOptions) error {
	s, err := opts.open(ctx, true)
	if err != nil {
		return err
	}
	defer s.Close()
	srcs, err := s.Sources(ctx)
	if err != nil {
		return err
	}
	if opts.format() == outputJSON {
		return opts.writeJSON(srcs)
	}
	t := &table{header: []string{"id", "title", "published", "claims", "facts"}}
	for _, src := range srcs {
		title := src.Title
		if title == "" {
			title = src.Label
		}
		t.add(src.ID, title, src.Published, strconv.Itoa(src.Claims), strconv.Itoa(src.Facts))
	}
	return t.print(opts.deps)
}
