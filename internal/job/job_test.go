package job_test

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/job"
	"github.com/clusterobservatory/observatory/internal/problem"
)

func TestProgressReachesTotal(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		run, _ := newRunner(t, d)
		owner := createUser(t, d, "owner@example.org", "bso_staff")
		id, err := run.Enqueue(ctx, countArgs{N: 250}, job.Opts{UserID: owner, Title: " Counting things ", Unit: job.Rows})
		if err != nil {
			t.Fatal(err)
		}
		p := waitFor(t, run, id, "a final state", final)
		if p.State != job.Succeeded || p.Done != 250 || p.Total != 250 {
			t.Fatalf("got %s %d/%d, want succeeded 250/250", p.State, p.Done, p.Total)
		}
		if p.Title != "Counting things" || p.Kind != "test_count" || p.Unit != job.Rows || p.UserID != owner {
			t.Errorf("recorded %+v", *p)
		}
		if p.Result == nil || p.Result.Link != "/things" || p.Result.Counts["items"] != 250 || p.Message != "counted" {
			t.Errorf("result %+v, message %q", p.Result, p.Message)
		}
		if p.UpdatedAt.Before(p.CreatedAt) {
			t.Errorf("updated %v before created %v", p.UpdatedAt, p.CreatedAt)
		}
	})
}

func TestProgressIsVisibleWhileRunning(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		run, w := newRunner(t, d)
		id, err := run.Enqueue(ctx, blockArgs{Done: 3, Total: 10}, job.Opts{Title: "Blocked"})
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, run, id, "running at 3 of 10", func(p *job.Progress) bool {
			return p.State == job.Running && p.Done == 3 && p.Total == 10 && p.Message == "working"
		})
		close(w.block.release)
		p := waitFor(t, run, id, "a final state", final)
		if p.State != job.Succeeded || p.Done != 10 {
			t.Fatalf("got %s at %d", p.State, p.Done)
		}
	})
}

func TestReportingInsideAWriteTransaction(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		run, _ := newRunner(t, d)
		id, err := run.Enqueue(context.Background(), txArgs{N: 20}, job.Opts{Title: "One transaction"})
		if err != nil {
			t.Fatal(err)
		}
		p := waitFor(t, run, id, "a final state", final)
		if p.State != job.Succeeded || p.Done != 20 || p.Total != 20 {
			t.Fatalf("got %s %d/%d", p.State, p.Done, p.Total)
		}
	})
}

func TestFailingJobShowsOnlyTheProblemMessage(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		run, w := newRunner(t, d)
		once := &river.InsertOpts{MaxAttempts: 1}
		shown, err := run.Enqueue(ctx, failArgs{}, job.Opts{Title: "Bad file", Insert: once})
		if err != nil {
			t.Fatal(err)
		}
		hidden, err := run.Enqueue(ctx, failArgs{Plain: true}, job.Opts{Title: "Broken", Insert: once})
		if err != nil {
			t.Fatal(err)
		}
		p := waitFor(t, run, shown, "a final state", final)
		if p.State != job.Failed || p.Message != "Row 3 has no name." || p.Result != nil {
			t.Fatalf("got %s %q %+v", p.State, p.Message, p.Result)
		}
		if p.Done != 2 || p.Total != 10 {
			t.Errorf("progress at failure = %d/%d, want 2/10", p.Done, p.Total)
		}
		p = waitFor(t, run, hidden, "a final state", final)
		if p.State != job.Failed || p.Message != "" {
			t.Fatalf("a plain error must not reach the page: %s %q", p.State, p.Message)
		}
		// River gave each job its one attempt and discarded it.
		for _, id := range []int64{shown, hidden} {
			if _, attempt := riverState(t, d, id, "discarded"); attempt != 1 {
				t.Errorf("job %d discarded after %d attempts", id, attempt)
			}
		}
		if n := w.fail.attempts.Load(); n != 2 {
			t.Errorf("%d attempts, want 2", n)
		}
	})
}

func TestFailedAttemptIsRetried(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		run, w := newRunner(t, d)
		id, err := run.Enqueue(ctx, failArgs{}, job.Opts{Title: "Flaky", Insert: &river.InsertOpts{MaxAttempts: 2}})
		if err != nil {
			t.Fatal(err)
		}
		p := waitFor(t, run, id, "retrying", func(p *job.Progress) bool { return p.State == job.Retrying })
		if p.Message != "Row 3 has no name." {
			t.Errorf("message while retrying %q", p.Message)
		}
		// River's policy waits about a second before the second attempt.
		p = waitFor(t, run, id, "a final state", final)
		if p.State != job.Failed {
			t.Errorf("after the last attempt: %s", p.State)
		}
		if _, attempt := riverState(t, d, id, "discarded"); attempt != 2 {
			t.Errorf("discarded after %d attempts, want 2", attempt)
		}
		if n := w.fail.attempts.Load(); n != 2 {
			t.Errorf("worker ran %d times, want 2", n)
		}
	})
}

