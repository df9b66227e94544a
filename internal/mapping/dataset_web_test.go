package mapping_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/job"
	"github.com/clusterobservatory/observatory/internal/mapping"
	"github.com/clusterobservatory/observatory/internal/user"
)

// datasetUpload builds a multipart request of the upload form or the API.
func datasetUpload(t *testing.T, e *apptest.Env, path string, fields map[string]string, file, body string) *http.Request {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if file != "" {
		fw, _ := mw.CreateFormFile("file", file)
		fw.Write([]byte(body))
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, e.Server.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", e.Server.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return req
}

// waitJob waits for a job to end and returns it.
func waitJob(t *testing.T, e *apptest.Env, id int64) *job.Progress {
	t.Helper()
	for range 1000 {
		p, err := e.App.Jobs.Progress(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if p.State.Final() {
			return p
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("job %d did not end", id)
	return nil
}

func TestDatasetPagesAndUpload(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)
		ctx := context.Background()
		if err := e.App.Jobs.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer e.App.Jobs.Stop(ctx)
		staff := e.CreateUser(user.BSOStaff, "bso:1")
		c := e.Browser(staff)
		fields := map[string]string{"name": "Parishes", "classification": "isic4", "source": "STATIN", "country": "JAM"}

		r := e.Get(c, "/mapping/datasets/new")
		if r.StatusCode != 200 || !strings.Contains(r.Body, `id="f-file"`) || !strings.Contains(r.Body, `value="JAM"`) {
			t.Fatalf("form: %d", r.StatusCode)
		}
		// A form without a file comes back with the problem on the field.
		r = e.Do(c, datasetUpload(t, e, "/mapping/datasets/new", fields, "", ""))
		if r.StatusCode != 422 || !strings.Contains(r.Body, "Choose a CSV or Excel file") {
			t.Fatalf("no file: %d", r.StatusCode)
		}

		r = e.Do(c, datasetUpload(t, e, "/mapping/datasets/new", fields, "parishes.csv", firstFile))
		loc := r.Header.Get("Location")
		if r.StatusCode != 303 || !strings.HasPrefix(loc, "/jobs/") {
			t.Fatalf("upload: %d %q\n%s", r.StatusCode, loc, r.Body)
		}
		jobID, _ := strconv.ParseInt(strings.TrimPrefix(loc, "/jobs/"), 10, 64)
		p := waitJob(t, e, jobID)
		if p.State != job.Succeeded || p.Result == nil || !strings.HasPrefix(p.Result.Link, "/mapping/datasets/") || p.Done != 5 || p.Total != 5 {
			t.Fatalf("job: %s %q %+v %d/%d", p.State, p.Message, p.Result, p.Done, p.Total)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM uploads`); n != 0 {
			t.Errorf("%d uploads left after the job", n)
		}
		page := p.Result.Link
		r = e.Get(c, page)
		if r.StatusCode != 200 || !strings.Contains(r.Body, "Port Town") || !strings.Contains(r.Body, `data-table="dataset-years"`) ||
			!strings.Contains(r.Body, `href="/organisations?area=`) || !strings.Contains(r.Body, "STATIN") {
			t.Fatalf("dataset page: %d\n%s", r.StatusCode, r.Body)
		}
		r = e.Get(c, page+".csv")
		if r.StatusCode != 200 || !strings.HasPrefix(r.Body, "year,area,industry,employment,area_name,establishments,wages,suppressed\n") ||
			!strings.Contains(r.Body, "2020,JM-01,0111,400,Kingston,20,1000.25,\n") || !strings.Contains(r.Body, "2021,XX-9,4711,,Port Town,,,yes\n") {
			t.Fatalf("csv: %d\n%s", r.StatusCode, r.Body)
		}
		r = e.Get(c, "/mapping/datasets")
		if r.StatusCode != 200 || !strings.Contains(r.Body, `href="`+page+`"`) || !strings.Contains(r.Body, "2020–2021") {
			t.Fatalf("list: %d", r.StatusCode)
		}
		if r := e.Get(c, "/mapping/datasets/template.csv"); r.StatusCode != 200 || !strings.Contains(r.Body, "year,area,industry,employment,area_name") {
			t.Errorf("template: %d %q", r.StatusCode, r.Body)
		}

		// A bad file: the job ends with the problems located by row and
		// column, and the dataset is as it was.
		bad := strings.Replace(firstFile, "2020,JAM,1010,50", "2020,JAM,1010,-50", 1)
		r = e.Do(c, datasetUpload(t, e, "/mapping/datasets/new", fields, "parishes.csv", bad))
		jobID, _ = strconv.ParseInt(strings.TrimPrefix(r.Header.Get("Location"), "/jobs/"), 10, 64)
		p = waitJob(t, e, jobID)
		if p.State != job.Failed || !strings.Contains(p.Message, "row 4, column employment") || !strings.Contains(p.Message, "nothing was imported") {
			t.Fatalf("bad file job: %s %q", p.State, p.Message)
		}
		if r := e.Get(c, "/jobs/"+strconv.FormatInt(jobID, 10)); !strings.Contains(r.Body, "row 4, column employment") {
			t.Errorf("the job page does not show the problem")
		}
		if n := count(t, d, `SELECT COUNT(*) FROM employment_cells WHERE employment = 50`); n != 1 {
			t.Errorf("the dataset changed: %d", n)
		}

		// API: list, detail, upload as a token, and the refusals.
		tok := e.Token(staff)
		r = e.API("GET", "/api/v1/datasets", tok, nil)
		if r.StatusCode != 200 || !strings.Contains(r.Body, `"name":"Parishes"`) || !strings.Contains(r.Body, `"total":1`) {
			t.Fatalf("api list: %d %s", r.StatusCode, r.Body)
		}
		id := strings.TrimPrefix(page, "/mapping/datasets/")
		r = e.API("GET", "/api/v1/datasets/"+id, tok, nil)
		if r.StatusCode != 200 || !strings.Contains(r.Body, `"code":"XX-9"`) || !strings.Contains(r.Body, `"area_count":4`) || !strings.Contains(r.Body, `"year":2021`) {
			t.Fatalf("api detail: %d %s", r.StatusCode, r.Body)
		}
		if r := e.API("GET", "/api/v1/datasets", "", nil); r.StatusCode != 401 {
			t.Errorf("anonymous: %d", r.StatusCode)
		}
		req := datasetUpload(t, e, "/api/v1/datasets", map[string]string{"name": "Second", "classification": "isic4"}, "second.csv", "year,area,industry,employment\n2022,JM-03,4711,7\n")
		req.Header.Set("Authorization", "Bearer "+tok)
		r = e.Do(http.DefaultClient, req)
		var q struct {
			JobID int64  `json:"job_id"`
			URL   string `json:"url"`
		}
		r.JSON(t, &q)
		if r.StatusCode != 202 || q.URL != "/api/v1/jobs/"+strconv.FormatInt(q.JobID, 10) || r.Header.Get("Location") != q.URL {
			t.Fatalf("api upload: %d %s", r.StatusCode, r.Body)
		}
		if p := waitJob(t, e, q.JobID); p.State != job.Succeeded {
			t.Fatalf("api job: %s %q", p.State, p.Message)
		}
		reviewer := e.CreateUser(user.Reviewer, "")
		req = datasetUpload(t, e, "/api/v1/datasets", map[string]string{"name": "R", "classification": "isic4"}, "r.csv", firstFile)
		req.Header.Set("Authorization", "Bearer "+e.Token(reviewer))
		if r := e.Do(http.DefaultClient, req); r.StatusCode != 403 {
			t.Errorf("reviewer upload: %d", r.StatusCode)
		}
		if r := e.Do(e.Browser(reviewer), datasetUpload(t, e, "/mapping/datasets/new", fields, "p.csv", firstFile)); r.StatusCode != 403 {
			t.Errorf("reviewer form: %d", r.StatusCode)
		}
		// Another BSO's staff may read but not replace or archive it.
		other := e.Browser(e.CreateUser(user.BSOStaff, "bso:2"))
		if r := e.Get(other, page); r.StatusCode != 200 || strings.Contains(r.Body, "/archive") {
			t.Errorf("other staff page: %d", r.StatusCode)
		}
		if r := e.PostForm(other, page+"/archive", nil); r.StatusCode != 403 {
			t.Errorf("other staff archived: %d", r.StatusCode)
		}
		if r := e.Do(other, datasetUpload(t, e, "/mapping/datasets/new", fields, "p.csv", firstFile)); r.StatusCode != 409 || !strings.Contains(r.Body, "is taken") {
			t.Errorf("other staff replace: %d", r.StatusCode)
		}
		if r := e.PostForm(c, page+"/archive", nil); r.StatusCode != 303 {
			t.Fatalf("archive: %d", r.StatusCode)
		}
		if r := e.Get(c, "/mapping/datasets"); strings.Contains(r.Body, `href="`+page+`"`) {
			t.Errorf("an archived dataset is listed")
		}
		if r := e.PostForm(other, page+"/restore", nil); r.StatusCode != 403 {
			t.Errorf("other staff restored: %d", r.StatusCode)
		}
		if r := e.PostForm(c, page+"/restore", nil); r.StatusCode != 303 || r.Header.Get("Location") != page {
			t.Fatalf("restore: %d %s", r.StatusCode, r.Header.Get("Location"))
		}
		if r := e.Get(c, "/mapping/datasets"); !strings.Contains(r.Body, `href="`+page+`"`) {
			t.Errorf("a restored dataset is not listed")
		}
	})
}

// TestDatasetPageAreasAndTotals pages a dataset of many areas and checks
// that the totals the page keeps in memory follow a re-import.
func TestDatasetPageAreasAndTotals(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := apptest.New(t, d)
		admin := e.CreateUser(user.Admin, "")
		s := mapping.NewStore(d)
		file := func(emp int) string {
			var b strings.Builder
			b.WriteString("year,area,industry,employment\n")
			for i := range 150 {
				fmt.Fprintf(&b, "2024,D%03d,0111,%d\n", i, emp)
			}
			return b.String()
		}
		in := mapping.DatasetInput{Name: "Districts", Classification: "isic4"}
		info, err := s.ImportEmployment(ctx, admin.Actor(), in, fileOf(file(7)), nil)
		if err != nil {
			t.Fatal(err)
		}
		page := fmt.Sprintf("/mapping/datasets/%d", info.ID)
		c := e.Browser(admin)
		r := e.Get(c, page)
		if got := strings.Count(r.Body, `<th scope="row"><code>D`); got != 100 || !strings.Contains(r.Body, "D099") || strings.Contains(r.Body, "D100") {
			t.Errorf("first page lists %d areas", got)
		}
		if !strings.Contains(r.Body, "1,050") { // 150 areas × 7 jobs in the year's total
			t.Errorf("the year's total is missing")
		}
		r = e.Get(c, page+"?page=2")
		if got := strings.Count(r.Body, `<th scope="row"><code>D`); got != 50 || !strings.Contains(r.Body, "D149") {
			t.Errorf("second page lists %d areas", got)
		}
		if _, err := s.ImportEmployment(ctx, admin.Actor(), in, fileOf(file(9)), nil); err != nil {
			t.Fatal(err)
		}
		if r = e.Get(c, page); !strings.Contains(r.Body, "1,350") || strings.Contains(r.Body, "1,050") {
			t.Errorf("the page shows the totals of the earlier version")
		}
	})
}
