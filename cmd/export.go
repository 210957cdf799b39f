package cmd

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/graph/export"
)

type exportOptions struct {
	*deps
	sel    graph.Selection
	format string
	file   string
	short  bool
	expand bool // the default since W3C N-Quads are; kept so that old scripts run
}

const exportLong = `Write a self-contained piece of the graph: the facts the selectors pick, the claims
behind them with their evidence and sources, and the labels and types of every entity
they name. Selectors combine (a fact must fit every one given); none selects everything:
  --around ENTITY   the neighbourhood of an entity, edges taken both ways, --depth hops
  --query GIZMO     the facts a Gizmo query's paths traverse
  --source SOURCE   the facts resting on the claims of a source
  --predicate P     the facts of a predicate, by name or reading (repeatable)
  --type T          the facts whose entities, both ends, have a type (repeatable)

The format is --format's, else the one --file's extension names, else nquads:
%s
N-Quads are W3C N-Quads: every IRI absolute (parley's own in https://w3id.org/parley/,
type, label and alias as rdf:type, rdfs:label and skos:altLabel), which rdflib, Jena and
every RDF tool read; --short writes parley's short IRIs (<putin>) instead, as Cayley's own
tools write and read them. Either, or a sheet, loaded into an empty store ('parley init
--no-seed; parley load') gives back exactly the exported quads; a sheet is a source's
claims with their facts by name, to edit and load again.

Every graph format (json, dot, graphml, gml, csv, mermaid, svg, png) draws one edge a
fact, so two facts between the same entities are parallel edges (GML says
"multigraph 1"); a literal object, such as an event's casualties, is a small node of its
own; an event's date is on its node. The claim's source document is "document", never
"source", which names an edge's start in GraphML, GML and node-link JSON. Text formats
write control characters as visible escapes (\u001B), so that a label cannot drive the
terminal that shows the file. Pictures carry a legend. Data goes to stdout or --file;
the counts go to stderr, the same for every format: facts, nodes (literal nodes
included) and quads, or the quads alone for the whole store.`

// newExportCmd builds the command; runF, when set, runs instead of the command (for tests of
// its flags and arguments).
func newExportCmd(d *deps, runF func(*exportOptions) error) *cobra.Command {
	opts := &exportOptions{deps: d}
	var formats strings.Builder
	for _, f := range export.Formats() {
		fmt.Fprintf(&formats, "  %-8s %-14s %s\n", f.Name, strings.Join(f.Extensions, " "), f.Doc)
	}
	cmd := &cobra.Command{
		Use:   "export [--around ENTITY [--depth N]] [--query GIZMO] [--source SOURCE] [--predicate P]... [--type T]... [--format F] [--file PATH]",
		Short: "Write a piece of the graph as N-Quads, JSON-LD, JSON, DOT, GraphML, GML, CSV, Mermaid, SVG, PNG or claim sheets",
		Long:  fmt.Sprintf(exportLong, strings.TrimRight(formats.String(), "\n")),
		Example: `  $ parley export --around Zaporizhzhia --depth 2 --file zaporizhzhia.svg
  $ parley export --source src-trump-putin-call --format jsonld
  $ parley export --predicate rejects --predicate opposes --format csv
  $ parley export --type Person --type State --format mermaid
  $ parley export --source src-trump-putin-call --format sheet > article.yaml
  $ parley export > everything.nq`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("depth") && len(opts.sel.Around) == 0 {
				return usagef("--depth needs --around")
			}
			if cmd.Flags().Changed("output") {
				return usagef("-o sets the table format of other commands; export takes --format (e.g. --format %s)", opts.output)
			}
			if runF != nil {
				return runF(opts)
			}
			return runExport(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&opts.sel.Around, "around", nil, "the neighbourhood of this `ENTITY` (repeatable)")
	f.IntVar(&opts.sel.Depth, "depth", 1, "`N` hops from --around")
	f.StringVar(&opts.sel.Query, "query", "", "the facts the paths of this `GIZMO` query traverse")
	addQueryLimitFlags(f, &opts.sel.Limits) // --timeout, --max-memory: bound --query
	f.StringArrayVar(&opts.sel.Sources, "source", nil, "the facts resting on the claims of this `SOURCE` (repeatable)")
	f.StringArrayVar(&opts.sel.Predicates, "predicate", nil, "the facts of this predicate `P`, by name or reading (repeatable)")
	f.StringArrayVar(&opts.sel.Types, "type", nil, "the facts whose entities have this type `T` (repeatable)")
	f.StringVar(&opts.format, "format", "", "output format `F`: "+strings.Join(export.Names(), ", ")+" (default: from --file's extension, else nquads)")
	f.StringVarP(&opts.file, "file", "f", "", "write to the file at `PATH` instead of stdout")
	f.BoolVar(&opts.short, "short", false, "nquads: write parley's short IRIs (<putin>), as Cayley's tools do, not absolute ones")
	f.BoolVar(&opts.expand, "expand", false, "nquads: write absolute IRIs (the default)")
	_ = f.MarkHidden("expand")
	return cmd
}

// exportFormat decides the format: --format, else --file's extension, else nquads.
func (opts *exportOptions) exportFormat() (export.Format, error) {
	var (
		f   export.Format
		err error
	)
	switch {
	case opts.format != "":
		f, err = export.ByName(opts.format)
	case opts.file != "":
		f, err = export.FromExtension(opts.file)
	default:
		f, err = export.ByName(export.NQuads)
	}
	if err != nil {
		return f, &usageError{err}
	}
	return f, nil
}

func runExport(ctx context.Context, opts *exportOptions) error {
	f, err := opts.exportFormat()
	if err != nil {
		return err
	}
	switch {
	case opts.sel.Depth < 1:
		return usagef("--depth must be at least 1, not %d", opts.sel.Depth)
	case opts.short && opts.expand:
		return usagef("--short and --expand contradict each other")
	case (opts.short || opts.expand) && f.Name != export.NQuads:
		return usagef("--short is for nquads; %s has no short form", f.Name)
	case f.Binary && opts.file == "" && opts.io.IsTTY:
		return usagef("%s is binary: write it with --file PATH or pipe it", f.Name)
	}
	s, err := opts.open(ctx, true)
	if err != nil {
		return err
	}
	defer s.Close()
	opts.sel.QuadsOnly = f.QuadsOnly
	sub, err := s.Select(ctx, opts.sel)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf, sub, export.Options{Short: opts.short, Vocabulary: s.Vocabulary()}); err != nil {
		return fmt.Errorf("export %s: %w", f.Name, err)
	}
	if err := ctx.Err(); err != nil { // nothing is written once interrupted
		return err
	}
	to := ""
	if opts.file != "" {
		if err := writeFile(opts.file, buf.Bytes()); err != nil {
			return err
		}
		to = " to " + opts.file
	} else if _, err := opts.io.Out.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write %s: %w", f.Name, err)
	}
	if opts.whole() {
		// Every format says the same: the quads-only formats never render the facts of a
		// whole store, which may hold millions of foreign quads.
		opts.io.Progressf("exported %d quads%s\n", len(sub.Quads), to)
	} else {
		opts.io.Progressf("exported %d facts, %d nodes, %d quads%s\n", len(sub.Facts), export.NodeCount(sub), len(sub.Quads), to)
	}
	return nil
}

// whole reports whether no selector is given: the export is the whole store.
func (opts *exportOptions) whole() bool {
	s := opts.sel
	return len(s.Around)+len(s.Sources)+len(s.Predicates)+len(s.Types) == 0 && s.Query == ""
}
