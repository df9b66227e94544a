package db

import (
	"context"
	"fmt"
)

// BackupSQLite writes a consistent copy of a SQLite database to path with
// VACUUM INTO, which reads one snapshot while other connections go on.
func (d *DB) BackupSQLite(ctx context.Context, path string) error {
	if d.Dialect != SQLite {
		return fmt.Errorf("backup: %s databases are backed up with their own tools", d.Dialect)
	}
	if _, err := d.read.ExecContext(ctx, `VACUUM INTO $1`, path); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}
