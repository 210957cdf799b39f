// Package graph is parley's store on Cayley: it opens an embedded or in-memory store, loads
// and validates quads all-or-nothing, resolves names, matches and describes facts with
// their provenance, runs Cayley's query languages, and counts what a store holds.
package graph

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cayleygraph/cayley/graph"
	ckv "github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/cayley/graph/memstore"
	csql "github.com/cayleygraph/cayley/graph/sql"
	hbolt "github.com/hidal-go/hidalgo/kv/bbolt"
	bolt "go.etcd.io/bbolt"

	"github.com/parley/parley/schema"
)

// Backends parley can open.
const (
	BackendBolt     = "bolt"     // embedded on-disk store, the default
	BackendMemory   = "memory"   // throwaway in-memory store
	BackendPostgres = "postgres" // a PostgreSQL server, through Cayley's SQL backend
)

// Backends lists the backend names Open accepts.
func Backends() []string { return []string{BackendBolt, BackendMemory, BackendPostgres} }

// DefaultLockTimeout is how long a writer waits for another process's lock.
const DefaultLockTimeout = 3 * time.Second

// Seed is the data a new store is loaded with.
type Seed struct {
	Name string // file name for FILE:LINE messages
	Data []byte // N-Quads
}

// Config says which store to open and how.
type Config struct {
	Backend     string        // BackendBolt (default) or BackendMemory
	Path        string        // the bolt file
	Address     string        // the PostgreSQL address, postgres://user@host:port/db?sslmode=disable
	ReadOnly    bool          // open for reading only; readers share the store
	LockTimeout time.Duration // how long to wait for another process's lock; 0: DefaultLockTimeout
	RowByRow    bool          // PostgreSQL: write through Cayley's own row-by-row path, not COPY (for comparisons)
	Seed        *Seed         // loaded into a store this call creates; nil: none
}

// ErrLocked is returned when another process holds the store's lock past the timeout.
var ErrLocked = errors.New("store is locked by another process")

// Store is an open parley store.
type Store struct {
	qs       graph.QuadStore
	db       *bolt.DB
	vocab    *schema.Vocabulary
	path     string
	backend  string
	ro       bool
	address  string            // PostgreSQL
	rowByRow bool              // PostgreSQL: write through Cayley's row-by-row path, not COPY
	labels   map[string]string // label cache for rendering
	rolled   int               // quads of an interrupted load rolled back at open
}

// DefaultPath is where the embedded store lives unless told otherwise:
// $PARLEY_DB, else $XDG_DATA_HOME/parley/parley.db, else ~/.local/share/parley/parley.db.
func DefaultPath(getenv func(string) string) (string, error) {
	if p := getenv("PARLEY_DB"); p != "" {
		return p, nil
	}
	if d := getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "parley", "parley.db"), nil
	}
	home := getenv("HOME")
	if home == "" {
		return "", errors.New("no store path: set --db, $PARLEY_DB, $XDG_DATA_HOME or $HOME")
	}
	return filepath.Join(home, ".local", "share", "parley", "parley.db"), nil
}

// Open opens the store cfg names, creating and seeding it first if it does not exist.
// created reports whether this call created it.
func Open(ctx context.Context, cfg Config) (s *Store, created bool, err error) {
	switch cfg.Backend {
	case "", BackendBolt:
		return openBolt(ctx, cfg)
	case BackendMemory:
		s := &Store{qs: memstore.New(), vocab: schema.Default(), backend: BackendMemory}
		if cfg.Seed != nil {
			if _, err := s.loadSeed(ctx, cfg.Seed); err != nil {
				return nil, false, err
			}
		}
		return s, true, nil
	case BackendPostgres:
		return openPostgres(ctx, cfg, pgOpen)
	}
	return nil, false, fmt.Errorf("unknown backend %q (backends: %s)", cfg.Backend, strings.Join(Backends(), ", "))
}

