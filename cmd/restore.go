package cmd

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/parley/parley/graph"
)

type restoreOptions struct {
	*deps
	file string
}

// newRestoreCmd builds the command; runF, when set, runs instead of the command (for tests
// of its flags and arguments).
func newRestoreCmd(d *deps, runF func(*restoreOptions) error) *cobra.Command {
	opts := &restoreOptions{deps: d}
	return &cobra.Command{
		Use:   "restore <file>",
		Short: "Put a backup in place of the store, all or nothing",
		Long: `Put a copy of FILE, a backup made by 'parley backup', in place of the embedded store.
FILE is opened read-only and checked whole first (as 'parley check' does), and a
damaged one is refused with the reason, leaving the store as it is. Then, under the
store's write lock, a copy of FILE with the store's mode is renamed over the store; the
store may be damaged, a restore does not read it. The journal of a load interrupted in
the replaced store is removed, and the state record is updated so that the restored,
older, store is not taken for a rolled-back one.`,
		Example: `  $ parley --db /tmp/parley-example.db restore /tmp/parley-backup.db`,
		Args:    usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.file = args[0]
			if runF != nil {
				return runF(opts)
			}
			return runRestore(cmd.Context(), opts)
		},
	}
}

func runRestore(ctx context.Context, opts *restoreOptions) error {
	cfg, err := opts.storeConfig(false)
	if err != nil {
		return err
	}
	if err := graph.Restore(ctx, cfg, opts.file); err != nil {
		return err
	}
	opts.io.Progressf("restored %s from %s\n", cfg.Path, opts.file)
	return nil
}
