package cmd

import (
	"context"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/schema"
)

type addOptions struct {
	*deps
	assertion graph.Assertion
}

// newAddCmd builds the command; runF, when set, runs instead of the command (for tests of
// its flags and arguments).
func newAddCmd(d *deps, runF func(*addOptions) error) *cobra.Command {
	opts := &addOptions{deps: d}
	cmd := &cobra.Command{
		Use:   "add <subject> <predicate> <object> --evidence TEXT --source TEXT [--speaker NAME] [--date D] [--modality M] [--condition C]",
		Short: "Add one fact with its claim and provenance",
		Long: `Add one fact from the shell. Subject and object are named like match's (ID, label
or alias); the predicate by name or reading. The fact gets a claim that records the
evidence sentence, the source (an existing source's ID, label or title, or a new
source with that title), the speaker, the date (YYYY, YYYY-MM or YYYY-MM-DD), the
condition the source attaches, and the modality (` + strings.Join(schema.Modalities(), ", ") + `; default
asserted). It is validated against the vocabulary like a load, and prints the fact.`,
		Example: `  $ parley add Kallas rejects "peacekeeping forces" --evidence "Kallas said peacekeepers were premature." --source "Example wire, 19 March 2025" --speaker Kallas --date 2025-03-19 --modality attributed`,
		Args:    usageArgs(cobra.ExactArgs(3)),
		RunE: func(cmd *cobra.Command, args []string) error {
			a := &opts.assertion
			a.Subject, a.Predicate, a.Object = args[0], args[1], args[2]
			if a.Modality != "" && !slices.Contains(schema.Modalities(), a.Modality) {
				return usagef("unknown modality %q (modalities: %s)", a.Modality, strings.Join(schema.Modalities(), ", "))
			}
			if a.Date != "" {
				if _, err := schema.ParseDate(a.Date); err != nil {
					return &usageError{err}
				}
			}
			if a.Evidence == "" || a.Source == "" {
				return usagef("add needs --evidence and --source\nusage: %s", cmd.UseLine())
			}
			if runF != nil {
				return runF(opts)
			}
			return runAdd(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.assertion.Evidence, "evidence", "", "the sentence the fact rests on (required)")
	f.StringVar(&opts.assertion.Source, "source", "", "the source: an existing source's ID, label or title, or a new title (required)")
	f.StringVar(&opts.assertion.Speaker, "speaker", "", "who is quoted or paraphrased")
	f.StringVar(&opts.assertion.Date, "date", "", "when the fact holds: YYYY, YYYY-MM or YYYY-MM-DD")
	f.StringVar(&opts.assertion.Condition, "condition", "", "the condition the source attaches to the fact (\"until the war is fully resolved\")")
	f.StringVar(&opts.assertion.Modality, "modality", "", "one of "+strings.Join(schema.Modalities(), ", ")+" (default asserted)")
	return cmd
}

func runAdd(ctx context.Context, opts *addOptions) error {
	s, err := opts.open(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	fact, res, err := s.Add(ctx, opts.assertion)
	if err != nil {
		return err
	}
	if res.Written == 0 {
		opts.io.Progressf("the store already has this fact and claim; nothing written\n")
	} else {
		opts.io.Progressf("added %d quads\n", res.Written)
	}
	return opts.printFacts([]graph.Fact{*fact}, true)
}