func openBolt(ctx context.Context, cfg Config) (*Store, bool, error) {
	if cfg.Path == "" {
		return nil, false, errors.New("no store path given")
	}
	created := false
	if _, err := os.Stat(cfg.Path); errors.Is(err, os.ErrNotExist) {
		c, err := createBolt(ctx, cfg)
		if err != nil {
			return nil, false, err
		}
		created = c
	} else if err != nil {
		return nil, false, fmt.Errorf("open store %s: %w", cfg.Path, err)
	}
	if cfg.ReadOnly {
		// An interrupted load must be rolled back before anyone reads; that needs the
		// write lock for a moment.
		if _, err := os.Stat(cfg.Path + ".journal"); err == nil {
			w, err := openBoltFile(cfg, false)
			if err != nil {
				return nil, false, err
			}
			rolled := w.rolled
			w.Close()
			s, err := openBoltFile(cfg, true)
			if s != nil {
				s.rolled = rolled
			}
			return s, created, err
		}
	}
	s, err := openBoltFile(cfg, cfg.ReadOnly)
	return s, created, err
}

// createBolt makes and seeds a new store. Two processes may race here: the lock orders
// them and the second finds the store initialised.
func createBolt(ctx context.Context, cfg Config) (bool, error) {
	if err := os.MkdirAll(filepath.Dir(cfg.Path), 0o755); err != nil {
		return false, fmt.Errorf("create store directory: %w", err)
	}
	s, err := openBoltFile(cfg, false)
	if err != nil {
		return false, err
	}
	defer s.Close()
	if err := ckv.Init(hbolt.New(s.db), nil); errors.Is(err, graph.ErrDatabaseExists) {
		return false, nil
	} else if err != nil {
		os.Remove(cfg.Path)
		return false, fmt.Errorf("initialise store %s: %w", cfg.Path, err)
	}
	if err := s.db.Update(createIndexBuckets); err != nil {
		return false, fmt.Errorf("initialise store %s: %w", cfg.Path, err)
	}
	if err := s.attach(); err != nil {
		return false, err
	}
	if cfg.Seed != nil {
		if _, err := s.loadSeed(ctx, cfg.Seed); err != nil {
			return false, fmt.Errorf("seed store %s: %w", cfg.Path, err)
		}
	}
	return true, nil
}

// Create initialises a new store at cfg.Path, replacing an existing one when force is set,
// and loads cfg.Seed into it. It returns the store open for writing.
func Create(ctx context.Context, cfg Config, force bool) (*Store, error) {
	switch cfg.Backend {
	case BackendMemory:
		s, _, err := Open(ctx, cfg)
		return s, err
	case BackendPostgres:
		mode := pgCreate
		if force {
			mode = pgReplace
		}
		s, _, err := openPostgres(ctx, cfg, mode)
		return s, err
	}
	if _, err := os.Stat(cfg.Path); err == nil {
		if !force {
			return nil, fmt.Errorf("store %s already exists (use --force to recreate it)", cfg.Path)
		}
		// Take the lock before removing, so a store in use is never pulled away.
		s, err := openBoltFile(cfg, false)
		if err != nil {
			return nil, err
		}
		if err := os.Remove(cfg.Path); err != nil {
			s.Close()
			return nil, fmt.Errorf("remove store %s: %w", cfg.Path, err)
		}
		s.Close()
	}
	cfg.ReadOnly = false
	if _, err := createBolt(ctx, cfg); err != nil {
		return nil, err
	}
	return openBoltFile(cfg, false)
}

func openBoltFile(cfg Config, ro bool) (*Store, error) {
	timeout := cfg.LockTimeout
	if timeout <= 0 {
		timeout = DefaultLockTimeout
	}
	// bbolt reads the freelist only when a write needs it, so a read-only open costs the
	// same on a store of millions of quads as on the seed; the hash map freelist keeps a
	// write's page allocation fast when the file has many free pages.
	opts := &bolt.Options{Timeout: timeout, ReadOnly: ro, FreelistType: bolt.FreelistMapType}
	if !ro {
		opts.InitialMmapSize = 1 << 30 // address space, not memory: spares remapping as a load grows the file
	}
	db, err := openLocked(cfg.Path, opts)
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("%w: %s (waited %s; another parley is writing to it, or reading while this one writes); try again when it is done", ErrLocked, cfg.Path, timeout)
	} else if err != nil {
		return nil, fmt.Errorf("open store %s: %w", cfg.Path, err)
	}
	s := &Store{db: db, vocab: schema.Default(), path: cfg.Path, backend: BackendBolt, ro: ro}
	if err := s.attach(); err != nil && !errors.Is(err, graph.ErrNotInitialized) {
		db.Close()
		return nil, err
	}
	if !ro {
		// What a build a crash interrupted left: a build holds the lock while it runs.
		os.Remove(s.buildPath())
		os.RemoveAll(s.sortPath())
	}
	if !ro && s.qs != nil {
		n, err := s.rollbackJournal()
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("store %s: an interrupted load could not be rolled back: %w", cfg.Path, err)
		}
		s.rolled = n
		if err := s.buildIndexes(context.Background()); err != nil {
			db.Close()
			return nil, fmt.Errorf("store %s: %w", cfg.Path, err)
		}
	}
	return s, nil
}

