package cmd

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/parley/parley/graph"
)

type matchOptions struct {
	*deps
	pattern graph.Pattern
	why     bool
}

// newMatchCmd builds the command; runF, when set, runs instead of the command (for tests of
// its flags and arguments).
func newMatchCmd(d *deps, runF func(*matchOptions) error) *cobra.Command {
	opts := &matchOptions{deps: d}
	cmd := &cobra.Command{
		Use:   "match <subject> <predicate> <object> [--why]",
		Short: "List the facts that fit a pattern",
		Long: `List the facts that fit a subject-predicate-object pattern; _ matches anything.
Entities are named by ID, label or alias, case-insensitively ("Putin", "<putin>");
an ambiguous name is an error that lists the candidates. Predicates take their name
or either reading: "demands" or "demanded by" (which swaps subject and object).
A _ predicate matches relations, not labels, types or claim metadata.
--why adds each fact's claim: modality, date, speaker, source and the evidence sentence.`,
		Example: `  $ parley match Putin demands _ --why
  $ parley match _ "rejected by" Russia
  $ parley match Ukraine _ _ -o json`,
		Args: usageArgs(cobra.ExactArgs(3)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.pattern = graph.Pattern{Subject: args[0], Predicate: args[1], Object: args[2]}
			if runF != nil {
				return runF(opts)
			}
			return runMatch(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.why, "why", false, "show each fact's claim: evidence, speaker, source, date, modality")
	return cmd
}

func runMatch(ctx context.Context, opts *matchOptions) error {
	s, err := opts.open(ctx, true)
	if err != nil {
		return err
	}
	defer s.Close()
	facts, err := s.Match(ctx, opts.pattern)
	if err != nil {
		return err
	}
	if len(facts) == 0 {
		opts.io.Progressf("no facts match %s %s %s\n", opts.pattern.Subject, opts.pattern.Predicate, opts.pattern.Object)
	}
	return opts.printFacts(facts, opts.why)
}
