package cmd

import (
	"context"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/parley/parley/graph"
)

type salvageOptions struct {
	*deps
	file  string
	force bool
}

// newSalvageCmd builds the command; runF, when set, runs instead of the command (for tests
// of its flags and arguments).
func newSalvageCmd(d *deps, runF func(*salvageOptions) error) *cobra.Command {
	opts := &salvageOptions{deps: d}
	cmd := &cobra.Command{
		Use:   "salvage <out.nq> [--force]",
		Short: "Write every quad still readable from a damaged store as N-Quads",
		Long: `Read Cayley's log from the embedded store's file page by page, without trusting it,
and write every quad still readable to OUT.nq as N-Quads ("-" for stdout). A page that
cannot be read loses only the entries on it and below it: the counts of quads written
and of pages and records skipped go to stderr. Load the result into a new store:

  parley --db new.db init --no-seed
  parley --db new.db load --allow-unknown OUT.nq

The quads of a load that was interrupted and not rolled back are among those written.`,
		Example: `  $ parley salvage /tmp/parley-salvaged.nq --force`,
		Args:    usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.file = args[0]
			if runF != nil {
				return runF(opts)
			}
			return runSalvage(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.force, "force", false, "overwrite an existing file")
	return cmd
}

func runSalvage(_ context.Context, opts *salvageOptions) error {
	cfg, err := opts.storeConfig(true)
	if err != nil {
		return err
	}
	if _, err := os.Stat(cfg.Path); err != nil {
		return fmt.Errorf("salvage %s: %w", cfg.Path, err)
	}
	out := opts.io.Out
	var f *os.File
	if opts.file != "-" {
		if _, err := os.Stat(opts.file); err == nil && !opts.force {
			return fmt.Errorf("salvage to %s: the file exists (use --force to overwrite it)", opts.file)
		}
		if f, err = os.Create(opts.file + ".tmp"); err != nil {
			return fmt.Errorf("salvage to %s: %w", opts.file, err)
		}
		defer os.Remove(f.Name())
		defer f.Close()
		out = f
	}
	res, err := graph.Salvage(cfg, out)
	if err != nil {
		return fmt.Errorf("salvage %s: %w", cfg.Path, err)
	}
	if f != nil {
		if err := f.Close(); err != nil {
			return fmt.Errorf("salvage to %s: %w", opts.file, err)
		}
		if err := os.Rename(f.Name(), opts.file); err != nil {
			return fmt.Errorf("salvage to %s: %w", opts.file, err)
		}
	}
	if res.Scanned {
		opts.io.Progressf("salvage: the log of %s cannot be walked from its root: every page was read for its entries\n", cfg.Path)
	}
	if res.OlderMeta {
		opts.io.Progressf("salvage: a meta page of %s is damaged: read from the other one, which may be the older state\n", cfg.Path)
	}
	for _, p := range res.Problems {
		opts.io.Progressf("salvage: skipped %s\n", p)
	}
	opts.io.Progressf("salvaged %d quads from %s: %d pages of its log read, %d pages and %d records skipped, %d quads naming a lost node skipped\n",
		res.Quads, cfg.Path, res.Pages, res.PagesSkipped, res.RecordsSkipped, res.QuadsSkipped)
	if res.Journal {
		opts.io.Progressf("salvage: %s has the journal of an interrupted load beside it: that load's quads are among those written\n", cfg.Path)
	}
	return nil
}
