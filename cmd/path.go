package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley/parley/graph/analysis"
)

type pathOptions struct {
	*deps
	query analysis.PathQuery
	why   bool
}

// newPathCmd builds the command; runF, when set, runs instead of the command (for tests of
// its flags and arguments).
func newPathCmd(d *deps, runF func(*pathOptions) error) *cobra.Command {
	opts := &pathOptions{deps: d}
	cmd := &cobra.Command{
		Use:   "path <from> <to> [--max-hops N] [--all] [--why]",
		Short: "Show the shortest chain of facts linking two entities",
		Long: `Show the shortest chain of facts linking two entities, whichever way the facts
point. Each hop lists every fact between its two entities, read in the direction walked:
the forward reading ("demands"), or the reverse reading ("demanded by") when the
fact is walked from its object to its subject. Only relation facts link entities: not
types, labels or claim metadata; literals are no nodes.

Of several shortest paths the one with the most facts along it is shown; --all shows
every one, numbered. No path within --max-hops (default 4) is an empty answer (exit 0),
with a note on stderr. --why adds each fact's evidence.`,
		Example: `  $ parley path Zelensky Putin
  $ parley path Kallas Zelensky --why
  $ parley path Starmer Putin --all
  $ parley path Zelensky Putin --max-hops 3 -o json`,
		Args: usageArgs(cobra.ExactArgs(2)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.query.MaxHops < 1 {
				return usagef("--max-hops must be at least 1, not %d", opts.query.MaxHops)
			}
			opts.query.From, opts.query.To = args[0], args[1]
			if runF != nil {
				return runF(opts)
			}
			return runPath(cmd.Context(), opts)
		},
	}
	cmd.Flags().IntVar(&opts.query.MaxHops, "max-hops", analysis.DefaultMaxHops, "the longest path to look for")
	cmd.Flags().BoolVar(&opts.query.All, "all", false, "show every shortest path, not just one")
	cmd.Flags().BoolVar(&opts.why, "why", false, "show each fact's evidence, speaker and modality")
	return cmd
}

func runPath(ctx context.Context, opts *pathOptions) error {
	s, err := opts.open(ctx, true)
	if err != nil {
		return err
	}
	defer s.Close()
	res, err := analysis.New(s).ShortestPaths(ctx, opts.query)
	var np *analysis.NoPathError
	if errors.As(err, &np) {
		// Nothing found is an empty answer, not a failure.
		if np.Shortest > 0 {
			opts.io.Progressf("%s (try --max-hops %d)\n", np, np.Shortest)
		} else {
			opts.io.Progressf("%s\n", np)
		}
		res, err = &analysis.PathResult{From: np.From, To: np.To, Paths: []analysis.Path{}}, nil
	}
	if err != nil {
		return err
	}
	if opts.format() == outputJSON {
		return opts.writeJSON(res)
	}
	if opts.why && opts.format() == outputTable {
		return writePathBlocks(opts.textOut(), res)
	}
	t := &table{header: []string{"path", "hop", "from", "reading", "to", "modality"}}
	if opts.why {
		t.header = append(t.header, "date", "speaker", "claim", "evidence")
	}
	for i, p := range res.Paths {
		for j, h := range p.Hops {
			for _, l := range h.Links {
				row := []string{strconv.Itoa(i + 1), strconv.Itoa(j + 1), h.From.Label, l.Predicate.Reading, h.To.Label}
				if !opts.why {
					t.add(append(row, modalities(l.Claims))...)
					continue
				}
				for _, c := range l.Claims {
					t.add(append(row, c.Modality, c.Date, nodeLabel(c.Speaker), c.Claim, c.Evidence)...)
				}
			}
		}
	}
	return t.print(opts.deps)
}

// writePathBlocks prints each path as its facts, read in the direction walked, each with
// the claims behind it.
func writePathBlocks(w io.Writer, res *analysis.PathResult) error {
	var b strings.Builder
	for i, p := range res.Paths {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "# path %d of %d: %d hops\n", i+1, len(res.Paths), res.Hops)
		for _, h := range p.Hops {
			for _, l := range h.Links {
				fmt.Fprintf(&b, "%s  %s  %s\n", h.From.Label, l.Predicate.Reading, h.To.Label)
				writeClaims(&b, "    ", l.Claims)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
