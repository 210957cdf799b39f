// Package pgbulk adds quads to a PostgreSQL store in Cayley's SQL layout with COPY and
// set-based INSERTs, in one transaction, instead of Cayley's one INSERT per row.
package pgbulk

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/cayleygraph/cayley/graph"
	csql "github.com/cayleygraph/cayley/graph/sql"
	"github.com/cayleygraph/quad"
	"github.com/lib/pq"

	"github.com/parley/parley/graph/internal/pgwatch"
)

// Cayley's SQL backend writes a row at a time: one INSERT per node and per quad, each
// checked against three foreign keys. Write writes the same rows with COPY into
// temporary tables and two set-based INSERTs, in one transaction, so that Cayley's own
// reader answers exactly as after a row-by-row load.

// nodeColumns are the value columns of Cayley's nodes table, in order.
var nodeColumns = []string{"value", "value_string", "datatype", "language", "iri", "bnode", "value_int", "value_bool", "value_float", "value_time"}

type stagedNode struct {
	refs   int
	values []any // hash, then the columns of its value type
	cols   []string
}

// Write adds quads (none of which the store has) to the PostgreSQL store at address, in
// one transaction.
func Write(ctx context.Context, address string, deltas []graph.Delta) error {
	nodes := map[csql.NodeHash]*stagedNode{}
	var order []csql.NodeHash
	for _, d := range deltas {
		for _, v := range []quad.Value{d.Quad.Subject, d.Quad.Predicate, d.Quad.Object, d.Quad.Label} {
			if v == nil {
				continue
			}
			h := csql.HashOf(v)
			n := nodes[h]
			if n == nil {
				typ, values, err := csql.NodeValues(h, v)
				if err != nil {
					return fmt.Errorf("value %s: %w", v, err)
				}
				n = &stagedNode{values: values, cols: typ.Columns()}
				nodes[h] = n
				order = append(order, h)
			}
			n.refs++
		}
	}
	db, err := pgwatch.Open(address)
	if err != nil {
		return err
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := copyNodes(ctx, tx, nodes, order); err != nil {
		return err
	}
	if err := copyQuads(ctx, tx, deltas); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func copyNodes(ctx context.Context, tx *sql.Tx, nodes map[csql.NodeHash]*stagedNode, order []csql.NodeHash) error {
	if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE parley_nodes (LIKE nodes) ON COMMIT DROP`); err != nil {
		return fmt.Errorf("stage nodes: %w", err)
	}
	all := append([]string{"refs", "hash"}, nodeColumns...)
	stmt, err := tx.PrepareContext(ctx, pq.CopyIn("parley_nodes", all...))
	if err != nil {
		return fmt.Errorf("copy nodes: %w", err)
	}
	row := make([]any, len(all))
	for _, h := range order {
		n := nodes[h]
		for i := range row {
			row[i] = nil
		}
		row[0], row[1] = n.refs, n.values[0]
		for i, c := range n.cols {
			row[2+slices.Index(nodeColumns, c)] = n.values[1+i]
		}
		if _, err := stmt.ExecContext(ctx, row...); err != nil {
			stmt.Close()
			return fmt.Errorf("copy nodes: %w", err)
		}
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		stmt.Close()
		return fmt.Errorf("copy nodes: %w", err)
	}
	stmt.Close()
	cols := "refs, hash, " + strings.Join(nodeColumns, ", ")
	_, err = tx.ExecContext(ctx, `INSERT INTO nodes (`+cols+`) SELECT `+cols+` FROM parley_nodes
		ON CONFLICT (hash) DO UPDATE SET refs = nodes.refs + EXCLUDED.refs`)
	if err != nil {
		return fmt.Errorf("insert nodes: %w", err)
	}
	return nil
}

func copyQuads(ctx context.Context, tx *sql.Tx, deltas []graph.Delta) error {
	_, err := tx.ExecContext(ctx, `CREATE TEMP TABLE parley_quads (ord bigint, subject_hash bytea, predicate_hash bytea, object_hash bytea, label_hash bytea) ON COMMIT DROP`)
	if err != nil {
		return fmt.Errorf("stage quads: %w", err)
	}
	stmt, err := tx.PrepareContext(ctx, pq.CopyIn("parley_quads", "ord", "subject_hash", "predicate_hash", "object_hash", "label_hash"))
	if err != nil {
		return fmt.Errorf("copy quads: %w", err)
	}
	for i, d := range deltas {
		var label any
		if d.Quad.Label != nil {
			label = csql.HashOf(d.Quad.Label).SQLValue()
		}
		_, err := stmt.ExecContext(ctx, i, csql.HashOf(d.Quad.Subject).SQLValue(), csql.HashOf(d.Quad.Predicate).SQLValue(), csql.HashOf(d.Quad.Object).SQLValue(), label)
		if err != nil {
			stmt.Close()
			return fmt.Errorf("copy quads: %w", err)
		}
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		stmt.Close()
		return fmt.Errorf("copy quads: %w", err)
	}
	stmt.Close()
	_, err = tx.ExecContext(ctx, `INSERT INTO quads (subject_hash, predicate_hash, object_hash, label_hash, ts)
		SELECT subject_hash, predicate_hash, object_hash, label_hash, now() FROM parley_quads ORDER BY ord`)
	if pe, ok := err.(*pq.Error); ok && pe.Code == "23505" {
		return &graph.DeltaError{Err: graph.ErrQuadExists}
	} else if err != nil {
		return fmt.Errorf("insert quads: %w", err)
	}
	return nil
}
