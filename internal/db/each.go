package db

import (
	"context"
	"database/sql"
)

// Each runs query and calls fn for every row, closing the rows however it
// ends; the first error, from the query, fn or the rows, is returned.
func Each(ctx context.Context, q Querier, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
