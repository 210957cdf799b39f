package cmd

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/graph/draft"
	"github.com/parley/parley/graph/sheet"
	"github.com/parley/parley/schema"
)

type draftOptions struct {
	*deps
	file      string
	title     string
	published string
	url       string
	out       string
	threshold float64
	eval      string
	patterns  string
	half      string
	review    bool
	load      bool
}

func (o *draftOptions) addFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&o.title, "source", "", "the source's title (required)")
	f.StringVar(&o.published, "published", "", "the publication date, YYYY, YYYY-MM or YYYY-MM-DD: relative dates resolve against it")
	f.StringVar(&o.url, "url", "", "where the source can be read")
	f.StringVarP(&o.out, "output", "o", "", "write the sheet to this file (default stdout)")
	f.Float64Var(&o.threshold, "threshold", draft.DefaultThreshold, "confidence below which a proposed fact is written commented out")
	f.StringVar(&o.eval, "eval", "", "score the draft against hand-coded N-Quads instead of writing it")
	f.StringVar(&o.patterns, "patterns", "", "with --eval: the pattern origins to use, comma-separated: lexicon, seed-a, seed-b (default all)")
	f.StringVar(&o.half, "half", "", "with --eval: score only the odd (a) or even (b) sentences")
	f.BoolVar(&o.review, "review", false, "review the proposed facts one at a time before the sheet is written (answers from stdin when it is no terminal)")
	f.BoolVar(&o.load, "load", false, "with --review: load the reviewed sheet, as 'parley load' does")
}

// newDraftCmd builds the command; runF, when set, runs instead of the command (for tests of
// its flags and arguments).
func newDraftCmd(d *deps, runF func(*draftOptions) error) *cobra.Command {
	opts := &draftOptions{deps: d}
	cmd := &cobra.Command{
		Use:   "draft <article.txt> --source TITLE [--published DATE] [--url URL] [-o FILE] [--threshold X] [--review [--load]] [--eval GOLD.nq]",
		Short: "Propose a claim sheet from an article's text, for review before loading",
		Long: `Read an article's plain text ("-" for stdin) and propose its claims as a claim sheet:
one claim per sentence and speaker, the sentence verbatim as evidence with its byte
offsets, speaker, modality, date and condition, and the facts each states, written with
names. Entities are found by the store's labels, aliases and roles (the store is only
read); new ones are proposed from capitalized names and object phrases, marked new.
Facts come from the verb patterns of the vocabulary ('parley schema'); each carries the
rule that found it and a confidence, and those below --threshold are written commented
out. Lines without final punctuation are headings, never evidence; sentences with no
proposal are listed at the end. Offline: rules, no model.

--review shows the proposed facts one at a time on stderr, each with its sentence,
speaker, modality, rule and confidence, and asks: a accepts it, r rejects it, e edits it
(a fact line, Subject predicate Object, as in a sheet), s skips it (kept as proposed,
commented out if it was), q quits (the facts not yet reviewed are written commented out,
so that only what was decided loads). On a terminal each answer is one key; when stdin is
no terminal, each answer is a line of stdin (an edit takes two: e, then the fact), so a
review can be scripted; the article must then be a file. Rejected facts go, and so do
claims left without facts and new entities nothing names any more. The sheet is then
written, and --load loads it as 'parley load' loads a sheet (all or nothing, exit 3 on a
problem).

--eval GOLD.nq scores the draft instead of writing it: precision and recall of stance
facts and of all facts with patterns, and how often speaker and modality are right. The
names come from GOLD's entities without its positions and events, which the draft must
propose itself. --patterns and --half run one fold of a cross-validation.`,
		Example: `  $ echo 'Russia has rejected peacekeeping forces. Meanwhile, hostilities persist.' | parley draft - --source 'Example wire' --published 2025-03-20
  $ printf 'a\n' | parley draft wire.txt --source 'Example wire' --published 2025-03-20 --review -o wire.yaml`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.file = args[0]
			if opts.title == "" && opts.eval == "" {
				return usagef("draft needs --source TITLE\nusage: %s", cmd.UseLine())
			}
			if opts.published != "" {
				if _, err := schema.ParseDate(opts.published); err != nil {
					return usagef("--published: %v", err)
				}
			}
			if opts.half != "" && opts.half != "a" && opts.half != "b" {
				return usagef("--half must be a or b, not %q", opts.half)
			}
			if opts.load && !opts.review {
				return usagef("--load needs --review: a draft is loaded once reviewed (or edit it, then 'parley load' it)")
			}
			if opts.review && opts.eval != "" {
				return usagef("--review and --eval do not go together")
			}
			if opts.review && opts.file == "-" {
				return usagef("--review reads its answers from stdin: give the article as a file")
			}
			if runF != nil {
				return runF(opts)
			}
			return runDraft(cmd.Context(), opts)
		},
	}
	opts.addFlags(cmd)
	return cmd
}

