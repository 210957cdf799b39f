package graph

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/parley/parley/graph/internal/kvstore"
)

// The embedded store's tools: a backup while readers run, a restore all or nothing, a
// check of every layer (bbolt's pages, Cayley's counts and nodes, parley's indexes, the
// journal) with the repair of what can be rebuilt; the salvage of a damaged file is in
// salvage.go.

// Finding is one thing Check looked at, and what it found.
type Finding = kvstore.Finding

// errEmbeddedOnly is the error of a tool of the embedded store on another backend.
func errEmbeddedOnly(what string) error {
	return fmt.Errorf("%s works on the embedded store (--backend bolt) only; for PostgreSQL, use its own tools (pg_dump, pg_restore)", what)
}

// bolt returns the store's engine when it is an embedded store.
func (s *Store) bolt() (*kvstore.Store, bool) {
	b, ok := s.be.(*boltBackend)
	if !ok {
		return nil, false
	}
	return b.kv, true
}

// Damaged returns the damage a read or write of the embedded store met in its file (a
// *DamagedError: kvstore.Store.Damaged), or nil. A reader that met it may have taken it
// for an absence (a label not found, say): a command whose store met damage has failed,
// whatever it printed.
func (s *Store) Damaged() error {
	if kv, ok := s.bolt(); ok {
		if d := kv.Damaged(); d != nil {
			return d
		}
	}
	return nil
}

// Backup writes a consistent copy of the embedded store to dst (a file there only when
// force), while other readers run; it returns the copy's size in bytes, and how many
// quads of a load a crash interrupted it rolled back first. Opening the store rolls such
// a load back, under the write lock, as any open does, so the copy never holds part of
// one; a load whose journal is damaged cannot be rolled back, and the backup is refused
// with the ways out.
func Backup(ctx context.Context, cfg Config, dst string, force bool) (size int64, rolled int, err error) {
	if cfg.Backend != "" && cfg.Backend != BackendBolt {
		return 0, 0, errEmbeddedOnly("backup")
	}
	cfg.ReadOnly, cfg.MustExist = true, true
	s, _, err := Open(ctx, cfg)
	if err != nil {
		return 0, 0, err
	}
	defer s.Close()
	kv, _ := s.bolt()
	size, err = kv.Backup(ctx, dst, force)
	return size, s.RolledBack(), err
}

// Restore puts the backup src in place of the embedded store, all or nothing: src is
// opened read-only and checked whole (Check) first, and refused with the reason if it is
// not sound; then a copy of it replaces the store under the store's write lock.
func Restore(ctx context.Context, cfg Config, src string) error {
	if cfg.Backend != "" && cfg.Backend != BackendBolt {
		return errEmbeddedOnly("restore")
	}
	if _, err := os.Stat(cfg.Path); err != nil {
		return fmt.Errorf("restore %s: %w", cfg.Path, err)
	}
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("restore from %s: %w", src, err)
	}
	bcfg := cfg
	bcfg.Path = src
	findings, err := Check(ctx, bcfg, false)
	if err != nil {
		return fmt.Errorf("backup %s: %w", src, err)
	}
	for _, f := range findings {
		if !f.OK && f.Check != "indexes" { // stale indexes are remade by the next writer
			return fmt.Errorf("backup %s is not sound (%s: %s): the store was left as it is", src, f.Check, f.Detail)
		}
	}
	timeout := cfg.LockTimeout
	if timeout <= 0 {
		timeout = DefaultLockTimeout
	}
	err = kvstore.Restore(ctx, cfg.Path, src, timeout)
	if errors.Is(err, kvstore.ErrTimeout) {
		return fmt.Errorf("%w: %s (waited %s); try again when it is done", ErrLocked, cfg.Path, timeout)
	}
	return err
}

