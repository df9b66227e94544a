package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/bench/internal/pgscratch"
)

// results are every figure of one run.
type results struct {
	Areas, Cells, Suppressed, Clusters int
	Traded                             int
	GenerateS                          float64
	CSVBytes                           int64
	FromCSV, FromMemory                *computeRun
	DuckDB                             *duckRun
	DuckDBNote                         string
	Compare                            *comparison
	Imports                            []*importResult
}

// duckRun is what the DuckDB program printed.
type duckRun struct {
	Cells    int     `json:"cells"`
	Rows     int     `json:"rows"`
	Growth   int     `json:"growth"`
	LoadS    float64 `json:"load_s"`
	ComputeS float64 `json:"compute_s"`
	PeakKiB  int64   `json:"peak_kib"`
	Threads  int     `json:"threads"`
	Version  string  `json:"version"`
}

func measure(ctx context.Context, o *options, log io.Writer) (*results, error) {
	classes, err := isicClasses()
	if err != nil {
		return nil, err
	}
	g := &generator{areas: areasFor(o.cells), classes: classes, seed: o.seed}
	r := &results{Areas: g.areas}
	cellsPath := filepath.Join(o.out, "cells.csv")
	defsPath := filepath.Join(o.out, "definitions.csv")
	fmt.Fprintf(log, "generating %d areas × %d classes × %d years into %s\n", g.areas, len(classes), years, cellsPath)
	start := time.Now()
	if r.Cells, r.Suppressed, err = g.writeCells(cellsPath); err != nil {
		return nil, err
	}
	r.GenerateS = time.Since(start).Seconds()
	if st, err := os.Stat(cellsPath); err == nil {
		r.CSVBytes = st.Size()
	}
	set := definitionSet(classes)
	r.Clusters = len(set.Clusters)
	for _, c := range set.Clusters {
		if c.Type.String() == "traded" {
			r.Traded++
		}
	}
	if err := writeDefinitions(defsPath, set); err != nil {
		return nil, err
	}
	samples := sampleAreas(g.areas)
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	goSample := filepath.Join(o.out, "sample-go.csv")
	for _, source := range []string{"csv", "memory"} {
		fmt.Fprintf(log, "computing in Go, dataset built from %s\n", source)
		args := []string{"child", "--source", source, "--cells", cellsPath, "--defs", defsPath,
			"--areas", strconv.Itoa(g.areas), "--seed", strconv.FormatUint(o.seed, 10)}
		if source == "csv" {
			args = append(args, "--sample-areas", strings.Join(samples, ","), "--sample-out", goSample)
		}
		var run computeRun
		if err := runJSON(ctx, self, "", args, &run); err != nil {
			return nil, fmt.Errorf("Go computation from %s: %w", source, err)
		}
		if source == "csv" {
			r.FromCSV = &run
		} else {
			r.FromMemory = &run
		}
	}
	if o.duckdb {
		fmt.Fprintln(log, "computing in DuckDB")
		duckSample := filepath.Join(o.out, "sample-duckdb.csv")
		var d duckRun
		bin, err := buildDuckDB(ctx, o.root)
		if err == nil {
			err = runJSON(ctx, bin, "", []string{"--cells", cellsPath, "--defs", defsPath,
				"--sample-areas", strings.Join(samples, ","), "--sample-out", duckSample}, &d)
		}
		if err != nil {
			r.DuckDBNote = "not measured: " + firstLine(err.Error())
			fmt.Fprintln(log, err)
		} else {
			r.DuckDB = &d
			if r.Compare, err = compareSamples(goSample, duckSample); err != nil {
				return nil, err
			}
		}
	}
	if len(o.engines) > 0 {
		imps, err := measureImports(ctx, o, cellsPath, log)
		if err != nil {
			return nil, err
		}
		r.Imports = imps
	}
	return r, nil
}

