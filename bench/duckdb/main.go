// Command duckdb computes the cluster mapping figures of the benchmark
// dataset in DuckDB SQL, as the reference the Go computation is measured
// against (go run ./bench/mapping builds and runs it). It reads the same
// cells and definitions CSVs, materialises every area × cluster × year row
// and the growth rows into tables, counts them, writes the rows of a few
// sample areas for comparison and prints its timings and peak memory as
// JSON. It is a module of its own so that the main module never links cgo.
package main

import (
	"database/sql"
	_ "embed"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
)

//go:embed compute.sql
var computeSQL string

// run is what one computation measured.
type run struct {
	Cells    int     `json:"cells"`
	Rows     int     `json:"rows"`
	Growth   int     `json:"growth"`
	LoadS    float64 `json:"load_s"`
	ComputeS float64 `json:"compute_s"`
	PeakKiB  int64   `json:"peak_kib"`
	Threads  int     `json:"threads"`
	Version  string  `json:"version"`
}

func main() {
	if err := mainErr(); err != nil {
		fmt.Fprintln(os.Stderr, "duckdb:", err)
		os.Exit(1)
	}
}

func mainErr() error {
	cells := flag.String("cells", "", "cells CSV: year,area,industry,employment,establishments,wages,suppressed")
	defs := flag.String("defs", "", "definitions CSV: cluster_code,cluster_name,type,industry")
	sampleAreas := flag.String("sample-areas", "", "comma-separated areas whose rows are written to --sample-out")
	sampleOut := flag.String("sample-out", "", "file for the sample rows")
	flag.Parse()
	if *cells == "" || *defs == "" {
		return fmt.Errorf("--cells and --defs are required")
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return err
	}
	defer db.Close()
	// One connection: DuckDB parallelises each statement itself.
	db.SetMaxOpenConns(1)
	var r run
	db.QueryRow(`SELECT version()`).Scan(&r.Version)
	db.QueryRow(`SELECT current_setting('threads')`).Scan(&r.Threads)

	start := time.Now()
	load := fmt.Sprintf(`CREATE TABLE cells AS SELECT * FROM read_csv(%s, header = true, columns = {
			'year': 'INTEGER', 'area': 'VARCHAR', 'industry': 'VARCHAR', 'employment': 'BIGINT',
			'establishments': 'BIGINT', 'wages': 'DOUBLE', 'suppressed': 'BOOLEAN'});
		CREATE TABLE defs AS SELECT * FROM read_csv(%s, header = true, columns = {
			'cluster_code': 'VARCHAR', 'cluster_name': 'VARCHAR', 'type': 'VARCHAR', 'industry': 'VARCHAR'})`, quote(*cells), quote(*defs))
	if _, err := db.Exec(load); err != nil {
		return fmt.Errorf("load: %w", err)
	}
	r.LoadS = time.Since(start).Seconds()
	if err := db.QueryRow(`SELECT count(*) FROM cells`).Scan(&r.Cells); err != nil {
		return err
	}

	// The same normal quantile as internal/mapping's zScore(0.95).
	z := strconv.FormatFloat(math.Sqrt2*math.Erfinv(0.95), 'g', -1, 64)
	start = time.Now()
	if _, err := db.Exec(strings.ReplaceAll(computeSQL, "{{Z}}", z)); err != nil {
		return fmt.Errorf("compute: %w", err)
	}
	if err := db.QueryRow(`SELECT count(*) FROM result`).Scan(&r.Rows); err != nil {
		return err
	}
	if err := db.QueryRow(`SELECT count(*) FROM growth`).Scan(&r.Growth); err != nil {
		return err
	}
	r.ComputeS = time.Since(start).Seconds()

	if *sampleOut != "" {
		if err := writeSample(db, *sampleOut, strings.Split(*sampleAreas, ",")); err != nil {
			return err
		}
	}
	if r.PeakKiB, err = selfKiB("VmHWM"); err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(r)
}

// writeSample copies the sample areas' rows to CSV in the columns the Go
// computation writes (bench/mapping's sampleHeader).
func writeSample(db *sql.DB, path string, areas []string) error {
	list := make([]string, len(areas))
	for i, a := range areas {
		list[i] = quote(a)
	}
	in := strings.Join(list, ", ")
	q := fmt.Sprintf(`COPY (
		SELECT 'm' AS kind, year, area, cluster, employment, establishments, lq, lq_cm, lq_low, lq_high, level, stars,
		       NULL AS cagr, NULL AS competitive
		FROM result WHERE area IN (%[1]s)
		UNION ALL
		SELECT 'g', year, area, cluster, employment_to, NULL, NULL, NULL, NULL, NULL, NULL, NULL, cagr, competitive_effect
		FROM growth WHERE area IN (%[1]s)
	) TO %[2]s (HEADER, DELIMITER ',')`, in, quote(path))
	_, err := db.Exec(q)
	return err
}

// quote writes a SQL string literal.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// selfKiB reads a memory field of /proc/self/status.
func selfKiB(field string) (int64, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			f := strings.Fields(rest)
			if len(f) == 2 && f[1] == "kB" {
				return strconv.ParseInt(f[0], 10, 64)
			}
		}
	}
	return 0, fmt.Errorf("%s not found in /proc/self/status", field)
}
