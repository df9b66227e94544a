package importer_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/importer"
	"github.com/clusterobservatory/observatory/internal/user"
)

// multipartBody builds an upload form with a kind and a file.
func multipartBody(t *testing.T, kind, name string, data []byte) (string, *bytes.Buffer) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	if kind != "" {
		w.WriteField("kind", kind)
	}
	fw, err := w.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	w.Close()
	return w.FormDataContentType(), &b
}

func upload(t *testing.T, e *apptest.Env, c *http.Client, path, token, kind, name string, data []byte) *apptest.Response {
	t.Helper()
	ct, body := multipartBody(t, kind, name, data)
	req, _ := http.NewRequest(http.MethodPost, e.Server.URL+path, body)
	req.Header.Set("Content-Type", ct)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	} else {
		req.Header.Set("Origin", e.Server.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	return e.Do(c, req)
}

func orgCount(t *testing.T, d *db.DB) int {
	var n int
	if err := d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM organisations`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

var commitAction = regexp.MustCompile(`action="(/import/[A-Za-z0-9_-]+/commit)"`)

// TestImportPages walks the dry run and the commit in the browser, with
// the access rules and a replayed commit.
func TestImportPages(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)
		admin := e.CreateUser(user.Admin, "")
		c := e.Browser(admin)
		if r := e.Get(c, "/import"); r.StatusCode != 200 || !strings.Contains(r.Body, `class="field dropzone`) {
			t.Fatalf("form: %d", r.StatusCode)
		}
		for _, f := range []string{"organisations.xlsx", "organisations.csv", "memberships.xlsx", "memberships.csv"} {
			r := e.Get(c, "/import/templates/"+f)
			if r.StatusCode != 200 || len(r.Body) == 0 {
				t.Errorf("template %s: %d", f, r.StatusCode)
			}
		}
		if r := e.Get(c, "/import/templates/people.csv"); r.StatusCode != 404 {
			t.Errorf("unknown template: %d", r.StatusCode)
		}
		reviewer := e.Browser(e.CreateUser(user.Reviewer, ""))
		if r := e.Get(reviewer, "/import"); r.StatusCode != 404 {
			t.Errorf("a reviewer sees the import page: %d", r.StatusCode)
		}

		bad := []byte("name,kind,country\nAcme,firm,JAM\nBeta,firm,Narnia\n")
		r := upload(t, e, c, "/import", "", "organisations", "bad.csv", bad)
		if r.StatusCode != 422 || !strings.Contains(r.Body, `table class="problems"`) || !strings.Contains(r.Body, "Narnia") || commitAction.MatchString(r.Body) {
			t.Fatalf("bad file: %d\n%s", r.StatusCode, r.Body)
		}

		good := []byte("name,kind,country\nAcme,firm,JAM\nBeta,firm,TTO\n")
		r = upload(t, e, c, "/import", "", "organisations", "good.csv", good)
		m := commitAction.FindStringSubmatch(r.Body)
		if r.StatusCode != 200 || m == nil {
			t.Fatalf("good file: %d\n%s", r.StatusCode, r.Body)
		}
		before := orgCount(t, d)
		// Another person cannot commit someone else's batch.
		other := e.Browser(e.CreateUser(user.Admin, ""))
		if r := e.PostForm(other, m[1], nil); r.StatusCode != 404 || orgCount(t, d) != before {
			t.Fatalf("someone else's batch: %d", r.StatusCode)
		}
		r = e.PostForm(c, m[1], nil)
		if r.StatusCode != 200 || orgCount(t, d) != before+2 || !strings.Contains(r.Body, `href="/organisations/`) {
			t.Fatalf("commit: %d\n%s", r.StatusCode, r.Body)
		}
		if r := e.PostForm(c, m[1], nil); r.StatusCode != 409 || orgCount(t, d) != before+2 {
			t.Fatalf("a replayed commit: %d", r.StatusCode)
		}
	})
}

// TestImportAPI covers the dry run, the commit, a refused commit with
// located errors and a file over the size limit.
func TestImportAPI(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)
		tok := e.Token(e.CreateUser(user.Admin, ""))
		c := http.DefaultClient
		good := []byte("name,kind,country\nAcme,firm,JAM\nBeta,firm,TTO\n")

		r := upload(t, e, c, "/api/v1/imports?kind=organisations&dry_run=true", tok, "", "good.csv", good)
		var rep struct {
			Kind     string `json:"kind"`
			Rows     int    `json:"rows"`
			Valid    int    `json:"valid"`
			Problems []any  `json:"problems"`
		}
		r.JSON(t, &rep)
		if r.StatusCode != 200 || rep.Rows != 2 || rep.Valid != 2 || len(rep.Problems) != 0 || orgCount(t, d) != 0 {
			t.Fatalf("dry run: %d %s", r.StatusCode, r.Body)
		}

		bad := []byte("name;kind;country\nAcme;firm;JAM\n;firm;Narnia\n")
		req, _ := http.NewRequest(http.MethodPost, e.Server.URL+"/api/v1/imports?kind=organisations&filename=bad.csv", bytes.NewReader(bad))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "text/csv")
		r = e.Do(c, req)
		var pd struct {
			Status int `json:"status"`
			Errors []struct {
				File, Field, Message string
				Row                  int
			} `json:"errors"`
		}
		r.JSON(t, &pd)
		if r.StatusCode != 422 || r.Header.Get("Content-Type") != "application/problem+json" || len(pd.Errors) != 2 || orgCount(t, d) != 0 {
			t.Fatalf("bad commit: %d %s", r.StatusCode, r.Body)
		}
		if e0 := pd.Errors[0]; e0.File != "bad.csv" || e0.Row != 3 || e0.Field != "name" {
			t.Errorf("first error: %+v", e0)
		}

		r = upload(t, e, c, "/api/v1/imports?kind=organisations", tok, "", "good.csv", good)
		var res importer.APIResult
		r.JSON(t, &res)
		if r.StatusCode != 201 || res.Created != 2 || orgCount(t, d) != 2 {
			t.Fatalf("commit: %d %s", r.StatusCode, r.Body)
		}

		big := bytes.Repeat([]byte("a,b,c\n"), importer.MaxBytes/6+10)
		r = upload(t, e, c, "/api/v1/imports?kind=organisations", tok, "", "big.csv", big)
		if r.StatusCode != 413 || orgCount(t, d) != 2 {
			t.Fatalf("too large: %d %s", r.StatusCode, r.Body)
		}
		if r := e.API("POST", "/api/v1/imports?kind=organisations", "", "x"); r.StatusCode != 401 {
			t.Errorf("anonymous: %d", r.StatusCode)
		}
		if r := upload(t, e, c, "/api/v1/imports?kind=people", tok, "", "good.csv", good); r.StatusCode != 422 {
			t.Errorf("unknown kind: %d", r.StatusCode)
		}
		cm := e.Token(e.CreateUser(user.CountryCoordinator, "country:JAM"))
		if r := upload(t, e, c, "/api/v1/imports?kind=organisations", cm, "", "good.csv", good); r.StatusCode != 404 || orgCount(t, d) != 2 {
			t.Errorf("a country coordinator: %d", r.StatusCode)
		}
	})
}
