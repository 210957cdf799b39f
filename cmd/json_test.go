package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// jsonCase is a command whose -o json output must fit a schema of cmd/testdata/json.
type jsonCase struct {
	schema string
	args   []string
	empty  bool // an empty answer: stdout must still be JSON, [] or an object
}

// jsonCases covers every command that prints JSON, on the seeded store: an answer, and
// where a command can give one, an empty answer.
func jsonCases() []jsonCase {
	article := filepath.Join("testdata", "examples", "new-article.nq")
	return []jsonCase{
		{schema: "match", args: []string{"match", "Putin", "demands", "_"}},
		{schema: "match", args: []string{"match", "_", "_", "_"}},
		{schema: "match", args: []string{"match", "Putin", "accepts", "_"}, empty: true},
		{schema: "why", args: []string{"why", "Ukraine", "accepts", "30-day ceasefire"}},
		{schema: "describe", args: []string{"describe", "Kallas"}},
		{schema: "describe", args: []string{"describe", "Zaporizhzhia"}},
		{schema: "path", args: []string{"path", "Zelensky", "Putin", "--all"}},
		{schema: "neighbors", args: []string{"neighbors", "Putin", "--depth", "2"}},
		{schema: "stance", args: []string{"stance", "Russia"}},
		{schema: "stance", args: []string{"stance", "ABC"}, empty: true},
		{schema: "conflicts", args: []string{"conflicts", "--why"}},
		{schema: "conflicts", args: []string{"conflicts", "--min-modality", "inferred"}},
		{schema: "common-ground", args: []string{"common-ground"}},
		{schema: "alignment", args: []string{"alignment", "--pairs"}},
		{schema: "alignment", args: []string{"alignment", "--people"}},
		{schema: "brokers", args: []string{"brokers"}},
		{schema: "stats", args: []string{"stats"}},
		{schema: "sources", args: []string{"sources"}},
		{schema: "schema", args: []string{"schema"}},
		{schema: "version", args: []string{"version"}},
		{schema: "lint", args: []string{"lint"}},
		{schema: "lint", args: []string{"lint", filepath.Join("testdata", "examples", "draft.nq")}},
		{schema: "load", args: []string{"load", article}},
		{schema: "load", args: []string{"load", "--dry-run", article}},
		{schema: "load", args: []string{"unload", filepath.Join("..", "seed", "article.nq"), "--dry-run"}},
		{schema: "add", args: []string{"add", "Starmer", "supports", "peacekeepers", "--evidence", "Starmer said so.", "--source", "Example wire", "--modality", "attributed", "--speaker", "Starmer"}},
		{schema: "query", args: []string{"query", `g.V("<putin>").Tag("who").Out("<label>").All()`}},
		{schema: "query", args: []string{"query", `g.V("<nobody>").All()`}, empty: true},
		{schema: "query", args: []string{"query", "--lang", "graphql", `{ nodes(id: "<putin>") { id <label> } }`}},
		{schema: "query-typed", args: []string{"query", "--typed", `g.V("<trump-putin-call>").Tag("event").Out(["<label>", "<date>", "<type>"]).All()`}},
	}
}

// compileSchemas compiles every schema of cmd/testdata/json by name.
func compileSchemas(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "json", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no schemas in testdata/json: %v", err)
	}
	c := jsonschema.NewCompiler()
	out := map[string]*jsonschema.Schema{}
	for _, f := range files {
		abs, err := filepath.Abs(f)
		if err != nil {
			t.Fatal(err)
		}
		s, err := c.Compile(abs)
		if err != nil {
			t.Fatalf("compile %s: %v", f, err)
		}
		out[strings.TrimSuffix(filepath.Base(f), ".json")] = s
	}
	return out
}

// validate checks a JSON document against a schema.
func validate(s *jsonschema.Schema, doc []byte) error {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return err
	}
	return s.Validate(v)
}

// runJSON runs a command in process with -o json and returns its stdout.
func runJSON(t *testing.T, args []string) []byte {
	t.Helper()
	var out, errOut bytes.Buffer
	io := &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
	all := append([]string{"--backend", "memory"}, args...)
	if args[0] != "export" {
		all = append(all, "-o", "json")
	}
	if code := run(context.Background(), all, io, func(string) string { return "" }); code != 0 {
		t.Fatalf("%v: exit %d\n%s", args, code, errOut.String())
	}
	return out.Bytes()
}

