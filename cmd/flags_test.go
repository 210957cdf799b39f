package cmd

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/graph/analysis"
	"github.com/parley/parley/schema"
)

// parseWith runs a command line through the real root command, with the named command
// replaced by one whose runF hook records its options instead of running: flags and
// arguments are checked without a store. It returns the recorded options (nil when the
// hook was not reached) and the command's error.
func parseWith[T any](t *testing.T, newCmd func(*deps, func(*T) error) *cobra.Command, args ...string) (*T, error) {
	t.Helper()
	d := newDeps(&IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}, func(string) string { return "" })
	root := newRootCmd(d)
	var got *T
	hooked := newCmd(d, func(o *T) error { got = o; return nil })
	for _, c := range root.Commands() {
		if c.Name() == hooked.Name() {
			root.RemoveCommand(c)
		}
	}
	root.AddCommand(hooked)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	return got, err
}

// wantUsage checks that err is a usage error (exit 2) that says want.
func wantUsage(t *testing.T, err error, want string) {
	t.Helper()
	var uerr *usageError
	if !errors.As(err, &uerr) {
		t.Fatalf("error %v is not a usage error", err)
	}
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not say %q", err, want)
	}
}

func TestMatchFlags(t *testing.T) {
	o, err := parseWith(t, newMatchCmd, "match", "Putin", "demanded by", "_", "--why")
	if err != nil {
		t.Fatal(err)
	}
	if want := (graph.Pattern{Subject: "Putin", Predicate: "demanded by", Object: "_"}); o.pattern != want || !o.why {
		t.Errorf("pattern %+v why %v, want %+v and --why", o.pattern, o.why, want)
	}
	o, err = parseWith(t, newMatchCmd, "match", "Putin", "demands")
	wantUsage(t, err, "accepts 3 arg(s)")
	if o != nil {
		t.Error("the hook ran with two arguments")
	}
}

func TestAddFlags(t *testing.T) {
	o, err := parseWith(t, newAddCmd, "add", "Kallas", "rejects", "peacekeepers", "--evidence", "E.", "--source", "S",
		"--speaker", "Kallas", "--date", "2025-03", "--modality", "attributed")
	if err != nil {
		t.Fatal(err)
	}
	want := graph.Assertion{Subject: "Kallas", Predicate: "rejects", Object: "peacekeepers", Evidence: "E.", Source: "S",
		Speaker: "Kallas", Date: "2025-03", Modality: "attributed"}
	if !reflect.DeepEqual(o.assertion, want) {
		t.Errorf("assertion %+v, want %+v", o.assertion, want)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--evidence", "E.", "--source", "S", "--modality", "rumoured"}, `unknown modality "rumoured"`},
		{[]string{"--evidence", "E.", "--source", "S", "--date", "next week"}, "next week"},
		{[]string{"--source", "S"}, "add needs --evidence and --source"},
		{[]string{"--evidence", "E."}, "add needs --evidence and --source"},
	} {
		o, err := parseWith(t, newAddCmd, append([]string{"add", "a", "b", "c"}, tc.args...)...)
		wantUsage(t, err, tc.want)
		if o != nil {
			t.Errorf("%v: the hook ran", tc.args)
		}
	}
}

func TestExportFlags(t *testing.T) {
	o, err := parseWith(t, newExportCmd, "export", "--around", "Putin", "--around", "Kallas", "--depth", "2",
		"--predicate", "demands", "--type", "Position", "--source", "S", "--format", "dot", "-f", "out.dot", "--expand")
	if err != nil {
		t.Fatal(err)
	}
	want := graph.Selection{Around: []string{"Putin", "Kallas"}, Depth: 2, Predicates: []string{"demands"},
		Types: []string{"Position"}, Sources: []string{"S"}, Limits: graph.QueryLimits{Timeout: graph.DefaultQueryTimeout, Memory: graph.DefaultQueryMemory}}
	if !reflect.DeepEqual(o.sel, want) || o.format != "dot" || o.file != "out.dot" || !o.expand {
		t.Errorf("options %+v, want selection %+v, dot to out.dot, expanded", o, want)
	}
	_, err = parseWith(t, newExportCmd, "export", "--depth", "2")
	wantUsage(t, err, "--depth needs --around")
	_, err = parseWith(t, newExportCmd, "export", "-o", "json")
	wantUsage(t, err, "export takes --format")
}

