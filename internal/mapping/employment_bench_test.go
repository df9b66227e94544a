package mapping

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/user"
)

// The employment benchmarks run on a generated dataset of about
// OBSERVATORY_BENCH_CELLS cells (default 200,000; the figures in the
// package's notes are for 5,000,000) on each engine, one iteration each:
//
//	go test ./internal/mapping -run '^$' -bench Employment -benchtime 1x
//
// BenchmarkEmploymentRawLoad is the engine's own bulk rate (cells already
// in memory, no file), against which BenchmarkEmploymentImport (a CSV file
// checked, then stored) is judged.

func benchCells() int {
	if n, err := strconv.Atoi(os.Getenv("OBSERVATORY_BENCH_CELLS")); err == nil && n > 0 {
		return n
	}
	return 200_000
}

// benchEngines runs fn on a fresh database of each engine.
func benchEngines(b *testing.B, fn func(b *testing.B, d *db.DB)) {
	b.Run("sqlite", func(b *testing.B) { fn(b, dbtest.SQLite(b)) })
	b.Run("postgres", func(b *testing.B) {
		if dbtest.PostgresBase() == "" {
			b.Skip("OBSERVATORY_TEST_POSTGRES is not set")
		}
		fn(b, dbtest.Postgres(b))
	})
}

// benchGenerator is the synthetic dataset sized to about n cells, with
// real ISIC classes so that the import accepts them.
func benchGenerator(b *testing.B, d *db.DB, n int) (synthetic, []string) {
	codes, err := classificationCodes(context.Background(), d.Read(), classISIC)
	if err != nil {
		b.Fatal(err)
	}
	classes := make([]string, 0, len(codes))
	for c := range codes {
		classes = append(classes, c)
	}
	slices.Sort(classes)
	g := synthetic{industries: 400, years: 25, seed: 7}
	g.areas = max(1, n/(g.industries*g.years))
	return g, classes
}

// benchCSV streams the generated dataset as an employment CSV file.
func benchCSV(g synthetic, classes []string) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) {
		pr, pw := io.Pipe()
		go func() {
			w := bufio.NewWriterSize(pw, 1<<20)
			w.WriteString("year,area,industry,employment,establishments,wages,suppressed\n")
			err := g.each(func(c Cell) error {
				ind := classes[(mustAtoi(c.Industry)-100)/23]
				if c.Suppressed {
					_, err := fmt.Fprintf(w, "%d,%s,%s,,,,x\n", c.Year, c.Area, ind)
					return err
				}
				_, err := fmt.Fprintf(w, "%d,%s,%s,%d,%d,%.2f,\n", c.Year, c.Area, ind, c.Employment, c.Establishments, c.Wages)
				return err
			})
			if err == nil {
				err = w.Flush()
			}
			pw.CloseWithError(err)
		}()
		return pr, nil
	}
}

func mustAtoi(s string) int { n, _ := strconv.Atoi(s); return n }

func benchImport(b *testing.B, d *db.DB) (*DatasetInfo, time.Duration) {
	g, classes := benchGenerator(b, d, benchCells())
	s := NewStore(d)
	start := time.Now()
	info, err := s.ImportEmployment(context.Background(), user.System, DatasetInput{Name: "bench", Classification: classISIC, File: "bench.csv"}, benchCSV(g, classes), nil)
	if err != nil {
		b.Fatal(err)
	}
	return info, time.Since(start)
}

func BenchmarkEmploymentImport(b *testing.B) {
	benchEngines(b, func(b *testing.B, d *db.DB) {
		for b.Loop() {
			info, took := benchImport(b, d)
			b.ReportMetric(float64(info.Cells)/took.Seconds(), "cells/s")
			b.ReportMetric(float64(info.Cells), "cells")
		}
	})
}

func BenchmarkEmploymentLoadDataset(b *testing.B) {
	benchEngines(b, func(b *testing.B, d *db.DB) {
		info, _ := benchImport(b, d)
		s := NewStore(d)
		b.ResetTimer()
		for b.Loop() {
			data, err := s.LoadDataset(context.Background(), info.ID)
			if err != nil {
				b.Fatal(err)
			}
			if int64(data.Len()) != info.Cells {
				b.Fatalf("loaded %d of %d cells", data.Len(), info.Cells)
			}
		}
		b.ReportMetric(float64(info.Cells), "cells")
	})
}