// Check checks the embedded store at every layer and returns one finding per check;
// with repair, it rebuilds parley's indexes when they are not sound, and says what it
// cannot repair. A file whose pages fail is not opened through bbolt: its further
// checks are not run.
func Check(ctx context.Context, cfg Config, repair bool) ([]Finding, error) {
	if cfg.Backend != "" && cfg.Backend != BackendBolt {
		return nil, errEmbeddedOnly("check")
	}
	if _, err := os.Stat(cfg.Path); err != nil {
		return nil, fmt.Errorf("check %s: %w", cfg.Path, err)
	}
	timeout := cfg.LockTimeout
	if timeout <= 0 {
		timeout = DefaultLockTimeout
	}
	pages, err := kvstore.CheckPages(cfg.Path, timeout)
	if errors.Is(err, kvstore.ErrTimeout) {
		return nil, fmt.Errorf("%w: %s (waited %s); try again when it is done", ErrLocked, cfg.Path, timeout)
	} else if err != nil {
		return nil, fmt.Errorf("check %s: %w", cfg.Path, err)
	}
	if !pages.OK {
		out := []Finding{pages}
		if repair {
			out = append(out, Finding{Check: "repair", Detail: "page damage cannot be repaired in place: 'parley salvage OUT.nq' writes every quad still readable, or 'parley restore FILE' puts a backup in its place"})
		}
		return out, nil
	}
	meta, err := kvstore.CheckMeta(cfg.Path)
	if err != nil {
		return nil, fmt.Errorf("check %s: %w", cfg.Path, err)
	}
	findings, err := checkOpen(ctx, cfg)
	if err != nil {
		return nil, err
	}
	findings = append([]Finding{pages, meta}, findings...)
	if !repair {
		return findings, nil
	}
	if !meta.OK {
		if err := ctx.Err(); err != nil { // the last point where an interrupt changes nothing
			return nil, err
		}
		if err := kvstore.RewriteMeta(cfg.Path, timeout); err != nil {
			return nil, err
		}
		if findings[1], err = kvstore.CheckMeta(cfg.Path); err != nil {
			return nil, fmt.Errorf("check %s: %w", cfg.Path, err)
		}
		if findings[1].OK {
			findings[1].Detail = "rewritten: " + findings[1].Detail
		}
	}
	var out []Finding
	rebuild := false
	for _, f := range findings {
		if !f.OK && f.Check == "indexes" {
			rebuild = true
		}
	}
	if rebuild {
		if err := rebuildIndexes(ctx, cfg); err != nil {
			return nil, err
		}
		// Rebuilt: an interrupt from here on must not make the repair look undone.
		after, err := checkOpen(context.WithoutCancel(ctx), cfg)
		if err != nil {
			return nil, err
		}
		for i := range findings {
			if findings[i].Check == "indexes" {
				for _, a := range after {
					if a.Check == "indexes" {
						findings[i] = a
						if a.OK {
							findings[i].Detail = "rebuilt: " + a.Detail
						}
					}
				}
			}
		}
	}
	for _, f := range findings {
		out = append(out, f)
		if f.OK || f.Check == "indexes" || f.Check == "meta" {
			continue
		}
		switch f.Check {
		case "journal":
			out = append(out, Finding{Check: "repair", Detail: "a damaged journal cannot be repaired: 'parley restore FILE' puts a backup in place of the store, or removing the journal keeps the store with whatever part of the load reached it"})
		default:
			out = append(out, Finding{Check: "repair", Detail: f.Check + " cannot be repaired in place: 'parley salvage OUT.nq' writes every quad still readable, to load into a new store, or 'parley restore FILE' puts a backup in its place"})
		}
	}
	return out, nil
}

// checkOpen opens the store read-only, through a damaged journal too, and checks it.
func checkOpen(ctx context.Context, cfg Config) ([]Finding, error) {
	cfg.ReadOnly, cfg.MustExist, cfg.AllowDamaged = true, true, true
	s, _, err := Open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	kv, _ := s.bolt()
	return kv.CheckStore(ctx)
}

// rebuildIndexes opens the store for writing and remakes parley's indexes.
func rebuildIndexes(ctx context.Context, cfg Config) error {
	cfg.ReadOnly, cfg.MustExist = false, true
	s, _, err := Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	kv, _ := s.bolt()
	if err := kv.RebuildIndexes(ctx); err != nil {
		return fmt.Errorf("rebuild the indexes of %s: %w", cfg.Path, err)
	}
	return s.Close()
}
