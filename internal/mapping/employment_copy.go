package mapping

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// On PostgreSQL the cells go in with COPY, many times faster than INSERTs,
// into a partition of employment_cells of their own (migration 0100): a
// new table without an index. It needs none (migration 0320): the reading
// has refused any duplicate area, industry and year before the commit, the
// partition is never written again, and its readers scan it whole or by
// block ranges. Only then do the dataset's old cells go (their partition
// dropped, or their rows deleted from the shared partition) and the new
// partition attach, so the locks that keep readers out last moments, not
// the load.
//
// database/sql knows nothing of COPY, so the import takes one connection of
// the pool, begins the transaction on it through database/sql (the dataset
// row, the areas and the audit entry use it as any store does), and reaches
// the pgx connection underneath with Conn.Raw for the COPY: a transaction
// belongs to the connection, so the COPY is part of it and a rollback takes
// it back with the rest.
//
// The file is read in a goroutine that hands the COPY chunks of cells, so
// that parsing and loading overlap; the COPY pulls rows from the chunks as
// pgx asks for them.

// copyChunk is how many cells the reader hands over at a time.
const copyChunk = 16 << 10

// copyColumns are the columns COPY fills, in order.
var copyColumns = []string{"dataset_id", "area_code", "industry", "year", "employment", "establishments", "wages_cents", "suppressed"}

func wageCents(w float64) int64 { return int64(math.Round(w * wageScale)) }

// writePostgres imports in one pass: the dataset row is taken first (so the
// cells can carry its ID), the file is checked as COPY loads its cells, and
// only then are its summary and areas stored. A bad row
// fails the reading, and the rollback drops the half-loaded table with the
// rest. loaded is told the number of cells once they are all in.
func (s *Store) writePostgres(ctx context.Context, w *datasetWrite, loaded func(cells int64)) (id int64, err error) {
	conn, err := s.db.WriteSQL().Conn(ctx)
	if err != nil {
		return 0, fmt.Errorf("connection: %w", err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("begin transaction: %w", err)
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
	w.partitioned = true
	id, old, err := w.reserve(ctx, tx)
	if err != nil {
		return 0, err
	}
	version := 1
	if old != nil {
		version = old.Version + 1
	}
	part := cellPartition(id, version)
	// The CHECK lets ATTACH trust the rows without scanning them again.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`CREATE TABLE %s (LIKE employment_cells INCLUDING DEFAULTS, CHECK (dataset_id = %d))`, part, id)); err != nil {
		return 0, fmt.Errorf("create the cells' partition: %w", err)
	}
	if err := s.copyCells(ctx, conn, w, id, part); err != nil {
		return 0, err
	}
	loaded(w.sum.Cells)
	if w.areas, err = s.resolveAreas(ctx, w.sum.Areas, w.in.Country); err != nil {
		return 0, err
	}
	if err := w.record(ctx, tx, id); err != nil {
		return 0, err
	}
	if err := swapCells(ctx, tx, id, part); err != nil {
		return 0, err
	}
	if err := w.finish(ctx, tx, id, old); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("commit: %w", err)
	}
	return id, nil
}

// cellPartition names the partition that holds a version of a dataset's
// cells.
func cellPartition(id int64, version int) string {
	return fmt.Sprintf("employment_cells_d%d_v%d", id, version)
}

