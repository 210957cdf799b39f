package cmd

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley/parley/graph"
)

type alignmentOptions struct {
	*deps
	people bool
	pairs  bool
}

func newAlignmentCmd(d *deps) *cobra.Command {
	opts := &alignmentOptions{deps: d}
	cmd := &cobra.Command{
		Use:   "alignment [--people] [--pairs]",
		Short: "Show the actor-by-actor agreement matrix and the blocs it implies",
		Long: `Score every pair of actors by their stances on positions (see 'parley stance'):
+1 for each position both hold pro or both con, -1 for each one holds pro and the other
con; across two positions that contradict each other, both pro is -1 and one con
against the other's pro is +1. Neutral stances do not count.

Actors are sides by default: people count for the state or organization whose office
they hold, the Kremlin for Russia. --people scores every person, state and
organization as the facts name them.

The blocs are the communities of this signed graph: Louvain modularity with the
agreements as a layer of weight +1 and the disagreements as a layer of weight -1
(gonum's community.ModularizeMultiplex, resolution 1, a fixed random seed).

The table is the matrix: one row per actor, ordered by bloc, with its number, bloc
and label, then its score with each actor in row order ("." on the diagonal).
--pairs lists the pairs instead, with the positions behind each score.`,
		Example: `  $ parley alignment
  $ parley alignment --people
  $ parley alignment --pairs -o json`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAlignment(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.people, "people", false, "score people, states and organizations as the facts name them, not sides")
	cmd.Flags().BoolVar(&opts.pairs, "pairs", false, "list the pairs with the positions behind each score instead of the matrix")
	return cmd
}

func runAlignment(ctx context.Context, opts *alignmentOptions) error {
	s, err := opts.open(ctx, true)
	if err != nil {
		return err
	}
	defer s.Close()
	a, err := s.Alignment(ctx, opts.people)
	if err != nil {
		return err
	}
	if opts.format() == outputJSON {
		return opts.writeJSON(a)
	}
	if opts.pairs {
		t := &table{header: []string{"actor", "other", "score", "agree", "disagree", "on"}}
		for _, p := range a.Pairs {
			t.add(p.Actor.Label, p.Other.Label, signed(p.Score), strconv.Itoa(p.Agree), strconv.Itoa(p.Disagree), accordsOf(p))
		}
		return t.print(opts.deps)
	}
	t := &table{header: []string{"#", "bloc", "actor"}}
	for i := range a.Actors {
		t.header = append(t.header, strconv.Itoa(i+1))
	}
	for i, x := range a.Actors {
		row := []string{strconv.Itoa(i + 1), strconv.Itoa(x.Bloc), x.Label}
		for j := range a.Actors {
			if i == j {
				row = append(row, ".")
				continue
			}
			row = append(row, signed(a.Matrix[i][j]))
		}
		t.add(row...)
	}
	return t.print(opts.deps)
}

// signed prints a score with its sign: +2, 0, -7.
func signed(n int) string {
	if n > 0 {
		return "+" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// accordsOf lists the positions behind a pair's score: "+30-day ceasefire (both pro)".
func accordsOf(p graph.Pair) string {
	var out []string
	for _, a := range p.Accords {
		sign := "+"
		if a.Sign < 0 {
			sign = "-"
		}
		if a.Position.ID == a.OtherPosition.ID {
			out = append(out, fmt.Sprintf("%s%s (%s/%s)", sign, a.Position.Label, a.Polarity, a.OtherPolarity))
			continue
		}
		out = append(out, fmt.Sprintf("%s%s (%s) contradicts %s (%s)", sign, a.Position.Label, a.Polarity, a.OtherPosition.Label, a.OtherPolarity))
	}
	return strings.Join(out, "; ")
}
