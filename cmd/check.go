package cmd

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/parley/parley/graph"
)

type checkOptions struct {
	*deps
	repair bool
}

// newCheckCmd builds the command; runF, when set, runs instead of the command (for tests
// of its flags and arguments).
func newCheckCmd(d *deps, runF func(*checkOptions) error) *cobra.Command {
	opts := &checkOptions{deps: d}
	cmd := &cobra.Command{
		Use:   "check [--repair]",
		Short: "Check the store's pages, counts, indexes and journal",
		Long: `Check the embedded store at every layer, one line per check:
  pages    every page of every bucket read one by one, without trusting the file
  bbolt    bbolt's own page check: every page reachable once, or free
  counts   Cayley's count of quads against the live quads of its log
  nodes    every node a quad names present in the log
  indexes  parley's name and claims indexes: stamped with the store's state, every
           entry the store's quads call for present, and none besides
  journal  no interrupted load, or one whose journal reads back whole
Exit 0 when the store is sound, 1 when not. A store with damaged pages is checked no
further. --repair rebuilds what can be rebuilt (the indexes) and says what cannot:
for damaged pages, 'parley salvage OUT.nq' or 'parley restore FILE'.`,
		Example: `  $ parley check
  $ parley check --repair -o json`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runCheck(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.repair, "repair", false, "rebuild what can be rebuilt (the indexes)")
	return cmd
}

// errUnsound is check's error for a store that is not sound, its findings printed.
var errUnsound = errors.New("not sound")

func runCheck(ctx context.Context, opts *checkOptions) error {
	cfg, err := opts.storeConfig(!opts.repair)
	if err != nil {
		return err
	}
	findings, err := graph.Check(ctx, cfg, opts.repair)
	if err != nil {
		return err
	}
	bad := 0
	for _, f := range findings {
		if !f.OK && f.Check != "repair" {
			bad++
		}
	}
	if opts.format() == outputJSON {
		if err := opts.writeJSON(findings); err != nil {
			return err
		}
	} else {
		t := &table{header: []string{"check", "status", "detail"}}
		for _, f := range findings {
			status := "ok"
			if !f.OK {
				status = "problem"
			}
			if f.Check == "repair" {
				status = "cannot"
			}
			t.add(f.Check, status, f.Detail)
		}
		if err := t.print(opts.deps); err != nil {
			return err
		}
	}
	if bad > 0 {
		return fmt.Errorf("store %s is %w: %d of its checks failed", cfg.Path, errUnsound, bad)
	}
	return nil
}
