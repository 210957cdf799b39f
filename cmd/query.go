package cmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/parley/parley/graph"
)

type queryOptions struct {
	*deps
	text   string
	file   string
	lang   string
	limit  int
	limits graph.QueryLimits
	typed  bool
}

// maxQueryBytes bounds a query read from a file or stdin.
const maxQueryBytes = 1 << 20

// newQueryCmd builds the command; runF, when set, runs instead of the command (for tests of
// its flags and arguments).
func newQueryCmd(d *deps, runF func(*queryOptions) error) *cobra.Command {
	opts := &queryOptions{deps: d}
	cmd := &cobra.Command{
		Use:   "query [<query> | -f <file>] [--lang gizmo|graphql|mql] [--limit N] [--typed] [--timeout D] [--max-memory SIZE]",
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
There is no limit on results unless --limit is given; when it cuts the answer, stderr
says so. A query stops after --timeout (30s) or once it has grown the heap by
--max-memory (1GiB), with an error and exit 1; 0 lifts either limit.`,
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
	addQueryLimitFlags(cmd.Flags(), &opts.limits)
	return cmd
}

// addQueryLimitFlags adds --timeout and --max-memory, bound to lim; 0 on the command line
// is graph.NoLimit.
func addQueryLimitFlags(fs *pflag.FlagSet, lim *graph.QueryLimits) {
	lim.Timeout, lim.Memory = graph.DefaultQueryTimeout, graph.DefaultQueryMemory
	fs.Var((*timeoutValue)(&lim.Timeout), "timeout", "stop the query after this long (0: no limit)")
	fs.Var((*sizeValue)(&lim.Memory), "max-memory", "stop the query once it has grown the heap by this much, e.g. 512MiB, 2GiB (0: no limit)")
}

// timeoutValue is a duration flag whose 0 means graph.NoLimit.
type timeoutValue time.Duration

func (v *timeoutValue) String() string {
	if *v == graph.NoLimit {
		return "0s"
	}
	return time.Duration(*v).String()
}

func (v *timeoutValue) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	if d < 0 {
		return fmt.Errorf("negative duration %s", s)
	}
	if d == 0 {
		d = graph.NoLimit
	}
	*v = timeoutValue(d)
	return nil
}

func (v *timeoutValue) Type() string { return "duration" }

// sizeValue is a size flag in bytes, with an optional unit (KiB, MiB, GiB, or KB, MB, GB
// as their binary multiples), whose 0 means graph.NoLimit.
type sizeValue int64

func (v *sizeValue) String() string {
	n := int64(*v)
	switch {
	case n == graph.NoLimit:
		return "0"
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%dGiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%dMiB", n>>20)
	}
	return strconv.FormatInt(n, 10)
}

func (v *sizeValue) Set(s string) error {
	num := strings.TrimRight(s, "KMGiBkb")
	unit := strings.ToUpper(strings.TrimSuffix(strings.TrimSuffix(s[len(num):], "B"), "b"))
	mult := map[string]int64{"": 1, "K": 1 << 10, "KI": 1 << 10, "M": 1 << 20, "MI": 1 << 20, "G": 1 << 30, "GI": 1 << 30}[unit]
	n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
	if err != nil || mult == 0 || n < 0 || n > (1<<62)/mult {
		return fmt.Errorf("invalid size %q (e.g. 512MiB, 2GiB, 0 for no limit)", s)
	}
	if n == 0 {
		*v = graph.NoLimit
		return nil
	}
	*v = sizeValue(n * mult)
	return nil
}

func (v *sizeValue) Type() string { return "size" }

func runQuery(ctx context.Context, opts *queryOptions) error {
	text := opts.text
	if opts.file != "" {
		var data []byte
		var err error
		if opts.file == "-" {
			data, err = readQuery(opts.io.In)
		} else {
			data, err = readQueryFile(opts.file)
		}
		if err != nil {
			return fmt.Errorf("read query %s: %w", opts.file, err)
		}
		text = string(data)
	}
	s, err := opts.open(ctx, true)
	if err != nil {
		return err
	}
	defer s.Close()
	res, err := s.Query(ctx, opts.lang, text, graph.QueryOptions{Limit: opts.limit, Limits: opts.limits, Typed: opts.typed})
	if err != nil {
		return limitHint(err)
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

// limitHint adds to an error of a query stopped at a limit the flag that sets it.
func limitHint(err error) error {
	switch {
	case errors.Is(err, graph.ErrQueryTimeout):
		return fmt.Errorf("%w (--timeout sets it; 0 for none)", err)
	case errors.Is(err, graph.ErrQueryMemory):
		return fmt.Errorf("%w (--max-memory sets it; 0 for none)", err)
	}
	return err
}

// readQueryFile reads a query from a regular file or a pipe, up to maxQueryBytes.
func readQueryFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil {
		return nil, err
	} else if !fi.Mode().IsRegular() && fi.Mode()&fs.ModeNamedPipe == 0 {
		return nil, errors.New("not a regular file or a pipe")
	}
	return readQuery(f)
}

// readQuery reads a query, up to maxQueryBytes.
func readQuery(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxQueryBytes+1))
	if err == nil && len(data) > maxQueryBytes {
		err = fmt.Errorf("larger than %d MiB: not a query", maxQueryBytes>>20)
	}
	return data, err
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