// swapCells removes the dataset's earlier cells, wherever they are, and
// attaches part in their place.
func swapCells(ctx context.Context, tx *sql.Tx, id int64, part string) error {
	rows, err := tx.QueryContext(ctx, `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
		WHERE i.inhparent = 'employment_cells'::regclass`)
	if err != nil {
		return fmt.Errorf("find the earlier cells: %w", err)
	}
	var old []string
	prefix := fmt.Sprintf("employment_cells_d%d_v", id)
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return err
		}
		if strings.HasPrefix(name, prefix) {
			old = append(old, name)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, name := range old {
		if _, err := tx.ExecContext(ctx, `DROP TABLE `+name); err != nil {
			return fmt.Errorf("drop the earlier cells: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM employment_cells_shared WHERE dataset_id = $1`, id); err != nil {
		return fmt.Errorf("delete the earlier cells: %w", err)
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`ALTER TABLE employment_cells ATTACH PARTITION %s FOR VALUES IN (%d)`, part, id)); err != nil {
		return fmt.Errorf("attach the cells: %w", err)
	}
	return nil
}

// copyCells reads the file, checking every row, and copies its cells into
// table; w.sum is the file's summary once it returns without error.
func (s *Store) copyCells(ctx context.Context, conn *sql.Conn, w *datasetWrite, id int64, table string) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	src := &chunkSource{id: id, chunks: make(chan []Cell, 2), free: make(chan []Cell, 3)}
	for range 3 {
		src.free <- make([]Cell, 0, copyChunk)
	}
	readErr := make(chan error, 1)
	go func() {
		defer close(src.chunks)
		readErr <- w.load(&chunkSink{ctx: ctx, src: src, cur: <-src.free})
	}()
	var copied int64
	err := conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("copy cells: the connection is a %T, not pgx", dc)
		}
		var err error
		copied, err = c.Conn().CopyFrom(ctx, pgx.Identifier{table}, copyColumns, src)
		return err
	})
	if err != nil {
		// Stop the reader and wait for it, so nothing outlives the call.
		cancel()
		for range src.chunks {
		}
		if rerr := <-readErr; rerr != nil && !errors.Is(rerr, context.Canceled) {
			return rerr
		}
		return fmt.Errorf("copy cells: %w", err)
	}
	if err := <-readErr; err != nil {
		return err
	}
	if copied != w.sum.Cells {
		return fmt.Errorf("copy cells: copied %d of %d", copied, w.sum.Cells)
	}
	return nil
}

// load reads the file into sink, checking every row; a file with any
// problem is refused whole (sink has then received only the cells before
// the first problem, which the caller throws away).
func (w *datasetWrite) load(sink cellSink) error {
	sum, err := readWith(w.open, w.opt, func(_ int, c *Cell) error { return sink.add(c) })
	if err != nil {
		return err
	}
	if err := sink.flush(); err != nil {
		return err
	}
	w.sum = sum
	return nil
}

// chunkSink collects cells into chunks for the COPY.
type chunkSink struct {
	ctx context.Context
	src *chunkSource
	cur []Cell
}

func (k *chunkSink) add(c *Cell) error {
	k.cur = append(k.cur, *c)
	if len(k.cur) < copyChunk {
		return nil
	}
	return k.flush()
}

func (k *chunkSink) flush() error {
	if len(k.cur) == 0 {
		return nil
	}
	select {
	case k.src.chunks <- k.cur:
	case <-k.ctx.Done():
		return k.ctx.Err()
	}
	select {
	case k.cur = <-k.src.free:
	case <-k.ctx.Done():
		return k.ctx.Err()
	}
	return nil
}

// chunkSource is pgx's view of the chunks: one row at a time.
type chunkSource struct {
	id     int64
	chunks chan []Cell
	free   chan []Cell
	cur    []Cell
	i      int
	row    [8]any
}

func (s *chunkSource) Next() bool {
	s.i++
	for s.i >= len(s.cur) {
		if s.cur != nil {
			s.free <- s.cur[:0]
		}
		var ok bool
		if s.cur, ok = <-s.chunks; !ok {
			s.cur = nil
			return false
		}
		s.i = 0
	}
	return true
}

// Values reuses one slice: pgx encodes a row before asking for the next.
func (s *chunkSource) Values() ([]any, error) {
	c := &s.cur[s.i]
	area, ind, year, emp, est, wages, sup := cellValues(c)
	s.row = [8]any{s.id, area, ind, int32(year), emp, est, wages, sup}
	return s.row[:], nil
}

func (s *chunkSource) Err() error { return nil }
