package graphtest

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"reflect"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/graph/nquads"
	"github.com/parley/parley/schema"
	"github.com/parley/parley/seed"
)

// Input returns an input that reads text.
func Input(name, text string) graph.Input {
	return graph.Input{Name: name, Open: func() (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader(text)), nil
	}}
}

// Dump returns every quad of the store in N-Quads notation, sorted.
func Dump(t testing.TB, s *graph.Store) []string {
	t.Helper()
	ctx := context.Background()
	qs := s.QuadStore()
	it := qs.QuadsAllIterator().Iterate()
	defer it.Close()
	var out []string
	for it.Next(ctx) {
		q, err := qs.Quad(it.Result())
		if err != nil {
			t.Fatalf("read quad: %v", err)
		}
		out = append(out, q.NQuad())
	}
	if err := it.Err(); err != nil {
		t.Fatalf("iterate quads: %v", err)
	}
	sort.Strings(out)
	return out
}

// CountNodes counts the nodes Cayley lists, orphans included.
func CountNodes(t testing.TB, s *graph.Store) int {
	t.Helper()
	ctx := context.Background()
	it := s.QuadStore().NodesAllIterator().Iterate()
	defer it.Close()
	n := 0
	for it.Next(ctx) {
		n++
	}
	if err := it.Err(); err != nil {
		t.Fatalf("iterate nodes: %v", err)
	}
	return n
}

// SameDump fails the test when two dumps differ, showing the difference.
func SameDump(t testing.TB, what string, got, want []string) {
	t.Helper()
	if reflect.DeepEqual(got, want) {
		return
	}
	gotSet := make(map[string]bool, len(got))
	for _, q := range got {
		gotSet[q] = true
	}
	wantSet := make(map[string]bool, len(want))
	for _, q := range want {
		wantSet[q] = true
	}
	var diff []string
	for _, q := range got {
		if !wantSet[q] {
			diff = append(diff, "+ "+q)
		}
	}
	for _, q := range want {
		if !gotSet[q] {
			diff = append(diff, "- "+q)
		}
	}
	t.Errorf("%s: the store holds %d quads, want %d:\n%s", what, len(got), len(want), strings.Join(diff, "\n"))
}

// seedQuads parses the seed with parley's reader, each distinct quad once.
func seedQuads(t *testing.T) []quad.Quad {
	t.Helper()
	rd := nquads.NewReader(strings.NewReader(string(seed.Quads())), nquads.Options{})
	seen := map[quad.Quad]bool{}
	var out []quad.Quad
	for {
		q, line, err := rd.Next()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("%s:%d: %v", seed.Name, line, err)
		}
		if !seen[q] {
			seen[q] = true
			out = append(out, q)
		}
	}
	if len(out) == 0 {
		t.Fatal("the seed is empty")
	}
	return out
}

// seedWhere returns the seed's quads that keep accepts.
func seedWhere(t *testing.T, keep func(q quad.Quad) bool) []quad.Quad {
	var out []quad.Quad
	for _, q := range seedQuads(t) {
		if keep(q) {
			out = append(out, q)
		}
	}
	return out
}

func nquadsOf(quads []quad.Quad) []string {
	out := make([]string, len(quads))
	for i, q := range quads {
		out[i] = q.NQuad()
	}
	sort.Strings(out)
	return out
}

// factQuads turns facts back into quads, IDs only, sorted.
func factQuads(facts []graph.Fact) []string {
	out := make([]string, len(facts))
	for i, f := range facts {
		q := quad.Quad{Subject: quad.IRI(f.Subject.ID), Predicate: quad.IRI(f.Predicate.ID), Object: quad.IRI(f.Object.ID)}
		if f.Claim != "" {
			q.Label = quad.IRI(f.Claim)
		}
		out[i] = q.NQuad()
	}
	sort.Strings(out)
	return out
}

func kindOf(p quad.Value) schema.Kind {
	iri, _ := p.(quad.IRI)
	if d := schema.Default().Predicate(string(iri)); d != nil {
		return d.Kind
	}
	return ""
}

var pgSchemas atomic.Int64

// PostgresBase returns the throwaway server's address from $PARLEY_TEST_POSTGRES. When it
// is unset, the test is skipped, or fails if $PARLEY_REQUIRE_POSTGRES is set (as in CI).
func PostgresBase(t testing.TB) string {
	t.Helper()
	base := os.Getenv("PARLEY_TEST_POSTGRES")
	if base == "" {
		if os.Getenv("PARLEY_REQUIRE_POSTGRES") != "" {
			t.Fatal("PARLEY_REQUIRE_POSTGRES is set but PARLEY_TEST_POSTGRES is not")
		}
		t.Skip("PARLEY_TEST_POSTGRES is not set (eval \"$(bash .ci/postgres.sh start)\" starts a throwaway server)")
	}
	return base
}

// NewPostgresSchema creates an empty schema on the server at base and returns an address
// whose search_path is that schema, so a store opened there starts empty, and a function
// that drops it.
func NewPostgresSchema(base string) (addr string, drop func(), err error) {
	db, err := sql.Open("postgres", base)
	if err != nil {
		return "", nil, err
	}
	defer db.Close()
	name := fmt.Sprintf("t%d_%d", os.Getpid(), pgSchemas.Add(1))
	if _, err := db.Exec("CREATE SCHEMA " + name); err != nil {
		return "", nil, fmt.Errorf("create schema: %w", err)
	}
	drop = func() {
		if db, err := sql.Open("postgres", base); err == nil {
			db.Exec("DROP SCHEMA " + name + " CASCADE")
			db.Close()
		}
	}
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + name, drop, nil
}
