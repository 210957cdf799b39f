package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/graph/analysis"
	"github.com/parley/parley/schema"
)

type whyOptions struct {
	*deps
	pattern graph.Pattern
}

// newWhyCmd builds the command; runF, when set, runs instead of the command (for tests of
// its flags and arguments).
func newWhyCmd(d *deps, runF func(*whyOptions) error) *cobra.Command {
	opts := &whyOptions{deps: d}
	cmd := &cobra.Command{
		Use:   "why <subject> <predicate> <object>",
		Short: "Show every claim behind a fact: evidence, speaker, source, date, modality",
		Long: `Show every claim a fact rests on: the evidence sentence, who said it, the source's
title, the date the fact holds and the modality (` + strings.Join(schema.Modalities(), ", ") + `: 'parley stance --help' says what each weighs).
Names and readings are taken as by 'parley match' ("demanded by" swaps subject and
object), but each of the three must name something: for patterns with _ use
'parley match --why'. No such fact is an empty answer (exit 0), with a note on stderr.`,
		Example: `  $ parley why Russia "insists on" "Ironclad security guarantees"
  $ parley why Ukraine accepts "30-day ceasefire"
  $ parley why "Ironclad security guarantees" contradicts "Ukrainian sovereignty is non-negotiable" -o json`,
		Args: usageArgs(cobra.ExactArgs(3)),
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, a := range args {
				if a == graph.Wildcard {
					return usagef("why explains one fact: name its subject, predicate and object (for patterns use 'parley match --why')")
				}
			}
			opts.pattern = graph.Pattern{Subject: args[0], Predicate: args[1], Object: args[2]}
			if runF != nil {
				return runF(opts)
			}
			return runWhy(cmd.Context(), opts)
		},
	}
	return cmd
}

func runWhy(ctx context.Context, opts *whyOptions) error {
	s, err := opts.open(ctx, true)
	if err != nil {
		return err
	}
	defer s.Close()
	reasons, err := analysis.New(s).Why(ctx, opts.pattern)
	var nf *analysis.NoFactError
	if errors.As(err, &nf) {
		// Nothing found is an empty answer, not a failure.
		opts.io.Progressf("%s\n", nf)
		reasons, err = []analysis.Reason{}, nil
	}
	if err != nil {
		return err
	}
	if opts.format() == outputJSON {
		return opts.writeJSON(reasons)
	}
	if opts.format() == outputTable {
		return writeReasons(opts.textOut(), reasons)
	}
	t := &table{}
	for _, r := range reasons {
		t.add(r.Subject.Label, r.Predicate.Reading, r.Object.Label, r.Modality, r.Date, nodeLabel(r.Speaker), r.Title, r.Claim, r.Evidence, r.Condition)
	}
	return t.print(opts.deps)
}

// writeReasons prints the fact, then each claim: the evidence, and lines naming the
// modality, condition, date, speaker, source and claim.
func writeReasons(w io.Writer, reasons []analysis.Reason) error {
	var b strings.Builder
	for i, r := range reasons {
		if i == 0 || !reasons[i-1].Fact.SameTriple(r.Fact) {
			if i > 0 {
				b.WriteByte('\n')
			}
			fmt.Fprintf(&b, "%s  %s  %s\n", r.Subject.Label, r.Predicate.Reading, r.Object.Label)
		}
		b.WriteByte('\n')
		if r.Evidence != "" {
			fmt.Fprintf(&b, "    “%s”\n", r.Evidence)
		}
		for _, kv := range [][2]string{
			{"modality", r.Modality}, {"condition", r.Condition}, {"date", r.Date}, {"speaker", nodeLabel(r.Speaker)},
			{"source", sourceLine(r)}, {"claim", "<" + r.Claim + ">"},
		} {
			if kv[1] != "" && kv[1] != "<>" {
				fmt.Fprintf(&b, "    %-10s %s\n", kv[0]+":", kv[1])
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func sourceLine(r analysis.Reason) string {
	var parts []string
	if r.Title != "" {
		parts = append(parts, r.Title)
	}
	if r.Published != "" {
		parts = append(parts, "published "+r.Published)
	}
	if r.URL != "" {
		parts = append(parts, r.URL)
	}
	if r.Source != nil {
		parts = append(parts, "<"+r.Source.ID+">")
	}
	return strings.Join(parts, ", ")
}