func (o *draftOptions) readArticle() (string, error) {
	if o.file == "-" {
		b, err := io.ReadAll(o.io.In)
		return string(b), err
	}
	b, err := os.ReadFile(o.file)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

func (o *draftOptions) draftOptions() draft.Options {
	return draft.Options{Title: o.title, Published: o.published, URL: o.url, Threshold: o.threshold}
}

func runDraft(ctx context.Context, opts *draftOptions) error {
	text, err := opts.readArticle()
	if err != nil {
		return err
	}
	if opts.eval != "" {
		return runDraftEval(opts, text)
	}
	s, err := opts.open(ctx, true)
	if err != nil {
		return err
	}
	quads, err := s.NameQuads(ctx)
	s.Close()
	if err != nil {
		return err
	}
	sh, rep := draft.Draft(text, draft.LexiconFromQuads(quads), opts.draftOptions())
	opts.io.Progressf("drafted %d claims with %d facts (%d commented out) and %d new entities from %d sentences; %d skipped, %d headings\n",
		rep.Claims, rep.Facts, rep.Disabled, rep.NewEntities, rep.Sentences, rep.Skipped, len(rep.Headings))
	for _, u := range rep.Unresolved {
		opts.io.Progressf("parley: date not resolved: %s\n", u)
	}
	if opts.review {
		ans, out, err := opts.reviewAnswers()
		if err != nil {
			return err
		}
		reviewed, counts := review(*sh, ans, out)
		ans.close()
		sh = &reviewed
		opts.io.Progressf("reviewed: %d accepted, %d edited, %d rejected, %d skipped, %d not reviewed\n",
			counts.Accepted, counts.Edited, counts.Rejected, counts.Skipped, counts.Unreviewed)
	}
	var buf bytes.Buffer
	if err := sheet.Write(&buf, []sheet.Sheet{*sh}); err != nil {
		return err
	}
	if opts.out != "" {
		if err := writeFile(opts.out, buf.Bytes()); err != nil {
			return err
		}
	} else if _, err := opts.io.Out.Write(buf.Bytes()); err != nil {
		return err
	}
	if opts.load {
		return opts.loadDraft(ctx, buf.Bytes())
	}
	return nil
}

// loadDraft loads the reviewed sheet as 'parley load' loads a sheet: from the -o file,
// else from the sheet written to stdout.
func (o *draftOptions) loadDraft(ctx context.Context, data []byte) error {
	name := o.out
	if name == "" {
		name = "draft.yaml"
	}
	in := graph.Input{Name: name, Size: int64(len(data)), Open: func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}}
	lo := &loadOptions{deps: o.deps, files: []string{name}}
	return runLoadSheets(ctx, lo, []graph.Input{in}, graph.LoadOptions{Format: sheet.Format})
}

// runDraftEval drafts text with the gold's names and scores the draft against it.
func runDraftEval(opts *draftOptions, text string) error {
	f, err := os.Open(opts.eval)
	if err != nil {
		return err
	}
	quads, err := draft.ReadQuads(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("read %s: %w", opts.eval, err)
	}
	do := opts.draftOptions()
	if opts.patterns != "" {
		do.Patterns = draft.PatternsFrom(strings.Split(opts.patterns, ",")...)
	}
	sh, _ := draft.Draft(text, draft.LexiconFromQuads(quads, schema.TypePosition, schema.TypeEvent), do)
	gold := draft.GoldFromQuads(quads)
	var only func(string) bool
	if opts.half != "" {
		a, b := draft.Halves(text)
		only = map[string]func(string) bool{"a": a, "b": b}[opts.half]
	}
	t := &table{header: []string{"facts", "proposed", "gold", "matched", "precision", "recall", "speaker", "modality", "verbatim"}}
	for _, sc := range []struct {
		name  string
		preds []string
	}{{"stance", draft.StancePredicates}, {"all", draft.PatternPredicates()}} {
		r := draft.Evaluate(sh, gold, draft.Scope{Predicates: sc.preds, Evidence: only})
		t.add(sc.name, strconv.Itoa(r.Predicted), strconv.Itoa(r.Gold), strconv.Itoa(r.Matched), ratio(r.Matched, r.Predicted),
			ratio(r.Matched, r.Gold), ratio(r.SpeakerRight, r.Matched), ratio(r.ModalityRight, r.Matched), fmt.Sprintf("%d/%d", r.Verbatim, r.Claims))
	}
	return t.print(opts.deps)
}

func ratio(a, b int) string {
	if b == 0 {
		return "-"
	}
	return strconv.FormatFloat(float64(a)/float64(b), 'f', 2, 64)
}
