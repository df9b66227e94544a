package job

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
)

type laterArgs struct{}

func (laterArgs) Kind() string { return "test_later" }

type laterWorker struct {
	river.WorkerDefaults[laterArgs]
}

func (laterWorker) Work(context.Context, *river.Job[laterArgs]) error { return nil }

func TestPruneKeepsRecentRowsAndJobsRiverHolds(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		r, err := New(ctx, d, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		defer r.Stop(ctx)
		// A job River still holds: the runner is not started, so it waits.
		if err := Register(r, &laterWorker{}); err != nil {
			t.Fatal(err)
		}
		held, err := r.Enqueue(ctx, laterArgs{}, Opts{Title: "Later"})
		if err != nil {
			t.Fatal(err)
		}
		old := db.Now().Add(-40 * 24 * time.Hour)
		err = d.Tx(ctx, func(tx *sql.Tx) error {
			for _, row := range []struct {
				id      int64
				updated time.Time
			}{{900001, old}, {900002, db.Now()}, {held, old}} {
				if _, err := tx.ExecContext(ctx, `INSERT INTO job_progress (job_id, kind, title, state, created_at, updated_at)
					VALUES ($1, 'k', 't', 'succeeded', $2, $2)
					ON CONFLICT (job_id) DO UPDATE SET updated_at = excluded.updated_at`, row.id, row.updated); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		n, err := r.prune(ctx, db.Now().Add(-keepProgress))
		if err != nil || n != 1 {
			t.Fatalf("pruned %d rows (%v), want 1", n, err)
		}
		for id, want := range map[int64]bool{900001: false, 900002: true, held: true} {
			var c int
			d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM job_progress WHERE job_id = $1`, id).Scan(&c)
			if (c == 1) != want {
				t.Errorf("job %d kept = %v, want %v", id, c == 1, want)
			}
		}
	})
}
