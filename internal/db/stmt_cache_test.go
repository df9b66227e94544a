package db_test

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"testing"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
)

// TestCachedStatements runs the same statements through the cache many
// times, inside and outside transactions and from many goroutines at once:
// every answer is right, a rolled-back write is gone, and a statement that
// cannot be prepared reports the error it would without the cache.
func TestCachedStatements(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := d.WriteSQL().ExecContext(ctx, `CREATE TABLE cache_probe (id INTEGER PRIMARY KEY, name TEXT NOT NULL)`); err != nil {
			t.Fatal(err)
		}
		const insert = `INSERT INTO cache_probe (id, name) VALUES ($1, $2)`
		const update = `UPDATE cache_probe SET name = $1 WHERE id = $2`
		// The insert is prepared for transactions; the update is not, and
		// runs unprepared.
		d.Prepare(ctx, insert)
		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for i := range 40 {
			wg.Go(func() {
				errs <- d.Tx(ctx, func(tx *sql.Tx) error {
					if _, err := d.Cached(tx).ExecContext(ctx, insert, i, "other"); err != nil {
						return err
					}
					_, err := d.Cached(tx).ExecContext(ctx, update, "firm", i)
					return err
				})
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		rollback := errors.New("roll back")
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			if _, err := d.Cached(tx).ExecContext(ctx, insert, 99, "gone"); err != nil {
				return err
			}
			return rollback
		})
		if !errors.Is(err, rollback) {
			t.Fatal(err)
		}
		for range 3 {
			var n int
			if err := d.Cached(nil).QueryRowContext(ctx, `SELECT COUNT(*) FROM cache_probe WHERE name = $1`, "firm").Scan(&n); err != nil || n != 40 {
				t.Fatalf("%d rows, %v", n, err)
			}
			var gone int
			if err := d.Cached(nil).QueryRowContext(ctx, `SELECT COUNT(*) FROM cache_probe WHERE id = $1`, 99).Scan(&gone); err != nil || gone != 0 {
				t.Fatalf("rolled-back row: %d, %v", gone, err)
			}
		}
		if err := d.Cached(nil).QueryRowContext(ctx, `SELECT nope FROM cache_probe`).Scan(new(int)); err == nil {
			t.Fatal("a bad statement answered")
		}
	})
}
