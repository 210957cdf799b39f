package cmd

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/parley/parley/graph"
)

type queryOptions struct {
	*deps
	text    string
	file    string
	lang    string
	limit   int
	timeout time.Duration
	typed   bool
}

// newQueryCmd builds the command; runF, when set, runs instead of the command (for tests of
// its flags and arguments).
func newQueryCmd(d *deps, runF func(*queryOptions) error) *cobra.Command {
	opts := &queryOptions{deps: d}
	cmd := &cobra.Command{
		Use:   "query [<query> | -f <file>] [--lang gizmo|graphql|mql] [--limit N] [--timeout D]",
		Short: "Run a Gizmo, GraphQL or MQL query with Cayley's engine",
		Long: `Run a query in one of Cayley's languages (Gizmo, its JavaScript dialect, by default)
against the store. -o json prints the results exactly as Cayley's engine collates them
(the "result" array of Cayley's HTTP API); the table shows one row per result.

In that collation a value is a string: an IRI in angle brackets ("<putin>"), a blank
node as "_:b1", a typed or tagged literal in N-Quads notation
("\"2025-03-18\"^^<http://www.w3.org/2001/XMLSchema#date>"), a plain literal as its
text ("Vladimir Putin"), so a plain literal that looks like "<x>" cannot be told from an
IRI. --typed (Gizmo) prints Cayley's JSON-LD collation instead, which can: an IRI or
blank node is {"@id": "putin"}, a typed or tagged literal {"@value": ..., "@type" or
"@language": ...}, a plain literal a JSON string.
The query comes from the argument, from -f FILE, or from stdin ("-f -").
There is no limit unless --limit is given; when it cuts the answer, stderr says so.`,
		Example: `  $ parley query 'g.V("<putin>").Out("<demands>").Out("<label>").All()'
  $ parley query -o json 'g.V("<russia>").Out("<rejects>").Tag("position").Out("<label>").All()'
  $ parley query -o json --typed 'g.V("<trump-putin-call>").Out(["<label>", "<date>", "<type>"]).All()'
  $ parley query --limit 5 'g.V().Has("<type>", "<Person>").All()'`,
		Args: usageArgs(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.text = args[0]
			}
			if (opts.text == "") == (opts.file == "") {
				return usagef("give the query as an argument or with -f FILE, not both or neither\nusage: %s", cmd.UseLine())
			}
			if !slices.Contains(graph.Languages(), opts.lang) {
				return usagef("unknown query language %q (languages: %s)", opts.lang, strings.Join(graph.Languages(), ", "))
			}
			if opts.typed && opts.lang != graph.LangGizmo {
				return usagef("--typed is for gizmo; Cayley's %s engine has no typed collation", opts.lang)
			}
			if runF != nil {
				return runF(opts)
			}
			return runQuery(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVarP(&opts.file, "file", "f", "", "read the query from a file (- for stdin)")
	cmd.Flags().StringVar(&opts.lang, "lang", graph.LangGizmo, "query language: gizmo, graphql or mql")
	cmd.Flags().IntVar(&opts.limit, "limit", 0, "stop after N results (0: no limit)")
	cmd.Flags().BoolVar(&opts.typed, "typed", false, "values as JSON-LD: IRIs as {\"@id\": ...}, typed literals as {\"@value\": ...}")
	cmd.Flags().DurationVar(&opts.timeout, "timeout", 30*time.Second, "give up after this long (0: never)")
	return cmd
}

func runQuery(ctx context.Context, opts *queryOptions) error {
	text := opts.text
	if opts.file != "" {
		var data []byte
		var err error
		if opts.file == "-" {
			data, err = io.ReadAll(opts.io.In)
		} else {
			data, err = os.ReadFile(opts.file)
		}
		if err != nil {
			return fmt.Errorf("read query: %w", err)
		}
		text = string(data)
	}
	if opts.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.timeout)
		defer cancel()
	}
	s, err := opts.open(ctx, true)
	if err != nil {
		return err
	}
	defer s.Close()
	run := s.Query
	if opts.typed {
		run = s.QueryTyped
	}
	res, err := run(ctx, opts.lang, text, opts.limit)
	if err != nil {
		return err
	}
	if len(res.Results) == 0 && opts.lang == graph.LangGizmo {
		for _, h := range bracketHints(ctx, s, text) {
			opts.io.Progressf("%s\n", h)
		}
	}
	if res.Truncated {
		opts.io.Progressf("parley: stopped at --limit %d results; there are more\n", opts.limit)
	}
	if opts.format() == outputJSON {
		return opts.writeJSON(res.Results)
	}
	cols := res.Columns()
	t := &table{header: cols}
	if len(cols) == 0 {
		t.header = []string{"result"}
	}
	for _, r := range res.Results {
		m, ok := r.(map[string]any)
		if !ok || len(cols) == 0 {
			t.add(cell(r))
			continue
		}
		row := make([]string, len(cols))
		for i, c := range cols {
			if v, ok := m[c]; ok {
				row[i] = cell(v)
			}
		}
		t.add(row...)
	}
	return t.print(opts.deps)
}

// cell renders one result value: strings as they are, anything else as JSON.
func cell(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
