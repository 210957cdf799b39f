package cmd

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley/parley/graph/analysis"
	"github.com/parley/parley/schema"
)

type alignmentOptions struct {
	*deps
	evidenceFlags
	level levelFlags
	pairs bool
}

// newAlignmentCmd builds the command; runF, when set, runs instead of the command (for tests of
// its flags and arguments).
func newAlignmentCmd(d *deps, runF func(*alignmentOptions) error) *cobra.Command {
	opts := &alignmentOptions{deps: d, level: levelFlags{byDefault: "sides"}}
	cmd := &cobra.Command{
		Use:   "alignment [--sides | --people] [--pairs] [--min-modality M]",
		Short: "Show the actor-by-actor agreement matrix and the blocs it implies",
		Long: `Score every pair of actors by their stances on positions (see 'parley stance'): an
accord for each position both hold pro or both con (agreeing), or one pro and the other
con (disagreeing); across two positions that contradict each other, both pro disagree
and one con against the other's pro agree. Neutral stances do not count.

An accord weighs what the weaker of its stances weighs (and the contradiction, if it
runs across one): 1 when both are firm, less when either is tentative. One claim counts
once: the accords of a pair that rest on the same claim (one sentence naming several
positions) share a single unit of its weight, so one sentence moves a score by at most
its weight. A pair's score is its agreements less its disagreements.

` + stanceRule() + `

Actors are sides by default (--sides): people count for the state or organization
whose office they hold, the Kremlin for Russia. --people scores every person, state and
organization as the facts name them. 'parley brokers' takes the same two flags.

The blocs are the communities of this signed graph: Louvain modularity with the
agreements as a layer of weight +1 and the disagreements as a layer of weight -1
(gonum's community.ModularizeMultiplex, resolution 1, a fixed random seed). A bloc is
no finding where the evidence is thin: an actor's assignment is marked uncertain, with
the reason, when it rests on tentative accords only (such as one hedged fact), when
another bloc pulls the actor as much as its own (a tie) or more, or when nothing ties
it to its bloc.

The table is the matrix: one row per actor, ordered by bloc, with its number, bloc
and label, then its score with each actor in row order ("." on the diagonal), then
why its bloc is uncertain, if it is. --pairs lists the pairs instead, with the
accords behind each score: the positions, the polarities, what each counts and, when
it is, "tentative".`,
		Example: `  $ parley alignment
  $ parley alignment --people
  $ parley alignment --pairs -o json
  $ parley alignment --min-modality attributed`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.level.check(); err != nil {
				return err
			}
			if err := opts.evidenceFlags.check(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runAlignment(cmd.Context(), opts)
		},
	}
	opts.level.addFlags(cmd.Flags())
	cmd.Flags().BoolVar(&opts.pairs, "pairs", false, "list the pairs with the positions behind each score instead of the matrix")
	opts.evidenceFlags.addFlags(cmd.Flags())
	return cmd
}

func runAlignment(ctx context.Context, opts *alignmentOptions) error {
	s, err := opts.open(ctx, true)
	if err != nil {
		return err
	}
	defer s.Close()
	a, err := analysis.New(s).Alignment(ctx, opts.level.atPeople, opts.ev)
	if err != nil {
		return err
	}
	if opts.format() == outputJSON {
		return opts.writeJSON(a)
	}
	if opts.pairs {
		t := &table{header: []string{"actor", "other", "score", "agree", "disagree", "on"}}
		for _, p := range a.Pairs {
			t.add(p.Actor.Label, p.Other.Label, signed(p.Score), number(p.Agree), number(p.Disagree), accordsOf(p))
		}
		return t.print(opts.deps)
	}
	t := &table{header: []string{"#", "bloc", "actor"}}
	for i := range a.Actors {
		t.header = append(t.header, strconv.Itoa(i+1))
	}
	t.header = append(t.header, "uncertain")
	for i, x := range a.Actors {
		row := []string{strconv.Itoa(i + 1), strconv.Itoa(x.Bloc), x.Label}
		for j := range a.Actors {
			if i == j {
				row = append(row, ".")
				continue
			}
			row = append(row, signed(a.Matrix[i][j]))
		}
		t.add(append(row, x.Reason)...)
	}
	return t.print(opts.deps)
}

// number prints a score without sign, to at most two decimals: 1, 0.5, 0.14.
func number(x float64) string {
	return strconv.FormatFloat(math.Round(x*100)/100, 'f', -1, 64)
}

// signed prints a score with its sign, to at most two decimals: +2, 0, -0.5.
func signed(x float64) string {
	if math.Round(x*100) > 0 {
		return "+" + number(x)
	}
	return number(x)
}

// accordsOf lists the accords behind a pair's score, each with what it counts:
// "+30-day ceasefire (pro/pro, 0.5, tentative)".
func accordsOf(p analysis.Pair) string {
	var out []string
	for _, a := range p.Accords {
		sign := "+"
		if a.Sign < 0 {
			sign = "-"
		}
		how := number(a.Counts)
		if a.Strength == schema.Tentative {
			how += ", tentative"
		}
		if a.Position.ID == a.OtherPosition.ID {
			out = append(out, fmt.Sprintf("%s%s (%s/%s, %s)", sign, a.Position.Label, a.Polarity, a.OtherPolarity, how))
			continue
		}
		out = append(out, fmt.Sprintf("%s%s (%s) contradicts %s (%s), %s", sign, a.Position.Label, a.Polarity, a.OtherPosition.Label, a.OtherPolarity, how))
	}
	return strings.Join(out, "; ")
}