func TestQueryFlags(t *testing.T) {
	o, err := parseWith(t, newQueryCmd, "query", "--lang", "graphql", "--limit", "5", "--timeout", "2s", "{nodes{id}}")
	if err != nil {
		t.Fatal(err)
	}
	if o.text != "{nodes{id}}" || o.lang != graph.LangGraphQL || o.limit != 5 || o.limits != (graph.QueryLimits{Timeout: 2 * time.Second, Memory: graph.DefaultQueryMemory}) {
		t.Errorf("options %+v", o)
	}
	for _, tc := range []struct {
		args []string
		want graph.QueryLimits
	}{
		{nil, graph.QueryLimits{Timeout: graph.DefaultQueryTimeout, Memory: graph.DefaultQueryMemory}},
		{[]string{"--timeout", "0", "--max-memory", "0"}, graph.QueryLimits{Timeout: graph.NoLimit, Memory: graph.NoLimit}},
		{[]string{"--max-memory", "512MiB"}, graph.QueryLimits{Timeout: graph.DefaultQueryTimeout, Memory: 512 << 20}},
		{[]string{"--max-memory", "2GB", "--timeout", "1m"}, graph.QueryLimits{Timeout: time.Minute, Memory: 2 << 30}},
		{[]string{"--max-memory", "4096"}, graph.QueryLimits{Timeout: graph.DefaultQueryTimeout, Memory: 4096}},
	} {
		o, err := parseWith(t, newQueryCmd, append(append([]string{"query"}, tc.args...), "g.V().All()")...)
		if err != nil || o.limits != tc.want {
			t.Errorf("query %v: limits %+v, %v; want %+v", tc.args, o.limits, err, tc.want)
		}
	}
	for _, bad := range []string{"--max-memory=lots", "--max-memory=-1", "--max-memory=3TB", "--timeout=-1s"} {
		if _, err := parseWith(t, newQueryCmd, "query", bad, "g.V().All()"); err == nil {
			t.Errorf("query %s is accepted", bad)
		}
	}
	_, err = parseWith(t, newQueryCmd, "query")
	wantUsage(t, err, "not both or neither")
	_, err = parseWith(t, newQueryCmd, "query", "-f", "q.js", "g.V().All()")
	wantUsage(t, err, "not both or neither")
	_, err = parseWith(t, newQueryCmd, "query", "--lang", "sparql", "x")
	wantUsage(t, err, `unknown query language "sparql"`)
}

// flagCase is one command line and what it must give: the options' view (see
// checkFlags), or a usage error that says usage.
type flagCase struct {
	args  string // split at spaces
	want  any
	usage string
}

// checkFlags runs each case's command line through newCmd's test hook. A case with a
// usage must fail with that usage error before the hook runs; any other must reach the
// hook with options whose view equals the case's want.
func checkFlags[T any](t *testing.T, newCmd func(*deps, func(*T) error) *cobra.Command, view func(*T) any, cases []flagCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.args, func(t *testing.T) {
			o, err := parseWith(t, newCmd, strings.Fields(tc.args)...)
			if tc.usage != "" {
				wantUsage(t, err, tc.usage)
				if o != nil {
					t.Errorf("the hook ran with %+v", view(o))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := view(o); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("options %+v, want %+v", got, tc.want)
			}
		})
	}
}

// Evidence filters as --min-modality names them.
var (
	byDefault = schema.Evidence{MinModality: schema.DefaultMinModality}
	firmOnly  = schema.Evidence{MinModality: schema.ModalityAttributed}
	inferred  = schema.Evidence{MinModality: schema.ModalityInferred}
)

// The usage errors of --min-modality.
const (
	unknownModality = `--min-modality: minimum modality "rumoured" is not one of`
	refusedModality = `--min-modality: minimum modality "refused" is not one of`
)

func TestConflictsAndCommonGroundFlags(t *testing.T) {
	type view struct {
		Why bool
		Ev  schema.Evidence
	}
	cases := func(name string) []flagCase {
		return []flagCase{
			{args: name, want: view{Ev: byDefault}},
			{args: name + " --why --min-modality inferred", want: view{true, inferred}},
			{args: name + " --min-modality attributed", want: view{Ev: firmOnly}},
			{args: name + " --min-modality rumoured", usage: unknownModality},
			{args: name + " --min-modality refused", usage: refusedModality},
			{args: name + " Russia", usage: "unknown command"},
		}
	}
	checkFlags(t, newConflictsCmd, func(o *conflictsOptions) any { return view{o.why, o.ev} }, cases("conflicts"))
	checkFlags(t, newCommonGroundCmd, func(o *commonGroundOptions) any { return view{o.why, o.ev} }, cases("common-ground"))
}

