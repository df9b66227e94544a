package job_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/riverqueue/river"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/job"
	"github.com/clusterobservatory/observatory/internal/web"
)

// server routes the job pages as the application does, with the viewer
// given per request.
type server struct {
	mux *http.ServeMux
}

func newServer(t *testing.T, run *job.Runner) *server {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	rd, err := web.NewRenderer(logger, web.PageSource{Domain: "job", FS: job.Templates, Dir: "templates"})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /jobs", job.HandleList(run, rd))
	mux.Handle("GET /jobs/{id}", job.HandleShow(run, rd))
	mux.Handle("GET /api/v1/jobs", job.HandleAPIList(run, logger))
	mux.Handle("GET /api/v1/jobs/{id}", job.HandleAPIShow(run, logger))
	return &server{mux: mux}
}

// get requests path as viewer (the zero Viewer is anonymous).
func (s *server) get(v web.Viewer, path string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	r = r.WithContext(web.WithViewer(r.Context(), v))
	w := httptest.NewRecorder()
	s.mux.ServeHTTP(w, r)
	return w
}

func TestJobPageAndAPI(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		run, w := newRunner(t, d)
		s := newServer(t, run)
		ownerID := createUser(t, d, "owner@example.org", "bso_staff")
		otherID := createUser(t, d, "other@example.org", "bso_staff")
		adminID := createUser(t, d, "admin@example.org", "admin")
		owner := web.Viewer{UserID: ownerID, Name: "Owner", Role: "bso_staff"}
		other := web.Viewer{UserID: otherID, Name: "Other", Role: "bso_staff"}
		admin := web.Viewer{UserID: adminID, Name: "Admin", Role: "admin"}

		id, err := run.Enqueue(ctx, blockArgs{Done: 1234, Total: 5000}, job.Opts{UserID: ownerID, Title: "Import of members.xlsx", Unit: job.Rows})
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, run, id, "1,234 done", func(p *job.Progress) bool { return p.Done == 1234 })
		path := "/jobs/" + strconv.FormatInt(id, 10)

		// While it runs: the bar, the count, both ways of refreshing.
		res := s.get(owner, path)
		body := res.Body.String()
		if res.Code != http.StatusOK {
			t.Fatalf("owner: status %d", res.Code)
		}
		for _, want := range []string{
			"<h1>Import of members.xlsx</h1>", `<progress value="1234" max="5000"`, "1,234 of 5,000 rows", "Running",
			`<noscript><meta http-equiv="refresh" content="2"></noscript>`, `hx-get="` + path + `"`, `hx-trigger="every 1s"`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("running page lacks %q", want)
			}
		}
		if res.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("Cache-Control %q", res.Header().Get("Cache-Control"))
		}
		// htmx gets the status panel alone.
		res = s.get(owner, path, "HX-Request", "true", "HX-Target", "job-status")
		if b := res.Body.String(); strings.Contains(b, "<html") || !strings.Contains(b, `id="job-status"`) {
			t.Errorf("htmx answer is not the panel alone:\n%s", b)
		}
		// Someone else learns nothing; an admin may look.
		if res := s.get(other, path); res.Code != http.StatusNotFound || strings.Contains(res.Body.String(), "members.xlsx") {
			t.Errorf("other user: status %d", res.Code)
		}
		if res := s.get(other, "/api/v1"+path); res.Code != http.StatusNotFound {
			t.Errorf("other user API: status %d", res.Code)
		}
		if res := s.get(admin, path); res.Code != http.StatusOK {
			t.Errorf("admin: status %d", res.Code)
		}
		if res := s.get(web.Viewer{}, "/api/v1"+path); res.Code != http.StatusUnauthorized {
			t.Errorf("anonymous API: status %d", res.Code)
		}
		if res := s.get(owner, "/jobs/abc"); res.Code != http.StatusNotFound {
			t.Errorf("bad id: status %d", res.Code)
		}

		close(w.block.release)
		waitFor(t, run, id, "a final state", final)

		// Done: no more refreshing.
		body = s.get(owner, path).Body.String()
		if strings.Contains(body, "http-equiv") || strings.Contains(body, "hx-trigger") || !strings.Contains(body, "Done") ||
			!strings.Contains(body, "5,000 of 5,000 rows") {
			t.Errorf("finished page:\n%s", body)
		}

		// The API answers the same, in JSON.
		res = s.get(owner, "/api/v1"+path)
		var got map[string]any
		if err := json.Unmarshal(res.Body.Bytes(), &got); err != nil {
			t.Fatalf("API: %v\n%s", err, res.Body)
		}
		for _, k := range []string{"id", "kind", "title", "state", "done", "total", "message", "result", "created_at", "updated_at"} {
			if _, ok := got[k]; !ok {
				t.Errorf("API lacks %q: %s", k, res.Body)
			}
		}
		if got["state"] != "succeeded" || got["done"] != float64(5000) || got["kind"] != "test_block" || got["id"] != float64(id) {
			t.Errorf("API: %s", res.Body)
		}

		// The list shows the owner's jobs only.
		var list struct {
			Items []map[string]any `json:"items"`
			Total int              `json:"total"`
		}
		json.Unmarshal(s.get(owner, "/api/v1/jobs").Body.Bytes(), &list)
		if list.Total != 1 || len(list.Items) != 1 {
			t.Errorf("owner's list: %+v", list)
		}
		json.Unmarshal(s.get(other, "/api/v1/jobs").Body.Bytes(), &list)
		if list.Total != 0 || len(list.Items) != 0 {
			t.Errorf("other's list: %+v", list)
		}
		if body := s.get(owner, "/jobs").Body.String(); !strings.Contains(body, `href="`+path+`"`) {
			t.Errorf("list page lacks the job:\n%s", body)
		}
		if body := s.get(other, "/jobs").Body.String(); strings.Contains(body, "members.xlsx") {
			t.Error("another user's list shows the job")
		}
	})
}

func TestFailedJobPageShowsAGeneralMessageInTheReadersLanguage(t *testing.T) {
	d := dbtest.SQLite(t)
	ctx := context.Background()
	run, _ := newRunner(t, d)
	s := newServer(t, run)
	ownerID := createUser(t, d, "owner@example.org", "bso_staff")
	owner := web.Viewer{UserID: ownerID, Name: "Owner", Role: "bso_staff"}
	id, err := run.Enqueue(ctx, failArgs{Plain: true}, job.Opts{UserID: ownerID, Title: "Broken", Insert: &river.InsertOpts{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, run, id, "a final state", final)
	path := "/jobs/" + strconv.FormatInt(id, 10)
	body := s.get(owner, path+"?lang=es").Body.String()
	if !strings.Contains(body, "Fallida") || !strings.Contains(body, "No se pudo completar la tarea") || strings.Contains(body, "secret_table") {
		t.Errorf("failed page:\n%s", body)
	}
	var got map[string]any
	json.Unmarshal(s.get(owner, "/api/v1"+path).Body.Bytes(), &got)
	if got["state"] != "failed" || !strings.HasPrefix(got["message"].(string), "The job could not be completed") || got["result"] != nil {
		t.Errorf("API: %v", got)
	}
}
