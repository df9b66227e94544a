package job

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/clusterobservatory/observatory/internal/db"
)

// engine hides the River client's transaction type, which differs by
// driver: *sql.Tx on SQLite, pgx.Tx on PostgreSQL.
type engine struct {
	start         func(context.Context) error
	stop          func(context.Context) error
	stopAndCancel func(context.Context) error
	// insertTx inserts a job in one of the platform's own transactions.
	insertTx func(context.Context, *sql.Tx, river.JobArgs, *river.InsertOpts) (*rivertype.JobInsertResult, error)
	close    func()
}

// newSQLiteEngine runs River on the database's single write connection.
// SQLite admits one writer at a time; sharing the connection makes River's
// writes queue behind the platform's (and the reverse) instead of failing
// with "database is locked", which is what River's SQLite driver
// recommends (one open connection). It also means a job can be queued in a
// transaction of the platform's, since both use the same *sql.DB.
func newSQLiteEngine(ctx context.Context, d *db.DB, config func(insertOnly bool) *river.Config, logger *slog.Logger) (*engine, error) {
	driver := riversqlite.New(d.WriteSQL())
	if err := migrateRiver(ctx, driver, logger); err != nil {
		return nil, err
	}
	client, err := river.NewClient(driver, config(false))
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	return &engine{
		start: client.Start, stop: client.Stop, stopAndCancel: client.StopAndCancel,
		insertTx: client.InsertTx,
		close:    func() {},
	}, nil
}

// newPostgresEngine queues jobs through database/sql, so that a job joins a
// transaction the platform opened with DB.Tx, and works them through a pgx
// pool of its own (River's PostgreSQL driver needs pgx's native interface
// for LISTEN/NOTIFY). The pool is opened by start, so a runner that only
// queues jobs (a command, a test) holds no extra connections.
func newPostgresEngine(ctx context.Context, d *db.DB, config func(insertOnly bool) *river.Config, logger *slog.Logger) (*engine, error) {
	sqlDriver := riverdatabasesql.New(d.WriteSQL())
	if err := migrateRiver(ctx, sqlDriver, logger); err != nil {
		return nil, err
	}
	inserter, err := river.NewClient(sqlDriver, config(true))
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	e := &engine{
		insertTx:      inserter.InsertTx,
		stop:          func(context.Context) error { return nil },
		stopAndCancel: func(context.Context) error { return nil },
		close:         func() {},
	}
	e.start = func(ctx context.Context) error {
		pc, err := pgxpool.ParseConfig(d.URL)
		if err != nil {
			return fmt.Errorf("database URL: %w", err)
		}
		cfg := config(false)
		// River holds a connection for notifications and others for its
		// producer, completer and maintenance services; jobs themselves use
		// the platform's pool.
		pc.MaxConns = max(pc.MaxConns, int32(cfg.Queues[river.QueueDefault].MaxWorkers+4))
		pool, err := pgxpool.NewWithConfig(ctx, pc)
		if err != nil {
			return fmt.Errorf("connect: %w", err)
		}
		client, err := river.NewClient(riverpgxv5.New(pool), cfg)
		if err == nil {
			err = client.Start(ctx)
		}
		if err != nil {
			pool.Close()
			return err
		}
		e.stop, e.stopAndCancel, e.close = client.Stop, client.StopAndCancel, pool.Close
		return nil
	}
	return e, nil
}

// migrateRiver brings River's tables up to date. It is idempotent and runs
// at every start; River's migrations are separate from the platform's
// numbered ones and versioned in River's own river_migration table.
func migrateRiver[TTx any](ctx context.Context, driver riverdriver.Driver[TTx], logger *slog.Logger) error {
	m, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: logger})
	if err != nil {
		return fmt.Errorf("jobs: migrator: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("jobs: migrate River's tables: %w", err)
	}
	return nil
}

// Migrate brings River's tables up to date without starting anything, for
// the migrate command. New does the same at every start.
func Migrate(ctx context.Context, d *db.DB, logger *slog.Logger) error {
	switch d.Dialect {
	case db.SQLite:
		return migrateRiver(ctx, riversqlite.New(d.WriteSQL()), logger)
	case db.Postgres:
		// River's database/sql driver migrates through the platform's own
		// pool, so this needs no pgx pool of its own.
		return migrateRiver(ctx, riverdatabasesql.New(d.WriteSQL()), logger)
	}
	return fmt.Errorf("jobs: unsupported database %q", d.Dialect)
}
