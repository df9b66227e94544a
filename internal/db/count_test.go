package db_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
)

// Count answers repeats from memory, but never across a write committed
// through Tx, and keeps different arguments apart.
func TestCountIsFreshAfterWrites(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		exec := func(q string, args ...any) {
			t.Helper()
			if err := d.Tx(ctx, func(tx *sql.Tx) error { _, err := tx.ExecContext(ctx, q, args...); return err }); err != nil {
				t.Fatal(err)
			}
		}
		count := func(kind string) int {
			t.Helper()
			n, err := d.Count(ctx, `SELECT COUNT(*) FROM settings WHERE key LIKE $1`, kind+"%")
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		exec(`INSERT INTO settings (key, value) VALUES ('count-a1', 'x'), ('count-a2', 'x'), ('count-b1', 'x')`)
		if a, b := count("count-a"), count("count-b"); a != 2 || b != 1 {
			t.Fatalf("counts a=%d b=%d, want 2 and 1", a, b)
		}
		exec(`INSERT INTO settings (key, value) VALUES ('count-a3', 'x')`)
		if a := count("count-a"); a != 3 {
			t.Errorf("after an insert: %d, want 3", a)
		}
		exec(`DELETE FROM settings WHERE key = 'count-b1'`)
		if b := count("count-b"); b != 0 {
			t.Errorf("after a delete: %d, want 0", b)
		}
		// A failed transaction changes nothing and needs no fresh count.
		_ = d.Tx(ctx, func(tx *sql.Tx) error { return sql.ErrNoRows })
		if a := count("count-a"); a != 3 {
			t.Errorf("after a rollback: %d, want 3", a)
		}
		if _, err := d.Count(ctx, `SELECT COUNT(*) FROM no_such_table`); err == nil {
			t.Error("a failing query must report its error")
		}
	})
}
