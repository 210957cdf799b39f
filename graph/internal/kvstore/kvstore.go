// Package kvstore is parley's storage engine on an embedded bolt file in Cayley's
// key-value layout: everything that knows that layout (layout.go) is here. It opens and
// locks the file, checks the layout's data version before any write, writes batches in
// bulk, rebuilds a store as a new file, journals loads and rolls them back, keeps
// parley's name and claims indexes beside Cayley's buckets, and reads Cayley's log.
// Cayley reads what it writes as if Cayley had written it. It knows parley's vocabulary
// (schema) but not parley's store facade.
package kvstore

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"

	"github.com/cayleygraph/cayley/graph"
	ckv "github.com/cayleygraph/cayley/graph/kv"
	hbolt "github.com/hidal-go/hidalgo/kv/bbolt"
	bolt "go.etcd.io/bbolt"
)

// ErrTimeout is returned by Open when another process holds the file's lock past the
// timeout.
var ErrTimeout = bolt.ErrTimeout

// Options say how to open a store file.
type Options struct {
	ReadOnly bool          // share the file with other readers; write nothing
	Timeout  time.Duration // how long to wait for another process's lock
	// AllowInterrupted lets a read-only open through a load a crash interrupted whose
	// journal cannot be rolled back (Damage says why); otherwise such an open fails with
	// the *JournalError, and one of a store whose load can be rolled back fails with
	// ErrInterrupted, for a writable open to roll it back first.
	AllowInterrupted bool
	// RefuseEmpty refuses an empty file with ErrEmpty, as a read-only open does, rather
	// than lay a new store out in it: a writer that does not create stores.
	RefuseEmpty bool
}

// Store is an open store file and Cayley's quad store on it.
type Store struct {
	path string
	db   *bolt.DB
	qs   graph.QuadStore // nil until the file is initialised
	// stale is set when parley's indexes are not up to date with the store (another
	// program wrote it): they are not read until rebuilt (BuildIndexes).
	stale bool
	// mark is the journal mark of a batch recorded and not yet applied (journalKey).
	mark []byte
	// damage is why a load a crash interrupted cannot be rolled back, on a read-only
	// open that let it through (Options.AllowInterrupted).
	damage error
	// guarded is where Cayley's calls on the file are guarded, and what damage they met.
	guarded guarded
	// openTx is the file's last transaction when it was opened (-1 once a build
	// replaced the file): a close that finds a later one wrote the store.
	openTx int
	closed bool
}