func TestJobQueuedInRolledBackTransactionNeverRuns(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		run, w := newRunner(t, d)
		errRollback := errors.New("roll back")
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			if _, err := run.EnqueueTx(ctx, tx, countArgs{N: 1, Tag: "rolled back"}, job.Opts{Title: "Never"}); err != nil {
				return err
			}
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatalf("tx: %v", err)
		}
		var kept int64
		err = d.Tx(ctx, func(tx *sql.Tx) error {
			var err error
			kept, err = run.EnqueueTx(ctx, tx, countArgs{N: 1, Tag: "committed"}, job.Opts{Title: "Kept"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, run, kept, "a final state", final)
		if _, ok := w.count.ran.Load("committed"); !ok {
			t.Error("the committed job did not run")
		}
		if _, ok := w.count.ran.Load("rolled back"); ok {
			t.Error("the job of the rolled-back transaction ran")
		}
		var jobs, rows int
		d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM river_job WHERE kind = 'test_count'`).Scan(&jobs)
		d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM job_progress`).Scan(&rows)
		if jobs != 1 || rows != 1 {
			t.Errorf("%d River jobs and %d progress rows, want 1 and 1", jobs, rows)
		}
	})
}

func TestStopWaitsForRunningJob(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		run, w := newRunner(t, d)
		id, err := run.Enqueue(ctx, blockArgs{Done: 1, Total: 2}, job.Opts{Title: "Long"})
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, run, id, "running", func(p *job.Progress) bool { return p.State == job.Running })
		stopped := make(chan error, 1)
		go func() { stopped <- run.Stop(ctx) }()
		select {
		case err := <-stopped:
			t.Fatalf("Stop returned (%v) while a job was running", err)
		case <-time.After(150 * time.Millisecond):
		}
		close(w.block.release)
		select {
		case err := <-stopped:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Stop did not return after the job finished")
		}
		if w.block.cancelled.Load() {
			t.Error("a graceful stop cancelled the job")
		}
		if p, _ := run.Progress(ctx, id); p.State != job.Succeeded || p.Done != 2 {
			t.Errorf("after stop: %s at %d", p.State, p.Done)
		}
	})
}

func TestStopCancelsJobsWhenItsContextEnds(t *testing.T) {
	d := dbtest.SQLite(t)
	ctx := context.Background()
	run, w := newRunner(t, d)
	id, err := run.Enqueue(ctx, blockArgs{Done: 1, Total: 2}, job.Opts{Title: "Stuck"})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, run, id, "running", func(p *job.Progress) bool { return p.State == job.Running })
	sctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if err := run.Stop(sctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Stop = %v, want the deadline error", err)
	}
	if !w.block.cancelled.Load() {
		t.Error("the running job was not cancelled")
	}
	// The job will be tried again at the next start.
	if p, _ := run.Progress(ctx, id); p.State != job.Retrying {
		t.Errorf("state after a hard stop: %s", p.State)
	}
}

func TestEnqueueValidates(t *testing.T) {
	d := dbtest.SQLite(t)
	ctx := context.Background()
	run, _ := newRunner(t, d)
	tests := []struct {
		name  string
		args  river.JobArgs
		opts  job.Opts
		field string
	}{
		{"no title", countArgs{}, job.Opts{Title: "  "}, "title"},
		{"long title", countArgs{}, job.Opts{Title: strings.Repeat("é", 201)}, "title"},
		{"unknown unit", countArgs{}, job.Opts{Title: "x", Unit: "bytes"}, "unit"},
		{"negative user", countArgs{}, job.Opts{Title: "x", UserID: -1}, "user_id"},
	}
	for _, tt := range tests {
		_, err := run.Enqueue(ctx, tt.args, tt.opts)
		p := problem.As(err)
		if p == nil || p.Kind != problem.Invalid || len(p.Details) != 1 || p.Details[0].Field != tt.field {
			t.Errorf("%s: got %v, want a problem with field %s", tt.name, err, tt.field)
		}
	}
	if _, err := run.Enqueue(ctx, unknownArgs{}, job.Opts{Title: "x"}); err == nil {
		t.Error("a job of an unregistered kind was queued")
	}
	var n int
	d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM job_progress`).Scan(&n)
	if n != 0 {
		t.Errorf("%d progress rows after refused jobs", n)
	}
}

type unknownArgs struct{}

func (unknownArgs) Kind() string { return "test_unknown" }

func TestRegisterAfterStartIsRefused(t *testing.T) {
	d := dbtest.SQLite(t)
	run, _ := newRunner(t, d)
	if err := job.Register(run, &countWorker{}); err == nil {
		t.Error("registering after Start succeeded")
	}
}

func TestRiverMigrationsAreIdempotent(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		logger := slog.New(slog.NewTextHandler(io.Discard, nil))
		for range 2 {
			if err := job.Migrate(ctx, d, logger); err != nil {
				t.Fatal(err)
			}
		}
		for range 2 {
			run, err := job.New(ctx, d, logger)
			if err != nil {
				t.Fatal(err)
			}
			if err := run.Stop(ctx); err != nil {
				t.Fatal(err)
			}
		}
		var n int
		if err := d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM river_migration`).Scan(&n); err != nil || n == 0 {
			t.Fatalf("river_migration: %d rows, %v", n, err)
		}
	})
}
