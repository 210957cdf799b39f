package graph_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/graph/graphtest"
)

// mixedValues has every kind of value Cayley's SQL backend stores in its own columns.
const mixedValues = `<a> <n> "42"^^<http://www.w3.org/2001/XMLSchema#integer> .
<a> <b> "true"^^<http://www.w3.org/2001/XMLSchema#boolean> .
<a> <f> "2.5"^^<http://www.w3.org/2001/XMLSchema#double> .
<a> <t> "2025-03-18T10:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .
<a> <d> "2025-03-18"^^<http://www.w3.org/2001/XMLSchema#date> .
<a> <l> "bonjour"@fr .
<a> <s> "plain \u0000 with a null byte" .
_:x <p> <a> <g> .
<a> <p> _:x .
<a> <p> <a> <g> .
<a> <p> <a> .
`

// tableRows lists a store's nodes and quads rows as PostgreSQL holds them.
func tableRows(t *testing.T, addr string) []string {
	t.Helper()
	db, err := sql.Open("postgres", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var out []string
	for _, q := range []string{
		`SELECT 'node', encode(hash, 'hex'), refs, coalesce(encode(value, 'hex'), ''), coalesce(value_string, ''), coalesce(datatype, ''), coalesce(language, ''), coalesce(iri::text, ''), coalesce(bnode::text, ''), coalesce(value_int::text, ''), coalesce(value_bool::text, ''), coalesce(value_float::text, ''), coalesce(value_time::text, '') FROM nodes ORDER BY hash`,
		`SELECT 'quad', encode(subject_hash, 'hex'), encode(predicate_hash, 'hex'), encode(object_hash, 'hex'), coalesce(encode(label_hash, 'hex'), ''), '', '', '', '', '', '', '', '' FROM quads ORDER BY horizon`,
	} {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			cells := make([]string, 13)
			ptrs := make([]any, 13)
			for i := range cells {
				ptrs[i] = &cells[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out = append(out, strings.Join(cells, "|"))
		}
		rows.Close()
	}
	return out
}

// TestPostgresBulkIsRowByRow loads the same data through COPY and through Cayley's own
// row-by-row path: the tables hold the same rows, and Cayley reads back the same quads.
func TestPostgresBulkIsRowByRow(t *testing.T) {
	base := graphtest.PostgresBase(t)
	cayley := cayleyData(t)
	inputs := []graph.Input{
		graphtest.Input("mixed.nq", mixedValues),
		{Name: "testdata.nq", Open: func() (io.ReadCloser, error) { return os.Open(filepath.Join(cayley, "testdata.nq")) }},
	}
	ctx := context.Background()
	var rows [2][]string
	var dumps [2][]string
	for i, rowByRow := range []bool{false, true} {
		addr, drop, err := graphtest.NewPostgresSchema(base)
		if err != nil {
			t.Fatal(err)
		}
		defer drop()
		s, _, err := graph.Open(ctx, graph.Config{Backend: graph.BackendPostgres, Address: addr, RowByRow: rowByRow, Seed: seedData()})
		if err != nil {
			t.Fatal(err)
		}
		// Twice: the second load finds every quad present.
		for round := 0; round < 2; round++ {
			res, err := s.Load(ctx, inputs, graph.LoadOptions{AllowUnknown: true})
			if err != nil {
				t.Fatalf("load (row by row %v, round %d): %v", rowByRow, round, err)
			}
			if round == 1 && (res.Written != 0 || res.Present != res.Read) {
				t.Errorf("second load: %+v, want every quad present", res)
			}
		}
		dumps[i] = graphtest.Dump(t, s)
		s.Close()
		rows[i] = tableRows(t, addr)
	}
	graphtest.SameDump(t, "Cayley's reading of the bulk load", dumps[0], dumps[1])
	graphtest.SameDump(t, "PostgreSQL rows of the bulk load", rows[0], rows[1])
}

func cayleyData(t testing.TB) string {
	t.Helper()
	dir, err := goList("github.com/cayleygraph/cayley")
	if err != nil {
		t.Skipf("cannot locate the Cayley module: %v", err)
	}
	return filepath.Join(dir, "data")
}

// goList returns the folder of a module in the build.
func goList(module string) (string, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", module).Output()
	if err != nil {
		return "", fmt.Errorf("go list %s: %w", module, err)
	}
	return strings.TrimSpace(string(out)), nil
}
