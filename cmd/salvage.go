package cmd

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley/parley/graph"
)

type salvageOptions struct {
	*deps
	file     string
	rejected string // "": beside file
	force    bool
}

// newSalvageCmd builds the command; runF, when set, runs instead of the command (for tests
// of its flags and arguments).
func newSalvageCmd(d *deps, runF func(*salvageOptions) error) *cobra.Command {
	opts := &salvageOptions{deps: d}
	cmd := &cobra.Command{
		Use:   "salvage <out.nq> [--rejected FILE] [--force]",
		Short: "Write every quad still readable from a damaged store as N-Quads",
		Long: `Read Cayley's log from the embedded store's file page by page, without trusting it,
and write every quad still readable as N-Quads. A page that cannot be read loses only
the entries on it and below it. What is read is validated as a load into a new store
would validate it, and the quads such a load would refuse (a fact whose claim lost its
<type>, say) are set apart, round after round until the rest has no problem: OUT.nq
("-" for stdout) gets the rest, which loads as it is, and --rejected FILE (default:
OUT.nq with .rejected.nq in place of .nq) the quads set apart, each after its problems
as '#' comment lines. The counts of quads kept and set apart, and of pages and records
skipped, go to stderr (-o json: to stdout, OUT.nq then a file). Load the result into a
new store:

  parley --db new.db init --no-seed
  parley --db new.db load --allow-unknown OUT.nq

The quads of a load that was interrupted and not rolled back are among those written.`,
		Example: `  $ parley salvage /tmp/parley-salvaged.nq --force`,
		Args:    usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.file = args[0]
			if err := opts.check(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runSalvage(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.rejected, "rejected", "", "write the quads a load would refuse to `FILE` (default: OUT.rejected.nq)")
	cmd.Flags().BoolVar(&opts.force, "force", false, "overwrite existing files")
	return cmd
}

// check completes and checks the command line: the file of rejected quads is named, and
// stdout holds one thing.
func (opts *salvageOptions) check() error {
	if opts.file == "-" {
		if opts.rejected == "" {
			return usagef("salvage to stdout needs --rejected FILE for the quads a load would refuse")
		}
		if opts.format() == outputJSON {
			return usagef("-o json prints the counts on stdout: give OUT.nq as a file")
		}
	}
	if opts.rejected == "" {
		opts.rejected = strings.TrimSuffix(opts.file, ".nq") + ".rejected.nq"
	}
	if opts.rejected == opts.file || opts.rejected == "-" {
		return usagef("--rejected %s: give a file other than OUT.nq and stdout", opts.rejected)
	}
	return nil
}

// salvageReport is salvage's -o json output.
type salvageReport struct {
	*graph.SalvageResult
	File         string `json:"file"`
	RejectedFile string `json:"rejected_file"`
}

func runSalvage(ctx context.Context, opts *salvageOptions) error {
	cfg, err := opts.storeConfig(true)
	if err != nil {
		return err
	}
	if _, err := os.Stat(cfg.Path); err != nil {
		return fmt.Errorf("salvage %s: %w", cfg.Path, err)
	}
	out := &outFile{name: opts.file, w: opts.io.Out}
	rej := &outFile{name: opts.rejected}
	for _, f := range []*outFile{out, rej} {
		if err := f.create(opts.force); err != nil {
			return err
		}
		defer f.discard()
	}
	res, err := graph.Salvage(ctx, cfg, out.w, rej.w)
	if err != nil {
		return fmt.Errorf("salvage %s: %w", cfg.Path, err)
	}
	for _, f := range []*outFile{out, rej} {
		if err := f.commit(); err != nil {
			return err
		}
	}
	if opts.format() == outputJSON {
		if err := opts.writeJSON(salvageReport{SalvageResult: res, File: opts.file, RejectedFile: opts.rejected}); err != nil {
			return err
		}
	}
	if res.Scanned {
		opts.io.Progressf("salvage: the log of %s cannot be walked from its root: every page was read for its entries\n", cfg.Path)
	}
	if res.OlderMeta {
		opts.io.Progressf("salvage: a meta page of %s is damaged: read from the other one, which may be the older state\n", cfg.Path)
	}
	for _, p := range res.Damage {
		opts.io.Progressf("salvage: skipped %s\n", p)
	}
	opts.io.Progressf("salvaged %d quads from %s: %d pages of its log read, %d pages and %d records skipped, %d quads naming a lost node skipped\n",
		res.Salvaged, cfg.Path, res.Pages, res.PagesSkipped, res.RecordsSkipped, res.QuadsSkipped)
	opts.io.Progressf("salvage: %d quads kept in %s, which a load into a new store accepts; %d it would refuse written to %s, each after its problems (validated in %d round%s)\n",
		res.Kept, opts.file, res.Rejected, opts.rejected, res.Rounds, plural(res.Rounds))
	if res.Journal {
		opts.io.Progressf("salvage: %s has the journal of an interrupted load beside it: that load's quads are among those written\n", cfg.Path)
	}
	return nil
}
