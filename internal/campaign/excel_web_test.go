package campaign_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/user"
)

// postWorkbook sends a workbook as the multipart field "file", as a
// browser on the same origin (token "") or a script (bearer token).
func postWorkbook(t *testing.T, e *apptest.Env, c *http.Client, path, token string, data []byte) *apptest.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "answers.xlsx")
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, e.Server.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	} else {
		req.Header.Set("Origin", e.Server.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	if c == nil {
		c = http.DefaultClient
	}
	return e.Do(c, req)
}

// fillAnswers writes a respondent's answers into a downloaded template, and
// optionally one repeat entry; shift inserts a column before the answers.
func fillAnswers(t *testing.T, raw []byte, org string, answers, partner map[string]any, shift bool) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("not a workbook: %v", err)
	}
	col := func(sheet, name string) string {
		rows, _ := f.GetRows(sheet)
		for i, n := range rows[1] {
			if n == name {
				c, _ := excelize.ColumnNumberToName(i + 1)
				return c
			}
		}
		t.Fatalf("no column %s on %s", name, sheet)
		return ""
	}
	rows, _ := f.GetRows("Answers")
	row, inv := 0, ""
	for i, r := range rows {
		if len(r) > 1 && r[1] == org {
			row, inv = i+1, r[0]
		}
	}
	if row == 0 {
		t.Fatalf("no row for %s", org)
	}
	for k, v := range answers {
		f.SetCellValue("Answers", fmt.Sprintf("%s%d", col("Answers", k), row), v)
	}
	if partner != nil {
		partner["invitation_id"], partner["occurrence"] = inv, 1
		for k, v := range partner {
			f.SetCellValue("partners", fmt.Sprintf("%s3", col("partners", k)), v)
		}
	}
	if shift {
		f.UnprotectSheet("Answers")
		f.InsertCols("Answers", "C", 1)
	}
	var buf bytes.Buffer
	f.Write(&buf)
	return buf.Bytes()
}

func webAnswers(total any) map[string]any {
	return map[string]any{"firm_name": "Negril Spice", "year": 2025, "employees_total": total, "employees_women": 1, "employees_youth": 1,
		"jobs_created": 0, "revenue": 900, "exports": 0}
}

