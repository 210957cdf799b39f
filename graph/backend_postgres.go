package graph

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/cayleygraph/cayley/graph"
	csql "github.com/cayleygraph/cayley/graph/sql"
	"github.com/lib/pq"

	"github.com/parley/parley/graph/internal/pgbulk"
	"github.com/parley/parley/graph/internal/pgwatch"
)

// postgresBackend is a store in a PostgreSQL server, through Cayley's SQL backend; a
// load writes with COPY (graph/internal/pgbulk) unless rowByRow.
type postgresBackend struct {
	cayleyBackend
	address  string // as the user gave it, for messages
	dsn      string // address with parley's default timeouts, to connect
	rowByRow bool   // write through Cayley's own row-by-row path, not COPY (for comparisons)
}

// Default PostgreSQL timeouts, added to an address that does not set them.
const (
	// PostgresConnectTimeout bounds a connection's establishment, startup included (lib/pq's
	// connect_timeout, in seconds): a server that accepts and never answers is an error.
	// A connection silent for that long checks that the server answers a new one within
	// that long (graph/internal/pgwatch): a frozen server fails a command in about twice it.
	PostgresConnectTimeout = 10 * time.Second
	// PostgresStatementTimeout bounds each statement on the server (statement_timeout),
	// and so, plus a margin, each wait of a connection for its server.
	PostgresStatementTimeout = 10 * time.Minute
)

// withPostgresDefaults adds connect_timeout and statement_timeout to an address, URL or
// key=value, unless it sets them (connect_timeout=0 or statement_timeout=0 lift them).
func withPostgresDefaults(addr string) string {
	return withPostgresParams(addr, false,
		[2]string{"connect_timeout", strconv.Itoa(int(PostgresConnectTimeout / time.Second))},
		[2]string{"statement_timeout", strconv.Itoa(int(PostgresStatementTimeout / time.Millisecond))})
}

// withPostgresParams adds parameters (name, value) to an address, URL or key=value; one
// the address sets already is kept, or replaced when override is set.
func withPostgresParams(addr string, override bool, params ...[2]string) string {
	if strings.HasPrefix(addr, "postgres://") || strings.HasPrefix(addr, "postgresql://") {
		u, err := url.Parse(addr)
		if err != nil {
			return addr // lib/pq will say what is wrong with it
		}
		q := u.Query()
		for _, p := range params {
			if override || !q.Has(p[0]) {
				q.Set(p[0], p[1])
			}
		}
		u.RawQuery = q.Encode()
		return u.String()
	}
	for _, p := range params {
		// lib/pq takes the last of a key given twice.
		if override || !regexp.MustCompile(`(^|\s)`+p[0]+`\s*=`).MatchString(addr) {
			addr += " " + p[0] + "=" + p[1]
		}
	}
	return strings.TrimSpace(addr)
}

// postgresError says what a connection error means, when it is a timeout or a server
// that stopped answering.
func postgresError(addr string, err error) error {
	if explained := Explain(err); explained != err {
		return explained // it names the server and what to change
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, os.ErrDeadlineExceeded) {
		return fmt.Errorf("postgres %s: the server does not answer (%w); connect_timeout=SECONDS in the address changes the wait", redact(addr), err)
	}
	var pe *pq.Error
	if errors.As(err, &pe) && pe.Code == "57014" {
		return fmt.Errorf("postgres %s: a statement ran past statement_timeout (%w); statement_timeout=MS in the address changes it, 0 for none", redact(addr), err)
	}
	return fmt.Errorf("postgres %s: %w", redact(addr), err)
}

// Explain returns err, or, when a PostgreSQL server stopped answering underneath it, the
// one-line error that says so and what to change: Cayley's SQL layer reports a failed
// query in two lines that lose the error's type.
func Explain(err error) error {
	var stalled *pgwatch.StalledError
	if errors.As(pgwatch.Explain(err), &stalled) {
		return stalled
	}
	return err
}

func (b *postgresBackend) kind() string     { return BackendPostgres }
func (b *postgresBackend) location() string { return redact(b.address) }

// refProvesNode is false: Cayley's SQL backend answers ValueOf with a hash whether or
// not the node exists.
func (b *postgresBackend) refProvesNode() bool { return false }

