package graph

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/parley/parley/graph/internal/kvstore"
	"github.com/parley/parley/schema"
)

// boltBackend is an embedded store: a bolt file in Cayley's key-value layout, which
// parley's own engine (kvstore) writes in bulk and indexes.
type boltBackend struct{ kv *kvstore.Store }

func openBolt(ctx context.Context, cfg Config) (*Store, bool, error) {
	if cfg.Path == "" {
		return nil, false, errors.New("no store path given")
	}
	created := false
	if _, err := os.Stat(cfg.Path); errors.Is(err, os.ErrNotExist) {
		if cfg.MustExist {
			return nil, false, fmt.Errorf("no store at %s: %w", cfg.Path, os.ErrNotExist)
		}
		c, err := initBolt(ctx, cfg)
		if err != nil {
			return nil, false, err
		}
		created = c
	} else if err != nil {
		return nil, false, fmt.Errorf("open store %s: %w", cfg.Path, err)
	}
	if !cfg.ReadOnly {
		s, err := openBoltFile(cfg, false, false)
		return s, created, err
	}
	// A read-only open looks for a load a crash interrupted once it holds the lock (a
	// loader it waited for may have died): one that can be rolled back needs the write
	// lock for a moment, and the store is opened again.
	rolled := 0
	for try := 0; ; try++ {
		s, err := openBoltFile(cfg, true, false)
		if !errors.Is(err, kvstore.ErrInterrupted) || try == 3 {
			if s != nil {
				s.rolled = rolled
			}
			return s, created, err
		}
		w, err := openBoltFile(cfg, false, false)
		if err != nil {
			return nil, false, err
		}
		rolled += w.rolled
		w.Close()
	}
}

// initBolt makes and seeds a new store. Two processes may race here: the lock orders
// them and the second finds the store initialised.
func initBolt(ctx context.Context, cfg Config) (bool, error) {
	s, created, err := makeBolt(ctx, cfg, false)
	if s != nil {
		s.Close()
	}
	return created, err
}

// createBolt is Create of an embedded store.
func createBolt(ctx context.Context, cfg Config, force bool) (*Store, error) {
	cfg.ReadOnly = false
	s, created, err := makeBolt(ctx, cfg, force)
	if err != nil {
		return nil, err
	}
	if !created {
		return nil, fmt.Errorf("store %s already exists (use --force to recreate it)", cfg.Path)
	}
	return s, nil
}

// makeBolt makes the store at cfg.Path anew and loads cfg.Seed into it, all or nothing,
// and returns it open for writing. Under the lock of the store's file (an empty one is
// made where there is none, so that two makers wait for each other), the new store is
// written beside it (kvstore.NewSuffix) and renamed over it once whole: an interrupt, a
// failure or a crash leaves the store as it was, and no store where there was none. An
// initialised store is replaced only when replace is set; otherwise it is left as it
// is, and created is false.
func makeBolt(ctx context.Context, cfg Config, replace bool) (s *Store, created bool, err error) {
	if err := os.MkdirAll(filepath.Dir(cfg.Path), 0o755); err != nil {
		return nil, false, fmt.Errorf("create store directory: %w", err)
	}
	_, statErr := os.Stat(cfg.Path)
	old, err := openBoltFile(cfg, false, true) // takes the lock; makes an empty file if there is none
	if err != nil {
		return nil, false, err
	}
	if old.qs != nil && !replace {
		old.Close()
		return nil, false, nil
	}
	s, err = buildBolt(ctx, cfg)
	if err == nil {
		err = ctx.Err() // the last point where an interrupt leaves the store as it was
	}
	if err == nil {
		err = s.be.(*boltBackend).kv.MoveOver(old.be.(*boltBackend).kv)
	}
	if err != nil {
		if s != nil {
			s.Close()
		}
		removeNewBolt(cfg.Path)
		if errors.Is(statErr, os.ErrNotExist) {
			os.Remove(cfg.Path) // the empty file this call made: still locked, so no one uses it
		}
		old.Close()
		return nil, false, err
	}
	s.path = cfg.Path
	return s, true, nil
}

// buildBolt writes a new store beside cfg.Path, seeded with cfg.Seed, and returns it
// open for writing. The caller holds the lock of cfg.Path's file.
func buildBolt(ctx context.Context, cfg Config) (*Store, error) {
	removeNewBolt(cfg.Path) // what a crash left of an earlier one
	ncfg := cfg
	ncfg.Path = cfg.Path + kvstore.NewSuffix
	s, err := openBoltFile(ncfg, false, true)
	if err != nil {
		return nil, err
	}
	if err := s.be.(*boltBackend).kv.Init(); err != nil {
		s.Close()
		return nil, err
	}
	s.qs = s.be.quadStore()
	if cfg.Seed != nil {
		if _, err := s.loadSeed(ctx, cfg.Seed); err != nil {
			s.Close()
			return nil, fmt.Errorf("seed store %s: %w", cfg.Path, err)
		}
	}
	return s, nil
}

