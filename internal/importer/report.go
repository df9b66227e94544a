package importer

import (
	"slices"

	"github.com/clusterobservatory/observatory/internal/problem"
)

// Report is the outcome of checking a file: how it was read, how many rows
// it has, how many are valid, and every problem located by file, sheet,
// row and column.
type Report struct {
	Kind     Kind             `json:"kind"`
	Source   Source           `json:"source"`
	Rows     int              `json:"rows"`
	Valid    int              `json:"valid"`
	Problems []problem.Detail `json:"problems"`
	// Preview holds the first valid rows, for the dry-run page.
	Preview *Preview `json:"-"`

	// tooLarge is set when the file is over MaxBytes (HTTP 413).
	tooLarge bool
	bad      map[int]map[string]bool
}

func newReport(kind Kind, file string) *Report {
	return &Report{Kind: kind, Source: Source{File: file}, Problems: []problem.Detail{}, bad: map[int]map[string]bool{}}
}

// OK reports whether the file may be stored: rows and no problems.
func (r *Report) OK() bool { return len(r.Problems) == 0 && r.Rows > 0 }

// TooLarge reports whether the file was refused for its size.
func (r *Report) TooLarge() bool { return r.tooLarge }

// add records a problem with a row's column (row 0 and field "" for the
// whole file).
func (r *Report) add(row int, field, msg string) {
	r.Problems = append(r.Problems, problem.Detail{File: r.Source.File, Sheet: r.Source.Sheet, Row: row, Field: field, Message: msg})
	if r.bad[row] == nil {
		r.bad[row] = map[string]bool{}
	}
	r.bad[row][field] = true
}

// has reports whether a row's column already has a problem, so that one
// mistake is not reported twice.
func (r *Report) has(row int, field string) bool { return r.bad[row][field] }

// rowBad reports whether a row has any problem.
func (r *Report) rowBad(row int) bool { return len(r.bad[row]) > 0 }

// fail records a problem with the whole file; a size problem marks the
// report too large.
func (r *Report) fail(err error) {
	if p := problem.As(err); p != nil {
		if p.Kind == problem.TooLarge {
			r.tooLarge = true
		}
		for _, d := range p.Details {
			r.add(d.Row, d.Field, d.Message)
		}
		return
	}
	if re, ok := err.(*rowError); ok {
		r.add(re.row, "", re.msg)
		return
	}
	r.add(0, "", err.Error())
}

// finish sorts the problems by row, then by the kind's column order, and
// counts the valid rows.
func (r *Report) finish() {
	order := map[string]int{}
	for i, c := range r.Kind.Columns() {
		order[c.Name] = i + 1
	}
	slices.SortStableFunc(r.Problems, func(a, b problem.Detail) int {
		if a.Row != b.Row {
			return a.Row - b.Row
		}
		return order[a.Field] - order[b.Field]
	})
	badRows := 0
	for row := range r.bad {
		if row > 0 {
			badRows++
		}
	}
	if r.bad[0] != nil {
		r.Valid = 0
		return
	}
	r.Valid = max(r.Rows-badRows, 0)
}