// Open opens the store file at path once it holds its lock, creating an empty file when
// there is none. A file of another data version than parley writes is refused with a
// *VersionError; an uninitialised one opens without a quad store (QuadStore is nil).
func Open(path string, opt Options) (*Store, error) {
	// bbolt reads the freelist only when a write needs it, so a read-only open costs the
	// same on a store of millions of quads as on the seed; the hash map freelist keeps a
	// write's page allocation fast when the file has many free pages.
	opts := &bolt.Options{Timeout: opt.Timeout, ReadOnly: opt.ReadOnly, FreelistType: bolt.FreelistMapType}
	if !opt.ReadOnly {
		opts.InitialMmapSize = 1 << 30 // address space, not memory: spares remapping as a load grows the file
	}
	db, openTx, err := openLocked(path, opts, opt.ReadOnly || opt.RefuseEmpty)
	if err != nil {
		var derr *DamagedError
		if errors.As(err, &derr) || errors.Is(err, ErrEmpty) {
			return nil, err
		}
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	s := &Store{path: path, db: db, openTx: openTx}
	s.guarded.path = path
	if err := s.checkVersion(false); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.Attach(); err != nil && !errors.Is(err, graph.ErrNotInitialized) {
		db.Close()
		return nil, err
	}
	if opt.ReadOnly {
		// Looked for only now, with the lock held: a load that died while this open
		// waited left its journal behind.
		if interrupted, err := s.Interrupted(); err != nil {
			var jerr *JournalError
			if !errors.As(err, &jerr) || !opt.AllowInterrupted {
				db.Close()
				return nil, err
			}
			s.damage = err
		} else if interrupted {
			db.Close()
			return nil, fmt.Errorf("store %s: %w", path, ErrInterrupted)
		}
	}
	if s.qs != nil {
		s.db.View(func(tx *bolt.Tx) error {
			s.stale = !indexesCurrent(tx)
			return nil
		})
	}
	return s, nil
}

// openLocked opens the bolt file at path once it holds its lock. A load into an empty
// store renames a new file over it: a process that waited for the lock of the file it
// replaced opens the path again. It returns the file's last transaction as the lock
// found it (checkFile), -1 for a file this open laid out.
func openLocked(path string, opts *bolt.Options, refuseEmpty bool) (db *bolt.DB, txid int, err error) {
	for {
		before, err := os.Stat(path)
		if errors.Is(err, os.ErrNotExist) {
			db, err := bolt.Open(path, 0o644, opts) // a new store: written by this open
			return db, -1, err
		} else if err != nil {
			return nil, 0, err
		}
		if _, err := checkFile(path); err != nil {
			return nil, 0, err
		}
		if before.Size() == 0 && refuseEmpty {
			if err := emptyRefused(path, opts.Timeout, opts.ReadOnly); err != nil {
				return nil, 0, err
			}
		}
		db, err := bolt.Open(path, 0o644, opts)
		if err != nil {
			return nil, 0, err
		}
		st, err := checkFile(path) // again, with the lock: a writer may have been at work
		if err != nil {
			db.Close()
			return nil, 0, err
		}
		after, err := os.Stat(path)
		if err == nil && os.SameFile(before, after) {
			if before.Size() == 0 {
				return db, -1, nil // laid out by this open
			}
			return db, int(st.txid), nil
		}
		db.Close()
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, 0, err
		}
	}
}

// lastTx returns the last transaction committed to db.
func lastTx(db *bolt.DB) int {
	tx, err := db.Begin(false)
	if err != nil {
		return -1
	}
	defer tx.Rollback()
	return tx.ID()
}

// Damaged returns the damage a read or write of Cayley's met in the file (a fault, or a
// bbolt panic, turned into an error of that call), or nil.
func (s *Store) Damaged() *DamagedError { return s.guarded.seen.Load() }

// wrote reports whether the store was written since it was opened.
func (s *Store) wrote() bool { return s.openTx < 0 || lastTx(s.db) != s.openTx }

// ErrEmpty is the error of a read-only open of an empty store file: there is nothing to
// read, and a reader does not write the file's first pages.
var ErrEmpty = errors.New("an empty file (0 bytes), not initialised (run 'parley init')")

// emptyRefused returns ErrEmpty when the file at path is still empty once a lock on it
// is held (shared for a reader; a writer may be laying its first pages out).
func emptyRefused(path string, timeout time.Duration, shared bool) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	how := syscall.LOCK_EX
	if shared {
		how = syscall.LOCK_SH
	}
	if err := flockWait(f, how, timeout); err != nil {
		return err
	}
	if fi, err := f.Stat(); err != nil {
		return err
	} else if fi.Size() == 0 {
		return fmt.Errorf("store %s is %w", path, ErrEmpty)
	}
	return nil
}

// Init lays Cayley's buckets and parley's out in an empty file, and attaches Cayley's
// quad store. It returns graph.ErrDatabaseExists when the file is initialised already;
// a file Cayley fails to initialise is removed.
func (s *Store) Init() error {
	if err := ckv.Init(guardKV{kv: hbolt.New(s.db), at: &s.guarded}, nil); errors.Is(err, graph.ErrDatabaseExists) {
		return err
	} else if err != nil {
		os.Remove(s.path)
		return fmt.Errorf("initialise store %s: %w", s.path, err)
	}
	err := s.update(func(tx *bolt.Tx) error {
		if err := createParleyBuckets(tx); err != nil {
			return err
		}
		return stampIndexes(tx)
	})
	if err != nil {
		return fmt.Errorf("initialise store %s: %w", s.path, err)
	}
	s.stale = false
	return s.Attach()
}

