package cmd

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley/parley/graph"
)

type unloadOptions struct {
	*deps
	loadFlags
	files  []string
	source string
}

// newUnloadCmd builds the command; runF, when set, runs instead of the command (for tests of
// its flags and arguments).
func newUnloadCmd(d *deps, runF func(*unloadOptions) error) *cobra.Command {
	opts := &unloadOptions{deps: d}
	cmd := &cobra.Command{
		Use:   "unload {<file>... | --source S} [--format F] [--dry-run] [--strict]",
		Short: "Remove exactly the quads of files, or a source, all or nothing",
		Long: `Remove the quads listed in the files from the store. Every quad must be in the store:
one that is not is reported as FILE:LINE, the command exits 3, and nothing is removed.

--source S removes a source (by ID, label or title, as 'add --source' finds it) and
what it brought, in one transaction:
  - its claims (their type, source, evidence, speaker, modality, date and condition)
    and the facts they label; a claim that names another source too keeps all that and
    loses only its link to this one;
  - the source's own quads (type, label, title, published, url);
  - the type, label and alias quads of each entity its facts and claims named that
    nothing left in the store names any more (a count on stderr); an entity any other
    claim or fact still names keeps them.
Nothing else goes. A source that a fact still names (a fact about the document itself)
is not removed.`,
		Example: `  $ parley unload new-article.nq
  $ parley unload --dry-run --source 'Example wire, 20 March 2025'`,
		Args: usageArgs(cobra.ArbitraryArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.files = args
			switch {
			case opts.source == "" && len(args) == 0:
				return usagef("unload needs files, or --source S\nusage: %s", cmd.UseLine())
			case opts.source != "" && len(args) > 0:
				return usagef("unload takes files or --source, not both")
			}
			if runF != nil {
				return runF(opts)
			}
			return runUnload(cmd.Context(), opts)
		},
	}
	opts.register(cmd, true)
	cmd.Flags().StringVar(&opts.source, "source", "", "remove this source (by ID, label or title) and what it brought")
	return cmd
}

func runUnload(ctx context.Context, opts *unloadOptions) error {
	lo, err := opts.options()
	if err != nil {
		return err
	}
	if opts.source != "" {
		return runUnloadSource(ctx, opts, lo)
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

// runUnloadSource removes a source and what it brought.
func runUnloadSource(ctx context.Context, opts *unloadOptions, lo graph.LoadOptions) error {
	s, err := opts.open(ctx, lo.DryRun)
	if err != nil {
		return err
	}
	defer s.Close()
	src, err := s.ResolveSource(ctx, opts.source)
	if err != nil {
		return err
	}
	res, err := s.UnloadSource(ctx, src, lo)
	if err != nil {
		return err
	}
	if opts.deps.format() == outputJSON {
		return opts.writeJSON(res)
	}
	did := "unloaded source"
	if res.DryRun {
		did = "dry run of unloading source, nothing removed:"
	}
	opts.io.Progressf("%s %s: %d quads, %d claims, %d facts%s\n", did, src, res.Quads, res.Claims, res.Facts, entitiesGone(res))
	return nil
}

// entitiesGone says how many entities' names went with a source, if any.
func entitiesGone(r graph.Removed) string {
	if r.Entities == 0 {
		return ""
	}
	return fmt.Sprintf("; and the type, label and alias quads of %d entities nothing else names", r.Entities)
}
