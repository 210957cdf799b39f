// Package pgwatch is how parley connects to PostgreSQL: a database/sql driver that
// wraps lib/pq with connections that notice a server that stopped answering (a frozen
// or vanished host) and fail instead of waiting forever, and a flavour of Cayley's SQL
// backend, identical to its "postgres" flavour, that connects through that driver.
package pgwatch

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"sync"

	csql "github.com/cayleygraph/cayley/graph/sql"
	"github.com/cayleygraph/cayley/graph/sql/postgres"
	"github.com/lib/pq"
)

// Name is both the database/sql driver's name and the Cayley SQL flavour's: pass it to
// sql.Open, csql.New and csql.Init, after Register.
const Name = "parley-postgres"

var registered sync.Once

// Register registers the driver and Cayley's flavour under Name, once; call it before
// the first connection (not from an init function: a command on the embedded store
// never needs it).
func Register() {
	registered.Do(func() {
		sql.Register(Name, watchDriver{})
		csql.Register(Name, csql.Registration{
			Driver:             Name,
			HashType:           `BYTEA`,
			BytesType:          `BYTEA`,
			HorizonType:        `BIGSERIAL`,
			TimeType:           `timestamp with time zone`,
			QueryDialect:       postgres.QueryDialect,
			ConditionalIndexes: true,
			FillFactor:         true,
			Error:              postgres.ConvError,
			Estimated: func(table string) string {
				return "SELECT reltuples::BIGINT AS estimate FROM pg_class WHERE relname='" + table + "';"
			},
			RunTx: postgres.RunTxPostgres,
		})
	})
}

// Open registers the driver and opens a database through it.
func Open(dsn string) (*sql.DB, error) {
	Register()
	return sql.Open(Name, dsn)
}

// watchDriver is lib/pq with watched connections; database/sql asks it for one
// connector per sql.Open.
type watchDriver struct{}

func (d watchDriver) Open(dsn string) (driver.Conn, error) {
	c, err := d.OpenConnector(dsn)
	if err != nil {
		return nil, err
	}
	return c.Connect(context.Background())
}

func (watchDriver) OpenConnector(dsn string) (driver.Connector, error) {
	c, err := pq.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	l := limitsOf(dsn)
	c.Dialer(dialer{limits: l, group: &group{conns: map[*conn]bool{}, connect: l.connect}})
	return c, nil
}