// sampleAreas picks about 20 areas spread over the dataset for comparing the
// two computations row by row.
func sampleAreas(n int) []string {
	step := max(1, n/20)
	var out []string
	for a := 0; a < n; a += step {
		out = append(out, areaCode(a))
	}
	return out
}

// runJSON runs a measuring process and decodes the JSON it prints last.
func runJSON(ctx context.Context, bin, dir string, args []string, v any) error {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w\n%s", filepath.Base(bin), err, stderr.String())
	}
	return json.Unmarshal(stdout.Bytes(), v)
}

// buildDuckDB builds the DuckDB program, a module of its own, with cgo.
func buildDuckDB(ctx context.Context, root string) (string, error) {
	bin := filepath.Join(root, "bench", "out", "duckdb-mapping")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	cmd.Dir = filepath.Join(root, "bench", "duckdb")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./bench/duckdb: %w\n%s", err, b)
	}
	return bin, nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// measureImports times, per engine, the raw bulk load and the product's
// import command on fresh databases.
func measureImports(ctx context.Context, o *options, cellsPath string, log io.Writer) ([]*importResult, error) {
	bin := filepath.Join(o.root, "bench", "out", "observatory")
	fmt.Fprintln(log, "building the observatory binary")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/observatory")
	cmd.Dir = o.root
	if b, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go build ./cmd/observatory: %w\n%s", err, b)
	}
	var out []*importResult
	for _, engine := range o.engines {
		res := &importResult{Engine: engine}
		var rawURL, productURL string
		var cleanup func() error
		switch engine {
		case "sqlite":
			res.Database = "SQLite files in " + relTo(o.root, o.out) + " (WAL, synchronous=NORMAL)"
			res.RawHow = "one prepared INSERT per row, one transaction"
			rawURL = filepath.Join(o.out, "raw-sqlite.db")
			productPath := filepath.Join(o.out, "import-sqlite.db")
			for _, suffix := range []string{"", "-wal", "-shm"} {
				os.Remove(productPath + suffix)
			}
			productURL = "sqlite:" + productPath
		case "postgres":
			pg, err := pgscratch.New(ctx, o.pgURL, "mapping")
			if err != nil {
				return nil, err
			}
			res.Database = pg.Description
			res.RawHow = "COPY (pgx CopyFrom) into a plain table"
			rawURL, productURL, cleanup = pg.URL, pg.URL, pg.Close
		}
		fmt.Fprintf(log, "%s: raw bulk load\n", engine)
		var err error
		if engine == "sqlite" {
			res.RawS, err = rawSQLite(ctx, cellsPath, rawURL, rawTable)
			if err == nil {
				fmt.Fprintf(log, "%s: raw bulk load into a keyed table\n", engine)
				res.RawKeyedS, err = rawSQLite(ctx, cellsPath, rawURL, fmt.Sprintf(rawKeyedTable, "WITHOUT ROWID"))
			}
		} else {
			res.RawS, err = rawPostgres(ctx, cellsPath, rawURL, rawTable)
			if err == nil {
				fmt.Fprintf(log, "%s: raw bulk load into a keyed table\n", engine)
				res.RawKeyedS, err = rawPostgres(ctx, cellsPath, rawURL, fmt.Sprintf(rawKeyedTable, ""))
			}
		}
		if err == nil {
			fmt.Fprintf(log, "%s: observatory import employment\n", engine)
			var note string
			res.ProductS, note, err = productImport(ctx, bin, productURL, cellsPath, "Benchmark employment")
			res.ProductNote = note
		}
		if cleanup != nil {
			err = errorsJoin(err, cleanup())
		}
		if err != nil {
			return nil, fmt.Errorf("%s import: %w", engine, err)
		}
		out = append(out, res)
	}
	return out, nil
}

func errorsJoin(a, b error) error {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	return fmt.Errorf("%w; %w", a, b)
}

func relTo(root, p string) string {
	if r, err := filepath.Rel(root, p); err == nil {
		return r
	}
	return p
}
