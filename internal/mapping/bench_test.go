package mapping

import (
	"flag"
	"runtime"
	"testing"
)

// benchAreas sizes the benchmark dataset: areas × 419 ISIC classes × 12
// years, 5 million cells at the default of 1,000 areas.
var benchAreas = flag.Int("mapping.areas", 1000, "areas in the generated benchmark dataset")

func benchData(b *testing.B) (synthetic, *Dataset) {
	if testing.Short() {
		b.Skip("generates millions of cells")
	}
	g := synthetic{areas: *benchAreas, industries: 419, years: 12, clusters: 67, seed: 1}
	d, err := g.dataset()
	if err != nil {
		b.Fatal(err)
	}
	return g, d
}

// BenchmarkCompute times the full computation — aggregation, every metric,
// intervals, bounds, both classifications and growth over the whole period —
// on an already built dataset.
func BenchmarkCompute(b *testing.B) {
	g, d := benchData(b)
	set := g.set()
	opt := DefaultOptions()
	opt.From, opt.To = 2010, 2021
	runtime.GC()
	b.ReportAllocs()
	b.ResetTimer()
	var rows int
	for b.Loop() {
		res, err := Compute(d, set, opt)
		if err != nil {
			b.Fatal(err)
		}
		rows = len(res.Metrics)
	}
	b.ReportMetric(float64(d.Len()), "cells")
	b.ReportMetric(float64(rows), "metrics")
}

// BenchmarkBuild times streaming generated cells into a Builder —
// validation, interning codes, renumbering and the duplicate check — as an
// import reading one row at a time would; generating the cells is included.
func BenchmarkBuild(b *testing.B) {
	if testing.Short() {
		b.Skip("generates millions of cells")
	}
	g := synthetic{areas: *benchAreas, industries: 419, years: 12, clusters: 67, seed: 1}
	b.ReportAllocs()
	var n int
	for b.Loop() {
		d, err := g.dataset()
		if err != nil {
			b.Fatal(err)
		}
		n = d.Len()
	}
	b.ReportMetric(float64(n), "cells")
}