// openLocked opens the bolt file at path once it holds its lock. A load into an empty
// store renames a new file over it: a process that waited for the lock of the file it
// replaced opens the path again.
func openLocked(path string, opts *bolt.Options) (*bolt.DB, error) {
	for {
		before, err := os.Stat(path)
		if errors.Is(err, os.ErrNotExist) {
			return bolt.Open(path, 0o644, opts) // a new store
		} else if err != nil {
			return nil, err
		}
		db, err := bolt.Open(path, 0o644, opts)
		if err != nil {
			return nil, err
		}
		after, err := os.Stat(path)
		if err == nil && os.SameFile(before, after) {
			return db, nil
		}
		db.Close()
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
	}
}

// RolledBack returns how many quads of an interrupted load opening the store rolled back.
func (s *Store) RolledBack() int { return s.rolled }

// reattach drops Cayley's quad store object and opens a fresh one on the same database.
// Cayley caches node IDs as a transaction writes them; after a transaction fails, those
// caches are wrong, and only a fresh object is safe.
func (s *Store) reattach() error {
	switch s.backend {
	case BackendBolt:
		return s.attach()
	case BackendPostgres:
		qs, err := csql.New(BackendPostgres, s.address, nil)
		if err != nil {
			return err
		}
		s.qs.Close()
		s.qs = qs
	}
	return nil
}

// attach opens Cayley's quad store on the bolt file. no_bloom skips Cayley's scan of the
// whole store on every open; duplicates are filtered by parley before writing.
func (s *Store) attach() error {
	qs, err := ckv.New(hbolt.New(s.db), graph.Options{ckv.OptNoBloom: true})
	if err != nil {
		if errors.Is(err, graph.ErrNotInitialized) {
			return err
		}
		return fmt.Errorf("open store %s: %w", s.path, err)
	}
	s.qs = qs
	return nil
}

func (s *Store) loadSeed(ctx context.Context, seed *Seed) (LoadResult, error) {
	return s.Load(ctx, []Input{{Name: seed.Name, Open: func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(seed.Data)), nil
	}}}, LoadOptions{})
}

// Close releases the store and its lock.
func (s *Store) Close() error {
	var err error
	if s.qs != nil {
		err = s.qs.Close()
	}
	if s.db != nil {
		if e := s.db.Close(); err == nil && !errors.Is(e, bolt.ErrDatabaseNotOpen) {
			err = e
		}
	}
	return err
}

// QuadStore exposes the Cayley store, for queries and tests.
func (s *Store) QuadStore() graph.QuadStore { return s.qs }

// Vocabulary returns the vocabulary the store validates against.
func (s *Store) Vocabulary() *schema.Vocabulary { return s.vocab }

// Location returns where the store is: its file, its server's address (without a
// password), or "" for an in-memory store.
func (s *Store) Location() string { return s.path }

// Backend returns the backend's name.
func (s *Store) Backend() string { return s.backend }

func (s *Store) ready() error {
	if s.qs == nil {
		return fmt.Errorf("store %s is not initialised (run 'parley init')", s.path)
	}
	return nil
}

func (s *Store) writable() error {
	if err := s.ready(); err != nil {
		return err
	}
	if s.ro {
		return errors.New("store is open read-only")
	}
	return nil
}
