package job

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/clusterobservatory/observatory/internal/db"
)

// Config tunes the runner; the zero value suits a server.
type Config struct {
	// Workers is how many jobs run at once (default 4).
	Workers int
	// PollInterval is how often the queue is checked when no notification
	// arrives (default 1s). Tests shorten it.
	PollInterval time.Duration
	// JobTimeout cancels an attempt that runs longer (default 30 minutes).
	// A worker may set its own with river.Worker's Timeout method.
	JobTimeout time.Duration
	// MaxAttempts is how often a failing job is tried before it is given up
	// (default 3). River waits attempt⁴ seconds, plus jitter, between tries.
	MaxAttempts int
	// ReportEvery is the shortest time between two progress writes of one
	// job (default 500ms).
	ReportEvery time.Duration
	// Test skips River's start-up jitter, for test suites only.
	Test bool
}

func (c *Config) defaults() {
	if c.Workers <= 0 {
		c.Workers = 4
	}
	if c.PollInterval <= 0 {
		c.PollInterval = time.Second
	}
	if c.JobTimeout <= 0 {
		c.JobTimeout = 30 * time.Minute
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 3
	}
	if c.ReportEvery <= 0 {
		c.ReportEvery = 500 * time.Millisecond
	}
}

// Runner queues background jobs in the platform's database and works them.
// Register workers, then Start; Stop before closing the database.
type Runner struct {
	db      *db.DB
	logger  *slog.Logger
	cfg     Config
	workers *river.Workers
	engine  *engine

	mu       sync.Mutex
	started  bool
	stopped  bool
	stopOnce sync.Once
	stopErr  error
}

// New prepares a runner on an open, migrated database with the default
// configuration. It brings River's own tables up to date.
func New(ctx context.Context, d *db.DB, logger *slog.Logger) (*Runner, error) {
	return NewWithConfig(ctx, d, logger, Config{})
}

// NewWithConfig is New with explicit settings.
func NewWithConfig(ctx context.Context, d *db.DB, logger *slog.Logger, cfg Config) (*Runner, error) {
	cfg.defaults()
	r := &Runner{db: d, logger: logger.With("component", "jobs"), cfg: cfg, workers: river.NewWorkers()}
	if err := river.AddWorkerSafely(r.workers, &pruneWorker{r: r}); err != nil {
		return nil, err
	}
	var err error
	switch d.Dialect {
	case db.SQLite:
		r.engine, err = newSQLiteEngine(ctx, d, r.riverConfig, r.logger)
	case db.Postgres:
		r.engine, err = newPostgresEngine(ctx, d, r.riverConfig, r.logger)
	default:
		err = fmt.Errorf("jobs: unsupported database %q", d.Dialect)
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// riverConfig is the configuration of the client that works jobs; with
// insertOnly it is the one of a client that only inserts, which must agree
// on everything applied at insert time (MaxAttempts) and know the workers
// so that a job of an unknown kind is refused when queued.
func (r *Runner) riverConfig(insertOnly bool) *river.Config {
	c := &river.Config{
		Logger:      r.logger,
		Workers:     r.workers,
		MaxAttempts: r.cfg.MaxAttempts,
	}
	if insertOnly {
		return c
	}
	c.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: r.cfg.Workers}}
	c.FetchPollInterval = r.cfg.PollInterval
	c.FetchCooldown = min(r.cfg.PollInterval, river.FetchCooldownDefault)
	c.JobTimeout = r.cfg.JobTimeout
	c.Middleware = []rivertype.Middleware{&progressMiddleware{r: r}}
	c.PeriodicJobs = []*river.PeriodicJob{prunePeriodic()}
	c.TestOnly = r.cfg.Test
	return c
}

// Workers is River's worker bundle, for registering with river.AddWorker.
// Register does the same with a check that the runner has not started.
func (r *Runner) Workers() *river.Workers { return r.workers }

// Register adds the worker of one kind of job. Workers must be registered
// before Start; a kind registered twice is an error.
func Register[T river.JobArgs](r *Runner, w river.Worker[T]) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.started {
		var args T
		return fmt.Errorf("jobs: register %s: the runner has already started", args.Kind())
	}
	return river.AddWorkerSafely(r.workers, w)
}

// Start begins working jobs. Cancelling ctx does not stop the runner: call
// Stop, so that shutting down stays in the caller's order (HTTP first, then
// jobs, then the database).
func (r *Runner) Start(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.started || r.stopped {
		return errors.New("jobs: a runner starts once")
	}
	if err := r.engine.start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	r.started = true
	return nil
}

// Stop stops taking new jobs and waits for running ones to finish. When ctx
// ends first, running jobs are cancelled (River retries them at the next
// start) and Stop returns ctx's error. It then releases the runner's
// connections; calling it again returns the first result.
func (r *Runner) Stop(ctx context.Context) error {
	r.stopOnce.Do(func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.stopped = true
		err := r.engine.stop(ctx)
		if err != nil && ctx.Err() != nil {
			r.logger.Warn("jobs did not finish in time; cancelling them", "err", err)
			cctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			if cerr := r.engine.stopAndCancel(cctx); cerr != nil {
				err = errors.Join(err, cerr)
			}
			cancel()
		}
		r.engine.close()
		r.stopErr = err
	})
	return r.stopErr
}
