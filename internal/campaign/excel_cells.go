package campaign

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/clusterobservatory/observatory/internal/form"
)

// readCell reads one filled cell as the answer its field stores, or says
// why it cannot. Excel keeps typed numbers and dates as numbers: a date
// cell holds the days since 1900, read back as YYYY-MM-DD.
func readCell(f form.Field, s string) (any, string) {
	s = strings.TrimSpace(s)
	switch f.Type {
	case form.TypeInteger:
		n, err := strconv.ParseFloat(s, 64)
		if err != nil || n != math.Trunc(n) || math.Abs(n) > 1e15 {
			return nil, fmt.Sprintf("%q is not a whole number.", s)
		}
		return json.Number(strconv.FormatInt(int64(n), 10)), ""
	case form.TypeDecimal:
		v, ok := convert(f, s)
		if !ok {
			return nil, fmt.Sprintf("%q is not a number.", s)
		}
		return v, ""
	case form.TypeDate:
		if n, err := strconv.ParseFloat(s, 64); err == nil {
			if t, err := excelize.ExcelDateToTime(n, false); err == nil && n >= 1 {
				return t.Format(dateLayout), ""
			}
		} else if t, err := time.Parse(dateLayout, s); err == nil {
			return t.Format(dateLayout), ""
		}
		return nil, fmt.Sprintf("%q is not a date: write it as YYYY-MM-DD, such as 2025-07-01.", s)
	case form.TypeDateTime:
		if n, err := strconv.ParseFloat(s, 64); err == nil {
			if t, err := excelize.ExcelDateToTime(n, false); err == nil && n >= 1 {
				return t.Format("2006-01-02T15:04:05"), ""
			}
		}
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04"} {
			if _, err := time.Parse(layout, s); err == nil {
				return s, ""
			}
		}
		return nil, fmt.Sprintf("%q is not a date and time: write it as YYYY-MM-DDTHH:MM, such as 2025-07-01T14:30.", s)
	case form.TypeSelectMultiple:
		// Choices are separated by spaces, as ODK stores them; commas and
		// semicolons are taken too.
		return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == ';' || r == '\n' || r == '\t' }), " "), ""
	case form.TypeAcknowledge:
		if strings.EqualFold(s, "OK") {
			return "OK", ""
		}
		return nil, fmt.Sprintf("%q does not acknowledge: write OK, or leave the cell empty.", s)
	}
	return s, ""
}

func emptyAnswer(v any) bool {
	if v == nil {
		return true
	}
	s, ok := v.(string)
	return ok && strings.TrimSpace(s) == ""
}

// comparable keeps the part of answers a workbook holds, each value read
// the way a cell is read, so that stored answers and a workbook's compare
// equal when the workbook changed nothing.
func comparable(def *form.Definition, a map[string]any) map[string]any {
	norm := func(f form.Field, v any) any {
		if out, msg := readCell(f, Text(v)); msg == "" {
			return out
		}
		return Text(v)
	}
	out := map[string]any{}
	for _, f := range Columns(def, "") {
		if v, ok := a[f.Name]; ok && !emptyAnswer(v) {
			out[f.Name] = norm(f, v)
		}
	}
	for _, r := range Repeats(def) {
		var rows []any
		for _, rr := range RepeatRows(a, r.Name) {
			m := map[string]any{}
			for _, f := range Columns(def, r.Name) {
				if v, ok := rr[f.Name]; ok && !emptyAnswer(v) {
					m[f.Name] = norm(f, v)
				}
			}
			if len(m) > 0 {
				rows = append(rows, m)
			}
		}
		if len(rows) > 0 {
			out[r.Name] = rows
		}
	}
	return out
}

// changedFields names the questions (and repeats) whose answers differ.
func changedFields(def *form.Definition, before, after map[string]any) []string {
	var out []string
	same := func(a, b any) bool {
		x, _ := json.Marshal(a)
		y, _ := json.Marshal(b)
		return string(x) == string(y)
	}
	for _, f := range Columns(def, "") {
		if !same(before[f.Name], after[f.Name]) {
			out = append(out, f.Name)
		}
	}
	for _, r := range Repeats(def) {
		if !same(before[r.Name], after[r.Name]) {
			out = append(out, r.Name)
		}
	}
	return out
}

// kept are the stored answers an edit from a workbook carries over: those
// of fields a workbook cannot hold (media, locations), which only other
// channels give.
func kept(def *form.Definition, stored map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range stored {
		f, ok := def.Field(k)
		if !ok || f.Repeat != "" || answerable(*f) || f.Type.IsContainer() || f.Type == form.TypeCalculate || f.Type == form.TypeNote {
			continue
		}
		out[k] = v
	}
	return out
}