func TestAlignmentAndBrokersFlags(t *testing.T) {
	type view struct {
		People, Pairs bool
		Ev            schema.Evidence
	}
	checkFlags(t, newAlignmentCmd, func(o *alignmentOptions) any { return view{o.level.atPeople, o.pairs, o.ev} }, []flagCase{
		{args: "alignment", want: view{Ev: byDefault}},
		{args: "alignment --sides", want: view{Ev: byDefault}},
		{args: "alignment --people --pairs --min-modality inferred", want: view{true, true, inferred}},
		{args: "alignment --people --sides", usage: "--sides and --people exclude each other"},
		{args: "alignment --min-modality rumoured", usage: unknownModality},
		{args: "alignment --sides --people --min-modality rumoured", usage: "--sides and --people exclude each other"},
	})
	checkFlags(t, newBrokersCmd, func(o *brokersOptions) any { return view{People: o.level.atPeople, Ev: o.ev} }, []flagCase{
		{args: "brokers", want: view{People: true, Ev: byDefault}},
		{args: "brokers --people", want: view{People: true, Ev: byDefault}},
		{args: "brokers --sides --min-modality attributed", want: view{Ev: firmOnly}},
		{args: "brokers --people --sides", usage: "--sides and --people exclude each other"},
		{args: "brokers --min-modality rumoured", usage: unknownModality},
		{args: "brokers --pairs", usage: "unknown flag: --pairs"},
	})
}

func TestStanceAndWhyFlags(t *testing.T) {
	type stanceView struct {
		Name        string
		Direct, Why bool
		Ev          schema.Evidence
	}
	checkFlags(t, newStanceCmd, func(o *stanceOptions) any { return stanceView{o.name, o.direct, o.why, o.ev} }, []flagCase{
		{args: "stance Putin", want: stanceView{Name: "Putin", Ev: byDefault}},
		{args: "stance Russia --direct --why --min-modality inferred", want: stanceView{"Russia", true, true, inferred}},
		{args: "stance", usage: "accepts 1 arg(s)"},
		{args: "stance Putin Zelensky", usage: "accepts 1 arg(s)"},
		{args: "stance Putin --min-modality rumoured", usage: unknownModality},
	})
	checkFlags(t, newWhyCmd, func(o *whyOptions) any { return o.pattern }, []flagCase{
		{args: "why Russia rejects peacekeepers", want: graph.Pattern{Subject: "Russia", Predicate: "rejects", Object: "peacekeepers"}},
		{args: "why Putin demands _", usage: "why explains one fact"},
		{args: "why _ rejects peacekeepers", usage: "why explains one fact"},
		{args: "why Russia _ peacekeepers", usage: "why explains one fact"},
		{args: "why Russia rejects", usage: "accepts 3 arg(s)"},
	})
}

func TestPathAndNeighborsFlags(t *testing.T) {
	type pathView struct {
		Query analysis.PathQuery
		Why   bool
	}
	checkFlags(t, newPathCmd, func(o *pathOptions) any { return pathView{o.query, o.why} }, []flagCase{
		{args: "path Kallas Zelensky", want: pathView{Query: analysis.PathQuery{From: "Kallas", To: "Zelensky", MaxHops: analysis.DefaultMaxHops}}},
		{args: "path Kallas Zelensky --max-hops 3 --all --why", want: pathView{analysis.PathQuery{From: "Kallas", To: "Zelensky", MaxHops: 3, All: true}, true}},
		{args: "path a b --max-hops 0", usage: "--max-hops must be at least 1, not 0"},
		{args: "path a b --max-hops -2", usage: "--max-hops must be at least 1, not -2"},
		{args: "path a", usage: "accepts 2 arg(s)"},
	})
	type neighborsView struct {
		Name  string
		Depth int
	}
	checkFlags(t, newNeighborsCmd, func(o *neighborsOptions) any { return neighborsView{o.name, o.depth} }, []flagCase{
		{args: "neighbors Putin", want: neighborsView{"Putin", 1}},
		{args: "neighbors Putin -d 2", want: neighborsView{"Putin", 2}},
		{args: "neighbors Putin --depth 0", usage: "--depth must be at least 1, not 0"},
		{args: "neighbors", usage: "accepts 1 arg(s)"},
	})
}

func TestStoreCommandFlags(t *testing.T) {
	i, err := parseWith(t, newInitCmd, "init", "--no-seed", "--force")
	if err != nil || !i.noSeed || !i.force {
		t.Errorf("init: %+v, %v", i, err)
	}
	u, err := parseWith(t, newUnloadCmd, "unload", "a.nq", "b.nq")
	if err != nil || !reflect.DeepEqual(u.files, []string{"a.nq", "b.nq"}) {
		t.Errorf("unload: %+v, %v", u, err)
	}
	dsc, err := parseWith(t, newDescribeCmd, "describe", "Moscow", "--why")
	if err != nil || dsc.name != "Moscow" || !dsc.why {
		t.Errorf("describe: %+v, %v", dsc, err)
	}
	_, err = parseWith(t, newDescribeCmd, "describe")
	wantUsage(t, err, "accepts 1 arg(s)")
	_, err = parseWith(t, newStatsCmd, "stats", "extra")
	wantUsage(t, err, "unknown command")
}

