package job

import (
	"context"
	"database/sql"
	"time"

	"github.com/riverqueue/river"

	"github.com/clusterobservatory/observatory/internal/db"
)

// keepProgress is how long a job's progress stays visible after its last
// change; River itself deletes finished jobs sooner (after a day, or a week
// for failed ones).
const keepProgress = 30 * 24 * time.Hour

// pruneArgs is the periodic job that deletes old progress rows.
type pruneArgs struct{}

// Kind implements river.JobArgs.
func (pruneArgs) Kind() string { return "job_progress_prune" }

// pruneWorker deletes progress rows untouched for keepProgress whose River
// job is gone, so a job River still holds (however old) keeps its row.
type pruneWorker struct {
	river.WorkerDefaults[pruneArgs]
	r *Runner
}

// Work implements river.Worker.
func (w *pruneWorker) Work(ctx context.Context, _ *river.Job[pruneArgs]) error {
	n, err := w.r.prune(ctx, db.Now().Add(-keepProgress))
	if err != nil {
		return err
	}
	if n > 0 {
		w.r.logger.Info("old job progress deleted", "rows", n)
	}
	return nil
}

// prunePeriodic runs the pruning at start and every six hours, on whichever
// process River elected leader.
func prunePeriodic() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(6*time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return pruneArgs{}, nil },
		&river.PeriodicJobOpts{ID: "job_progress_prune", RunOnStart: true})
}

// prune deletes the progress rows last changed before cutoff whose River
// job no longer exists, and returns how many it deleted.
func (r *Runner) prune(ctx context.Context, cutoff time.Time) (int64, error) {
	var n int64
	err := r.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM job_progress WHERE updated_at < $1
			AND NOT EXISTS (SELECT 1 FROM river_job rj WHERE rj.id = job_progress.job_id)`, cutoff)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}
