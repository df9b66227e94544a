package mapping

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"

	"github.com/clusterobservatory/observatory/internal/db"
)

// loadChunk is how many cells a reader hands over at a time, and
// loadParallelFrom the size from which a dataset is read in parallel.
const (
	loadChunk        = 8192
	loadParallelFrom = 100_000
	loadReaders      = 4
)

// cellRange is the part of a dataset's cells one reader reads: either the
// block range [firstBlock, endBlock) of the PostgreSQL partition table
// that holds the dataset alone (endBlock 0: to the end), or the area codes
// from lo (none: the first) to before hi (none: the last).
type cellRange struct {
	table                string
	firstBlock, endBlock int64
	lo, hi               string
}

// query is the SELECT that reads the range's cells.
func (r cellRange) query(id int64) (string, []any) {
	const cols = `SELECT area_code, industry, year, employment, establishments, wages_cents, suppressed`
	if r.table != "" {
		// A TID range scan reads just these blocks; an imported partition
		// has no index to read by, and needs none.
		q := fmt.Sprintf(`%s FROM %s WHERE ctid >= '(%d,0)'::tid`, cols, r.table, r.firstBlock)
		if r.endBlock > 0 {
			q += fmt.Sprintf(` AND ctid < '(%d,0)'::tid`, r.endBlock)
		}
		return q, nil
	}
	q := cols + ` FROM employment_cells WHERE dataset_id = $1`
	args := []any{id}
	if r.lo != "" {
		args = append(args, r.lo)
		q += fmt.Sprintf(` AND area_code >= $%d`, len(args))
	}
	if r.hi != "" {
		args = append(args, r.hi)
		q += fmt.Sprintf(` AND area_code < $%d`, len(args))
	}
	// In key order, which both engines keep these rows in: no sort.
	return q + ` ORDER BY area_code, industry, year`, args
}

// cellRanges splits a dataset's cells into one range per reader. An
// imported dataset on PostgreSQL has a partition of its own, split into
// equal block ranges; otherwise the dataset's area codes are split into
// ranges of about as many areas each, read through the key. The bounds
// come from the database's own ordering, so the ranges cover every cell
// whatever its collation.
func (s *Store) cellRanges(ctx context.Context, id, cells int64) ([]cellRange, error) {
	n := min(runtime.GOMAXPROCS(0), loadReaders)
	if s.db.Dialect == db.Postgres {
		table, blocks, err := s.cellPartitionOf(ctx, id)
		if err != nil {
			return nil, err
		}
		if table != "" {
			if cells < loadParallelFrom || n < 2 {
				return []cellRange{{table: table}}, nil
			}
			out := make([]cellRange, 0, n)
			for i := range int64(n) {
				r := cellRange{table: table, firstBlock: i * blocks / int64(n), endBlock: (i + 1) * blocks / int64(n)}
				if i == int64(n)-1 {
					r.endBlock = 0 // to the end, whatever was added since
				}
				out = append(out, r)
			}
			return out, nil
		}
	}
	if cells < loadParallelFrom || n < 2 {
		return []cellRange{{}}, nil
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT code FROM dataset_areas WHERE dataset_id = $1 ORDER BY code`, id)
	if err != nil {
		return nil, fmt.Errorf("dataset areas: %w", err)
	}
	defer rows.Close()
	var codes []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		codes = append(codes, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	n = min(n, len(codes))
	out := make([]cellRange, 0, n)
	lo := ""
	for i := 1; i < n; i++ {
		hi := codes[i*len(codes)/n]
		out = append(out, cellRange{lo: lo, hi: hi})
		lo = hi
	}
	return append(out, cellRange{lo: lo}), nil
}

// cellPartitionOf names the PostgreSQL partition that holds an imported
// dataset's cells, with its size in blocks, or "" when the dataset's cells
// are in the shared partition.
func (s *Store) cellPartitionOf(ctx context.Context, id int64) (string, int64, error) {
	var table string
	var blocks int64
	err := s.db.Read().QueryRowContext(ctx, `SELECT c.relname, pg_relation_size(c.oid) / current_setting('block_size')::bigint
		FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
		WHERE i.inhparent = 'employment_cells'::regclass AND c.relname LIKE $1`,
		fmt.Sprintf("employment\\_cells\\_d%d\\_v%%", id)).Scan(&table, &blocks)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, nil
	}
	if err != nil {
		return "", 0, fmt.Errorf("dataset partition: %w", err)
	}
	return table, blocks, nil
}
