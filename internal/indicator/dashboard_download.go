package indicator

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// Downloads of a dashboard: the values behind it (one row per value
// counted, every category) and the aggregated table (one row per indicator
// and year, and one for the life of the programme). Figures are numbers in
// the spreadsheet so that they sort and sum; "no data" is an empty dashCell.

// ValuesHeader is the first row of the values download.
var ValuesHeader = []string{"subject", "subject_name", "subject_type", "country", "indicator_code", "period", "category",
	"value", "state", "source", "version", "received_at", "late"}

// TableHeader is the first row of the aggregated table download.
var TableHeader = []string{"indicator_code", "indicator_name", "unit", "row", "period", "target", "actual", "percent_of_target",
	"subjects_counted", "subjects_reporting", "subjects_expected", "late_values", "share_sex_women", "share_youth_youth"}

// dashCell is one dashCell of a download: a number (nil for no data) or text.
type dashCell = any

func dashNum(v *float64) dashCell {
	if v == nil {
		return nil
	}
	return *v
}

// dashValueRows are the values download's rows.
func dashValueRows(d *Dashboard) [][]dashCell {
	out := make([][]dashCell, 0, len(d.Facts))
	for _, f := range d.Facts {
		cat := f.Category.String()
		if cat == "" {
			cat = "total"
		}
		out = append(out, []dashCell{f.Subject.String(), f.SubjectName, string(f.Subject.Kind), f.Country, f.IndicatorCode, f.Period,
			cat, f.Value, string(f.State), string(f.Source), f.Version, f.ReceivedAt.UTC().Format(time.RFC3339), f.Late()})
	}
	return out
}

// dashTableRows are the aggregated table's rows.
func dashTableRows(d *Dashboard) [][]dashCell {
	var out [][]dashCell
	for _, s := range d.Series {
		ind := s.Indicator
		for n, r := range s.Rows {
			row := []dashCell{ind.Code, ind.Name, ind.Unit, "year", r.Period, dashNum(r.Target), dashNum(r.Actual), dashNum(r.Percent),
				r.Subjects, r.Reporting, r.Expected, r.Late}
			for _, c := range FocusCategories {
				if sh := s.ShareAt(n, c); sh != nil {
					row = append(row, dashNum(sh.Share))
				} else {
					row = append(row, nil)
				}
			}
			out = append(out, row)
		}
		l := s.LoP
		out = append(out, []dashCell{ind.Code, ind.Name, ind.Unit, "life_of_programme:" + string(l.Rule),
			fmt.Sprintf("%d/%d", l.From, l.To), dashNum(l.Target), dashNum(l.Actual), dashNum(l.Percent), nil, nil, nil, nil, nil, nil})
	}
	return out
}

// dashCellText writes a dashCell for CSV: numbers in full precision, no data empty.
func dashCellText(c dashCell) string {
	switch v := c.(type) {
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case int:
		return strconv.Itoa(v)
	case bool:
		return strconv.FormatBool(v)
	case string:
		return v
	}
	return fmt.Sprint(c)
}

func dashWriteCSV(w io.Writer, header []string, rows [][]dashCell) error {
	cw := csv.NewWriter(w)
	cw.Write(header)
	rec := make([]string, len(header))
	for _, r := range rows {
		for i, c := range r {
			rec[i] = dashCellText(c)
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

func dashWriteXLSX(w io.Writer, sheet string, header []string, rows [][]dashCell) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	head := make([]any, len(header))
	for i, h := range header {
		head[i] = h
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	for n, r := range rows {
		at, _ := excelize.CoordinatesToCellName(1, n+2)
		if err := sw.SetRow(at, r); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

// dashLoad reads ?scope= and the dashboard's filters.
func dashLoad(s *Store, r *http.Request) (*Dashboard, error) {
	sc, err := ParseResultsScope(r.URL.Query().Get("scope"))
	if err != nil {
		var f problem.Fields
		f.Add("scope", "%s.", upperFirst(err.Error()))
		return nil, f.Err()
	}
	dq, err := parseDashQuery(r.URL.Query(), sc)
	if err != nil {
		return nil, err
	}
	return s.Dashboard(r.Context(), user.ActorFrom(r.Context()), dq)
}

func dashDownloadName(d *Dashboard, what, ext string) string {
	scope := "region"
	switch d.Scope.Kind {
	case ScopeCountry:
		scope = d.Scope.ISO3
	case ScopeCluster:
		scope = "cluster-" + strconv.FormatInt(d.Scope.ClusterID, 10)
	}
	return fmt.Sprintf("results-%s-%s-%d-%d.%s", what, scope, d.From, d.To, ext)
}

// HandleResultsDownload serves a dashboard's values ("values") or its
// aggregated table ("table") as CSV or XLSX.
func HandleResultsDownload(s *Store, rd *web.Renderer, what, format string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d, err := dashLoad(s, r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		header, rows, sheet := ValuesHeader, dashValueRows(d), "Values"
		if what == "table" {
			header, rows, sheet = TableHeader, dashTableRows(d), "Results"
		}
		if format == "xlsx" {
			var buf bytes.Buffer
			if err := dashWriteXLSX(&buf, sheet, header, rows); err != nil {
				rd.Error(w, r, err)
				return
			}
			w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
			w.Header().Set("Content-Disposition", `attachment; filename="`+dashDownloadName(d, what, format)+`"`)
			w.Write(buf.Bytes())
			return
		}
		w.Header().Set("Content-Disposition", `attachment; filename="`+dashDownloadName(d, what, format)+`"`)
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		dashWriteCSV(w, header, rows)
	})
}
