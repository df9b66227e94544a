package form_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/form"
	"github.com/clusterobservatory/observatory/internal/user"
)

// upload posts a workbook as the multipart field "file", with a bearer
// token or through a signed-in browser client.
func upload(e *apptest.Env, c *http.Client, path, token, name string, b []byte) *apptest.Response {
	e.T.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(b)
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

func workbook(t *testing.T, name, version string) []byte {
	t.Helper()
	tpl, _ := form.StandardByName(name)
	def := tpl.Definition()
	if version != "" {
		def.Version = version
	}
	b, err := form.WriteXLSForm(def)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAPI(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)
		officer := e.Token(e.CreateUser(user.ProgrammeOfficer, ""))
		manager := e.Token(e.CreateUser(user.Reviewer, ""))

		r := upload(e, nil, "/api/v1/forms", officer, "firm_results.xlsx", workbook(t, "firm_results", ""))
		if r.StatusCode != http.StatusCreated {
			t.Fatalf("import: %d %s", r.StatusCode, r.Body)
		}
		var created struct {
			Form    form.Form    `json:"form"`
			Version form.Version `json:"version"`
			Fields  []struct {
				Name       string `json:"name"`
				Type       string `json:"type"`
				Required   bool   `json:"required"`
				ChoiceList string `json:"choice_list"`
			} `json:"fields"`
		}
		r.JSON(t, &created)
		if created.Form.FormID != "firm_results" || created.Version.Version != "2026.1" || len(created.Fields) == 0 {
			t.Fatalf("created = %+v", created)
		}
		found := false
		for _, f := range created.Fields {
			if f.Name == "partner_type" && f.Type == "select_one" && f.Required && f.ChoiceList == "partner_type" {
				found = true
			}
		}
		if !found {
			t.Errorf("fields lack partner_type: %+v", created.Fields)
		}

		// A workbook with problems: 400, problem details naming sheet, row and column.
		bad := workbookWith(t, [][]string{{"type", "name", "label"}, {"integer", "a", "A"}, {"text", "a", "B"}, {"select_one nolist", "b", "C"}})
		r = upload(e, nil, "/api/v1/forms", officer, "bad.xlsx", bad)
		if r.StatusCode != http.StatusBadRequest || r.Header.Get("Content-Type") != "application/problem+json" {
			t.Fatalf("bad import: %d %s %s", r.StatusCode, r.Header.Get("Content-Type"), r.Body)
		}
		var prob struct {
			Status int          `json:"status"`
			Errors []form.Issue `json:"errors"`
		}
		r.JSON(t, &prob)
		if prob.Status != 400 || len(prob.Errors) != 2 || prob.Errors[0].Sheet != "survey" || prob.Errors[0].Row != 3 || prob.Errors[0].Column != "B" {
			t.Errorf("problem = %+v", prob)
		}
		// No file at all.
		r = e.API("POST", "/api/v1/forms", officer, map[string]string{"x": "y"})
		if r.StatusCode != http.StatusBadRequest {
			t.Errorf("no file: %d %s", r.StatusCode, r.Body)
		}
		// The same version again: 409.
		r = upload(e, nil, "/api/v1/forms", officer, "again.xlsx", workbook(t, "firm_results", ""))
		if r.StatusCode != http.StatusConflict || !strings.Contains(r.Body, "2026.1") {
			t.Errorf("repeat: %d %s", r.StatusCode, r.Body)
		}
		// A new version.
		if r = upload(e, nil, "/api/v1/forms", officer, "v2.xlsx", workbook(t, "firm_results", "2026.2")); r.StatusCode != http.StatusCreated {
			t.Fatalf("v2: %d %s", r.StatusCode, r.Body)
		}
		// Roles.
		if r = upload(e, nil, "/api/v1/forms", manager, "m.xlsx", workbook(t, "cluster_progress", "")); r.StatusCode != http.StatusForbidden {
			t.Errorf("manager import: %d", r.StatusCode)
		}
		if r = e.API("GET", "/api/v1/forms", "", nil); r.StatusCode != http.StatusUnauthorized {
			t.Errorf("anonymous: %d", r.StatusCode)
		}
		// Reads.
		r = e.API("GET", "/api/v1/forms", manager, nil)
		if r.StatusCode != 200 || !strings.Contains(r.Body, `"total":1`) {
			t.Errorf("list: %d %s", r.StatusCode, r.Body)
		}
		for _, key := range []string{fmt.Sprint(created.Form.ID), "firm_results"} {
			r = e.API("GET", "/api/v1/forms/"+key, manager, nil)
			var detail struct {
				form.Form
				VersionList []form.Version `json:"version_list"`
			}
			r.JSON(t, &detail)
			if r.StatusCode != 200 || len(detail.VersionList) != 2 || detail.VersionList[0].Version != "2026.2" {
				t.Errorf("get %s: %d %s", key, r.StatusCode, r.Body)
			}
		}
		r = e.API("GET", "/api/v1/forms/firm_results/versions/2026.1", manager, nil)
		var vd struct {
			form.Version
			Definition form.Definition `json:"definition"`
		}
		r.JSON(t, &vd)
		if r.StatusCode != 200 || vd.Version.Version != "2026.1" || len(vd.Definition.Languages) != 4 {
			t.Errorf("version: %d %s", r.StatusCode, r.Body)
		}
		if r = e.API("GET", "/api/v1/forms/firm_results/versions/9", manager, nil); r.StatusCode != 404 {
			t.Errorf("missing version: %d", r.StatusCode)
		}
	})
}

