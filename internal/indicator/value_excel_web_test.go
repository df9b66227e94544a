package indicator_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/indicator"
	"github.com/clusterobservatory/observatory/internal/user"
)

var rawExcelKey = regexp.MustCompile(`indicatorexcel\.[a-z_]+`)

func checkExcelPage(t *testing.T, where, body string) {
	t.Helper()
	checkPage(t, where, body)
	if m := rawExcelKey.FindString(body); m != "" {
		t.Errorf("%s: untranslated key %q on the page", where, m)
	}
}

// postFile sends a workbook as the multipart field "file", with fields,
// as a browser on the same origin (token "" ) or a script (bearer token).
func postFile(t *testing.T, e *apptest.Env, c *http.Client, path, token string, data []byte, fields map[string]string) *apptest.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", "values.xlsx")
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

// fillTemplate writes values into a downloaded template: cells maps
// "CODE|category|subject|period" to a value.
func fillTemplate(t *testing.T, raw []byte, cells map[string]any) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("template is not a workbook: %v", err)
	}
	meta, _ := f.GetRows("Meta")
	data, _ := f.GetRows("Data")
	for key, v := range cells {
		p := strings.Split(key, "|")
		col, row := "", 0
		for _, m := range meta {
			if len(m) >= 3 && m[1] == p[0] && m[2] == p[1] {
				col = m[0]
			}
		}
		for n, r := range data {
			if len(r) >= 3 && r[0] == p[2] && r[2] == p[3] {
				row = n + 1
			}
		}
		if col == "" || row == 0 {
			t.Fatalf("no cell for %s", key)
		}
		f.SetCellValue("Data", col+strconv.Itoa(row), v)
	}
	var buf bytes.Buffer
	f.Write(&buf)
	return buf.Bytes()
}

var (
	uploadField = regexp.MustCompile(`name="upload" value="(\d+)"`)
	hashField   = regexp.MustCompile(`name="hash" value="([0-9a-f]+)"`)
)

func TestEnterValuesThroughExcel(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		e := f.e
		ctx := context.Background()
		subject := fmt.Sprintf("cluster:%d", f.clusterA)
		b := e.Browser(e.CreateUser(user.BSOStaff, fmt.Sprintf("bso:%d", f.bsoA)))

		r := e.Get(b, "/indicators/values/excel")
		wantStatus(t, "excel page", r, 200)
		wantBody(t, "excel page", r, true, "Cluster initiatives in Jamaica", "Members of Kingston Creative", `value="CERTIFICATIONS" checked`,
			`enctype="multipart/form-data"`)
		checkExcelPage(t, "excel page", r.Body)
		r = e.Get(b, "/indicators/values?subject="+subject+"&period=2025")
		wantBody(t, "entry grid", r, true, `href="/indicators/values/excel"`)

		r = e.Get(b, "/indicators/values/excel/template.xlsx?subjects=country:JAM&period_type=quarter&from=2025&indicator=JOBS_CREATED")
		wantStatus(t, "bad template", r, 422)
		wantBody(t, "bad template", r, true, "JOBS_CREATED is collected yearly")
		checkExcelPage(t, "bad template", r.Body)

		r = e.Get(b, "/indicators/values/excel/template.xlsx?subjects=country:JAM&period_type=year&from=2025")
		wantStatus(t, "template", r, 200)
		if ct := r.Header.Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") {
			t.Fatalf("template content type %q", ct)
		}
		filled := fillTemplate(t, []byte(r.Body), map[string]any{
			"JOBS_CREATED|total|" + subject + "|2025":     40,
			"JOBS_CREATED|sex:women|" + subject + "|2025": 25,
			"REVENUE|total|" + subject + "|2025":          1250000.5,
		})

		// Preview, then commit.
		r = postFile(t, e, b, "/indicators/values/excel", "", filled, nil)
		wantStatus(t, "preview", r, 200)
		wantBody(t, "preview", r, true, "Check before storing", "New values", "1,250,000.5", `action="/indicators/values/excel/commit"`)
		checkExcelPage(t, "preview", r.Body)
		var n int
		d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM indicator_values`).Scan(&n)
		if n != 0 {
			t.Fatalf("%d values stored by a preview", n)
		}
		up, hash := uploadField.FindStringSubmatch(r.Body), hashField.FindStringSubmatch(r.Body)
		if up == nil || hash == nil {
			t.Fatal("preview has no commit form")
		}
		// Another person may not commit it.
		other := e.Browser(e.CreateUser(user.BSOStaff, fmt.Sprintf("bso:%d", f.bsoA)))
		r = e.PostForm(other, "/indicators/values/excel/commit", map[string][]string{"upload": {up[1]}, "hash": {hash[1]}})
		wantStatus(t, "other's commit", r, 404)
		r = e.PostForm(b, "/indicators/values/excel/commit", map[string][]string{"upload": {up[1]}, "hash": {hash[1]}})
		wantStatus(t, "commit", r, 200)
		wantBody(t, "commit", r, true, "Values stored", "3 values stored", "/indicators/values?period=2025&amp;subject=cluster")
		checkExcelPage(t, "result", r.Body)
		d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM indicator_values WHERE source = 'import' AND state = 'received'`).Scan(&n)
		if n != 3 {
			t.Errorf("%d imported values, want 3", n)
		}
		r = e.PostForm(b, "/indicators/values/excel/commit", map[string][]string{"upload": {up[1]}, "hash": {hash[1]}})
		wantStatus(t, "second commit", r, 404)

		// A refused upload lists every problem by row and column.
		bad := fillTemplate(t, filled, map[string]any{"JOBS_CREATED|sex:men|" + subject + "|2025": "lots"})
		r = postFile(t, e, b, "/indicators/values/excel", "", bad, nil)
		wantStatus(t, "refused", r, 422)
		wantBody(t, "refused", r, true, "Problems in the workbook (1)", "&#34;lots&#34; is not a number", "<code>JOBS_CREATED · Men</code>")
		checkExcelPage(t, "refused", r.Body)
		r = postFile(t, e, b, "/indicators/values/excel", "", []byte("a,b\n1,2"), nil)
		wantStatus(t, "csv", r, 422)
		wantBody(t, "csv", r, true, "is not an Excel workbook")

		// Other languages.
		for _, lang := range []string{"es", "fr", "nl"} {
			c := e.Browser(e.CreateUser(user.BSOStaff, fmt.Sprintf("bso:%d", f.bsoA)))
			c.Jar.SetCookies(mustParse(e.Server.URL), []*http.Cookie{{Name: "lang", Value: lang, Path: "/"}})
			r := e.Get(c, "/indicators/values/excel")
			wantStatus(t, lang, r, 200)
			checkExcelPage(t, lang, r.Body)
		}

		// A coordinator enters no values.
		co := e.Browser(e.CreateUser(user.CountryCoordinator, "country:JAM"))
		r = e.Get(co, "/indicators/values/excel")
		wantStatus(t, "coordinator page", r, 200)
		wantBody(t, "coordinator page", r, false, `name="file"`)
		r = postFile(t, e, co, "/indicators/values/excel", "", filled, nil)
		wantStatus(t, "coordinator upload", r, 403)
	})
}

