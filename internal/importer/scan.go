package importer

import (
	"fmt"
)

// record is one data row: its values in the kind's column order, trimmed,
// and how it was read.
type record struct {
	row      int
	vals     []string
	cols     []Column
	workbook bool
	date1904 bool
}

// get returns the value of the named column ("" when the file lacks it).
func (r *record) get(name string) string {
	for i, c := range r.cols {
		if c.Name == name {
			return r.vals[i]
		}
	}
	return ""
}

// scan reads a file row by row, checks what is the same for every kind
// (header, blank rows, row limit, formula cells, values outside any
// column, formula-like text) into rep and hands each data row to each. It stops
// early on a problem that makes the rest of the file meaningless.
func scan(rep *Report, data []byte, each func(rec *record)) {
	kind := rep.Kind
	rr, src, closeFn, err := open(kind, rep.Source.File, data)
	defer closeFn()
	src.File = rep.Source.File
	rep.Source = src
	if err != nil {
		rep.fail(err)
		return
	}
	x, workbook := rr.(*xlsxReader)
	var h *header
	for {
		raw, ok := rr.Next()
		if !ok {
			break
		}
		if raw.blank() {
			continue
		}
		if h == nil {
			var msgs []string
			if h, msgs = mapHeader(kind, raw.cells); len(msgs) > 0 {
				for _, m := range msgs {
					rep.add(raw.num, "", m)
				}
				return
			}
			continue
		}
		rep.Rows++
		if rep.Rows > MaxRows {
			rep.add(0, "", fmt.Sprintf("the file has more than %d data rows; split it into files of at most %d rows", MaxRows, MaxRows))
			return
		}
		rec := &record{row: raw.num, vals: h.values(raw.cells), cols: h.cols, workbook: workbook}
		if workbook {
			rec.date1904 = x.date1904
		}
		for _, cell := range raw.formulas {
			field := h.column(cell)
			if field == "" {
				field = cellName(cell, raw.num)
			}
			rep.add(raw.num, field, fmt.Sprintf("cell %s holds a formula; formulas are not accepted: copy the cells and paste values only", cellName(cell, raw.num)))
		}
		for _, cell := range h.strays(raw.cells) {
			rep.add(raw.num, cellName(cell, raw.num), fmt.Sprintf("cell %s has a value but its column has no header; remove the value or name the column", cellName(cell, raw.num)))
		}
		for i, v := range rec.vals {
			if c := h.cols[i].Name; !rep.has(raw.num, c) && looksLikeFormula(v) {
				rep.add(raw.num, c, "the text starts like a spreadsheet formula (=, or +, -, @ before a function); formulas are not accepted, enter the value itself")
			}
		}
		each(rec)
	}
	if err := rr.Err(); err != nil {
		rep.fail(err)
		return
	}
	switch {
	case h == nil:
		rep.add(0, "", "the file is empty: it has no header row; start from the template")
	case rep.Rows == 0:
		rep.add(0, "", "the file has a header row but no data rows")
	}
}