// workbookWith is a workbook of one survey sheet and the usual settings.
func workbookWith(t *testing.T, survey [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "survey")
	f.NewSheet("settings")
	write := func(sheet string, rows [][]string) {
		for r, row := range rows {
			for c, v := range row {
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				f.SetCellStr(sheet, ref, v)
			}
		}
	}
	write("survey", survey)
	write("settings", [][]string{{"form_id", "version"}, {"bad_form", "1"}})
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestPages(t *testing.T) {
	d := dbtest.SQLite(t)
	e := apptest.New(t, d)
	var bso int64
	err := d.Tx(context.Background(), func(tx *sql.Tx) error {
		return tx.QueryRowContext(context.Background(), `INSERT INTO organisations (kind, name, name_norm, country_iso3, created_at, updated_at)
			VALUES ('bso', 'Export Agency', 'export agency', 'JAM', $1, $1) RETURNING id`, db.Now()).Scan(&bso)
	})
	if err != nil {
		t.Fatal(err)
	}
	staff := e.Browser(e.CreateUser(user.BSOStaff, fmt.Sprintf("bso:%d", bso)))
	reader := e.Browser(e.CreateUser(user.Reviewer, ""))

	for _, p := range []string{"/forms", "/forms/new"} {
		if r := e.Get(staff, p); r.StatusCode != 200 {
			t.Errorf("%s: %d", p, r.StatusCode)
		}
	}
	if r := e.Get(reader, "/forms/new"); r.StatusCode != http.StatusForbidden {
		t.Errorf("reviewer /forms/new: %d", r.StatusCode)
	}
	// Template download re-imports.
	r := e.Get(staff, "/forms/templates/cluster_progress.xlsx")
	if r.StatusCode != 200 || !strings.Contains(r.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("template download: %d", r.StatusCode)
	}
	if _, err := form.ParseXLSForm([]byte(r.Body), "cluster_progress.xlsx"); err != nil {
		t.Errorf("downloaded template: %v", err)
	}
	// One click creates the form from a template.
	r = e.PostForm(staff, "/forms/templates/firm_results", url.Values{})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("use template: %d %s", r.StatusCode, r.Body)
	}
	page := r.Header.Get("Location")
	if !strings.HasSuffix(page, "/versions/2026.1") {
		t.Fatalf("redirect to %s", page)
	}
	// Again: the version exists, the page says so.
	r = e.PostForm(staff, "/forms/templates/firm_results", url.Values{})
	if r.StatusCode != http.StatusConflict || !strings.Contains(r.Body, "2026.1") {
		t.Errorf("template again: %d", r.StatusCode)
	}
	r = e.Get(reader, page)
	if r.StatusCode != 200 || !strings.Contains(r.Body, "employees_women") || !strings.Contains(r.Body, "partner_type") {
		t.Fatalf("form page: %d", r.StatusCode)
	}
	r = e.Get(reader, page+"/xform.xml")
	if r.StatusCode != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/xml") || !strings.HasPrefix(r.Header.Get("ETag"), `"md5:`) ||
		!strings.Contains(r.Body, `<firm_results id="firm_results" version="2026.1">`) {
		t.Errorf("xform: %d %s", r.StatusCode, r.Header)
	}
	r = e.Get(reader, page+"/xlsform")
	if _, err := form.ParseXLSForm([]byte(r.Body), "x.xlsx"); r.StatusCode != 200 || err != nil {
		t.Errorf("original workbook: %d %v", r.StatusCode, err)
	}
	// Publication, by staff only.
	if r = e.PostForm(reader, page+"/publish", nil); r.StatusCode != http.StatusForbidden {
		t.Errorf("reviewer publish: %d", r.StatusCode)
	}
	if r = e.PostForm(staff, page+"/publish", nil); r.StatusCode != http.StatusSeeOther {
		t.Errorf("publish: %d", r.StatusCode)
	}
	if r = e.Get(staff, page); !strings.Contains(r.Body, "Unpublish this version") || strings.Contains(r.Body, "Not published") {
		t.Error("the page does not show the version as published")
	}
	// Mappings: a category outside the indicator's dimensions is refused.
	var jobs, certs int64
	d.Read().QueryRowContext(context.Background(), `SELECT id FROM indicators WHERE code = 'CERTIFICATIONS'`).Scan(&certs)
	d.Read().QueryRowContext(context.Background(), `SELECT MIN(i.id) FROM indicators i JOIN indicator_disaggregations a ON a.indicator_id = i.id AND a.dimension_code = 'sex'`).Scan(&jobs)
	if r = e.Get(staff, page+"/mappings"); r.StatusCode != 200 || !strings.Contains(r.Body, "employees_total") {
		t.Fatalf("mappings page: %d", r.StatusCode)
	}
	r = e.PostForm(staff, page+"/mappings", url.Values{"field": {"certifications", "employees_women"},
		"indicator_certifications": {fmt.Sprint(certs)}, "category_certifications": {"sex:women"}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "CERTIFICATIONS has no category") {
		t.Errorf("bad mapping: %d", r.StatusCode)
	}
	form := url.Values{"field": {"certifications", "employees_women"},
		"indicator_certifications": {fmt.Sprint(certs)}, "category_certifications": {""}}
	if jobs != 0 {
		form.Set("indicator_employees_women", fmt.Sprint(jobs))
		form.Set("category_employees_women", "sex:women")
	}
	if r = e.PostForm(staff, page+"/mappings", form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("mapping: %d %s", r.StatusCode, r.Body)
	}
	if r = e.Get(reader, page); !strings.Contains(r.Body, "CERTIFICATIONS") {
		t.Error("the form page does not show the mapping")
	}
	// A refused upload lists the problems by sheet, row and column.
	bad := workbookWith(t, [][]string{{"type", "name", "label"}, {"txt", "a", "A"}})
	r = upload(e, staff, "/forms", "", "bad.xlsx", bad)
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "&#34;txt&#34; is not supported") {
		t.Errorf("bad upload: %d", r.StatusCode)
	}
	r = upload(e, staff, "/forms", "", "cp.xlsx", workbook(t, "cluster_progress", ""))
	if r.StatusCode != http.StatusSeeOther {
		t.Errorf("upload: %d %s", r.StatusCode, r.Body)
	}
	if r = e.Get(reader, "/forms"); !strings.Contains(r.Body, "cluster_progress") || !strings.Contains(r.Body, "firm_results") {
		t.Error("the list lacks a form")
	}
}
