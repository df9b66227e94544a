package db

import "context"

// SplitStatements exposes splitStatements to tests.
var SplitStatements = splitStatements

// ApplyForTest runs one migration the way Migrate does, for testing failures.
func (d *DB) ApplyForTest(ctx context.Context, version int, name, body string) error {
	return d.apply(ctx, migration{Version: version, Name: name, SQL: body})
}
