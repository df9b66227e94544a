// Package db opens the platform's database, SQLite or PostgreSQL, by URL and
// hides the few places where the two engines differ.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Dialect names a database engine.
type Dialect string

// The supported engines.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open database. Reads go to a pool of connections; writes go
// through Tx, which on SQLite uses a single connection so that writers queue
// instead of failing with "database is locked".
type DB struct {
	Dialect Dialect
	URL     string
	read    *sql.DB
	write   *sql.DB
	counts  countCache
	memo    sync.Map
	// turn is the queue of SQLite writers: database/sql hands its one
	// write connection to a waiter chosen at random, which leaves some
	// writers waiting many turns; a channel's senders are served in order.
	turn                  chan struct{}
	readStmts, writeStmts sync.Map
	instance              uint64
}

// opened numbers the databases this process opens.
var opened atomic.Uint64

// Instance is a number no other database opened by this process has, for
// caches of what a database holds: a key made of the DB's address could
// meet another database's rows once this one is closed and its memory
// reused (tests open many).
func (d *DB) Instance() uint64 { return d.instance }

// Open connects to the database named by url: "sqlite:PATH" or
// "postgres://...". It does not run migrations.
func Open(ctx context.Context, url string) (*DB, error) {
	var (
		d   *DB
		err error
	)
	switch {
	case strings.HasPrefix(url, "sqlite:"):
		d, err = openSQLite(strings.TrimPrefix(url, "sqlite:"))
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		d, err = openPostgres(url)
	default:
		return nil, fmt.Errorf("database URL %q: want sqlite:PATH or postgres://…", url)
	}
	if err != nil {
		return nil, err
	}
	d.URL = url
	d.instance = opened.Add(1)
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := d.read.PingContext(pingCtx); err != nil {
		d.Close()
		return nil, fmt.Errorf("connect to %s: %w", redact(url), err)
	}
	return d, nil
}

// Close releases every connection.
func (d *DB) Close() error {
	d.closeStmts()
	err := d.read.Close()
	if d.write != d.read {
		err = errors.Join(err, d.write.Close())
	}
	return err
}

// Ping reports whether the database answers.
func (d *DB) Ping(ctx context.Context) error { return d.read.PingContext(ctx) }

// Querier is what both *sql.DB and *sql.Tx offer; store helpers take it so
// that the same query runs inside or outside a transaction.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Read returns the pool for queries that change nothing.
func (d *DB) Read() Querier { return d.read }

// SQL returns the underlying read pool, for tools that need *sql.DB.
func (d *DB) SQL() *sql.DB { return d.read }

// Tx runs fn in a transaction and commits it when fn returns nil; any error
// or panic rolls everything back, so a multi-row change is never half-stored.
func (d *DB) Tx(ctx context.Context, fn func(tx *sql.Tx) error) (err error) {
	if d.turn != nil {
		select {
		case d.turn <- struct{}{}:
			defer func() { <-d.turn }()
		case <-ctx.Done():
			return fmt.Errorf("begin transaction: %w", ctx.Err())
		}
	}
	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	d.counts.invalidate()
	return nil
}

// redact hides the password of a database URL for logs and messages.
func redact(url string) string {
	at := strings.LastIndex(url, "@")
	scheme := strings.Index(url, "://")
	if at < 0 || scheme < 0 {
		return url
	}
	creds := url[scheme+3 : at]
	if colon := strings.Index(creds, ":"); colon >= 0 {
		return url[:scheme+3] + creds[:colon] + ":***" + url[at:]
	}
	return url
}

// Redacted is the URL with any password hidden.
func (d *DB) Redacted() string { return redact(d.URL) }
