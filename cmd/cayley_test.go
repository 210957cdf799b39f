package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/boltdb/bolt"
	"github.com/cayleygraph/cayley/graph"
	ckv "github.com/cayleygraph/cayley/graph/kv"
	cayleyhttp "github.com/cayleygraph/cayley/server/http"
	hbolt "github.com/hidal-go/hidalgo/kv/bolt"
)

// cayleyDataDir is the data folder of the Cayley module parley builds on.
func cayleyDataDir(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/cayleygraph/cayley").Output()
	if err != nil {
		t.Skipf("cannot locate the Cayley module: %v", err)
	}
	return filepath.Join(strings.TrimSpace(string(out)), "data")
}

// cayleyAnswer asks Cayley's own HTTP API, in process, on the store file at path.
func cayleyAnswer(t *testing.T, path, lang, q string) []byte {
	t.Helper()
	db, err := bolt.Open(path, 0o644, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	qs, err := ckv.New(hbolt.New(db), graph.Options{ckv.OptNoBloom: true})
	if err != nil {
		t.Fatal(err)
	}
	api := cayleyhttp.NewAPIv2(&graph.Handle{QuadStore: qs})
	req := httptest.NewRequest("POST", "/api/v2/query?lang="+url.QueryEscape(lang), strings.NewReader(q))
	rec := httptest.NewRecorder()
	api.ServeQuery(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("cayley answered %d: %s", rec.Code, rec.Body)
	}
	var body struct {
		Result json.RawMessage `json:"result"`
		Data   json.RawMessage `json:"data"` // GraphQL answers one object under "data"
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	if body.Data != nil {
		return append(append([]byte("["), body.Data...), ']')
	}
	return body.Result
}

// TestQueryJSONIsCayleys checks that 'parley query -o json' prints exactly what Cayley's
// engine answers, on the seed and on Cayley's own test data loaded with --allow-unknown.
func TestQueryJSONIsCayleys(t *testing.T) {
	dir := t.TempDir()
	seeded := filepath.Join(dir, "seed.db")
	foreign := filepath.Join(dir, "foreign.db")
	mustRun(t, "--db", seeded, "init")
	mustRun(t, "--db", foreign, "init", "--no-seed")
	mustRun(t, "--db", foreign, "load", "--allow-unknown", filepath.Join(cayleyDataDir(t), "testdata.nq"))

	cases := []struct {
		name, db, lang, query string
	}{
		{"putin demands", seeded, "gizmo", `g.V("<putin>").Out("<demands>").All()`},
		{"labels of demands", seeded, "gizmo", `g.V("<putin>").Out("<demands>").Out("<label>").All()`},
		{"tags and claims", seeded, "gizmo", `g.V().Tag("who").Out("<rejects>").Tag("what").All()`},
		{"labels", seeded, "gizmo", `g.V().LabelContext("<src-trump-putin-call#c01>").Out().All()`},
		{"count", seeded, "gizmo", `g.Emit(g.V().Has("<type>", "<Person>").Count())`},
		{"emit", seeded, "gizmo", `g.V("<kallas>").Out("<dismisses>").ForEach(function(d){ g.Emit(d.id) })`},
		{"graphql", seeded, "graphql", `{ nodes(id: "<putin>") { id, demands: <demands> { id } } }`},
		{"mql", seeded, "mql", `[{"id": "<putin>", "<demands>": []}]`},
		{"followers", foreign, "gizmo", `g.V("<bob>").In("<follows>").All()`},
		{"status", foreign, "gizmo", `g.V().Has("<status>", "cool_person").Tag("p").Out("<follows>").All()`},
		{"two hops", foreign, "gizmo", `g.V("<alice>").Out("<follows>").Out("<follows>").All()`},
		{"empty", foreign, "gizmo", `g.V("<nobody>").Out().All()`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := mustRun(t, "--db", c.db, "query", "--lang", c.lang, "-o", "json", c.query)
			want := cayleyAnswer(t, c.db, c.lang, c.query)
			if string(want) == "null" {
				want = []byte("[]") // Cayley's API writes null for no results; parley an empty array
			}
			if !jsonEqual(t, out, want) {
				t.Errorf("parley:\n%s\ncayley:\n%s", out, want)
			}
		})
	}
}

func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatalf("parley's output is not JSON: %v\n%s", err, a)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatalf("cayley's output is not JSON: %v\n%s", err, b)
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}

// mustRun runs parley in process and returns its stdout, failing the test on a non-zero exit.
func mustRun(t *testing.T, args ...string) []byte {
	t.Helper()
	var out, errOut bytes.Buffer
	io := &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
	if code := run(context.Background(), args, io, func(string) string { return "" }); code != 0 {
		t.Fatalf("parley %s: exit %d\n%s", strings.Join(args, " "), code, errOut.String())
	}
	return out.Bytes()
}
