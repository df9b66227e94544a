package db

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// SQLite compiles every statement anew each time database/sql runs it, and
// on the paths that take every submission compiling the SQL costs more
// than running it. Cached returns a Querier that reuses prepared
// statements, inside tx when tx is not nil, or on the read pool. On the
// read pool a query is prepared the first time it runs. Inside a
// transaction it cannot be: the write pool's one connection is the
// transaction's, so preparing would wait for it forever. Statements for
// transactions are prepared beforehand with Prepare, and a query that was
// not runs unprepared. Only fixed query texts belong here: the cache keeps
// every text it sees for the life of the DB. On PostgreSQL the driver
// already caches prepared statements per connection, so Cached hands back
// the pool or the transaction unchanged.
func (d *DB) Cached(tx *sql.Tx) Querier {
	if d.Dialect != SQLite {
		if tx != nil {
			return tx
		}
		return d.read
	}
	if tx != nil {
		return cachedQuerier{pool: d.write, stmts: &d.writeStmts, tx: tx}
	}
	return cachedQuerier{pool: d.read, stmts: &d.readStmts}
}

// cachedQuerier runs queries through statements prepared on pool.
type cachedQuerier struct {
	pool  *sql.DB
	stmts *sync.Map // query text → *sql.Stmt
	tx    *sql.Tx
}

// stmt is the prepared statement of query, bound to the transaction if
// there is one (database/sql then reuses the statement already prepared
// on the transaction's connection).
func (c cachedQuerier) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	v, ok := c.stmts.Load(query)
	if !ok && c.tx != nil {
		return nil, errNotPrepared
	}
	if !ok {
		s, err := c.pool.PrepareContext(ctx, query)
		if err != nil {
			return nil, err
		}
		if v, ok = c.stmts.LoadOrStore(query, s); ok {
			_ = s.Close()
		} else {
			v = s
		}
	}
	s := v.(*sql.Stmt)
	if c.tx != nil {
		return c.tx.StmtContext(ctx, s), nil
	}
	return s, nil
}

var errNotPrepared = errors.New("statement not prepared for transactions")

// Prepare readies queries for Cached(tx) on SQLite, preparing those not
// prepared yet on the write pool. It must not be called inside a
// transaction (it needs the write connection); after the first call for a
// query it costs a map look-up. A query that fails to prepare is left to
// report its error when it runs.
func (d *DB) Prepare(ctx context.Context, queries ...string) {
	if d.Dialect != SQLite {
		return
	}
	for _, q := range queries {
		if _, ok := d.writeStmts.Load(q); ok {
			continue
		}
		s, err := d.write.PrepareContext(ctx, q)
		if err != nil {
			continue
		}
		if _, loaded := d.writeStmts.LoadOrStore(q, s); loaded {
			_ = s.Close()
		}
	}
}

// plain is where a query runs when it cannot be prepared, so that its
// error surfaces as it would have without the cache.
func (c cachedQuerier) plain() Querier {
	if c.tx != nil {
		return c.tx
	}
	return c.pool
}

func (c cachedQuerier) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	s, err := c.stmt(ctx, query)
	if err != nil {
		return c.plain().ExecContext(ctx, query, args...)
	}
	return s.ExecContext(ctx, args...)
}

func (c cachedQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	s, err := c.stmt(ctx, query)
	if err != nil {
		return c.plain().QueryContext(ctx, query, args...)
	}
	return s.QueryContext(ctx, args...)
}

func (c cachedQuerier) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	s, err := c.stmt(ctx, query)
	if err != nil {
		return c.plain().QueryRowContext(ctx, query, args...)
	}
	return s.QueryRowContext(ctx, args...)
}

// closeStmts releases the cached statements.
func (d *DB) closeStmts() {
	for _, m := range []*sync.Map{&d.readStmts, &d.writeStmts} {
		m.Range(func(k, v any) bool {
			_ = v.(*sql.Stmt).Close()
			m.Delete(k)
			return true
		})
	}
}
