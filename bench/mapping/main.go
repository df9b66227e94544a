// Command mapping measures cluster mapping at scale: it generates an
// employment table of about five million cells (1,000 areas × 419 ISIC
// Rev.4 classes × 12 years) and a definition set of about 60 clusters, then
// measures (a) the import rate of each database engine against its raw
// bulk-load rate and (b) the time and peak memory of recomputing every
// figure with internal/mapping, against the same computation in DuckDB SQL.
// bench/README.md explains each figure.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/clusterobservatory/observatory/bench/internal/machine"
)

// options are the benchmark's settings, all from flags.
type options struct {
	cells   int
	seed    uint64
	engines []string
	pgURL   string
	duckdb  bool
	imports bool
	write   bool
	note    string
	root    string
	out     string
	args    []string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	if len(os.Args) > 1 && os.Args[1] == "child" {
		err = runChild(os.Args[2:], os.Stdout)
	} else {
		err = run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	}
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "mapping:", err)
		os.Exit(1)
	}
}

func parseOptions(args []string, getenv func(string) string, stderr io.Writer) (*options, error) {
	fs := flag.NewFlagSet("mapping", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: go run ./bench/mapping [flags]\n\n"+
			"Generates a large employment table and measures its import and the recomputation of every\n"+
			"cluster mapping figure, against raw bulk loads and DuckDB.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	o := &options{args: args}
	engines := fs.String("engines", "sqlite,postgres", "engines whose import is measured, comma-separated; empty: none")
	fs.IntVar(&o.cells, "cells", 5_000_000, "about how many cells to generate (rounded to whole areas of 419 classes × 12 years)")
	fs.Uint64Var(&o.seed, "seed", 1, "generator seed")
	fs.StringVar(&o.pgURL, "pg", getenv("OBSERVATORY_BENCH_POSTGRES"),
		"PostgreSQL server URL to create a scratch database in (default $OBSERVATORY_BENCH_POSTGRES; empty: start a throwaway cluster)")
	fs.BoolVar(&o.duckdb, "duckdb", true, "compute the same figures in DuckDB (builds bench/duckdb, which needs cgo)")
	fs.BoolVar(&o.write, "write", false, "append a dated section with the results to bench/RESULTS.md")
	fs.StringVar(&o.note, "note", "", "a remark to record with the results")
	fs.StringVar(&o.out, "out", "", "folder for the generated files and databases (default bench/out/mapping)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	for _, e := range strings.Split(*engines, ",") {
		switch e = strings.TrimSpace(e); e {
		case "":
		case "sqlite", "postgres":
			o.engines = append(o.engines, e)
		default:
			return nil, fmt.Errorf("--engines: unknown engine %q (choose from sqlite, postgres)", e)
		}
	}
	switch {
	case o.cells < 10_000 || o.cells > 100_000_000:
		return nil, errors.New("--cells must be between 10,000 and 100,000,000")
	case o.pgURL != "" && !strings.HasPrefix(o.pgURL, "postgres://") && !strings.HasPrefix(o.pgURL, "postgresql://"):
		return nil, errors.New("--pg must be a postgres:// URL")
	}
	return o, nil
}

// run generates the data, then measures recomputation (Go from CSV, Go from
// memory, DuckDB) and the imports, one at a time so that nothing else
// competes for the machine.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	o, err := parseOptions(args, getenv, stderr)
	if err != nil {
		return err
	}
	if o.root, err = moduleRoot(); err != nil {
		return err
	}
	if o.out == "" {
		o.out = filepath.Join(o.root, "bench", "out", "mapping")
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	res, err := measure(ctx, o, stderr)
	if err != nil {
		return err
	}
	report := renderReport(o, machine.Describe(), res)
	fmt.Fprintln(stdout)
	fmt.Fprint(stdout, report)
	if o.write {
		path := filepath.Join(o.root, "bench", "RESULTS.md")
		if err := appendResults(path, report); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "appended to %s\n", path)
	}
	return nil
}

// moduleRoot finds the folder holding the main module's go.mod, so the
// command works from any folder inside the repository.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil &&
			strings.HasPrefix(string(b), "module github.com/clusterobservatory/observatory\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run this from inside the repository (no go.mod of the main module found)")
		}
		dir = parent
	}
}
