package db

import (
	"context"
	"fmt"
)

// Analyze refreshes the query planner's statistics. Call it after a bulk
// load: until PostgreSQL's autovacuum gets round to it, a freshly filled
// table looks empty to the planner, which then picks nested loops that read
// every row (a 1 ms query becomes a 160 ms one). SQLite has no statistics
// at all until ANALYZE runs once.
func (d *DB) Analyze(ctx context.Context) error {
	if _, err := d.write.ExecContext(ctx, "ANALYZE"); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	return nil
}
