package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
)

// TestMain lets the test binary play the measuring child process, as the
// benchmark binary does, since the harness starts itself again.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "child" {
		if err := runChild(os.Args[2:], os.Stdout); err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestHarnessEndToEnd runs the whole benchmark on a tiny dataset without
// DuckDB: generation, both Go computations in child processes and the
// SQLite import rates, and checks the report.
func TestHarnessEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the observatory binary")
	}
	var stdout, stderr bytes.Buffer
	args := []string{"--cells", "20000", "--duckdb=false", "--engines", "sqlite", "--out", t.TempDir()}
	if err := run(context.Background(), args, func(string) string { return "" }, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{
		"4 areas × 419 ISIC Rev.4 classes × 12 years",
		"| Go (internal/mapping), dataset from the CSV |",
		"| Go (internal/mapping), dataset from memory |",
		"| sqlite | SQLite files in",
		"peak memory under 1 GiB",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "DuckDB v") {
		t.Errorf("DuckDB ran although --duckdb=false:\n%s", out)
	}
}

func TestDefinitionSetCoversEveryClass(t *testing.T) {
	classes, err := isicClasses()
	if err != nil {
		t.Fatal(err)
	}
	set := definitionSet(classes)
	if err := set.Validate(); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range set.Clusters {
		n += len(c.Industries)
	}
	if n != 419 || len(set.Clusters) < 50 || len(set.Clusters) > 80 {
		t.Errorf("%d clusters cover %d classes, want 50–80 covering 419", len(set.Clusters), n)
	}
}

// TestRowsMatchBetweenSources builds the same small dataset from the CSV
// and from memory and checks both give the same cells.
func TestRowsMatchBetweenSources(t *testing.T) {
	classes, err := isicClasses()
	if err != nil {
		t.Fatal(err)
	}
	g := &generator{areas: 3, classes: classes, seed: 5}
	path := t.TempDir() + "/cells.csv"
	n, _, err := g.writeCells(path)
	if err != nil {
		t.Fatal(err)
	}
	d, err := datasetFromCSV(path)
	if err != nil {
		t.Fatal(err)
	}
	m := 0
	g.each(func(*cell) error { m++; return nil })
	if d.Len() != n || n != m || n == 0 {
		t.Errorf("CSV dataset %d cells, written %d, generated %d", d.Len(), n, m)
	}
}
