package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/clusterobservatory/observatory/internal/mapping"
	"github.com/clusterobservatory/observatory/internal/problem"
)

// runMap writes the area × cluster figures of a dataset under a definition
// set, as CSV or JSON, the same numbers the explorer shows.
func runMap(ctx context.Context, args []string, e *env) error {
	fs := e.flags("map --dataset NAME --definitions SET [--reference KEY] [--year Y] [--from Y1 --to Y2] [--format csv|json]",
		"Writes the cluster mapping figures of an employment dataset (every area × cluster × year, or one year) to standard output.")
	dbURL := fs.DB()
	dataset := fs.String("dataset", "", "the employment dataset's name")
	set := fs.String("definitions", "", "the definition set's name (of the dataset's classification)")
	ref := fs.String("reference", mapping.ReferenceDataset, `what areas are compared with: "dataset", "region" or "country:ISO3"`)
	year := fs.Int("year", 0, "only this year (default every year)")
	from := fs.Int("from", 0, "first year of the growth comparison")
	to := fs.Int("to", 0, "final year of the growth comparison")
	format := fs.String("format", "csv", "csv or json")
	minEmp := fs.Int("min-employment", 0, "leave out area × cluster rows with less employment")
	traded := fs.Bool("traded-only", false, "only traded clusters")
	if ok, err := parse(fs, args); !ok {
		return err
	}
	var f problem.Fields
	if *dataset == "" {
		f.Add("dataset", "Name the dataset with --dataset.")
	}
	if *set == "" {
		f.Add("definitions", "Name the definition set with --definitions.")
	}
	if *format != "csv" && *format != "json" {
		f.Add("format", "Use --format csv or --format json.")
	}
	if err := f.Err(); err != nil {
		return err
	}
	d, err := openDB(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer d.Close()
	s := mapping.NewStore(d)
	ds, err := s.FindDatasetByName(ctx, *dataset)
	if err != nil {
		return err
	}
	ss, err := s.FindDefinitionSetByName(ctx, *set)
	if err != nil {
		return err
	}
	run, err := s.Run(ctx, mapping.RunInput{DatasetID: ds.ID, SetID: ss.ID, Reference: *ref, From: *from, To: *to})
	if err != nil {
		return err
	}
	years := run.Result.Years
	if *year != 0 {
		if !slices.Contains(years, *year) {
			f.Add("year", "The dataset has no data for %d (it has %v).", *year, years)
			return f.Err()
		}
		years = []int{*year}
	}
	q := mapping.Query{MinEmployment: int64(*minEmp), TradedOnly: *traded, Sort: "area"}
	growth := run.Result.Growth != nil
	if *format == "json" {
		return writeMapJSON(e, run, years, q)
	}
	w := csv.NewWriter(e.stdout)
	if err := w.Write(mapping.CandidateHeader(growth)); err != nil {
		return err
	}
	for _, y := range years {
		q.Year = y
		rows, _ := mapping.Candidates(run.Result, q)
		for i := range rows {
			if err := w.Write(mapping.CandidateRecord(&rows[i], &run.Labels, growth)); err != nil {
				return err
			}
		}
	}
	w.Flush()
	return w.Error()
}

// writeMapJSON writes one object: what was computed, the thresholds the
// rules found, and the rows.
func writeMapJSON(e *env, run *mapping.Run, years []int, q mapping.Query) error {
	var rows []mapping.Candidate
	for _, y := range years {
		q.Year = y
		r, _ := mapping.Candidates(run.Result, q)
		rows = append(rows, r...)
	}
	out := struct {
		Dataset    string                `json:"dataset"`
		Definition string                `json:"definitions"`
		Reference  mapping.ReferenceInfo `json:"reference"`
		Years      []int                 `json:"years"`
		Options    mapping.Options       `json:"options"`
		Thresholds []mapping.Thresholds  `json:"thresholds"`
		Rows       []mapping.Candidate   `json:"rows"`
	}{run.Dataset.Name, run.Set.Name, run.Result.Reference, years, run.Result.Options, run.Result.Thresholds, rows}
	enc := json.NewEncoder(e.stdout)
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	return nil
}
