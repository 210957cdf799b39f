// Package graph is parley's store on Cayley, the facade the commands use: it opens a store
// (one backend type per kind: bolt, memory, PostgreSQL), loads and validates quads and
// claim sheets all-or-nothing, resolves names, matches and describes facts with their
// provenance, selects subgraphs, runs Cayley's query languages, and counts what a store
// holds. The storage engines are in graph/internal; the analyses (graph/analysis), the
// writers (graph/export), the knowledge checks (graph/lint) and drafting (graph/draft) are
// packages of their own that use it.
package graph

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/cayleygraph/cayley/graph"

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
	// MustExist makes Open fail on a store that does not exist, a bolt file or a
	// database without Cayley's tables (an error that errors.Is fs.ErrNotExist), rather
	// than create and seed it: for a path the user named, where a typing mistake must not
	// answer from a fresh store, and for completion, which never creates. Create ignores it.
	MustExist bool
	// AllowDamaged lets a read-only open of an embedded store through a load a crash
	// interrupted whose journal is damaged (it cannot be rolled back, and the store may
	// hold part of it): for check, salvage and backup. Other opens fail, saying how to
	// recover.
	AllowDamaged bool
}

// ErrLocked is returned when another process holds the store's lock past the timeout.
var ErrLocked = errors.New("store is locked by another process")

// Store is an open parley store.
type Store struct {
	be     backend         // the kind of store: how it writes, removes and scans
	qs     graph.QuadStore // be's Cayley quad store (nil: not initialised), for queries
	vocab  *schema.Vocabulary
	path   string            // where the store is, for messages
	ro     bool              // opened read-only
	labels map[string]string // label cache for rendering
	rolled int               // quads of an interrupted load rolled back at open
	guard  queryGuard        // the queries running, so that Close never waits on one stopped at a limit
}

// newStore returns a store on be.
func newStore(be backend, ro bool) *Store {
	return &Store{be: be, qs: be.quadStore(), vocab: schema.Default(), path: be.location(), ro: ro}
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
		s, err := openMemory(ctx, cfg)
		return s, err == nil, err
	case BackendPostgres:
		return openPostgres(ctx, cfg, pgOpen)
	}
	return nil, false, fmt.Errorf("unknown backend %q (backends: %s)", cfg.Backend, strings.Join(Backends(), ", "))
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
	return createBolt(ctx, cfg, force)
}

// RolledBack returns how many quads of an interrupted load opening the store rolled back.
func (s *Store) RolledBack() int { return s.rolled }

// reattach drops Cayley's quad store object and opens a fresh one on the same store.
// Cayley caches node IDs as a transaction writes them; after a transaction fails, those
// caches are wrong, and only a fresh object is safe.
func (s *Store) reattach() error {
	err := s.be.reattach()
	s.qs = s.be.quadStore()
	return err
}

// Close releases the store and its lock, once any query left running has let go of it
// (guard). Deferred while a read of a damaged store panics, it passes the panic on (to
// Guard) without closing: the read's transaction is still open, and closing would wait
// for it forever; the process is ending.
func (s *Store) Close() error {
	if r := recover(); r != nil {
		panic(r)
	}
	return s.guard.close(s.be.close)
}

// QuadStore exposes the Cayley store, for queries and tests.
func (s *Store) QuadStore() graph.QuadStore { return s.qs }

// Vocabulary returns the vocabulary the store validates against.
func (s *Store) Vocabulary() *schema.Vocabulary { return s.vocab }

// Location returns where the store is: its file, its server's address (without a
// password), or "" for an in-memory store.
func (s *Store) Location() string { return s.path }

// Backend returns the backend's name.
func (s *Store) Backend() string { return s.be.kind() }

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
