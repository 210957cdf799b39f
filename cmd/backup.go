package cmd

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/parley/parley/graph"
)

type backupOptions struct {
	*deps
	file  string
	force bool
}

// newBackupCmd builds the command; runF, when set, runs instead of the command (for tests
// of its flags and arguments).
func newBackupCmd(d *deps, runF func(*backupOptions) error) *cobra.Command {
	opts := &backupOptions{deps: d}
	cmd := &cobra.Command{
		Use:   "backup <file> [--force]",
		Short: "Write a consistent copy of the store, while readers go on",
		Long: `Write a copy of the embedded store to FILE, consistent as of one moment: it is read in
one read transaction, so readers go on beside it and a writer waits for it. The copy is
written to FILE.tmp, checked and renamed to FILE, with the store's mode; an existing
FILE is kept unless --force. 'parley restore FILE' puts it back.

A load a crash left half done is rolled back first, as any command that opens the
store does, so the copy never holds part of one; if its journal is damaged, the load
cannot be rolled back and the backup is refused, saying what can be done.`,
		Example: `  $ parley backup /tmp/parley-backup.db --force`,
		Args:    usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.file = args[0]
			if runF != nil {
				return runF(opts)
			}
			return runBackup(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.force, "force", false, "overwrite an existing file")
	return cmd
}

func runBackup(ctx context.Context, opts *backupOptions) error {
	cfg, err := opts.storeConfig(true)
	if err != nil {
		return err
	}
	size, rolled, err := graph.Backup(ctx, cfg, opts.file, opts.force)
	if rolled > 0 {
		opts.io.Progressf("parley: rolled back an interrupted load (%d quads) in %s\n", rolled, cfg.Path)
	}
	if err != nil {
		return err
	}
	opts.io.Progressf("backed up %s to %s (%d bytes)\n", cfg.Path, opts.file, size)
	return nil
}
