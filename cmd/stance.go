package cmd

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley/parley/graph/analysis"
)

type stanceOptions struct {
	*deps
	evidenceFlags
	name   string
	direct bool
	why    bool
}

// newStanceCmd builds the command; runF, when set, runs instead of the command (for tests of
// its flags and arguments).
func newStanceCmd(d *deps, runF func(*stanceOptions) error) *cobra.Command {
	opts := &stanceOptions{deps: d}
	cmd := &cobra.Command{
		Use:   "stance <actor> [--direct] [--why] [--min-modality M]",
		Short: "Show an actor's positions, grouped by polarity",
		Long: `Show the positions an actor (a person, state or organization) holds, grouped by
polarity (pro, con, neutral), firm stances before tentative ones in each group; the
STRENGTH column says which.

` + stanceRule() + `

A state or organization speaks through the people who hold its offices (holdsRole,
roleOf) and through its government (the Kremlin for Russia): their stances are included
and the VIA column names who took them. --direct shows only the actor's own.
--why adds the evidence for each stance.`,
		Example: `  $ parley stance Putin
  $ parley stance Russia --why
  $ parley stance Russia --direct -o json
  $ parley stance Russia --min-modality attributed`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.evidenceFlags.check(); err != nil {
				return err
			}
			opts.name = args[0]
			if runF != nil {
				return runF(opts)
			}
			return runStance(cmd.Context(), opts)
		},
	}
	opts.evidenceFlags.addFlags(cmd.Flags())
	cmd.Flags().BoolVar(&opts.direct, "direct", false, "only the actor's own stances, not those of the people who act for it")
	cmd.Flags().BoolVar(&opts.why, "why", false, "show the evidence for each stance")
	return cmd
}

func runStance(ctx context.Context, opts *stanceOptions) error {
	s, err := opts.open(ctx, true)
	if err != nil {
		return err
	}
	defer s.Close()
	r, err := analysis.New(s).Stance(ctx, opts.name, opts.direct, opts.ev)
	if err != nil {
		return err
	}
	if others := otherMembers(r); len(others) > 0 {
		opts.io.Progressf("including the stances of %s, who act for %s (--direct leaves them out)\n", strings.Join(others, ", "), r.Actor.Label)
	}
	if len(r.Pro)+len(r.Con)+len(r.Neutral) == 0 {
		opts.io.Progressf("%s holds no stance on a position\n", r.Actor.Label)
	}
	if opts.format() == outputJSON {
		return opts.writeJSON(r)
	}
	groups := []stanceGroup{{"pro", r.Pro}, {"con", r.Con}, {"neutral", r.Neutral}}
	if opts.why && opts.format() == outputTable {
		return writeStanceGroups(opts.textOut(), groups)
	}
	t := &table{header: []string{"polarity", "position", "reading", "via", "strength", "modality"}}
	if opts.why {
		t.header = append(t.header, "evidence")
	}
	for _, g := range groups {
		for _, st := range g.stances {
			via := ""
			if st.Actor.ID != r.Actor.ID {
				via = st.Actor.Label
			}
			row := []string{g.name, st.Position.Label, stanceReading(st, st.Position.ID), via, string(st.Strength), stanceModality(st)}
			if opts.why {
				row = append(row, evidenceOf(st))
			}
			t.add(row...)
		}
	}
	return t.print(opts.deps)
}

// stanceGroup is the stances of one polarity.
type stanceGroup struct {
	name    string
	stances []analysis.Stance
}

// writeStanceGroups prints each non-empty group under a "# pro" line, each stance with
// its evidence.
func writeStanceGroups(w io.Writer, groups []stanceGroup) error {
	var b strings.Builder
	for _, g := range groups {
		if len(g.stances) == 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "# %s\n", g.name)
		for _, st := range g.stances {
			writeStanceBlock(&b, "", st)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// otherMembers names the actors whose stances a report includes besides its own.
func otherMembers(r *analysis.StanceReport) []string {
	var out []string
	for _, m := range r.Members {
		if m.ID != r.Actor.ID {
			out = append(out, m.Label)
		}
	}
	return out
}