// removeNewBolt removes the new store buildBolt writes beside the store at path, and
// the files beside it.
func removeNewBolt(path string) {
	p := path + kvstore.NewSuffix
	for _, f := range kvstore.Files(p) {
		os.RemoveAll(f)
	}
	os.Remove(p)
}

// openBoltFile opens the store file, waiting for its lock. A writable open readies the
// store first (kvstore.Store.Recover). Only an open that creates a store (create) lays
// one out in an empty file; any other refuses it (kvstore.ErrEmpty).
func openBoltFile(cfg Config, ro, create bool) (*Store, error) {
	timeout := cfg.LockTimeout
	if timeout <= 0 {
		timeout = DefaultLockTimeout
	}
	kv, err := kvstore.Open(cfg.Path, kvstore.Options{ReadOnly: ro, Timeout: timeout, AllowInterrupted: cfg.AllowDamaged, RefuseEmpty: !create})
	if errors.Is(err, kvstore.ErrTimeout) {
		return nil, fmt.Errorf("%w: %s (waited %s; another parley is writing to it, or reading while this one writes); try again when it is done", ErrLocked, cfg.Path, timeout)
	} else if err != nil {
		return nil, err
	}
	rolled := 0
	if !ro {
		if rolled, err = kv.Recover(context.Background()); err != nil {
			kv.Close()
			return nil, err
		}
	}
	s := newStore(&boltBackend{kv: kv}, ro)
	s.rolled = rolled
	return s, nil
}

func (b *boltBackend) kind() string               { return BackendBolt }
func (b *boltBackend) location() string           { return b.kv.Path() }
func (b *boltBackend) quadStore() graph.QuadStore { return b.kv.QuadStore() }
func (b *boltBackend) reattach() error            { return b.kv.Attach() }
func (b *boltBackend) close() error               { return b.kv.Close() }
func (b *boltBackend) refProvesNode() bool        { return true }

// newWriter rebuilds a store that holds no more quads than the load (a new one, or the
// seeded default) as a new file; a bigger one takes the load in journalled batches.
func (b *boltBackend) newWriter(ctx context.Context, s *Store, res *LoadResult, n int, opt LoadOptions) (quadWriter, error) {
	if n > 0 {
		size, err := b.kv.Size()
		if err != nil {
			return nil, err
		}
		if size <= int64(n) {
			return newRebuildWriter(ctx, s, b.kv, res, opt)
		}
	}
	return newJournalWriter(ctx, s, b.kv, res), nil
}

// writeBatch writes through Cayley: the loads of an embedded store go through
// newWriter's writers, not this.
func (b *boltBackend) writeBatch(_ context.Context, deltas []graph.Delta) error {
	return b.kv.QuadStore().ApplyDeltas(deltas, graph.IgnoreOpts{})
}

func (b *boltBackend) removeQuads(deltas []graph.Delta, ignoreMissing bool) error {
	return b.kv.Remove(deltas, ignoreMissing)
}

// eachQuad reads Cayley's log, five times as fast as Cayley's iterator.
func (b *boltBackend) eachQuad(ctx context.Context, fn func(quad.Quad) error) error {
	return b.kv.EachQuad(ctx, fn)
}

func (b *boltBackend) eachWithPredicate(ctx context.Context, pred quad.Value, fn func(quad.Quad) error) error {
	return b.kv.EachWithPredicate(ctx, pred, fn)
}

func (b *boltBackend) names(name string) (wholes, starts []quad.Quad, ok bool, err error) {
	return b.kv.Names(name)
}

func (b *boltBackend) claims(claim quad.Value) ([]quad.Quad, bool, error) {
	return b.kv.Claims(claim)
}

// counts reads the log by node IDs: only the predicates and types are read as values.
func (b *boltBackend) counts(ctx context.Context) (*quadCounts, error) {
	c, err := b.kv.Count(ctx)
	if err != nil {
		return nil, err
	}
	out := &quadCounts{quads: c.Quads, typed: c.Typed, preds: map[string]int{}, types: map[string]int{}}
	for _, vc := range c.Predicates {
		out.preds[schema.ID(vc.Value)] += vc.Count
	}
	for _, vc := range c.Types {
		out.types[schema.ID(vc.Value)] += vc.Count
	}
	return out, nil
}
