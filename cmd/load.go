package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/cayleygraph/quad"
	"github.com/spf13/cobra"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/graph/lint"
	"github.com/parley/parley/graph/sheet"
	"github.com/parley/parley/schema"
)

// loadFlags are the flags load and unload share.
type loadFlags struct {
	format       string
	strict       bool
	allowUnknown bool
	dryRun       bool
	sheets       bool // claim sheets are read too (load, not unload)
	contexts     []string
}

// formats are the input formats the command reads.
func (f *loadFlags) formats() []string {
	if f.sheets {
		return append(graph.Formats(), sheet.Format)
	}
	return graph.Formats()
}

func (f *loadFlags) register(cmd *cobra.Command, unload bool) {
	f.sheets = !unload
	names := f.formats()
	cmd.Flags().StringVar(&f.format, "format", "", "input format: "+strings.Join(names[:len(names)-1], ", ")+" or "+names[len(names)-1]+" (default: from the file name)")
	cmd.Flags().BoolVar(&f.strict, "strict", false, "reject relative IRIs too, as the W3C grammar does")
	cmd.Flags().BoolVar(&f.dryRun, "dry-run", false, "check everything, write nothing")
	cmd.Flags().StringSliceVar(&f.contexts, "allow-context", nil, "a JSON-LD @context `URL or file` a document may name (repeatable; none is opened otherwise)")
	if !unload {
		cmd.Flags().BoolVar(&f.allowUnknown, "allow-unknown", false, "admit predicates, types and unlabelled entities outside the vocabulary")
	}
}

func (f *loadFlags) options() (graph.LoadOptions, error) {
	if f.format != "" && !slices.Contains(f.formats(), f.format) {
		return graph.LoadOptions{}, usagef("unknown format %q (formats: %s)", f.format, strings.Join(f.formats(), ", "))
	}
	return graph.LoadOptions{Format: f.format, Strict: f.strict, AllowUnknown: f.allowUnknown, DryRun: f.dryRun, Contexts: f.contexts}, nil
}

type loadOptions struct {
	*deps
	loadFlags
	files      []string
	strictLint bool
	replace    bool
}

// newLoadCmd builds the command; runF, when set, runs instead of the command (for tests of
// its flags and arguments).
func newLoadCmd(d *deps, runF func(*loadOptions) error) *cobra.Command {
	opts := &loadOptions{deps: d}
	cmd := &cobra.Command{
		Use:   "load <file>... [--replace] [--format F] [--dry-run] [--strict] [--allow-unknown]",
		Short: "Validate and load quads or claim sheets from files, all or nothing",
		Long: `Load N-Quads (.nq), N-Triples (.nt) or JSON-LD (.jsonld), gzipped or not, and claim
sheets (.yaml, .yml: see the README's "Claim sheets"); "-" reads stdin.
Every quad is checked against the vocabulary before anything is written: unknown
predicates and types, domain and range, entities without a label, facts without a
claim, malformed lines, dates outside ISO 8601. Every problem is reported as FILE:LINE,
the command exits 3, and the store is left exactly as it was. Quads the store already
has are skipped. Full IRIs in parley's namespace (an RDF export) are mapped back to
short ones.

A sheet's names are resolved against the store and the sheet's own entities; its
problems (a bad fact, an unknown or ambiguous name) are reported at its lines too.
Sheets and quad files given together load as one, all or nothing: the quad files are
then read into memory, so load a very large file of quads on its own.

--replace gives new versions of sources: for each source the input describes (by its
ID: a sheet's source, or a <type> <Source> quad), the store's version is replaced by
the input's. What goes is what 'parley unload --source' would remove (the claims, their
facts and provenance, the source's own quads, and the names of entities nothing else
names), less what the new version gives again; all or nothing: the store ends with
exactly the new version, or, after any problem or failure, as it was.

The input is also linted as 'parley lint FILE' does (near-duplicates, entities without
facts, evidence that does not bear a claim out, ...): findings are warnings on stderr
and block nothing, unless --strict-lint makes them errors (exit 3, nothing written).
Foreign data (--allow-unknown) and inputs over 16 MiB are not linted.`,
		Example: `  $ parley load new-article.nq
  $ parley load --dry-run new-article.nq
  $ parley load new-article.yaml
  $ parley load --replace new-article.yaml
  $ gzip -dc movies.nq.gz | parley load --allow-unknown -`,
		Args: usageArgs(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.files = args
			if runF != nil {
				return runF(opts)
			}
			return runLoad(cmd.Context(), opts)
		},
	}
	opts.register(cmd, false)
	cmd.Flags().BoolVar(&opts.strictLint, "strict-lint", false, "make lint's warnings errors: load nothing when lint finds anything")
	cmd.Flags().BoolVar(&opts.replace, "replace", false, "replace the store's versions of the sources the input describes, all or nothing")
	return cmd
}

