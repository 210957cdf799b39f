package graph_test

import (
	"context"
	"strings"
	"testing"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/graph/graphtest"
)

// postgresAddress returns an address on the test server whose search_path is a new,
// empty schema, dropped when the test ends.
func postgresAddress(t *testing.T) string {
	t.Helper()
	addr, drop, err := graphtest.NewPostgresSchema(graphtest.PostgresBase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(drop)
	return addr
}

func TestPostgres(t *testing.T) {
	graphtest.TestAll(t, func(t *testing.T) *graph.Store {
		return openStore(t, graph.Config{Backend: graph.BackendPostgres, Address: postgresAddress(t)})
	})
}

func TestPostgresCreate(t *testing.T) {
	ctx := context.Background()
	addr := postgresAddress(t)
	s, created, err := graph.Open(ctx, graph.Config{Backend: graph.BackendPostgres, Address: addr, Seed: seedData()})
	if err != nil || !created {
		t.Fatalf("Open = %v, created %v; want a new seeded store", err, created)
	}
	st, err := s.Stats(ctx)
	if err != nil || st.Quads == 0 {
		t.Fatalf("Stats = %+v, %v; want the seed", st, err)
	}
	s.Close()
	// A second open uses the store as it is.
	s, created, err = graph.Open(ctx, graph.Config{Backend: graph.BackendPostgres, Address: addr, Seed: seedData()})
	if err != nil || created {
		t.Fatalf("reopen = %v, created %v; want the existing store", err, created)
	}
	again, _ := s.Stats(ctx)
	if again.Quads != st.Quads {
		t.Errorf("reopen has %d quads, want %d", again.Quads, st.Quads)
	}
	s.Close()
	// Create with force starts over, empty when asked.
	s, err = graph.Create(ctx, graph.Config{Backend: graph.BackendPostgres, Address: addr}, true)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if empty, _ := s.Stats(ctx); empty.Quads != 0 {
		t.Errorf("after Create(force) without seed: %d quads, want 0", empty.Quads)
	}
}

func TestPostgresNoAddress(t *testing.T) {
	_, _, err := graph.Open(context.Background(), graph.Config{Backend: graph.BackendPostgres})
	if err == nil || !strings.Contains(err.Error(), "needs an address") {
		t.Errorf("Open without address: %v", err)
	}
}
