package cmd

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/seed"
)

type initOptions struct {
	*deps
	noSeed bool
	force  bool
}

// newInitCmd builds the command; runF, when set, runs instead of the command (for tests of
// its flags and arguments).
func newInitCmd(d *deps, runF func(*initOptions) error) *cobra.Command {
	opts := &initOptions{deps: d}
	cmd := &cobra.Command{
		Use:   "init [--no-seed] [--force]",
		Short: "Create a store, seeded unless told otherwise",
		Long: `Create the store at --db (or the default path) and load the seed article's quads.
Any command that needs the default store creates it on first use; a store elsewhere
(--db, $PARLEY_DB) is created by init only. init is also for starting over (--force
replaces an existing store) or starting empty (--no-seed).`,
		Example: `  $ parley init --db /tmp/parley-example.db --force
  $ parley init --db /tmp/parley-empty.db --no-seed --force`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runInit(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.noSeed, "no-seed", false, "create an empty store")
	cmd.Flags().BoolVar(&opts.force, "force", false, "replace an existing store")
	return cmd
}

func runInit(ctx context.Context, opts *initOptions) error {
	cfg, err := opts.storeConfig(false)
	if err != nil {
		return err
	}
	if opts.noSeed {
		cfg.Seed = nil
	}
	s, err := graph.Create(ctx, cfg, opts.force)
	if err != nil {
		return err
	}
	defer s.Close()
	st, err := s.Stats(context.WithoutCancel(ctx)) // the new store is in place: an interrupt must not say otherwise
	if err != nil {
		return err
	}
	where := s.Location()
	if where == "" {
		where = "an in-memory store"
	}
	if opts.noSeed {
		opts.io.Progressf("created %s (empty)\n", where)
	} else {
		opts.io.Progressf("created %s with the seed: %d quads from %s\n", where, st.Quads, seed.Name)
	}
	return nil
}
