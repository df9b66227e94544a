package mapping

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// On PostgreSQL the cells go in with COPY, many times faster than INSERTs.
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

// writePostgres runs the second pass in a transaction on one connection.
func (s *Store) writePostgres(ctx context.Context, w *datasetWrite) (id int64, err error) {
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
	id, old, err := w.prepare(ctx, tx)
	if err != nil {
		return 0, err
	}
	if err := s.copyCells(ctx, conn, w, id); err != nil {
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

// copyCells reads the file again and copies its cells.
func (s *Store) copyCells(ctx context.Context, conn *sql.Conn, w *datasetWrite, id int64) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	src := &chunkSource{id: id, chunks: make(chan []Cell, 2), free: make(chan []Cell, 3)}
	for range 3 {
		src.free <- make([]Cell, 0, copyChunk)
	}
	readErr := make(chan error, 1)
	go func() {
		defer close(src.chunks)
		readErr <- w.fill(&chunkSink{ctx: ctx, src: src, cur: <-src.free})
	}()
	var copied int64
	err := conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("copy cells: the connection is a %T, not pgx", dc)
		}
		var err error
		copied, err = c.Conn().CopyFrom(ctx, pgx.Identifier{"employment_cells"}, copyColumns, src)
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