// TestJSONSchemas runs every command that prints JSON and validates its output against
// the command's schema in cmd/testdata/json (common.json holds the shared shapes:
// entity, predicate, claim, document, fact, stance). The schemas forbid keys they do not
// name, so a renamed key fails here.
func TestJSONSchemas(t *testing.T) {
	schemas := compileSchemas(t)
	used := map[string]bool{"common": true}
	for _, c := range jsonCases() {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			s, ok := schemas[c.schema]
			if !ok {
				t.Fatalf("no schema %s.json", c.schema)
			}
			used[c.schema] = true
			out := runJSON(t, c.args)
			if err := validate(s, out); err != nil {
				t.Fatalf("output does not fit %s.json: %v\n%s", c.schema, err, out)
			}
			var v any
			if err := json.Unmarshal(out, &v); err != nil {
				t.Fatal(err)
			}
			if c.empty {
				switch v := v.(type) {
				case []any:
					if len(v) != 0 {
						t.Errorf("want an empty answer, got %d items", len(v))
					}
				case map[string]any:
				default:
					t.Errorf("an empty answer is %T, want [] or an object", v)
				}
			}
		})
	}
	db := filepath.Join(t.TempDir(), "parley.db") // for the embedded store's own commands
	if _, err := runDB(db, "init"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		schema string
		args   []string
	}{
		{"check", []string{"check"}},
		{"salvage", []string{"salvage", filepath.Join(t.TempDir(), "salvaged.nq")}},
	} {
		t.Run(c.schema, func(t *testing.T) {
			used[c.schema] = true
			out, err := runDB(db, append(c.args, "-o", "json")...)
			if err != nil {
				t.Fatal(err)
			}
			if err := validate(schemas[c.schema], out); err != nil {
				t.Errorf("%s does not fit %s.json: %v\n%s", c.args[0], c.schema, err, out)
			}
		})
	}
	t.Run("export json", func(t *testing.T) {
		used["export"] = true
		for _, sel := range [][]string{{"--around", "trump-putin-call"}, {"--around", "ukrainian-drone-attack-astrakhan"}, {"--around", "Putin", "--type", "Place"}} {
			out := runJSON(t, append([]string{"export", "--format", "json"}, sel...))
			if err := validate(schemas["export"], out); err != nil {
				t.Errorf("export %v does not fit export.json: %v", sel, err)
			}
		}
	})
	for name := range schemas {
		if !used[name] {
			t.Errorf("schema %s.json is tested by no command", name)
		}
	}
}

// runDB runs a command in process on the embedded store db and returns its stdout, or an
// error with its exit code and stderr.
func runDB(db string, args ...string) ([]byte, error) {
	var out, errOut bytes.Buffer
	io := &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
	if code := run(context.Background(), append([]string{"--db", db}, args...), io, func(string) string { return "" }); code != 0 {
		return nil, fmt.Errorf("%v: exit %d\n%s", args, code, errOut.String())
	}
	return out.Bytes(), nil
}

// TestJSONEmptyStore runs the commands that can answer on an empty store: each prints
// valid JSON that fits its schema, never nothing.
func TestJSONEmptyStore(t *testing.T) {
	schemas := compileSchemas(t)
	db := filepath.Join(t.TempDir(), "empty.db")
	var out, errOut bytes.Buffer
	io := &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
	if code := run(context.Background(), []string{"--db", db, "init", "--no-seed"}, io, func(string) string { return "" }); code != 0 {
		t.Fatalf("init: %s", errOut.String())
	}
	for schema, args := range map[string][]string{
		"match": {"match", "_", "_", "_"}, "conflicts": {"conflicts"}, "common-ground": {"common-ground"},
		"alignment": {"alignment", "--pairs"}, "brokers": {"brokers"}, "stats": {"stats"},
		"sources": {"sources"}, "lint": {"lint"}, "query": {"query", "g.V().All()"},
	} {
		out.Reset()
		errOut.Reset()
		if code := run(context.Background(), append([]string{"--db", db}, append(args, "-o", "json")...), io, func(string) string { return "" }); code != 0 {
			t.Errorf("%v: exit %d: %s", args, code, errOut.String())
			continue
		}
		if out.Len() == 0 {
			t.Errorf("%v: nothing on stdout", args)
			continue
		}
		if err := validate(schemas[schema], out.Bytes()); err != nil {
			t.Errorf("%v: %v\n%s", args, err, out.String())
		}
	}
}

// TestJSONSchemasCatchRenames checks that the schemas can fail: a fact whose document is
// called "source", a predicate with a "label", an entity without one, and a null list
// are each rejected.
func TestJSONSchemasCatchRenames(t *testing.T) {
	schemas := compileSchemas(t)
	good := `[{"subject": {"id": "a", "label": "A"}, "predicate": {"id": "p", "reading": "p"}, "object": {"id": "b", "label": "B"},
		"claim": {"id": "c", "document": {"id": "d", "label": "D"}}}]`
	if err := validate(schemas["match"], []byte(good)); err != nil {
		t.Fatalf("a good fact is rejected: %v", err)
	}
	for name, doc := range map[string]string{
		"source":          strings.Replace(good, `"document"`, `"source"`, 1),
		"predicate label": strings.Replace(good, `"reading": "p"`, `"label": "p"`, 1),
		"no label":        strings.Replace(good, `, "label": "A"`, ``, 1),
		"camelCase":       strings.Replace(good, `"document"`, `"sourceDoc"`, 1),
		"null":            `null`,
	} {
		if err := validate(schemas["match"], []byte(doc)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if err := validate(schemas["stats"], []byte(`{"quads": 1, "entities": 0, "claims": 0, "types": null, "predicates": []}`)); err == nil {
		t.Errorf("stats with a null list accepted")
	}
}

// TestJSONDocumented checks that the README's JSON section names every command a schema
// covers, and the schemas' directory.
func TestJSONDocumented(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## JSON\n")
	if !ok {
		t.Fatal("README.md has no JSON section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	files, _ := filepath.Glob(filepath.Join("testdata", "json", "*.json"))
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		if name == "common" || name == "query-typed" {
			continue
		}
		if !strings.Contains(section, "`"+name) {
			t.Errorf("README's JSON section does not name %s", name)
		}
	}
	if !strings.Contains(section, "cmd/testdata/json") {
		t.Error("README's JSON section does not say where the schemas are")
	}
}
