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
	defaults := [][2]string{
		{"connect_timeout", strconv.Itoa(int(PostgresConnectTimeout / time.Second))},
		{"statement_timeout", strconv.Itoa(int(PostgresStatementTimeout / time.Millisecond))},
	}
	if strings.HasPrefix(addr, "postgres://") || strings.HasPrefix(addr, "postgresql://") {
		u, err := url.Parse(addr)
		if err != nil {
			return addr // lib/pq will say what is wrong with it
		}
		q := u.Query()
		for _, d := range defaults {
			if !q.Has(d[0]) {
				q.Set(d[0], d[1])
			}
		}
		u.RawQuery = q.Encode()
		return u.String()
	}
	for _, d := range defaults {
		if !regexp.MustCompile(`(^|\s)` + d[0] + `\s*=`).MatchString(addr) {
			addr += " " + d[0] + "=" + d[1]
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
		if err := csql.Init(pgwatch.Name, dsn, nil); err != nil {
			// Another process may have created the tables in the meantime.
			if again, err2 := hasQuadTables(ctx, db); err2 != nil || !again {
				return nil, false, fmt.Errorf("postgres %s: create the store: %w", redact(cfg.Address), err)
			}
		} else {
			created = true
		}
	}
	qs, err := csql.New(pgwatch.Name, dsn, nil)
	if err != nil {
		return nil, false, postgresError(cfg.Address, err)
	}
	s := newStore(&postgresBackend{cayleyBackend: cayleyBackend{qs: qs}, address: cfg.Address, dsn: dsn, rowByRow: cfg.RowByRow}, false)
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
