package mapping

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/web"
)

// exploreRows computes the rows a download holds: every row that passes
// the filters (not one page), in the table's order.
func exploreRows(s *Store, r *http.Request) (*Run, []Candidate, error) {
	form, err := ParseExploreForm(r.URL.Query())
	if err != nil {
		return nil, nil, err
	}
	_, ok, err := s.Resolve(r.Context(), &form)
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		var f problem.Fields
		f.Add("dataset", "There is no dataset with a definition set of its classification to compute.")
		return nil, nil, f.Err()
	}
	run, err := s.Run(r.Context(), RunInput{DatasetID: form.Dataset, SetID: form.Set, Reference: form.Reference, From: form.From, To: form.To})
	if err != nil {
		return nil, nil, err
	}
	q := form.Query
	q.Year = form.Year
	if q.Sort == "" {
		q.Sort = DefaultSort
	}
	rows, _ := Candidates(run.Result, q)
	return run, rows, nil
}

func downloadName(run *Run, year int, ext string) string {
	return fmt.Sprintf("cluster-mapping-%d-%d-%d.%s", run.Dataset.ID, run.Set.ID, year, ext)
}

// HandleExploreCSV downloads the explorer's rows as CSV.
func HandleExploreCSV(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		run, rows, err := exploreRows(s, r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		year := run.Result.Years[len(run.Result.Years)-1]
		if len(rows) > 0 {
			year = rows[0].Year
		}
		growth := run.Result.Growth != nil
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+downloadName(run, year, "csv")+`"`)
		cw := csv.NewWriter(w)
		cw.Write(CandidateHeader(growth))
		for i := range rows {
			cw.Write(CandidateRecord(&rows[i], &run.Labels, growth))
		}
		cw.Flush()
	})
}

// HandleExploreXLSX downloads the explorer's rows as a spreadsheet, figures
// as numbers so they sort and sum in Excel.
func HandleExploreXLSX(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		run, rows, err := exploreRows(s, r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		growth := run.Result.Growth != nil
		f := excelize.NewFile()
		defer f.Close()
		const sheet = "Sheet1"
		sw, err := f.NewStreamWriter(sheet)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		header := CandidateHeader(growth)
		cells := make([]any, len(header))
		for i, h := range header {
			cells[i] = h
		}
		if err := sw.SetRow("A1", cells); err != nil {
			rd.Error(w, r, err)
			return
		}
		for i := range rows {
			rec := CandidateRecord(&rows[i], &run.Labels, growth)
			for j, v := range rec {
				if n, err := strconv.ParseFloat(v, 64); err == nil && NumericColumn(header[j]) {
					cells[j] = n
				} else {
					cells[j] = v
				}
			}
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			if err := sw.SetRow(cell, cells); err != nil {
				rd.Error(w, r, err)
				return
			}
		}
		if err := sw.Flush(); err != nil {
			rd.Error(w, r, err)
			return
		}
		year := run.Result.Years[len(run.Result.Years)-1]
		if len(rows) > 0 {
			year = rows[0].Year
		}
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", `attachment; filename="`+downloadName(run, year, "xlsx")+`"`)
		f.Write(w)
	})
}