// createParleyBuckets creates parley's own buckets, beside Cayley's.
func createParleyBuckets(tx *bolt.Tx) error {
	for _, name := range parleyBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

// Attach drops Cayley's quad store object and opens a fresh one on the file. Cayley
// caches node IDs as a transaction writes them; after a transaction fails, those caches
// are wrong, and only a fresh object is safe. no_bloom skips Cayley's scan of the whole
// store on every open; duplicates are filtered by parley before writing.
func (s *Store) Attach() error {
	qs, err := ckv.New(guardKV{kv: hbolt.New(s.db), at: &s.guarded}, graph.Options{ckv.OptNoBloom: true})
	if err != nil {
		if errors.Is(err, graph.ErrNotInitialized) {
			return err
		}
		return fmt.Errorf("open store %s: %w", s.path, err)
	}
	s.qs = qs
	return nil
}

// Damage returns why an interrupted load cannot be rolled back, when a read-only open
// let it through (Options.AllowInterrupted); nil otherwise.
func (s *Store) Damage() error { return s.damage }

// QuadStore returns Cayley's quad store on the file; nil when it is not initialised.
func (s *Store) QuadStore() graph.QuadStore { return s.qs }

// Path returns the store file's path.
func (s *Store) Path() string { return s.path }

// Close closes Cayley's quad store and the file, releasing its lock.
func (s *Store) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	var err error
	if !s.db.IsReadOnly() {
		if e := s.writeState(); e != nil {
			err = fmt.Errorf("record the state of store %s: %w", s.path, e)
		}
	}
	if s.qs != nil {
		if e := s.qs.Close(); err == nil {
			err = e
		}
	}
	if e := s.db.Close(); err == nil && !errors.Is(e, bolt.ErrDatabaseNotOpen) {
		err = e
	}
	return err
}

// Size returns the number of quads the store holds, as Cayley counts them.
func (s *Store) Size() (int64, error) { return s.metaCount(sizeKey) }

// Horizon returns the highest ID given a node or a quad: quads written after it was h
// have IDs above h.
func (s *Store) Horizon() (int64, error) { return s.metaCount(horizonKey) }

func (s *Store) metaCount(key []byte) (int64, error) {
	var n int64
	err := s.db.View(func(tx *bolt.Tx) error {
		if meta := tx.Bucket(metaBucket); meta != nil {
			n = metaInt(meta, key)
		}
		return nil
	})
	return n, err
}

// VersionError says a store was written in a data version of Cayley's layout other than
// the one parley's writers write.
type VersionError struct {
	Path    string
	Version int64 // the store's
}

func (e *VersionError) Error() string {
	return fmt.Sprintf("store %s was written in Cayley data version %d; parley writes version %d only: it was left as it is", e.Path, e.Version, dataVersion)
}

// checkVersion refuses a store of another data version than parley writes. A store with
// no version is not initialised: refused when write is set (a writer needs Cayley's
// buckets), let through otherwise (Open opens it for Init).
func (s *Store) checkVersion(write bool) error {
	return s.db.View(func(tx *bolt.Tx) error { return checkVersion(tx, s.path, write) })
}

func checkVersion(tx *bolt.Tx, path string, write bool) error {
	var v []byte
	if meta := tx.Bucket(metaBucket); meta != nil {
		v = meta.Get(versionKey)
	}
	switch {
	case v == nil && write:
		return fmt.Errorf("store %s is not initialised: no Cayley data version", path)
	case v == nil:
		return nil
	case len(v) != 8:
		return fmt.Errorf("store %s has an unreadable Cayley data version (%d bytes): it was left as it is", path, len(v))
	}
	if vers := metaInt(tx.Bucket(metaBucket), versionKey); vers != dataVersion {
		return &VersionError{Path: path, Version: vers}
	}
	return nil
}

// update runs fn in a write transaction, once the store's version is checked in it.
func (s *Store) update(fn func(tx *bolt.Tx) error) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		if err := checkVersion(tx, s.path, true); err != nil {
			return err
		}
		return fn(tx)
	})
}