func runLoad(ctx context.Context, opts *loadOptions) error {
	lo, err := opts.options()
	if err != nil {
		return err
	}
	opts.writing(!lo.DryRun)
	inputs, err := opts.inputs(opts.files)
	if err != nil {
		return err
	}
	if opts.replace || slices.ContainsFunc(inputs, func(in graph.Input) bool { return isSheet(in, lo) }) {
		return runLoadSheets(ctx, opts, inputs, lo)
	}
	if !lo.AllowUnknown {
		if inputs, err = bufferStdin(inputs); err != nil { // read once to lint, once to load
			return err
		}
	}
	progress := opts.progress()
	lo.Progress = progress.update
	plan, err := graph.PlanLoad(ctx, inputs, lo) // a first read before taking the store's lock
	if err != nil {
		return err
	}
	defer plan.Close()
	s, err := opts.open(ctx, lo.DryRun)
	if err != nil {
		return err
	}
	defer s.Close()
	findings, skipped, err := opts.lintLoad(ctx, s, inputs, lo, opts.strictLint)
	if err != nil {
		return err
	}
	if opts.strictLint && lint.Errors(findings) > 0 { // else the vocabulary's own errors (dates) come from validation
		progress.done()
		return lintProblems(findings, schema.DefaultMaxProblems) // FILE:LINE each, nothing written
	}
	res, err := s.LoadPlan(ctx, plan)
	progress.done()
	var verr *schema.ValidationError
	if errors.As(err, &verr) {
		return err // the vocabulary's problems first: lint's would be noise beside them
	}
	for _, f := range findings {
		opts.io.Progressf("%s\n", f)
	}
	if skipped != "" && !lo.AllowUnknown {
		opts.io.Progressf("lint skipped: %s; run 'parley lint' on the input to check it\n", skipped)
	}
	if err != nil {
		return err
	}
	return opts.report(res, "loaded", "added", strings.Join(opts.files, ", "))
}

// isSheet reports whether an input is read as a claim sheet: by --format, else by its
// name.
func isSheet(in graph.Input, lo graph.LoadOptions) bool {
	return lo.Format == sheet.Format || lo.Format == "" && graph.DetectFormat(in.Name) == "" && sheet.IsFile(in.Name)
}