// BenchmarkEmploymentRawLoad stores generated cells with the import's own
// statements but without any file: the most the engine does.
func BenchmarkEmploymentRawLoad(b *testing.B) {
	benchEngines(b, func(b *testing.B, d *db.DB) {
		ctx := context.Background()
		g, _ := benchGenerator(b, d, benchCells())
		for b.Loop() {
			var id int64
			if err := d.Tx(ctx, func(tx *sql.Tx) error {
				return tx.QueryRowContext(ctx, `INSERT INTO employment_datasets (name, classification, created_at, updated_at)
					VALUES ($1, 'isic4', $2, $2) RETURNING id`, fmt.Sprint("raw", time.Now().UnixNano()), db.Now()).Scan(&id)
			}); err != nil {
				b.Fatal(err)
			}
			start := time.Now()
			var n int64
			var err error
			if d.Dialect == db.Postgres {
				n, start, err = rawCopy(ctx, d, id, g)
			} else {
				err = d.Tx(ctx, func(tx *sql.Tx) error {
					sink := newSQLiteSink(ctx, tx, id)
					defer sink.close()
					if err := g.each(func(c Cell) error { n++; return sink.add(&c) }); err != nil {
						return err
					}
					return sink.flush()
				})
			}
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(n)/time.Since(start).Seconds(), "cells/s")
		}
	})
}

// rawCopy copies generated cells in one transaction, from a slice in
// memory, and says when the copy started.
func rawCopy(ctx context.Context, d *db.DB, id int64, g synthetic) (int64, time.Time, error) {
	var cells [][]any
	err := g.each(func(c Cell) error {
		area, ind, year, emp, est, wages, sup := cellValues(&c)
		cells = append(cells, []any{id, area, ind, int32(year), emp, est, wages, sup})
		return nil
	})
	if err != nil {
		return 0, time.Time{}, err
	}
	conn, err := d.WriteSQL().Conn(ctx)
	if err != nil {
		return 0, time.Time{}, err
	}
	defer conn.Close()
	var n int64
	start := time.Now()
	err = conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		tx, err := pc.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		if n, err = tx.CopyFrom(ctx, pgx.Identifier{"employment_cells"}, copyColumns, pgx.CopyFromRows(cells)); err != nil {
			return err
		}
		return tx.Commit(ctx)
	})
	return n, start, err
}

// TestLoadDatasetInParallel reads a dataset large enough to be read by
// several queries and checks that every cell arrives once, as stored.
func TestLoadDatasetInParallel(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		codes, err := classificationCodes(context.Background(), d.Read(), classISIC)
		if err != nil {
			t.Fatal(err)
		}
		classes := make([]string, 0, len(codes))
		for c := range codes {
			classes = append(classes, c)
		}
		slices.Sort(classes)
		g := synthetic{areas: 13, industries: 400, years: 25, seed: 3} // 130,000 cells less a few
		var want struct{ cells, suppressed, employment, wages int64 }
		g.each(func(c Cell) error {
			want.cells++
			if c.Suppressed {
				want.suppressed++
			}
			want.employment += c.Employment
			want.wages += wageCents(math.Round(c.Wages*100) / 100)
			return nil
		})
		s := NewStore(d)
		info, err := s.ImportEmployment(context.Background(), user.System, DatasetInput{Name: "parallel", Classification: classISIC}, benchCSV(g, classes), nil)
		if err != nil {
			t.Fatal(err)
		}
		ranges, err := s.cellRanges(context.Background(), info.ID, info.Cells)
		if err != nil {
			t.Fatal(err)
		}
		if runtime.GOMAXPROCS(0) > 1 && len(ranges) < 2 {
			t.Errorf("%d ranges for %d cells", len(ranges), info.Cells)
		}
		// On PostgreSQL the import's own partition is read by block ranges.
		if want := cellPartition(info.ID, info.Version); d.Dialect == db.Postgres && ranges[0].table != want {
			t.Errorf("ranges read %q, want the partition %s", ranges[0].table, want)
		}
		data, err := s.LoadDataset(context.Background(), info.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got struct{ cells, suppressed, employment, wages int64 }
		got.cells = int64(data.Len())
		for i := range data.Len() {
			if data.flags[i]&flagSuppressed != 0 {
				got.suppressed++
			}
			got.employment += int64(data.emp[i])
			got.wages += data.wage[i]
		}
		if got != want || len(data.Areas()) != 13 || len(data.Industries()) != 400 {
			t.Fatalf("loaded %+v, want %+v", got, want)
		}
	})
}
