package cmd

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/cayleygraph/quad"
	"github.com/spf13/cobra"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/graph/lint"
	"github.com/parley/parley/schema"
)

type lintOptions struct {
	*deps
	files  []string
	format string
	strict bool
	texts  []string // SOURCE=FILE
}

// newLintCmd builds the command; runF, when set, runs instead of the command (for tests of
// its flags and arguments).
func newLintCmd(d *deps, runF func(*lintOptions) error) *cobra.Command {
	opts := &lintOptions{deps: d}
	cmd := &cobra.Command{
		Use:   "lint [<file>...] [--strict] [--text SOURCE=FILE]",
		Short: "Check knowledge for what an analyst would not trust, in files before loading or in the store",
		Long: `Check quads for problems the vocabulary admits but an analyst would not:
  near-duplicate           two entities of one type that may be one thing: a shared name,
                           one name inside another ("Ironclad security guarantees" in
                           "Ironclad security guarantees become part of ..."), or names
                           sharing most words; not when a fact joins them (partOf, about)
  ambiguous-name           a label or alias of entities of different types ("Georgia", the
                           state and the country); a place's name that is also an alias of
                           organisations or states ("Moscow" for the Kremlin) is metonymy and
                           is not reported: questions that use it ask which is meant
  no-facts                 an entity no fact uses (types, labels and speakers are no facts)
  position-label           a Position named as an actor's stance ("Putin supports the
                           30-day ceasefire"): the actor's name, then a reading of a
                           predicate toward positions
  speaker-not-in-evidence  a claim's speaker not mentioned in its evidence by label, alias,
                           surname, a role the speaker holds or the state it governs
  heading-evidence         evidence that is a heading: its source's title, or text that
                           does not end as a sentence does (. ! ? …)
  evidence-not-in-source   evidence not found verbatim in its source's text; the data model
                           keeps no text of a source, so only for sources given --text
  date-format              a date that is not YYYY, YYYY-MM or YYYY-MM-DD (an error; load
                           rejects it too)
  modality-cue             a modality the evidence's cue words contradict (the modality
                           rule: see 'parley schema')

With files, they are checked before loading, read as load reads them, and each finding is
FILE:LINE; names, speakers and facts resolve against the store too, but only what the files
say is reported. With no file, the whole store is checked and each finding names its
entity or claim. 'parley load' runs the same checks and prints them as warnings.

Findings are warnings, except date-format; --strict makes every finding an error. The
command exits 3 when there is an error, else 0.`,
		Example: `  $ parley lint
  $ parley lint new-article.nq
  $ parley lint -o json new-article.nq
  $ parley lint --text src-example-wire=wire.txt new-article.nq`,
		Args: usageArgs(cobra.ArbitraryArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.files = args
			if runF != nil {
				return runF(opts)
			}
			return runLint(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.strict, "strict", false, "make every warning an error (exit 3)")
	cmd.Flags().StringVar(&opts.format, "format", "", "input format: nquads, ntriples or jsonld (default: from the file name)")
	cmd.Flags().StringArrayVar(&opts.texts, "text", nil, "attach a source's text, as SOURCE=FILE, to check its claims' evidence against it (repeatable)")
	return cmd
}

func runLint(ctx context.Context, opts *lintOptions) error {
	if opts.format != "" && !slices.Contains(graph.Formats(), opts.format) {
		return usagef("unknown format %q (formats: %s)", opts.format, strings.Join(graph.Formats(), ", "))
	}
	texts, err := readTexts(opts.texts)
	if err != nil {
		return err
	}
	in := lint.Input{Texts: texts, Strict: opts.strict}
	if len(opts.files) > 0 {
		inputs, err := opts.inputs(opts.files)
		if err != nil {
			return err
		}
		parsed, err := graph.Read(inputs, graph.LoadOptions{Format: opts.format})
		if err != nil {
			return err
		}
		if parsed.Syntax != nil {
			return parsed.Syntax
		}
		in.Statements = parsed.Statements
	}
	s, err := opts.open(ctx, true)
	if err != nil {
		return err
	}
	defer s.Close()
	if len(opts.files) > 0 {
		in.Context, err = storeContext(ctx, s, in.Statements)
	} else {
		in.Statements, err = storeStatements(ctx, s)
	}
	if err != nil {
		return err
	}
	findings := lint.Lint(in)
	if err := opts.printFindings(findings); err != nil {
		return err
	}
	return lintResult(findings, "lint")
}

// readTexts reads --text SOURCE=FILE flags into source texts by source ID.
func readTexts(flags []string) (map[string]string, error) {
	texts := map[string]string{}
	for _, f := range flags {
		src, file, ok := strings.Cut(f, "=")
		if !ok || src == "" || file == "" {
			return nil, usagef("--text %q is not SOURCE=FILE", f)
		}
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", file, err)
		}
		texts[strings.TrimSuffix(strings.TrimPrefix(src, "<"), ">")] = string(data)
	}
	return texts, nil
}

// printFindings renders findings on stdout (a table, rows or JSON) and counts them on stderr.
func (d *deps) printFindings(findings []lint.Finding) error {
	if d.format() == outputJSON {
		if findings == nil {
			findings = []lint.Finding{}
		}
		if err := d.writeJSON(findings); err != nil {
			return err
		}
	} else {
		t := &table{header: []string{"location", "severity", "rule", "message", "fix"}}
		for _, f := range findings {
			t.add(f.Location(), string(f.Severity), f.Rule, f.Message, f.Fix)
		}
		if err := t.print(d); err != nil {
			return err
		}
	}
	d.io.Progressf("%s\n", countFindings(findings))
	return nil
}

func countFindings(findings []lint.Finding) string {
	errs := lint.Errors(findings)
	if len(findings) == 0 {
		return "lint: no findings"
	}
	return fmt.Sprintf("lint: %d finding%s: %d error%s, %d warning%s", len(findings), plural(len(findings)), errs, plural(errs), len(findings)-errs, plural(len(findings)-errs))
}

// lintError says that lint found errors. It wraps them as a *schema.ValidationError, so
// that the command exits 3 as a failed validation does.
type lintError struct {
	what     string
	problems *schema.ValidationError
}

func (e *lintError) Error() string {
	n := len(e.problems.Problems) + e.problems.Omitted
	return fmt.Sprintf("%s: %d error%s found", e.what, n, plural(n))
}

func (e *lintError) Unwrap() error { return e.problems }

// lintResult is nil when no finding is an error, else a *lintError.
func lintResult(findings []lint.Finding, what string) error {
	if lint.Errors(findings) == 0 {
		return nil
	}
	return &lintError{what: what, problems: lintProblems(findings, 0)}
}

// lintProblems are the error findings as validation problems: at FILE:LINE, or named by
// their entity or claim.
func lintProblems(findings []lint.Finding, max int) *schema.ValidationError {
	verr := &schema.ValidationError{}
	for _, f := range findings {
		if f.Severity != lint.Error {
			continue
		}
		msg := fmt.Sprintf("%s: %s (%s)", f.Rule, f.Message, f.Fix)
		if f.File == "" {
			msg = f.ID + ": " + msg
		}
		verr.Add(max, schema.Problem{File: f.File, Line: f.Line, Msg: msg})
	}
	return verr
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// storeStatements are every quad of the store, placed nowhere: findings name their
// entity or claim.
func storeStatements(ctx context.Context, s *graph.Store) ([]schema.Statement, error) {
	sub, err := s.Select(ctx, graph.Selection{QuadsOnly: true})
	if err != nil {
		return nil, err
	}
	out := make([]schema.Statement, len(sub.Quads))
	for i, q := range sub.Quads {
		out[i] = schema.Statement{Quad: q}
	}
	return out, nil
}

// storeContext is what the store knows that checking stmts needs, read through the
// store's indexes rather than all of it: every type, label and alias (to resolve names and
// find duplicates), and every quad about a node the statements name (its facts, the roles
// a speaker holds, a source's title).
func storeContext(ctx context.Context, s *graph.Store, stmts []schema.Statement) ([]schema.Statement, error) {
	var out []schema.Statement
	seen := map[quad.Quad]bool{}
	add := func(qs []quad.Quad) {
		for _, q := range qs {
			if !seen[q] {
				seen[q] = true
				out = append(out, schema.Statement{Quad: q})
			}
		}
	}
	for _, p := range []string{schema.PredType, schema.PredLabel, schema.PredAlias} {
		qs, err := s.QuadsWith(ctx, quad.Predicate, quad.IRI(p))
		if err != nil {
			return nil, err
		}
		add(qs)
	}
	nodes := map[quad.Value]bool{}
	for _, st := range stmts {
		for _, v := range []quad.Value{st.Quad.Subject, st.Quad.Object} {
			switch v.(type) {
			case quad.IRI, quad.BNode:
				nodes[v] = true
			}
		}
	}
	for v := range nodes {
		for _, d := range []quad.Direction{quad.Subject, quad.Object} {
			qs, err := s.QuadsWith(ctx, d, v)
			if err != nil {
				return nil, err
			}
			add(qs)
		}
	}
	return out, nil
}

// maxLintBytes bounds the input load lints: larger loads (a data set, not an article's
// knowledge) skip it, so that their memory stays bounded by their entities.
const maxLintBytes = 16 << 20

// lintLoad checks the inputs of a load as 'parley lint' would, against the store. It
// returns the inputs to load (standard input read into memory, so it can be read again)
// and the findings; skipped says why it did not run (foreign data, too large).
func (d *deps) lintLoad(ctx context.Context, s *graph.Store, inputs []graph.Input, lo graph.LoadOptions, strict bool) (findings []lint.Finding, skipped string, err error) {
	if lo.AllowUnknown {
		return nil, "--allow-unknown: foreign data", nil
	}
	var total int64
	for _, in := range inputs {
		total += in.Size
	}
	if total > maxLintBytes {
		return nil, fmt.Sprintf("the input is over %d MiB", maxLintBytes>>20), nil
	}
	parsed, err := graph.Read(inputs, lo)
	if err != nil {
		return nil, "", err
	}
	findings, err = d.lintStatements(ctx, s, parsed.Statements, strict)
	return findings, "", err
}

// lintStatements lints statements about to be loaded, against what the store knows of
// the entities they name.
func (d *deps) lintStatements(ctx context.Context, s *graph.Store, stmts []schema.Statement, strict bool) ([]lint.Finding, error) {
	known, err := storeContext(ctx, s, stmts)
	if err != nil {
		return nil, err
	}
	return lint.Lint(lint.Input{Statements: stmts, Context: known, Strict: strict}), nil
}

// bufferStdin reads standard input into memory, up to maxLintBytes, so that load can read
// it once to lint it and again to load it. Past the bound, the input is left to be read
// once (and is not linted): what was read, then the rest.
func bufferStdin(inputs []graph.Input) ([]graph.Input, error) {
	out := slices.Clone(inputs)
	for i, in := range out {
		if !in.Once {
			continue
		}
		rc, err := in.Open()
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", in.Name, err)
		}
		data, err := io.ReadAll(io.LimitReader(rc, maxLintBytes+1))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", in.Name, err)
		}
		if len(data) > maxLintBytes {
			out[i].Size = int64(len(data)) // counted as too large to lint
			out[i].Open = func() (io.ReadCloser, error) {
				return struct {
					io.Reader
					io.Closer
				}{io.MultiReader(bytes.NewReader(data), rc), rc}, nil
			}
			continue
		}
		out[i].Once, out[i].Size = false, int64(len(data))
		out[i].Open = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	}
	return out, nil
}