func TestSchemaAndLintFlags(t *testing.T) {
	sc, err := parseWith(t, newSchemaCmd, "schema", "--types")
	if err != nil || !sc.types {
		t.Errorf("schema --types: %+v, %v", sc, err)
	}
	_, err = parseWith(t, newSchemaCmd, "schema", "-o", "yaml")
	wantUsage(t, err, `unknown output format "yaml"`)
	l, err := parseWith(t, newLintCmd, "lint", "--strict", "--text", "src=a.txt", "--text", "src2=b.txt", "a.nq", "b.nq")
	if err != nil {
		t.Fatal(err)
	}
	if !l.strict || !reflect.DeepEqual(l.texts, []string{"src=a.txt", "src2=b.txt"}) || !reflect.DeepEqual(l.files, []string{"a.nq", "b.nq"}) {
		t.Errorf("lint options %+v", l)
	}
}

func TestLoadFlags(t *testing.T) {
	o, err := parseWith(t, newLoadCmd, "load", "--replace", "--strict-lint", "--dry-run", "--allow-unknown",
		"--format", "sheet", "--allow-context", "ctx.jsonld", "a.yaml", "b.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !o.replace || !o.strictLint || !o.dryRun || !o.allowUnknown || o.loadFlags.format != "sheet" ||
		!reflect.DeepEqual(o.contexts, []string{"ctx.jsonld"}) || !reflect.DeepEqual(o.files, []string{"a.yaml", "b.yaml"}) {
		t.Errorf("load options %+v", o)
	}
	_, err = parseWith(t, newLoadCmd, "load")
	wantUsage(t, err, "requires at least 1 arg")
}

func TestStoreToolFlags(t *testing.T) {
	b, err := parseWith(t, newBackupCmd, "backup", "copy.db", "--force")
	if err != nil || b.file != "copy.db" || !b.force {
		t.Errorf("backup: %+v, %v", b, err)
	}
	_, err = parseWith(t, newBackupCmd, "backup")
	wantUsage(t, err, "accepts 1 arg(s)")
	r, err := parseWith(t, newRestoreCmd, "restore", "copy.db")
	if err != nil || r.file != "copy.db" {
		t.Errorf("restore: %+v, %v", r, err)
	}
	_, err = parseWith(t, newRestoreCmd, "restore", "a.db", "b.db")
	wantUsage(t, err, "accepts 1 arg(s)")
	c, err := parseWith(t, newCheckCmd, "check", "--repair", "-o", "json")
	if err != nil || !c.repair {
		t.Errorf("check: %+v, %v", c, err)
	}
	_, err = parseWith(t, newCheckCmd, "check", "-o", "yaml")
	wantUsage(t, err, `unknown output format "yaml"`)
	_, err = parseWith(t, newSalvageCmd, "salvage")
	wantUsage(t, err, "accepts 1 arg(s)")
}

// TestSalvageFlags: the file of rejected quads is named beside OUT, or by --rejected,
// and stdout holds the quads or the JSON counts, not both.
func TestSalvageFlags(t *testing.T) {
	for _, c := range []struct {
		args     []string
		rejected string // "": a usage error saying usage
		usage    string
	}{
		{args: []string{"out.nq", "--force"}, rejected: "out.rejected.nq"},
		{args: []string{"dir/out.nq", "-o", "json"}, rejected: "dir/out.rejected.nq"},
		{args: []string{"out.txt"}, rejected: "out.txt.rejected.nq"},
		{args: []string{"out.nq", "--rejected", "bad.nq"}, rejected: "bad.nq"},
		{args: []string{"-", "--rejected", "bad.nq"}, rejected: "bad.nq"},
		{args: []string{"-"}, usage: "salvage to stdout needs --rejected FILE"},
		{args: []string{"-", "--rejected", "bad.nq", "-o", "json"}, usage: "-o json prints the counts on stdout"},
		{args: []string{"out.nq", "--rejected", "out.nq"}, usage: "give a file other than OUT.nq and stdout"},
		{args: []string{"out.nq", "--rejected", "-"}, usage: "give a file other than OUT.nq and stdout"},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			s, err := parseWith(t, newSalvageCmd, append([]string{"salvage"}, c.args...)...)
			if c.usage != "" {
				wantUsage(t, err, c.usage)
				return
			}
			if err != nil || s.file != c.args[0] || s.rejected != c.rejected || s.force != slices.Contains(c.args, "--force") {
				t.Errorf("got %+v, %v; want file %s, rejected %s", s, err, c.args[0], c.rejected)
			}
		})
	}
}
