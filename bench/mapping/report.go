package main

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/bench/internal/machine"
)

// comparison is the row-by-row check of the sample areas' figures.
type comparison struct {
	Rows, Mismatches, OnlyGo, OnlyDuckDB int
	First                                string // the first mismatch, for the report
}

// compareSamples matches the Go and DuckDB sample rows by kind, year, area
// and cluster and compares every column: numbers to a relative 1e-9 (the
// two use different exp and pow implementations), text exactly.
func compareSamples(goPath, duckPath string) (*comparison, error) {
	read := func(path string) (map[string][]string, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		recs, err := csv.NewReader(f).ReadAll()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if len(recs) == 0 || strings.Join(recs[0], ",") != sampleHeader {
			return nil, fmt.Errorf("%s: unexpected header", path)
		}
		out := map[string][]string{}
		for _, r := range recs[1:] {
			out[strings.Join(r[:4], "|")] = r
		}
		return out, nil
	}
	a, err := read(goPath)
	if err != nil {
		return nil, err
	}
	b, err := read(duckPath)
	if err != nil {
		return nil, err
	}
	cols := strings.Split(sampleHeader, ",")
	c := &comparison{}
	for k, ra := range a {
		rb, ok := b[k]
		if !ok {
			c.OnlyGo++
			continue
		}
		c.Rows++
		for i := 4; i < len(ra); i++ {
			if !sameValue(ra[i], rb[i]) {
				c.Mismatches++
				if c.First == "" || k < strings.SplitN(c.First, " ", 2)[0] {
					c.First = fmt.Sprintf("%s %s: Go %q, DuckDB %q", k, cols[i], ra[i], rb[i])
				}
				break
			}
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			c.OnlyDuckDB++
		}
	}
	return c, nil
}

func sameValue(a, b string) bool {
	if a == b {
		return true
	}
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	if err1 != nil || err2 != nil {
		return false
	}
	return math.Abs(x-y) <= 1e-9*math.Max(1, math.Max(math.Abs(x), math.Abs(y)))
}

func mib(kib int64) string { return fmt.Sprintf("%.0f MiB", float64(kib)/1024) }

func rate(cells int, secs float64) string {
	if secs <= 0 {
		return ""
	}
	return fmt.Sprintf("%.0f", float64(cells)/secs)
}

func goal(ok bool) string {
	if ok {
		return "met"
	}
	return "**missed**"
}

