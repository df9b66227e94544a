package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/clusterobservatory/observatory/internal/db"
)

// importResult is one engine's import rates, in cells per second.
type importResult struct {
	Engine, Database string
	RawRate          float64
	RawS             float64
	RawHow           string
	// RawKeyedS is the same bulk load into a table keyed as the product's
	// is (area, industry, year), the engine's rate when the rows must be
	// found again.
	RawKeyedS   float64
	ProductRate float64
	ProductS    float64
	// ProductNote says why the product import was not measured, or what it
	// printed.
	ProductNote string
}

// rawTable has the import format's columns and no keys or checks: the
// engine's bulk-load rate with nothing of the product's work.
const rawTable = `CREATE TABLE bench_raw_cells (year INTEGER, area TEXT, industry TEXT, employment BIGINT,
	establishments BIGINT, wages DOUBLE PRECISION, suppressed BOOLEAN)`

// rawKeyedTable is rawTable with the product's key; %s is the engine's
// clause for a table stored in key order (SQLite's WITHOUT ROWID).
const rawKeyedTable = `CREATE TABLE bench_raw_cells (year INTEGER NOT NULL, area TEXT NOT NULL, industry TEXT NOT NULL, employment BIGINT,
	establishments BIGINT, wages DOUBLE PRECISION, suppressed BOOLEAN, PRIMARY KEY (area, industry, year)) %s`

// csvRows streams the data rows of the cells CSV as database values.
func csvRows(path string, f func(vals []any) error) error {
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	defer file.Close()
	r := csv.NewReader(bufio.NewReaderSize(file, 1<<20))
	r.ReuseRecord = true
	if _, err := r.Read(); err != nil {
		return err
	}
	vals := make([]any, 7)
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		year, _ := strconv.Atoi(rec[0])
		vals[0], vals[1], vals[2] = year, rec[1], rec[2]
		vals[3], vals[4], vals[5] = nil, nil, nil
		if rec[6] != "true" {
			emp, _ := strconv.ParseInt(rec[3], 10, 64)
			est, _ := strconv.ParseInt(rec[4], 10, 64)
			wages, _ := strconv.ParseFloat(rec[5], 64)
			vals[3], vals[4], vals[5] = emp, est, wages
		}
		vals[6] = rec[6] == "true"
		if err := f(vals); err != nil {
			return err
		}
	}
}

// rawSQLite inserts the CSV with one prepared INSERT in one transaction,
// through the product's own connection settings (WAL, synchronous=NORMAL).
func rawSQLite(ctx context.Context, path, dbPath, ddl string) (float64, error) {
	os.Remove(dbPath)
	os.Remove(dbPath + "-wal")
	os.Remove(dbPath + "-shm")
	d, err := db.Open(ctx, "sqlite:"+dbPath)
	if err != nil {
		return 0, err
	}
	defer d.Close()
	start := time.Now()
	err = d.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, ddl); err != nil {
			return err
		}
		st, err := tx.PrepareContext(ctx, `INSERT INTO bench_raw_cells VALUES (?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer st.Close()
		return csvRows(path, func(v []any) error {
			_, err := st.ExecContext(ctx, v...)
			return err
		})
	})
	return time.Since(start).Seconds(), err
}

// rawPostgres copies the CSV into a new table made by ddl with COPY (pgx
// CopyFrom).
func rawPostgres(ctx context.Context, path, url, ddl string) (float64, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return 0, err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP TABLE IF EXISTS bench_raw_cells"); err != nil {
		return 0, err
	}
	if _, err := conn.Exec(ctx, ddl); err != nil {
		return 0, err
	}
	rows := make(chan []any, 1024)
	errc := make(chan error, 1)
	go func() {
		defer close(rows)
		errc <- csvRows(path, func(v []any) error {
			select {
			case rows <- append([]any(nil), v...):
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	start := time.Now()
	_, err = conn.CopyFrom(ctx, pgx.Identifier{"bench_raw_cells"},
		[]string{"year", "area", "industry", "employment", "establishments", "wages", "suppressed"}, &chanSource{rows: rows})
	took := time.Since(start).Seconds()
	for range rows {
		// Drain, so the reader ends if COPY failed early.
	}
	if rerr := <-errc; err == nil {
		err = rerr
	}
	return took, err
}

// chanSource feeds CopyFrom from a channel of rows.
type chanSource struct {
	rows chan []any
	cur  []any
}

func (s *chanSource) Next() bool {
	r, ok := <-s.rows
	s.cur = r
	return ok
}
func (s *chanSource) Values() ([]any, error) { return s.cur, nil }
func (s *chanSource) Err() error             { return nil }

// productImport runs `observatory import employment` on a migrated database
// and times it. When the command does not know the kind yet, the result
// says so instead of a figure.
func productImport(ctx context.Context, bin, dbURL, path, name string) (secs float64, note string, err error) {
	env := append(cleanEnv(), "OBSERVATORY_DB="+dbURL)
	mig := exec.CommandContext(ctx, bin, "migrate")
	mig.Env = env
	if b, err := mig.CombinedOutput(); err != nil {
		return 0, "", fmt.Errorf("observatory migrate: %w\n%s", err, b)
	}
	cmd := exec.CommandContext(ctx, bin, "import", "employment", "--db", dbURL, "--file", path, "--dataset", name, "--classification", "isic4")
	cmd.Env = env
	start := time.Now()
	out, err := cmd.CombinedOutput()
	secs = time.Since(start).Seconds()
	text := strings.TrimSpace(string(out))
	if err != nil {
		if strings.Contains(text, "unknown kind") || strings.Contains(text, "unknown command") {
			return 0, "not measured: this build of `observatory import` does not know the employment kind yet", nil
		}
		if len(text) > 600 {
			text = text[:600] + "…"
		}
		return 0, "", fmt.Errorf("observatory import employment: %w\n%s", err, text)
	}
	return secs, lastLine(text), nil
}

// cleanEnv is the caller's environment without OBSERVATORY_* settings that
// could change what is measured.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "OBSERVATORY_") {
			env = append(env, kv)
		}
	}
	return env
}

func lastLine(s string) string {
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}
