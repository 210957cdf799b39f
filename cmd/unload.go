package cmd

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley/parley/graph"
)

type unloadOptions struct {
	*deps
	loadFlags
	files []string
}

// newUnloadCmd builds the command; runF, when set, runs instead of the command (for tests of
// its flags and arguments).
func newUnloadCmd(d *deps, runF func(*unloadOptions) error) *cobra.Command {
	opts := &unloadOptions{deps: d}
	cmd := &cobra.Command{
		Use:   "unload <file>... [--format F] [--dry-run] [--strict]",
		Short: "Remove exactly the quads of files, all or nothing",
		Long: `Remove the quads listed in the files from the store. Every quad must be in the store:
one that is not is reported as FILE:LINE, the command exits 3, and nothing is removed.`,
		Example: `  $ parley unload new-article.nq`,
		Args:    usageArgs(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.files = args
			if runF != nil {
				return runF(opts)
			}
			return runUnload(cmd.Context(), opts)
		},
	}
	opts.register(cmd, true)
	return cmd
}

func runUnload(ctx context.Context, opts *unloadOptions) error {
	lo, err := opts.options()
	if err != nil {
		return err
	}
	inputs, err := opts.inputs(opts.files)
	if err != nil {
		return err
	}
	parsed, err := graph.Read(inputs, lo) // parse before taking the store's lock
	if err != nil {
		return err
	}
	s, err := opts.open(ctx, lo.DryRun)
	if err != nil {
		return err
	}
	defer s.Close()
	res, err := s.UnloadParsed(ctx, parsed, lo)
	if err != nil {
		return err
	}
	return opts.report(res, "unloaded", "removed", strings.Join(opts.files, ", "))
}
