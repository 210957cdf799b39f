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

	"github.com/parley/parley/graph/draft"
	"github.com/parley/parley/graph/sheet"
	"github.com/parley/parley/schema"
)

// sheetWriter renders a claim sheet. draftOptions.write holds one, so that the sheet
// package's writer replaces the temporary one below in one line.
type sheetWriter func(w io.Writer, sh *sheet.Sheet) error

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
	write     sheetWriter
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
}

// newDraftCmd builds the command; runF, when set, runs instead of the command (for tests of
// its flags and arguments).
func newDraftCmd(d *deps, runF func(*draftOptions) error) *cobra.Command {
	// TODO(sheet): write: sheet.Write once the sheet package has its writer.
	opts := &draftOptions{deps: d, write: writeSheetDraft}
	cmd := &cobra.Command{
		Use:   "draft <article.txt> --source TITLE [--published DATE] [--url URL] [-o FILE] [--threshold X] [--eval GOLD.nq]",
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

--eval GOLD.nq scores the draft instead of writing it: precision and recall of stance
facts and of all facts with patterns, and how often speaker and modality are right. The
names come from GOLD's entities without its positions and events, which the draft must
propose itself. --patterns and --half run one fold of a cross-validation.`,
		Example: `  $ echo 'Russia has rejected peacekeeping forces. Meanwhile, hostilities persist.' | parley draft - --source 'Example wire' --published 2025-03-20`,
		Args:    usageArgs(cobra.ExactArgs(1)),
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
	var buf bytes.Buffer
	if err := opts.write(&buf, sh); err != nil {
		return err
	}
	if opts.out != "" {
		if err := os.WriteFile(opts.out, buf.Bytes(), 0o644); err != nil {
			return err
		}
	} else if _, err := opts.io.Out.Write(buf.Bytes()); err != nil {
		return err
	}
	opts.io.Progressf("drafted %d claims with %d facts (%d commented out) and %d new entities from %d sentences; %d skipped, %d headings\n",
		rep.Claims, rep.Facts, rep.Disabled, rep.NewEntities, rep.Sentences, rep.Skipped, len(rep.Headings))
	for _, u := range rep.Unresolved {
		opts.io.Progressf("parley: date not resolved: %s\n", u)
	}
	return nil
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

// writeSheetDraft is a TEMPORARY rendering of a claim sheet as YAML, to be replaced by
// the sheet package's writer (sheet.Write) when it lands: it writes the fields of
// graph/sheet's types, facts as `Subject predicate "Object"`, a draft's rule and
// confidence as comments, disabled facts commented out, skipped sentences at the end.
func writeSheetDraft(w io.Writer, sh *sheet.Sheet) error {
	var b strings.Builder
	q := strconv.Quote
	fmt.Fprintf(&b, "source:\n  title: %s\n", q(sh.Source.Title))
	for _, kv := range [][2]string{{"published", sh.Source.Published}, {"url", sh.Source.URL}, {"text", sh.Source.Text}} {
		if kv[1] != "" {
			fmt.Fprintf(&b, "  %s: %s\n", kv[0], q(kv[1]))
		}
	}
	if len(sh.Entities) > 0 {
		b.WriteString("entities:\n")
		for _, e := range sh.Entities {
			fmt.Fprintf(&b, "  - name: %s\n    type: %s", q(e.Name), e.Type)
			if e.New {
				b.WriteString("  # new: proposed by the draft, check its name and type")
			}
			b.WriteString("\n")
		}
	}
	b.WriteString("claims:\n")
	for _, c := range sh.Claims {
		fmt.Fprintf(&b, "  - evidence: %s\n", q(c.Evidence))
		if len(c.Offset) == 2 {
			fmt.Fprintf(&b, "    offset: [%d, %d]\n", c.Offset[0], c.Offset[1])
		}
		for _, kv := range [][2]string{{"speaker", c.Speaker}, {"modality", c.Modality}, {"date", c.Date}, {"condition", c.Condition}} {
			if kv[1] != "" {
				fmt.Fprintf(&b, "    %s: %s\n", kv[0], q(kv[1]))
			}
		}
		b.WriteString("    facts:\n")
		for _, f := range c.Facts {
			prefix := "      - "
			if f.Disabled {
				prefix = "      # - "
			}
			fact := strings.Join([]string{factName(f.Subject), f.Predicate, factName(f.Object)}, " ")
			fmt.Fprintf(&b, "%s'%s'  # %s; confidence %.2f\n", prefix, strings.ReplaceAll(fact, "'", "''"), f.Comment, f.Confidence)
		}
	}
	for _, s := range sh.Skipped {
		fmt.Fprintf(&b, "# skipped: %s\n", q(s))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// factName quotes a name with spaces, as a sheet's facts write names.
func factName(n string) string {
	if !strings.ContainsAny(n, " \t\"") {
		return n
	}
	return `"` + strings.ReplaceAll(n, `"`, "") + `"`
}
