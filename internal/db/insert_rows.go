package db

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// InsertRows inserts rows with multi-row VALUES statements of a few hundred
// rows each: thousands of single-row statements make every SQLite test and
// a first start noticeably slower. head is "INSERT INTO t (a, b)", cols the
// number of columns, tail what follows the values (an ON CONFLICT clause,
// or "").
func InsertRows(ctx context.Context, tx *sql.Tx, head string, cols int, rows [][]any, tail string) error {
	const batch = 400 // 400 rows × up to 5 columns stays under every engine's limit on placeholders
	for start := 0; start < len(rows); start += batch {
		part := rows[start:min(start+batch, len(rows))]
		var b strings.Builder
		b.WriteString(head)
		b.WriteString(" VALUES ")
		args := make([]any, 0, len(part)*cols)
		for i, r := range part {
			if len(r) != cols {
				return fmt.Errorf("insert rows: row %d has %d values for %d columns", start+i, len(r), cols)
			}
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('(')
			for j := range cols {
				if j > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(&b, "$%d", len(args)+j+1)
			}
			b.WriteByte(')')
			args = append(args, r...)
		}
		b.WriteString(" ")
		b.WriteString(tail)
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return err
		}
	}
	return nil
}
