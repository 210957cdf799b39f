package graph_test

import (
	"context"
	"errors"
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/schema"
)

// TestScribbledStoreGuarded scribbles over pages of a seeded store: reading it, or
// loading into it, either works or ends in a *DamagedError naming the store, never a
// crash (issue 13 §3). With PARLEY_LONG_TESTS, every page of the file in use.
func TestScribbledStoreGuarded(t *testing.T) {
	path := newBolt(t)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pages := []int{2, 7, 15, 19, 25, 32, 43, 68, 75, 81}
	if os.Getenv("PARLEY_LONG_TESTS") != "" {
		pages = pages[:0]
		for p := 2; p < 90; p++ {
			pages = append(pages, p)
		}
	}
	rnd := rand.New(rand.NewSource(13))
	damaged, loadDamaged := 0, 0
	for _, pg := range pages {
		p := filepath.Join(t.TempDir(), "parley.db")
		b := append([]byte(nil), data...)
		rnd.Read(b[pg*4096 : pg*4096+4096])
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		err := graph.Guard(func() string { return p }, func() error {
			s, _, err := graph.Open(context.Background(), graph.Config{Path: p, ReadOnly: true, MustExist: true})
			if err != nil {
				return err
			}
			defer s.Close()
			if _, err := s.Stats(context.Background()); err != nil {
				return err
			}
			if _, err = s.Describe(context.Background(), "Putin"); err != nil {
				return err
			}
			// Gizmo runs in Cayley's own goroutine: Cayley's reads are guarded within.
			_, err = s.Query(context.Background(), graph.LangGizmo, `g.V().Out().All()`, graph.QueryOptions{})
			return err
		})
		var derr *graph.DamagedError
		if errors.As(err, &derr) {
			damaged++
			if derr.Path != p {
				t.Errorf("page %d: the error names %q, not the store", pg, derr.Path)
			}
		}
		// A load writes in a goroutine of its own, which bbolt's panics must not crash
		// either: guarded there too, they roll the load back.
		// A copy of its own: the read's guard may have left the first one locked.
		lp := filepath.Join(t.TempDir(), "parley.db")
		if err := os.WriteFile(lp, b, 0o644); err != nil {
			t.Fatal(err)
		}
		lerr := graph.Guard(func() string { return lp }, func() error {
			s, _, err := graph.Open(context.Background(), graph.Config{Path: lp, MustExist: true})
			if err != nil {
				return err
			}
			defer s.Close()
			_, err = s.Load(context.Background(), []graph.Input{foreign(t, 100, false)}, graph.LoadOptions{AllowUnknown: true})
			return err
		})
		if errors.As(lerr, &derr) {
			loadDamaged++
		} else if lerr != nil && !errors.As(lerr, new(*schema.ValidationError)) {
			t.Errorf("page %d: load: %v; want it done, or a *DamagedError", pg, lerr)
		}
	}
	if damaged == 0 {
		t.Error("no scribble was noticed: the test damaged nothing read")
	}
	t.Logf("%d of %d scribbled pages noticed by reads, %d by loads, none crashed", damaged, len(pages), loadDamaged)
}

// TestScribbledStoreGizmo scribbles over several pages at once of copies of a seeded
// store and runs Gizmo queries on them: Cayley runs them in a goroutine of its own, where
// a bbolt panic is caught within Cayley's reads of the file (kvstore's guarded KV) and
// comes back as a *DamagedError, never a crash.
func TestScribbledStoreGizmo(t *testing.T) {
	path := newBolt(t)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	copies := 30
	if os.Getenv("PARLEY_LONG_TESTS") != "" {
		copies = 120
	}
	pages := len(data) / 4096
	rnd := rand.New(rand.NewSource(49))
	damaged := 0
	for c := 0; c < copies; c++ {
		b := append([]byte(nil), data...)
		for range 8 {
			pg := 2 + rnd.Intn(pages-2)
			rnd.Read(b[pg*4096 : pg*4096+4096])
		}
		p := filepath.Join(t.TempDir(), "parley.db")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{`g.V().Out().All()`, `g.V().Tag("a").In().Out().All()`} {
			err := graph.Guard(func() string { return p }, func() error {
				s, _, err := graph.Open(context.Background(), graph.Config{Path: p, ReadOnly: true, MustExist: true})
				if err != nil {
					return err
				}
				defer s.Close()
				_, err = s.Query(context.Background(), graph.LangGizmo, q, graph.QueryOptions{})
				return err
			})
			var derr *graph.DamagedError
			if errors.As(err, &derr) {
				damaged++
			}
		}
	}
	t.Logf("%d of %d queries on %d scribbled copies met damage, none crashed", damaged, 2*copies, copies)
}