// runLoadSheets loads inputs of which some are claim sheets, or a replace, in one load,
// all or nothing: every input is read (quad files with graph.Read, into memory) and
// every sheet parsed before the store is opened; then the sheets are compiled against
// the store and everything is validated and written together. Problems of syntax, of
// names and of validation are reported together, nothing written.
func runLoadSheets(ctx context.Context, opts *loadOptions, inputs []graph.Input, lo graph.LoadOptions) error {
	var (
		stmts    = make([][]schema.Statement, len(inputs)) // by input
		sheets   = make([][]sheet.Sheet, len(inputs))
		files    []string
		problems = &schema.ValidationError{}
	)
	for i, in := range inputs {
		files = append(files, in.Name)
		if !isSheet(in, lo) {
			p, err := graph.Read([]graph.Input{in}, lo)
			if err != nil {
				return err
			}
			stmts[i] = p.Statements
			problems.Merge(p.Syntax)
			continue
		}
		rc, err := in.Open()
		if err != nil {
			return fmt.Errorf("read %s: %w", in.Name, err)
		}
		sh, err := sheet.Parse(in.Name, rc)
		rc.Close()
		if err := problems.Absorb(err); err != nil {
			return err
		}
		sheets[i] = sh
	}
	s, err := opts.open(ctx, lo.DryRun)
	if err != nil {
		return err
	}
	defer s.Close()
	var plan *graph.Replacement
	if opts.replace {
		var sources []quad.IRI
		for i := range inputs {
			sources = append(append(sources, graph.SheetSources(sheets[i])...), graph.SourcesOf(stmts[i])...)
		}
		if len(sources) == 0 {
			return errors.New("--replace: the input describes no source (a sheet's source:, or a <type> <Source> quad), so there is nothing to replace")
		}
		if plan, err = s.PlanReplace(ctx, sources); err != nil {
			return err
		}
	}
	var all []schema.Statement
	for i, in := range inputs {
		if isSheet(in, lo) {
			compiled, err := s.SheetStatements(ctx, in.Name, sheets[i], graph.SheetOptions{Replace: plan})
			if err := problems.Absorb(err); err != nil {
				return err
			}
			stmts[i] = compiled
		}
		all = append(all, stmts[i]...)
	}
	var findings []lint.Finding
	if !lo.AllowUnknown && len(problems.Problems) == 0 {
		if findings, err = opts.lintStatements(ctx, s, all, opts.strictLint); err != nil {
			return err
		}
		if opts.strictLint && lint.Errors(findings) > 0 {
			return lintProblems(findings, schema.DefaultMaxProblems) // FILE:LINE each, nothing written
		}
	}
	if plan != nil {
		res, err := s.Replace(ctx, plan, all, problems, files, lo)
		if err != nil {
			return err
		}
		for _, f := range findings {
			opts.io.Progressf("%s\n", f)
		}
		return opts.reportReplace(res, strings.Join(opts.files, ", "))
	}
	res, err := s.LoadCompiled(ctx, all, problems, files, lo)
	if err != nil {
		return err
	}
	for _, f := range findings {
		opts.io.Progressf("%s\n", f)
	}
	return opts.report(res, "loaded", "added", strings.Join(opts.files, ", "))
}

// reportReplace prints what a replace did: JSON on stdout with -o json, lines on stderr.
func (d *deps) reportReplace(res graph.ReplaceResult, what string) error {
	if d.format() == outputJSON {
		return d.writeJSON(res)
	}
	rm := res.Removed
	if err := d.report(res.LoadResult, "replaced", "added", what); err != nil {
		return err
	}
	verb := "removed"
	if res.DryRun {
		verb = "would be removed"
	}
	for _, src := range res.New {
		d.io.Progressf("<%s> is new: nothing to replace\n", src)
	}
	if len(rm.Sources) > 0 {
		d.io.Progressf("of the old versions of <%s>, %d quads %s: %d claims, %d facts%s\n", strings.Join(rm.Sources, ">, <"), rm.Quads, verb, rm.Claims, rm.Facts, entitiesGone(rm))
	}
	return nil
}

// inputs turns file arguments into inputs; "-" is stdin. Missing files are reported
// before the store is opened.
func (d *deps) inputs(files []string) ([]graph.Input, error) {
	var out []graph.Input
	for _, f := range files {
		f := f
		if f == "-" {
			out = append(out, graph.Input{Name: "-", Once: true, Open: func() (io.ReadCloser, error) { return io.NopCloser(d.io.In), nil }})
			continue
		}
		in, err := graph.FileInput(f) // a pipe is read once and spooled; a device is refused
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, nil
}

// report prints what a load or unload did: JSON on stdout with -o json, a line on stderr.
func (d *deps) report(res graph.LoadResult, did, verb, what string) error {
	if d.format() == outputJSON {
		return d.writeJSON(res)
	}
	msg := fmt.Sprintf("%s %s: %d quads read, %d %s", did, what, res.Read, res.Written, verb)
	if res.DryRun {
		msg = fmt.Sprintf("dry run of %s, nothing written: %d quads read, %d would be %s", what, res.Read, res.Written, verb)
	}
	if res.Present > 0 {
		msg += fmt.Sprintf(", %d already present", res.Present)
	}
	if res.Duplicate > 0 {
		msg += fmt.Sprintf(", %d repeated in the input", res.Duplicate)
	}
	d.io.Progressf("%s\n", msg)
	return nil
}
