package cmd

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

type describeOptions struct {
	*deps
	name string
	why  bool
}

// newDescribeCmd builds the command; runF, when set, runs instead of the command (for tests of
// its flags and arguments).
func newDescribeCmd(d *deps, runF func(*describeOptions) error) *cobra.Command {
	opts := &describeOptions{deps: d}
	cmd := &cobra.Command{
		Use:   "describe <entity> [--why]",
		Short: "Show every fact about an entity, both directions, grouped by predicate",
		Long: `Show an entity's ID, label, types and aliases, then every fact it takes part in,
grouped by predicate: outgoing facts under their reading ("demands"), incoming ones
under the reverse reading ("demanded by"); then, under "says", the facts that rest on
what the entity is quoted or paraphrased saying. --why adds each fact's evidence.`,
		Example: `  $ parley describe Zaporizhzhia
  $ parley describe "the Kremlin" --why
  $ parley describe Kallas -o json`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.name = args[0]
			if runF != nil {
				return runF(opts)
			}
			return runDescribe(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.why, "why", false, "show each fact's evidence, speaker and modality")
	return cmd
}

func runDescribe(ctx context.Context, opts *describeOptions) error {
	s, err := opts.open(ctx, true)
	if err != nil {
		return err
	}
	defer s.Close()
	desc, err := s.Describe(ctx, opts.name)
	if err != nil {
		return err
	}
	if opts.format() == outputJSON {
		return opts.writeJSON(desc)
	}
	e := desc.Entity
	tty := opts.format() == outputTable
	out := opts.textOut()
	if tty {
		fmt.Fprintf(out, "%s <%s>\n", e.Label, e.ID)
		if len(e.Types) > 0 {
			fmt.Fprintf(out, "type: %s\n", strings.Join(e.Types, ", "))
		}
		if len(e.Aliases) > 0 {
			fmt.Fprintf(out, "also: %s\n", strings.Join(e.Aliases, ", "))
		}
		fmt.Fprintln(out)
	}
	if opts.why && tty {
		for i, g := range desc.Groups {
			if i > 0 {
				fmt.Fprintln(out)
			}
			fmt.Fprintf(out, "# %s\n", g.Predicate.Reading)
			if err := writeFactBlocks(out, g.Facts); err != nil {
				return err
			}
		}
		if len(desc.Said) > 0 {
			fmt.Fprintf(out, "\n# says\n")
			return writeFactBlocks(out, desc.Said)
		}
		return nil
	}
	t := &table{header: []string{"reading", "entity", "modality"}}
	if opts.why {
		t.header = append(t.header, "date", "speaker", "claim", "evidence")
	}
	for _, g := range desc.Groups {
		for _, claims := range groupFacts(g.Facts) {
			other := claims[0].Object
			if g.Incoming {
				other = claims[0].Subject
			}
			if !opts.why {
				t.add(g.Predicate.Reading, other.Label, modalities(claims))
				continue
			}
			for _, f := range claims {
				t.add(g.Predicate.Reading, other.Label, f.Modality, f.Date, nodeLabel(f.Speaker), f.Claim, f.Evidence)
			}
		}
	}
	for _, claims := range groupFacts(desc.Said) {
		f := claims[0]
		fact := f.Subject.Label + " " + f.Predicate.Reading + " " + f.Object.Label
		if !opts.why {
			t.add("says", fact, modalities(claims))
			continue
		}
		for _, c := range claims {
			t.add("says", fact, c.Modality, c.Date, nodeLabel(c.Speaker), c.Claim, c.Evidence)
		}
	}
	return t.print(opts.deps)
}
