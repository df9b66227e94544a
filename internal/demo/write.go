package demo

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/clusterobservatory/observatory/internal/db"
)

// maxParams keeps one statement well under both engines' limits on bound
// parameters (PostgreSQL allows 65,535; SQLite's default is 32,766).
const maxParams = 30000

// maxRows is the most rows one INSERT carries: past a few hundred rows a
// bigger statement no longer saves round trips worth having.
const maxRows = 500

// table is a batch of rows for one table, written with multi-row INSERTs.
type table struct {
	name string
	cols []string
	rows [][]any
}

func newTable(name string, cols ...string) *table { return &table{name: name, cols: cols} }

func (t *table) add(vals ...any) {
	if len(vals) != len(t.cols) {
		panic(fmt.Sprintf("demo: %s row has %d values for %d columns", t.name, len(vals), len(t.cols)))
	}
	t.rows = append(t.rows, vals)
}

// write inserts every row in batches.
func (t *table) write(ctx context.Context, tx *sql.Tx, dialect db.Dialect) error {
	per := min(maxRows, maxParams/len(t.cols))
	for start := 0; start < len(t.rows); start += per {
		batch := t.rows[start:min(start+per, len(t.rows))]
		args := make([]any, 0, len(batch)*len(t.cols))
		for _, r := range batch {
			args = append(args, r...)
		}
		if _, err := tx.ExecContext(ctx, t.insertSQL(len(batch), dialect), args...); err != nil {
			return fmt.Errorf("insert into %s (rows %d–%d): %w", t.name, start+1, start+len(batch), err)
		}
	}
	return nil
}

// insertSQL writes an INSERT of n rows. On SQLite the placeholders are
// anonymous "?": SQLite resolves every "$N" by a linear search through the
// statement's parameter names, so a statement with thousands of them spends
// most of its time there (a scale-10 region took eight times longer).
func (t *table) insertSQL(n int, dialect db.Dialect) string {
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", t.name, strings.Join(t.cols, ", "))
	p := 1
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j := range t.cols {
			if j > 0 {
				b.WriteByte(',')
			}
			if dialect == db.SQLite {
				b.WriteByte('?')
			} else {
				fmt.Fprintf(&b, "$%d", p)
			}
			p++
		}
		b.WriteByte(')')
	}
	return b.String()
}

// syncIdentity moves PostgreSQL's identity sequences past the IDs the
// generator wrote itself, so the next record created through the
// application gets a free ID. SQLite's AUTOINCREMENT follows explicit IDs
// on its own.
func syncIdentity(ctx context.Context, tx *sql.Tx, d *db.DB, tables ...string) error {
	if d.Dialect != db.Postgres {
		return nil
	}
	for _, t := range tables {
		q := fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%[1]s', 'id'), (SELECT MAX(id) FROM %[1]s))`, t)
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("advance the %s identity: %w", t, err)
		}
	}
	return nil
}