func TestValueImportAPI(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		e := f.e
		ctx := context.Background()
		subject := fmt.Sprintf("cluster:%d", f.clusterA)
		token := e.Token(e.CreateUser(user.BSOStaff, fmt.Sprintf("bso:%d", f.bsoA)))

		req, _ := http.NewRequest(http.MethodGet, e.Server.URL+"/api/v1/values/template.xlsx?subjects=country:JAM&period_type=quarter&from=2025&lang=fr", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		r := e.Do(http.DefaultClient, req)
		wantStatus(t, "api template", r, 200)
		filled := fillTemplate(t, []byte(r.Body), map[string]any{
			"CERTIFICATIONS|total|" + subject + "|2025-Q1":           2,
			"CERTIFICATIONS|firm_size:micro|" + subject + "|2025-Q1": 3,
		})
		r = e.API("GET", "/api/v1/values/template.xlsx?subjects=country:JAM&period_type=week&from=2025", token, nil)
		wantStatus(t, "api bad template", r, 422)

		r = postFile(t, e, nil, "/api/v1/values/import", token, filled, map[string]string{"dry_run": "true"})
		wantStatus(t, "dry run", r, 200)
		var sum indicator.ExcelSummary
		r.JSON(t, &sum)
		if sum.New != 2 || sum.Committed || len(sum.Warnings) != 1 {
			t.Errorf("dry run %+v", sum)
		}
		var n int
		d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM indicator_values`).Scan(&n)
		if n != 0 {
			t.Fatalf("a dry run stored %d values", n)
		}

		bad := fillTemplate(t, filled, map[string]any{"CERTIFICATIONS|firm_size:small|" + subject + "|2025-Q2": -1})
		r = postFile(t, e, nil, "/api/v1/values/import", token, bad, nil)
		wantStatus(t, "api refused", r, 422)
		if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
			t.Errorf("content type %q", ct)
		}
		var pd struct {
			Status int `json:"status"`
			Total  int `json:"total"`
			Errors []indicator.ExcelProblem
		}
		r.JSON(t, &pd)
		if pd.Total != 1 || pd.Errors[0].Sheet != "Data" || pd.Errors[0].Row != 6 || pd.Errors[0].Column == "" ||
			!strings.HasPrefix(pd.Errors[0].Header, "CERTIFICATIONS") {
			t.Errorf("problem %+v", pd)
		}

		r = postFile(t, e, nil, "/api/v1/values/import", token, filled, map[string]string{"dry_run": "false"})
		wantStatus(t, "api import", r, 201)
		r.JSON(t, &sum)
		if sum.Saved != 2 || !sum.Committed {
			t.Errorf("import %+v", sum)
		}
		r = postFile(t, e, nil, "/api/v1/values/import", token, filled, map[string]string{"dry_run": "maybe"})
		wantStatus(t, "bad dry_run", r, 422)
		r = postFile(t, e, nil, "/api/v1/values/import", "", filled, nil)
		wantStatus(t, "anonymous", r, 401)
	})
}

func mustParse(raw string) *url.URL {
	u, err := url.Parse(raw)
	if err != nil {
		panic(err)
	}
	return u
}
