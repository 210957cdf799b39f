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

func newDescribeCmd(d *deps) *cobra.Command {
	opts := &describeOptions{deps: d}
	cmd := &cobra.Command{
		Use:   "describe <entity> [--why]",
		Short: "Show every fact about an entity, both directions, grouped by predicate",
		Long: `Show an entity's ID, label, types and aliases, then every fact it takes part in,
grouped by predicate: outgoing facts under their reading ("demands"), incoming ones
under the reverse reading ("demanded by"). --why adds each fact's evidence.`,
		Example: `  $ parley describe Zaporizhzhia
  $ parley describe "the Kremlin" --why
  $ parley describe Kallas -o json`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.name = args[0]
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
	t := &table{header: []string{"reading", "entity"}}
	if opts.why {
		t.header = append(t.header, "modality", "evidence")
	}
	if opts.format() == outputTable {
		fmt.Fprintf(opts.io.Out, "%s <%s>\n", e.Label, e.ID)
		if len(e.Types) > 0 {
			fmt.Fprintf(opts.io.Out, "type: %s\n", strings.Join(e.Types, ", "))
		}
		if len(e.Aliases) > 0 {
			fmt.Fprintf(opts.io.Out, "also: %s\n", strings.Join(e.Aliases, ", "))
		}
		fmt.Fprintln(opts.io.Out)
	}
	for _, g := range desc.Groups {
		seen := map[string]bool{}
		for _, f := range g.Facts {
			other := f.Object
			if g.Incoming {
				other = f.Subject
			}
			if !opts.why {
				if seen[other.ID] {
					continue
				}
				seen[other.ID] = true
				t.add(g.Reading, other.Label)
				continue
			}
			t.add(g.Reading, other.Label, f.Modality, f.Evidence)
		}
	}
	return t.print(opts.deps)
}
