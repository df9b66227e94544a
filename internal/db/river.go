package db

import "database/sql"

// WriteSQL returns the pool that Tx writes through. On SQLite it is the one
// connection that takes the write lock with BEGIN IMMEDIATE, so a job queue
// that shares it queues behind the platform's own writes instead of failing
// with "database is locked"; on PostgreSQL it is the common pool.
func (d *DB) WriteSQL() *sql.DB { return d.write }