// renderReport writes the results as a dated Markdown section.
func renderReport(o *options, m machine.Machine, r *results) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## %s — cluster mapping at scale\n\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(&b, "- Machine: %d CPUs, %s, %s RAM, Linux %s, %s; load average at the end %s\n", m.CPUs, m.Model, m.MemTotalGiB, m.Kernel, m.Go, m.LoadAvg)
	fmt.Fprintf(&b, "- Command: `go run ./bench/mapping %s`\n", strings.Join(o.args, " "))
	fmt.Fprintf(&b, "- Data: %d areas × 419 ISIC Rev.4 classes × %d years → %d cells (%d suppressed), CSV of %.0f MiB generated in %.1fs; %d clusters (%d traded) by ISIC division\n",
		r.Areas, years, r.Cells, r.Suppressed, float64(r.CSVBytes)/(1<<20), r.GenerateS, r.Clusters, r.Traded)
	if o.note != "" {
		fmt.Fprintf(&b, "- Note: %s\n", o.note)
	}
	b.WriteString("\n### Recomputation: every area × cluster × year, growth first → last year\n\n")
	b.WriteString("| engine | build / load s | compute s | total s | rows | growth rows | peak memory |\n|---|--:|--:|--:|--:|--:|--:|\n")
	for _, c := range []*computeRun{r.FromCSV, r.FromMemory} {
		if c == nil {
			continue
		}
		label := "Go (internal/mapping), dataset from the CSV"
		if c.Source == "memory" {
			label = "Go (internal/mapping), dataset from memory"
		}
		fmt.Fprintf(&b, "| %s | %.2f | %.2f | %.2f | %d | %d | %s |\n", label, c.BuildS, c.ComputeS, c.BuildS+c.ComputeS, c.Rows, c.Growth, mib(c.PeakKiB))
	}
	if d := r.DuckDB; d != nil {
		fmt.Fprintf(&b, "| DuckDB %s (%d threads), read_csv into tables | %.2f | %.2f | %.2f | %d | %d | %s |\n",
			d.Version, d.Threads, d.LoadS, d.ComputeS, d.LoadS+d.ComputeS, d.Rows, d.Growth, mib(d.PeakKiB))
	} else if r.DuckDBNote != "" {
		fmt.Fprintf(&b, "| DuckDB | %s |  |  |  |  |  |\n", r.DuckDBNote)
	}
	b.WriteString("\n")
	if c := r.Compare; c != nil {
		fmt.Fprintf(&b, "Check against DuckDB: row counts %s (Go %d, DuckDB %d; growth %d and %d); %d sample rows of %d areas compared column by column, %d mismatches, %d only in Go, %d only in DuckDB",
			map[bool]string{true: "equal", false: "**differ**"}[r.FromCSV.Rows == r.DuckDB.Rows && r.FromCSV.Growth == r.DuckDB.Growth],
			r.FromCSV.Rows, r.DuckDB.Rows, r.FromCSV.Growth, r.DuckDB.Growth, c.Rows, len(sampleAreas(r.Areas)), c.Mismatches, c.OnlyGo, c.OnlyDuckDB)
		if c.First != "" {
			fmt.Fprintf(&b, " (first: %s)", c.First)
		}
		b.WriteString(".\n\n")
	}
	if len(r.Imports) > 0 {
		b.WriteString("### Import rate (cells per second)\n\n")
		b.WriteString("| engine | database | raw bulk load | raw cells/s | raw into a keyed table cells/s | `observatory import employment` s | product cells/s | product / raw | product / keyed raw | goal ≥ 0.5 of raw |\n|---|---|---|--:|--:|--:|--:|--:|--:|---|\n")
		for _, im := range r.Imports {
			if im.ProductS <= 0 {
				fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |  |  |  |  |\n", im.Engine, im.Database, im.RawHow, rate(r.Cells, im.RawS),
					rate(r.Cells, im.RawKeyedS), im.ProductNote)
				continue
			}
			ratio := im.RawS / im.ProductS
			keyed := "–"
			if im.RawKeyedS > 0 {
				keyed = fmt.Sprintf("%.2f", im.RawKeyedS/im.ProductS)
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %.1f | %s | %.2f | %s | %s |\n", im.Engine, im.Database, im.RawHow, rate(r.Cells, im.RawS),
				rate(r.Cells, im.RawKeyedS), im.ProductS, rate(r.Cells, im.ProductS), ratio, keyed, goal(ratio >= 0.5))
		}
		b.WriteString("\n")
	}
	b.WriteString("Goals: ")
	var goals []string
	if r.FromMemory != nil && r.DuckDB != nil {
		goals = append(goals, fmt.Sprintf("recomputation no slower than DuckDB (Go %.2fs from memory vs DuckDB %.2fs): %s",
			r.FromMemory.ComputeS, r.DuckDB.ComputeS, goal(r.FromMemory.ComputeS <= r.DuckDB.ComputeS)))
	}
	if r.FromCSV != nil {
		peak := max(r.FromCSV.PeakKiB, r.FromMemory.PeakKiB)
		goals = append(goals, fmt.Sprintf("peak memory under 1 GiB (%s): %s", mib(peak), goal(peak < 1<<20)))
	}
	goals = append(goals, "import at least half the raw bulk-load rate (table above)")
	b.WriteString(strings.Join(goals, "; ") + ".\n")
	return b.String()
}

// appendResults adds the report to bench/RESULTS.md.
func appendResults(path, report string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	_, err = f.WriteString("\n" + report)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
