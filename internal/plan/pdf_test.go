package plan_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os/exec"
	"testing"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/plan"
	"github.com/clusterobservatory/observatory/internal/user"
)

// openPlan starts the plan of the fixture's application and returns its page.
func openPlan(t *testing.T, f *fixture) string {
	t.Helper()
	f.shortlist(t)
	p, _, err := plan.NewStore(f.d).OpenPlan(context.Background(), f.staff, f.app.ID)
	if err != nil {
		t.Fatal(err)
	}
	return plan.Path(p.ID)
}

func TestPlanPDF(t *testing.T) {
	found := false
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if _, err := exec.LookPath(name); err == nil {
			found = true
		}
	}
	if !found {
		t.Skip("no headless Chromium on PATH")
	}
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)
		f := newFixture(t, d)
		page := openPlan(t, f)
		c := e.Browser(e.CreateUser(user.BSOStaff, fmt.Sprint("bso:", f.bso.ID)))
		other := e.Browser(e.CreateUser(user.BSOStaff, fmt.Sprint("bso:", f.otherBSO.ID)))

		wantBody(t, "plan page", e.Get(c, page), true, `href="`+page+`/plan.pdf"`, "Download as PDF")
		r := e.Get(c, page+"/print")
		wantStatus(t, "print", r, http.StatusOK)
		checkPage(t, "print", "en", r.Body)
		wantBody(t, "print", r, true, `href="`+page+`/plan.pdf"`)

		r = e.Get(c, page+"/plan.pdf")
		wantStatus(t, "pdf", r, http.StatusOK)
		if ct := r.Header.Get("Content-Type"); ct != "application/pdf" {
			t.Errorf("pdf: Content-Type %q", ct)
		}
		if cd := r.Header.Get("Content-Disposition"); cd != `attachment; filename="Barbados spice cluster.pdf"` {
			t.Errorf("pdf: Content-Disposition %q", cd)
		}
		body := []byte(r.Body)
		if !bytes.HasPrefix(body, []byte("%PDF-")) || len(body) < 1024 || !bytes.Contains(body, []byte("/Type /Page")) {
			t.Errorf("pdf: not a PDF with pages (%d bytes): %.40q", len(body), body)
		}

		wantStatus(t, "other BSO's pdf", e.Get(other, page+"/plan.pdf"), http.StatusNotFound)
		wantStatus(t, "missing version", e.Get(c, page+"/plan.pdf?version=9"), http.StatusNotFound)
	})
}

func TestPlanPDFWithoutBrowser(t *testing.T) {
	// No browser on PATH: the app starts without PDFs.
	t.Setenv("PATH", t.TempDir())
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)
		f := newFixture(t, d)
		page := openPlan(t, f)
		c := e.Browser(e.CreateUser(user.BSOStaff, fmt.Sprint("bso:", f.bso.ID)))

		wantBody(t, "plan page", e.Get(c, page), false, "/plan.pdf", "Download as PDF")
		r := e.Get(c, page+"/print")
		wantStatus(t, "print", r, http.StatusOK)
		wantBody(t, "print", r, false, "/plan.pdf")
		r = e.Get(c, page+"/plan.pdf")
		wantStatus(t, "pdf", r, http.StatusNotFound)
		wantBody(t, "pdf", r, true, "This server cannot make PDFs", "print command")
	})
}

func TestNewPrinter(t *testing.T) {
	p, err := plan.NewPrinter("none")
	if err != nil || p.Available() {
		t.Errorf(`"none": available %v, %v`, p.Available(), err)
	}
	if _, err := plan.NewPrinter("/no/such/chromium"); err == nil {
		t.Error("a configured browser that does not exist was accepted")
	}
	var nilPrinter *plan.Printer
	if nilPrinter.Available() {
		t.Error("a nil printer is available")
	}
}
