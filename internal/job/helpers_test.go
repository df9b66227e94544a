package job_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/job"
	"github.com/clusterobservatory/observatory/internal/problem"
)

// countArgs counts to N, reporting each step.
type countArgs struct {
	N   int    `json:"n"`
	Tag string `json:"tag"`
}

func (countArgs) Kind() string { return "test_count" }

type countWorker struct {
	river.WorkerDefaults[countArgs]
	ran sync.Map // tag → true
}

func (w *countWorker) Work(ctx context.Context, j *river.Job[countArgs]) error {
	for i := 1; i <= j.Args.N; i++ {
		job.Report(ctx, i, j.Args.N, "counting")
	}
	job.SetResult(ctx, job.Result{Message: "counted", Link: "/things", Counts: map[string]int64{"items": int64(j.Args.N)}})
	w.ran.Store(j.Args.Tag, true)
	return nil
}

// failArgs fails with a problem (shown) or a plain error (hidden).
type failArgs struct {
	Plain bool `json:"plain"`
}

func (failArgs) Kind() string { return "test_fail" }

type failWorker struct {
	river.WorkerDefaults[failArgs]
	attempts atomic.Int64
}

func (w *failWorker) Work(ctx context.Context, j *river.Job[failArgs]) error {
	w.attempts.Add(1)
	job.Report(ctx, 2, 10, "checking")
	if j.Args.Plain {
		return errors.New("pq: relation secret_table does not exist")
	}
	return &problem.Error{Kind: problem.Invalid, Message: "Row 3 has no name.", Err: errors.New("secret cause")}
}

// blockArgs reports Done of Total, then waits for the test to release it.
type blockArgs struct {
	Done  int `json:"done"`
	Total int `json:"total"`
}

func (blockArgs) Kind() string { return "test_block" }

type blockWorker struct {
	river.WorkerDefaults[blockArgs]
	release   chan struct{}
	cancelled atomic.Bool
}

func (w *blockWorker) Work(ctx context.Context, j *river.Job[blockArgs]) error {
	job.Report(ctx, j.Args.Done, j.Args.Total, "working")
	select {
	case <-w.release:
	case <-ctx.Done():
		w.cancelled.Store(true)
		return ctx.Err()
	}
	job.Report(ctx, j.Args.Total, j.Args.Total, "working")
	return nil
}

// txArgs reports progress while holding a write transaction, as an import
// that stores its rows in one transaction does.
type txArgs struct {
	N int `json:"n"`
}

func (txArgs) Kind() string { return "test_tx" }

type txWorker struct {
	river.WorkerDefaults[txArgs]
	d *db.DB
}

func (w *txWorker) Work(ctx context.Context, j *river.Job[txArgs]) error {
	return w.d.Tx(ctx, func(tx *sql.Tx) error {
		for i := 1; i <= j.Args.N; i++ {
			if _, err := tx.ExecContext(ctx, `UPDATE settings SET value = value WHERE key = 'none'`); err != nil {
				return err
			}
			job.Report(ctx, i, j.Args.N, "storing")
			// Long enough for the progress writer to want the connection.
			time.Sleep(5 * time.Millisecond)
		}
		return nil
	})
}

// workers are the test workers of one runner.
type workers struct {
	count *countWorker
	fail  *failWorker
	block *blockWorker
}

// newRunner makes a started runner with quick polling and the test
// workers; it is stopped when the test ends.
func newRunner(t *testing.T, d *db.DB) (*job.Runner, *workers) {
	t.Helper()
	ctx := context.Background()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	run, err := job.NewWithConfig(ctx, d, logger, job.Config{
		PollInterval: 50 * time.Millisecond, ReportEvery: 20 * time.Millisecond, Test: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	w := &workers{count: &countWorker{}, fail: &failWorker{}, block: &blockWorker{release: make(chan struct{})}}
	for _, err := range []error{
		job.Register(run, w.count), job.Register(run, w.fail), job.Register(run, w.block), job.Register(run, &txWorker{d: d}),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := run.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		// A test that stopped the runner itself sees its own result again.
		if err := run.Stop(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("stop: %v", err)
		}
	})
	return run, w
}

// createUser adds an account directly, so the package needs no domain.
func createUser(t *testing.T, d *db.DB, email, role string) int64 {
	t.Helper()
	var id int64
	err := d.Tx(context.Background(), func(tx *sql.Tx) error {
		return tx.QueryRowContext(context.Background(), `INSERT INTO users (email, name, role, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
			email, email, role, db.Now()).Scan(&id)
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// waitFor polls a job's progress until cond holds.
func waitFor(t *testing.T, run *job.Runner, id int64, what string, cond func(*job.Progress) bool) *job.Progress {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	var last *job.Progress
	for time.Now().Before(deadline) {
		p, err := run.Progress(context.Background(), id)
		if err != nil {
			t.Fatalf("progress of job %d: %v", id, err)
		}
		if cond(p) {
			return p
		}
		last = p
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("job %d never reached %s; last %s", id, what, describe(last))
	return nil
}

// riverState waits until River records the job in one of the states.
func riverState(t *testing.T, d *db.DB, id int64, want ...string) (string, int) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	var state string
	var attempt int
	for time.Now().Before(deadline) {
		err := d.Read().QueryRowContext(context.Background(), `SELECT CAST(state AS TEXT), attempt FROM river_job WHERE id = $1`, id).Scan(&state, &attempt)
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(want, state) {
			return state, attempt
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("job %d: River state %s, want one of %v", id, state, want)
	return "", 0
}

func final(p *job.Progress) bool { return p.State.Final() }

func describe(p *job.Progress) string {
	if p == nil {
		return "nothing"
	}
	return fmt.Sprintf("%+v", *p)
}