func (b *postgresBackend) reattach() error {
	qs, err := csql.New(pgwatch.Name, b.dsn, nil)
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
		return pgbulk.Write(ctx, b.dsn, deltas)
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
	dsn := withPostgresDefaults(cfg.Address)
	db, err := pgwatch.Open(dsn)
	if err != nil {
		return nil, false, fmt.Errorf("open postgres %s: %w", redact(cfg.Address), err)
	}
	defer db.Close()
	exists, err := hasQuadTables(ctx, db)
	if err != nil {
		return nil, false, postgresError(cfg.Address, err)
	}
	if exists && mode == pgCreate {
		return nil, false, fmt.Errorf("store %s already exists (use --force to recreate it)", redact(cfg.Address))
	}
	if !exists && cfg.MustExist {
		return nil, false, fmt.Errorf("no store at postgres %s: %w", redact(cfg.Address), os.ErrNotExist)
	}
	created := false
	if !exists || mode == pgReplace {
		if created, err = makePostgres(ctx, cfg, dsn, db, exists); err != nil {
			return nil, false, err
		}
	}
	qs, err := csql.New(pgwatch.Name, dsn, nil)
	if err != nil {
		return nil, false, postgresError(cfg.Address, err)
	}
	return newStore(&postgresBackend{cayleyBackend: cayleyBackend{qs: qs}, address: cfg.Address, dsn: dsn, rowByRow: cfg.RowByRow}, false), created, nil
}

// makePostgres makes the store anew, all or nothing: Cayley's tables are created and the
// seed loaded in a schema of their own (the staging schema, the connection's search_path
// there), and then, in one transaction, the old store's tables are dropped (replace) and
// the new ones moved into the address's schema. An interrupt, a failure or a crash before
// that commit leaves the old store, or none, as it was; the staging schema is dropped in
// any case. created is false when another process made a store meanwhile (not replace):
// that one is used.
func makePostgres(ctx context.Context, cfg Config, dsn string, db *sql.DB, replace bool) (created bool, err error) {
	where := redact(cfg.Address)
	var target sql.NullString
	if err := db.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&target); err != nil {
		return false, postgresError(cfg.Address, err)
	}
	if !target.Valid {
		return false, fmt.Errorf("postgres %s: no schema to create the store in (its search_path names none that exists)", where)
	}
	staging := fmt.Sprintf("parley_new_%d_%d", os.Getpid(), time.Now().UnixNano())
	if _, err := db.ExecContext(ctx, `CREATE SCHEMA `+pq.QuoteIdentifier(staging)); err != nil {
		return false, fmt.Errorf("postgres %s: create the store: %w", where, postgresError(cfg.Address, err))
	}
	defer func() {
		// Empty once its tables moved; what is left of a failed build otherwise.
		if _, derr := db.ExecContext(context.WithoutCancel(ctx), `DROP SCHEMA IF EXISTS `+pq.QuoteIdentifier(staging)+` CASCADE`); derr != nil && err == nil {
			err = fmt.Errorf("postgres %s: drop the staging schema %s: %w", where, staging, derr)
		}
	}()
	sdsn := withPostgresParams(dsn, true, [2]string{"search_path", staging})
	if err := csql.Init(pgwatch.Name, sdsn, nil); err != nil {
		return false, fmt.Errorf("postgres %s: create the store: %w", where, postgresError(cfg.Address, err))
	}
	if cfg.Seed != nil {
		qs, err := csql.New(pgwatch.Name, sdsn, nil)
		if err != nil {
			return false, postgresError(cfg.Address, err)
		}
		s := newStore(&postgresBackend{cayleyBackend: cayleyBackend{qs: qs}, address: cfg.Address, dsn: sdsn, rowByRow: cfg.RowByRow}, false)
		_, err = s.loadSeed(ctx, cfg.Seed)
		s.Close()
		if err != nil {
			return false, fmt.Errorf("seed postgres %s: %w", where, err)
		}
	}
	if err := ctx.Err(); err != nil { // the last point where an interrupt leaves the store as it was
		return false, err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return false, postgresError(cfg.Address, err)
	}
	defer tx.Rollback()
	if replace {
		if _, err := tx.ExecContext(ctx, `DROP TABLE IF EXISTS quads, nodes CASCADE`); err != nil {
			return false, fmt.Errorf("postgres %s: drop the old store: %w", where, err)
		}
	}
	// Two processes making a store at once: the second's move fails, and it uses the first's.
	taken := func(err error) (bool, error) {
		tx.Rollback()
		if again, err2 := hasQuadTables(context.WithoutCancel(ctx), db); !replace && err2 == nil && again {
			return false, nil
		}
		return false, fmt.Errorf("postgres %s: move the new store in place: %w", where, postgresError(cfg.Address, err))
	}
	for _, table := range []string{"nodes", "quads"} {
		if _, err := tx.ExecContext(ctx, `ALTER TABLE `+pq.QuoteIdentifier(staging)+`.`+table+` SET SCHEMA `+pq.QuoteIdentifier(target.String)); err != nil {
			return taken(err)
		}
	}
	if err := tx.Commit(); err != nil {
		return taken(err)
	}
	return true, nil
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