func TestExcelWeb(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		e := w.e
		staffUser := e.CreateUser(user.BSOStaff, fmt.Sprintf("bso:%d", w.bso))
		b := e.Browser(staffUser)
		r := e.PostForm(b, "/campaigns", url.Values{"title": {"Firm results 2025"}, "version_id": {fmt.Sprint(w.version)}, "period": {"2025"},
			"opens_on": {day(-1)}, "closes_on": {day(30)}, "deadline": {day(20)}, "reminder_days": {"7, 2"},
			"cluster_ids": {fmt.Sprint(w.clusterA), fmt.Sprint(w.clusterB)}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("create: %d %s", r.StatusCode, r.Body)
		}
		page := r.Header.Get("Location")
		if r := e.PostForm(b, page+"/open", nil); r.StatusCode != 200 {
			t.Fatalf("open: %d", r.StatusCode)
		}
		if r := e.Get(b, page); !strings.Contains(r.Body, page+"/answers/upload") || !strings.Contains(r.Body, page+"/answers.xlsx") {
			t.Errorf("the campaign page has no Excel block")
		}
		r = e.Get(b, page+"/answers/upload")
		if r.StatusCode != 200 || !strings.Contains(r.Body, `<label for="f-file">`) || strings.Contains(r.Body, "campaignexcel.") {
			t.Fatalf("upload page: %d", r.StatusCode)
		}
		r = e.Get(b, page+"/answers.xlsx")
		if r.StatusCode != 200 || !strings.HasPrefix(r.Body, "PK") {
			t.Fatalf("template: %d", r.StatusCode)
		}
		raw := []byte(r.Body)

		// A bad cell: the page lists it by sheet, row and column; nothing is stored.
		bad := webAnswers("many")
		r = postWorkbook(t, e, b, page+"/answers/upload", "", fillAnswers(t, raw, "Negril Spice", bad, nil, false))
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "not a whole number") || !strings.Contains(r.Body, "<code>employees_total</code>") {
			t.Fatalf("bad cell: %d %s", r.StatusCode, r.Body)
		}
		// Shifted columns are refused with a clear message.
		r = postWorkbook(t, e, b, page+"/answers/upload", "", fillAnswers(t, raw, "Negril Spice", webAnswers(4), nil, true))
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "columns were shifted") {
			t.Fatalf("shifted: %d %s", r.StatusCode, r.Body)
		}
		var n int
		d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM submissions`).Scan(&n)
		if n != 0 {
			t.Fatalf("refused uploads stored %d submissions", n)
		}

		// A good upload: preview, then commit.
		good := fillAnswers(t, raw, "Negril Spice", webAnswers(4), map[string]any{"partner_name": "Acme", "partner_type": "firm",
			"cooperation_kind": "supply"}, false)
		r = postWorkbook(t, e, b, page+"/answers/upload", "", good)
		if r.StatusCode != 200 || strings.Count(r.Body, "<h1") != 1 || strings.Contains(r.Body, "campaignexcel.") {
			t.Fatalf("preview: %d %s", r.StatusCode, r.Body)
		}
		m := regexp.MustCompile(`name="upload" value="(\d+)"[\s\S]*name="hash" value="([0-9a-f]+)"`).FindStringSubmatch(r.Body)
		if m == nil {
			t.Fatalf("no commit form: %s", r.Body)
		}
		// Another BSO's staff can neither download nor commit.
		other := e.CreateUser(user.BSOStaff, fmt.Sprintf("bso:%d", w.firm1))
		ob := e.Browser(other)
		if r := e.Get(ob, page+"/answers.xlsx"); r.StatusCode != http.StatusNotFound {
			t.Errorf("other BSO template: %d", r.StatusCode)
		}
		if r := e.PostForm(ob, page+"/answers/commit", url.Values{"upload": {m[1]}, "hash": {m[2]}}); r.StatusCode != http.StatusNotFound {
			t.Errorf("other BSO commit: %d", r.StatusCode)
		}
		if r := postWorkbook(t, e, nil, "/api/v1"+page+"/answers.xlsx?dry_run=true", e.Token(other), good); r.StatusCode != http.StatusNotFound {
			t.Errorf("other BSO API: %d", r.StatusCode)
		}
		r = e.PostForm(b, page+"/answers/commit", url.Values{"upload": {m[1]}, "hash": {m[2]}})
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != page+"/submissions" {
			t.Fatalf("commit: %d %s", r.StatusCode, r.Body)
		}
		var channel, answers string
		d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*), MIN(channel), MIN(answers) FROM submissions`).Scan(&n, &channel, &answers)
		if n != 1 || channel != "excel" || !strings.Contains(answers, "Acme") {
			t.Fatalf("stored %d %s %s", n, channel, answers)
		}
		// The kept file is gone: a second commit is refused.
		if r := e.PostForm(b, page+"/answers/commit", url.Values{"upload": {m[1]}, "hash": {m[2]}}); r.StatusCode != http.StatusNotFound {
			t.Errorf("second commit: %d", r.StatusCode)
		}

		// The API: a bad workbook is 400 with located errors; a dry run
		// stores nothing; a commit of an edit is 201.
		tok := e.Token(staffUser)
		r = e.Get(b, page+"/answers.xlsx")
		raw = []byte(r.Body)
		r = postWorkbook(t, e, nil, "/api/v1"+page+"/answers.xlsx?dry_run=true", tok, fillAnswers(t, raw, "Negril Spice", webAnswers("many"), nil, false))
		var prob struct {
			Status int `json:"status"`
			Errors []struct {
				Sheet, Column, Message string
				Row                    int
			} `json:"errors"`
		}
		if err := json.Unmarshal([]byte(r.Body), &prob); err != nil || r.StatusCode != http.StatusBadRequest ||
			r.Header.Get("Content-Type") != "application/problem+json" || len(prob.Errors) == 0 || prob.Errors[0].Sheet != "Answers" ||
			prob.Errors[0].Row < 3 || prob.Errors[0].Column == "" {
			t.Fatalf("API bad cell: %d %s", r.StatusCode, r.Body)
		}
		r = postWorkbook(t, e, nil, "/api/v1"+page+"/answers.xlsx?dry_run=true", tok, fillAnswers(t, raw, "Negril Spice", webAnswers(4), nil, true))
		if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "shifted") {
			t.Errorf("API shifted: %d %s", r.StatusCode, r.Body)
		}
		edit := fillAnswers(t, raw, "Negril Spice", webAnswers(6), nil, false)
		r = postWorkbook(t, e, nil, "/api/v1"+page+"/answers.xlsx?dry_run=true", tok, edit)
		if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `"edited":1`) || !strings.Contains(r.Body, `"committed":false`) {
			t.Errorf("API dry run: %d %s", r.StatusCode, r.Body)
		}
		r = postWorkbook(t, e, nil, "/api/v1"+page+"/answers.xlsx", tok, edit)
		if r.StatusCode != http.StatusCreated || !strings.Contains(r.Body, `"committed":true`) {
			t.Errorf("API commit: %d %s", r.StatusCode, r.Body)
		}
		var total, current int
		d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*), SUM(CASE WHEN superseded THEN 0 ELSE 1 END) FROM submissions`).Scan(&total, &current)
		if total != 2 || current != 1 {
			t.Errorf("after the edit: %d rows, %d current", total, current)
		}
		if r := e.API("GET", "/api/v1"+page+"/answers.xlsx?lang=fr", tok, nil); r.StatusCode != 200 || !strings.HasPrefix(r.Body, "PK") {
			t.Errorf("API template: %d", r.StatusCode)
		}
	})
}
