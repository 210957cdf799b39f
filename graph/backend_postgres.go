package graph

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"

	"github.com/cayleygraph/cayley/graph"
	csql "github.com/cayleygraph/cayley/graph/sql"
	"github.com/parley/parley/graph/internal/pgbulk"
)

// postgresBackend is a store in a PostgreSQL server, through Cayley's SQL backend; a
// load writes with COPY (graph/internal/pgbulk) unless rowByRow.
type postgresBackend struct {
	cayleyBackend
	address  string
	rowByRow bool // write through Cayley's own row-by-row path, not COPY (for comparisons)
}

func (b *postgresBackend) kind() string     { return BackendPostgres }
func (b *postgresBackend) location() string { return redact(b.address) }

// refProvesNode is false: Cayley's SQL backend answers ValueOf with a hash whether or
// not the node exists.
func (b *postgresBackend) refProvesNode() bool { return false }

func (b *postgresBackend) reattach() error {
	qs, err := csql.New(BackendPostgres, b.address, nil)
	if err != nil {
		return err
	}
	b.qs.Close()
	b.qs = qs
	return nil
}

func (b *postgresBackend) newWriter(ctx context.Context, s *Store, res *LoadResult, _ int, _ LoadOptions) (quadWriter, error) {
	return newCarefulWriter(ctx, s, res), nil
}

// writeBatch writes with COPY, or through Cayley row by row.
func (b *postgresBackend) writeBatch(ctx context.Context, deltas []graph.Delta) error {
	if !b.rowByRow {
		return pgbulk.Write(ctx, b.address, deltas)
	}
	return b.qs.ApplyDeltas(deltas, graph.IgnoreOpts{})
}

// How openPostgres treats a database that already has a store.
type pgMode int

const (
	pgOpen    pgMode = iota // use it
	pgCreate                // refuse: init without --force
	pgReplace               // drop it and start over: init --force
)

// openPostgres opens the store in a PostgreSQL database, creating Cayley's tables and
// loading the seed when the database has none; mode says what to do when it has them.
func openPostgres(ctx context.Context, cfg Config, mode pgMode) (*Store, bool, error) {
	if cfg.Address == "" {
		return nil, false, errors.New("the postgres backend needs an address (--address or $PARLEY_ADDRESS), e.g. postgres://user@127.0.0.1:5432/parley?sslmode=disable")
	}
	db, err := sql.Open("postgres", cfg.Address)
	if err != nil {
		return nil, false, fmt.Errorf("open postgres %s: %w", redact(cfg.Address), err)
	}
	defer db.Close()
	exists, err := hasQuadTables(ctx, db)
	if err != nil {
		return nil, false, fmt.Errorf("postgres %s: %w", redact(cfg.Address), err)
	}
	if exists && mode == pgCreate {
		return nil, false, fmt.Errorf("store %s already exists (use --force to recreate it)", redact(cfg.Address))
	}
	if exists && mode == pgReplace {
		if _, err := db.ExecContext(ctx, `DROP TABLE IF EXISTS quads, nodes CASCADE`); err != nil {
			return nil, false, fmt.Errorf("postgres %s: drop the old store: %w", redact(cfg.Address), err)
		}
		exists = false
	}
	created := false
	if !exists && cfg.MustExist {
		return nil, false, fmt.Errorf("no store at postgres %s: %w", redact(cfg.Address), os.ErrNotExist)
	}
	if !exists {
		if err := csql.Init(BackendPostgres, cfg.Address, nil); err != nil {
			// Another process may have created the tables in the meantime.
			if again, err2 := hasQuadTables(ctx, db); err2 != nil || !again {
				return nil, false, fmt.Errorf("postgres %s: create the store: %w", redact(cfg.Address), err)
			}
		} else {
			created = true
		}
	}
	qs, err := csql.New(BackendPostgres, cfg.Address, nil)
	if err != nil {
		return nil, false, fmt.Errorf("open postgres %s: %w", redact(cfg.Address), err)
	}
	s := newStore(&postgresBackend{cayleyBackend: cayleyBackend{qs: qs}, address: cfg.Address, rowByRow: cfg.RowByRow}, false)
	if created && cfg.Seed != nil {
		if _, err := s.loadSeed(ctx, cfg.Seed); err != nil {
			s.Close()
			return nil, false, fmt.Errorf("seed postgres %s: %w", redact(cfg.Address), err)
		}
	}
	return s, created, nil
}

// hasQuadTables reports whether the database has Cayley's quads table.
func hasQuadTables(ctx context.Context, db *sql.DB) (bool, error) {
	var ok bool
	err := db.QueryRowContext(ctx, `SELECT to_regclass('quads') IS NOT NULL`).Scan(&ok)
	return ok, err
}

// redact hides a password in an address for messages.
func redact(addr string) string {
	u, err := url.Parse(addr)
	if err != nil || u.User == nil {
		return addr
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
