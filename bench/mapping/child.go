package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/internal/mapping"
)

// computeRun is what one child process measured.
type computeRun struct {
	Source   string  `json:"source"`
	Cells    int     `json:"cells"`
	Rows     int     `json:"rows"`
	Growth   int     `json:"growth"`
	BuildS   float64 `json:"build_s"`
	ComputeS float64 `json:"compute_s"`
	// PeakKiB is the process's VmHWM at the end: the most resident memory
	// it ever held, dataset and result included.
	PeakKiB int64 `json:"peak_kib"`
}

// runChild is the measuring process: it builds the dataset from the CSV or
// from the generator in memory, computes every year with growth between the
// first and last year, writes the sample rows and prints its figures as
// JSON. Running it in a process of its own makes VmHWM its peak alone.
func runChild(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("child", flag.ContinueOnError)
	source := fs.String("source", "csv", "csv or memory")
	cellsPath := fs.String("cells", "", "cells CSV (source csv)")
	defsPath := fs.String("defs", "", "definitions CSV")
	areas := fs.Int("areas", 0, "areas to generate (source memory)")
	seed := fs.Uint64("seed", 1, "generator seed (source memory)")
	sampleAreas := fs.String("sample-areas", "", "comma-separated areas whose rows are written to --sample-out")
	sampleOut := fs.String("sample-out", "", "file for the sample rows")
	if err := fs.Parse(args); err != nil {
		return err
	}
	set, err := readDefinitions(*defsPath)
	if err != nil {
		return err
	}
	run := computeRun{Source: *source}
	start := time.Now()
	var d *mapping.Dataset
	switch *source {
	case "csv":
		d, err = datasetFromCSV(*cellsPath)
	case "memory":
		classes, cerr := isicClasses()
		if cerr != nil {
			return cerr
		}
		g := &generator{areas: *areas, classes: classes, seed: *seed}
		b := mapping.NewBuilder(g.areas * len419 * years)
		err = g.each(func(c *cell) error { return b.Add(c.mappingCell()) })
		if err == nil {
			d, err = b.Build()
		}
	default:
		err = fmt.Errorf("unknown source %q", *source)
	}
	if err != nil {
		return err
	}
	run.BuildS = time.Since(start).Seconds()
	run.Cells = d.Len()
	runtime.GC()
	ys := d.Years()
	opt := mapping.DefaultOptions()
	opt.From, opt.To = ys[0], ys[len(ys)-1]
	start = time.Now()
	res, err := mapping.Compute(d, set, opt)
	if err != nil {
		return err
	}
	run.ComputeS = time.Since(start).Seconds()
	run.Rows = len(res.Metrics)
	for _, g := range res.Growth {
		if g.Status == mapping.GrowthComputed {
			run.Growth++
		}
	}
	if *sampleOut != "" {
		if err := writeSample(*sampleOut, res, strings.Split(*sampleAreas, ",")); err != nil {
			return err
		}
	}
	if run.PeakKiB, err = selfKiB("VmHWM"); err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(run)
}

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

// datasetFromCSV streams a cells CSV in the import format into a Builder.
func datasetFromCSV(path string) (*mapping.Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, _ := f.Stat()
	r := csv.NewReader(bufio.NewReaderSize(f, 1<<20))
	r.ReuseRecord = true
	r.FieldsPerRecord = 7
	if _, err := r.Read(); err != nil {
		return nil, fmt.Errorf("%s: header: %w", path, err)
	}
	// About 40 bytes a row: size the columns once.
	b := mapping.NewBuilder(int(st.Size() / 40))
	for row := 2; ; row++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		c := mapping.Cell{Area: rec[1], Industry: rec[2], Suppressed: rec[6] == "true"}
		if c.Year, err = strconv.Atoi(rec[0]); err != nil {
			return nil, fmt.Errorf("%s:%d: year: %w", path, row, err)
		}
		if !c.Suppressed {
			if c.Employment, err = strconv.ParseInt(rec[3], 10, 64); err != nil {
				return nil, fmt.Errorf("%s:%d: employment: %w", path, row, err)
			}
			if c.Establishments, err = strconv.ParseInt(rec[4], 10, 64); err != nil {
				return nil, fmt.Errorf("%s:%d: establishments: %w", path, row, err)
			}
			if c.Wages, err = strconv.ParseFloat(rec[5], 64); err != nil {
				return nil, fmt.Errorf("%s:%d: wages: %w", path, row, err)
			}
			c.HasEstablishments, c.HasWages = true, true
		}
		if err := b.Add(c); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, row, err)
		}
	}
	return b.Build()
}

// readDefinitions reads a definitions CSV (cluster_code, cluster_name,
// type, industry) into a set.
func readDefinitions(path string) (*mapping.DefinitionSet, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, err
	}
	set := &mapping.DefinitionSet{Name: path, Classification: "isic4"}
	at := map[string]int{}
	for _, r := range recs[1:] {
		i, ok := at[r[0]]
		if !ok {
			t, err := mapping.ParseClusterType(r[2])
			if err != nil {
				return nil, err
			}
			i = len(set.Clusters)
			at[r[0]] = i
			set.Clusters = append(set.Clusters, mapping.Cluster{Code: r[0], Name: r[1], Type: t})
		}
		set.Clusters[i].Industries = append(set.Clusters[i].Industries, r[3])
	}
	return set, set.Validate()
}

// sampleHeader names the columns both engines write for the sample areas:
// metric rows (kind m) per year and growth rows (kind g) per area × cluster.
const sampleHeader = "kind,year,area,cluster,employment,establishments,lq,lq_cm,lq_low,lq_high,level,stars,cagr,competitive"

// writeSample writes the rows of the sample areas, sorted.
func writeSample(path string, res *mapping.Result, areas []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, sampleHeader)
	num := func(v mapping.Value) string {
		if x, ok := v.Get(); ok {
			return strconv.FormatFloat(x, 'g', -1, 64)
		}
		return ""
	}
	for _, m := range res.Metrics {
		if !slices.Contains(areas, m.Area) {
			continue
		}
		fmt.Fprintf(w, "m,%d,%s,%s,%d,%s,%s,%s,%s,%s,%s,%d,,\n", m.Year, m.Area, m.Cluster, m.Employment, num(m.Establishments),
			num(m.LQ.Value), num(m.LQClusterMapping.Value), num(m.LQ.Low), num(m.LQ.High), m.Strength.Level(), m.Stars.Count())
	}
	for _, g := range res.Growth {
		if !slices.Contains(areas, g.Area) || g.Status != mapping.GrowthComputed {
			continue
		}
		fmt.Fprintf(w, "g,%d,%s,%s,%d,,,,,,,,%s,%s\n", g.To, g.Area, g.Cluster, g.EmploymentTo, num(g.CAGR), num(g.CompetitiveEffect))
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
