package graph_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
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

// TestPostgresCreateInterrupted: making a store anew on PostgreSQL (init --force, and a
// first use) is all or nothing: interrupted anywhere, the old store is as it was (or
// there is none), and no staging schema is left behind.
func TestPostgresCreateInterrupted(t *testing.T) {
	ctx := context.Background()
	base := graphtest.PostgresBase(t)
	extra := "<x1> <label> \"X1\" .\n<x1> <type> <Person> .\n"
	// oldStore makes a store of the seed and two more quads, and returns its address.
	oldStore := func(t *testing.T) string {
		addr := postgresAddress(t)
		s := openStore(t, graph.Config{Backend: graph.BackendPostgres, Address: addr, Seed: seedData()})
		if _, err := s.Load(ctx, []graph.Input{{Name: "extra.nq", Open: func() (io.ReadCloser, error) {
			return io.NopCloser(strings.NewReader(extra)), nil
		}}}, graph.LoadOptions{}); err != nil {
			t.Fatal(err)
		}
		s.Close()
		return addr
	}
	quads := func(t *testing.T, addr string) int64 {
		s, _, err := graph.Open(ctx, graph.Config{Backend: graph.BackendPostgres, Address: addr, MustExist: true})
		if err != nil {
			return -1
		}
		defer s.Close()
		st, err := s.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return int64(st.Quads)
	}
	staging := func(t *testing.T) int {
		db, err := sql.Open("postgres", base)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM pg_namespace WHERE nspname LIKE $1`, fmt.Sprintf("parley\\_new\\_%d\\_%%", os.Getpid())).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, force := range []bool{true, false} {
		name := map[bool]string{true: "init --force", false: "first use"}[force]
		t.Run(name, func(t *testing.T) {
			ref := graphtest.NewCountdown(0)
			addr := oldStore(t)
			before := quads(t, addr)
			if !force {
				addr, before = postgresAddress(t), -1
			}
			run := func(ctx context.Context, addr string) error {
				cfg := graph.Config{Backend: graph.BackendPostgres, Address: addr, Seed: seedData()}
				var s *graph.Store
				var err error
				if force {
					s, err = graph.Create(ctx, cfg, true)
				} else {
					s, _, err = graph.Open(ctx, cfg)
				}
				if err == nil {
					s.Close()
				}
				return err
			}
			if err := run(ref, addr); err != nil {
				t.Fatal(err)
			}
			after := quads(t, addr)
			total := ref.Consulted()
			interrupted := 0
			points := graphtest.Points(total)
			for _, n := range points {
				addr := oldStore(t)
				if !force {
					addr = postgresAddress(t)
				}
				c := graphtest.NewCountdown(n)
				err := run(c, addr)
				c.Stop()
				got := quads(t, addr)
				switch {
				case err == nil && got != after:
					t.Errorf("at %d of %d: done, with %d quads, want %d", n, total, got, after)
				case err != nil && got != before:
					interrupted++
					t.Errorf("at %d of %d: interrupted (%v), with %d quads, want %d as before", n, total, err, got, before)
				case err != nil:
					interrupted++
				}
				if left := staging(t); left != 0 {
					t.Errorf("at %d of %d: %d staging schemas left", n, total, left)
				}
			}
			if interrupted == 0 {
				t.Errorf("never interrupted in %d points of %d", len(points), total)
			}
		})
	}
}
