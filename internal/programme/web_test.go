package programme_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/org"
	"github.com/clusterobservatory/observatory/internal/user"
)

func wantStatus(t *testing.T, what string, r *apptest.Response, status int) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s: status %d, want %d\n%.4000s", what, r.StatusCode, status, r.Body)
	}
}

// wantBody checks texts in the page, after undoing HTML escaping.
func wantBody(t *testing.T, what string, r *apptest.Response, present bool, texts ...string) {
	t.Helper()
	body := html.UnescapeString(r.Body)
	for _, s := range texts {
		if strings.Contains(body, s) != present {
			t.Errorf("%s: body contains %q = %v, want %v", what, s, !present, present)
		}
	}
}

var rawKey = regexp.MustCompile(`(?:^|[^@\w.-])(common|programme)\.[a-z_]+(\.[a-z0-9_]+)*\b`)

// checkPage applies the page rules: one h1, a label for every input, the
// page's language and no untranslated message key.
func checkPage(t *testing.T, where, lang, body string) {
	t.Helper()
	doc, err := xhtml.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	labels, h1 := map[string]bool{}, 0
	var inputs []*xhtml.Node
	var text strings.Builder
	var walk func(*xhtml.Node)
	walk = func(n *xhtml.Node) {
		if n.Type == xhtml.ElementNode {
			switch n.Data {
			case "html":
				if attr(n, "lang") != lang {
					t.Errorf("%s: lang %q", where, attr(n, "lang"))
				}
			case "h1":
				h1++
			case "label":
				labels[attr(n, "for")] = true
			case "input", "select", "textarea":
				inputs = append(inputs, n)
			case "script", "style":
				return
			}
		}
		if n.Type == xhtml.TextNode {
			text.WriteString(n.Data + " ")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if h1 != 1 {
		t.Errorf("%s: %d h1", where, h1)
	}
	for _, in := range inputs {
		if typ := attr(in, "type"); typ == "hidden" || typ == "submit" {
			continue
		}
		if !labels[attr(in, "id")] {
			t.Errorf("%s: %s %q has no label", where, in.Data, attr(in, "name"))
		}
	}
	if m := rawKey.FindString(text.String()); m != "" {
		t.Errorf("%s: untranslated key %q", where, m)
	}
}

func attr(n *xhtml.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// idAfter reads the record ID at the end of a redirect's location.
func idAfter(t *testing.T, r *apptest.Response, prefix string) int64 {
	t.Helper()
	wantStatus(t, "redirect", r, http.StatusSeeOther)
	loc := r.Header.Get("Location")
	var id int64
	if _, err := fmt.Sscanf(strings.TrimPrefix(loc, prefix), "%d", &id); err != nil || !strings.HasPrefix(loc, prefix) {
		t.Fatalf("redirect to %q, want %s…", loc, prefix)
	}
	return id
}

func callForm(published bool) url.Values {
	f := url.Values{
		"number": {"2025-1"}, "title": {"Call for cluster proposals 2025"}, "description": {"Second call of the programme."},
		"time_zone": {"America/Port_of_Spain"}, "opens_at": {"2025-03-01T09:00"}, "closes_at": {"2025-04-30T16:00"},
		"grant_ceiling": {"300,000"}, "max_grant_share": {"80"}, "min_counterpart_share": {"20"},
		"in_kind_rule": {"max_in_kind"}, "in_kind_share": {"50"},
		"rule_min_private_firms": {"on"}, "rule_min_private_firms_n": {"3"},
		"rule_eligible_countries": {"on"}, "rule_formally_registered": {"on"}, "rule_monitoring_commitment": {"on"},
		"rule_required_documents": {"on"}, "rule_required_documents_documents": {"Certificate of incorporation\r\nCounterpart commitment letter\r\n"},
		"criteria_rows":    {"3"},
		"criteria[0].name": {"Employment impact"}, "criteria[0].weight": {"60"}, "criteria[0].description": {"Jobs for women and marginalised groups"},
		"criteria[0].level.1": {"No credible employment effect"}, "criteria[0].level.5": {"Many quality jobs, most for under-represented groups"},
		"criteria[1].name": {"Revenue and foreign exchange"}, "criteria[1].weight": {"40"},
		"criteria[1].level.1": {"None"}, "criteria[1].level.3": {"Some exports"}, "criteria[1].level.5": {"Large export earnings"},
	}
	if published {
		f.Set("published", "true")
	}
	return f
}

func TestOfficerCreatesProgrammeAndCallThroughForms(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)
		funder := createOrg(t, d, org.KindFunder, "Caribbean Competitiveness Facility")
		c := e.Browser(e.CreateUser(user.ProgrammeOfficer, ""))

		r := e.Get(c, "/programmes/new")
		wantStatus(t, "new programme", r, 200)
		checkPage(t, "new programme", "en", r.Body)
		wantBody(t, "new programme", r, true, "Caribbean Competitiveness Facility", `value="USD"`, `id="f-country-JAM"`)

		r = e.PostForm(c, "/programmes", url.Values{"name": {""}, "currency": {"usd "}, "funder_id": {fmt.Sprint(funder.ID)}})
		wantStatus(t, "bad programme", r, http.StatusUnprocessableEntity)
		wantBody(t, "bad programme", r, true, "Enter the programme's name.", "Choose at least one eligible country.", `href="#f-name"`)
		checkPage(t, "bad programme", "en", r.Body)

		r = e.PostForm(c, "/programmes", url.Values{"name": {"Cluster Competitiveness Programme"}, "currency": {"usd"},
			"funder_id": {fmt.Sprint(funder.ID)}, "countries": {"JAM", "TTO", "BRB"}, "starts_on": {"2024-01-01"}, "ends_on": {"2027-12-31"}})
		pid := idAfter(t, r, "/programmes/")
		r = e.Get(c, fmt.Sprintf("/programmes/%d", pid))
		wantStatus(t, "programme", r, 200)
		checkPage(t, "programme", "en", r.Body)
		wantBody(t, "programme", r, true, "Cluster Competitiveness Programme", "Barbados, Jamaica, Trinidad and Tobago", "1 Jan 2024",
			"This programme has no calls for proposals yet.", fmt.Sprintf(`href="/programmes/%d/calls/new"`, pid))

		newCall := fmt.Sprintf("/programmes/%d/calls/new", pid)
		r = e.Get(c, newCall)
		wantStatus(t, "new call", r, 200)
		checkPage(t, "new call", "en", r.Body)
		wantBody(t, "new call", r, true, `value="America/Port_of_Spain"`, `name="criteria[0].level.5"`, `name="rule_eligible_countries_countries"`)

		// "Add another criterion" re-renders the form with one more row, saving nothing.
		add := callForm(false)
		add.Set("add_criterion", "1")
		r = e.PostForm(c, fmt.Sprintf("/programmes/%d/calls", pid), add)
		wantStatus(t, "add criterion", r, 200)
		wantBody(t, "add criterion", r, true, `name="criteria[2].name"`, `value="Revenue and foreign exchange"`, `name="criteria_rows" value="3"`)
		wantBody(t, "add criterion", r, false, `name="criteria[3].name"`, "Some fields need attention")

		bad := callForm(false)
		bad.Set("closes_at", "2025-02-01T09:00")
		bad.Set("criteria[1].weight", "30")
		bad.Set("rule_min_private_firms_n", "zero")
		bad.Set("max_grant_share", "120")
		bad.Set("time_zone", "Mars/Olympus")
		r = e.PostForm(c, fmt.Sprintf("/programmes/%d/calls", pid), bad)
		wantStatus(t, "bad call", r, http.StatusUnprocessableEntity)
		checkPage(t, "bad call", "en", r.Body)
		wantBody(t, "bad call", r, true, "The call must close after it opens.", "must sum to 100; they sum to 90",
			`"zero" is not a whole number.`, "at most 1 (100 %)", `"Mars/Olympus" is not an IANA time zone`, `href="#f-rule_min_private_firms_n"`,
			`value="Employment impact"`)
		bad = callForm(false)
		bad.Set("rule_min_private_firms_n", "0")
		r = e.PostForm(c, fmt.Sprintf("/programmes/%d/calls", pid), bad)
		wantStatus(t, "bad rule", r, http.StatusUnprocessableEntity)
		wantBody(t, "bad rule", r, true, `href="#f-rule_min_private_firms_n"`, "between 1 and 1000")

		r = e.PostForm(c, fmt.Sprintf("/programmes/%d/calls", pid), callForm(false))
		cid := idAfter(t, r, fmt.Sprintf("/programmes/%d/calls/", pid))
		staff := fmt.Sprintf("/programmes/%d/calls/%d", pid, cid)
		r = e.Get(c, staff)
		wantStatus(t, "staff call page", r, 200)
		checkPage(t, "staff call page", "en", r.Body)
		wantBody(t, "staff call page", r, true, "Draft", "only the programme's staff can see it", "Employment impact", "300,000\u00a0USD")

		// Not published: anonymous visitors get 404, editors a preview.
		anon := e.Anonymous()
		r = e.Get(anon, fmt.Sprintf("/calls/%d", cid))
		wantStatus(t, "public page of a draft", r, http.StatusNotFound)
		r = e.Get(c, fmt.Sprintf("/calls/%d", cid))
		wantStatus(t, "preview", r, 200)
		wantBody(t, "preview", r, true, "Preview: this call is not published")

		r = e.Get(c, staff+"/edit")
		wantStatus(t, "edit call", r, 200)
		checkPage(t, "edit call", "en", r.Body)
		wantBody(t, "edit call", r, true, `value="2025-03-01T09:00"`, `value="2025-04-30T16:00"`, `value="300000"`, `value="80"`,
			`value="Large export earnings"`, "Certificate of incorporation\nCounterpart commitment letter")
		r = e.PostForm(c, staff, callForm(true))
		wantStatus(t, "publish", r, http.StatusSeeOther)

		r = e.Get(anon, fmt.Sprintf("/calls/%d", cid))
		wantStatus(t, "public page", r, 200)
		checkPage(t, "public page", "en", r.Body)
		wantBody(t, "public page", r, true, "Call for cluster proposals 2025", "funded by Caribbean Competitiveness Facility",
			`datetime="2025-03-01T09:00:00-04:00"`, "1 Mar 2025, 09:00", "30 Apr 2025, 16:00", "(UTC\u221204:00, America/Port_of_Spain)",
			"The cluster brings together at least 3 private firms that collaborate.",
			"The applicant is located in one of these countries: Barbados, Jamaica, Trinidad and Tobago.",
			"The application includes these documents: Certificate of incorporation; Counterpart commitment letter.",
			"The grant covers at most 80% of the project budget; the cluster contributes at least 20%. At most 50% of the cluster's contribution may be in kind.",
			"The grant requested is at most 300,000\u00a0USD.", "Employment impact", "weight 60 of 100",
			"Many quality jobs, most for under-represented groups", "Sign in")
		wantBody(t, "public page", r, false, "Preview", "/edit")
		for _, lang := range []string{"es", "fr", "nl"} {
			r = e.Get(anon, fmt.Sprintf("/calls/%d?lang=%s", cid, lang))
			wantStatus(t, lang+" public page", r, 200)
			checkPage(t, lang+" public page", lang, r.Body)
		}
		for _, lang := range []string{"es", "fr", "nl"} {
			for _, p := range []string{"/programmes", fmt.Sprintf("/programmes/%d", pid), newCall, staff, staff + "/edit", fmt.Sprintf("/programmes/%d/edit", pid)} {
				r = e.Get(c, p+"?lang="+lang)
				wantStatus(t, lang+" "+p, r, 200)
				checkPage(t, lang+" "+p, lang, r.Body)
			}
		}

		r = e.Get(c, "/programmes")
		wantStatus(t, "list", r, 200)
		checkPage(t, "list", "en", r.Body)
		wantBody(t, "list", r, true, "Cluster Competitiveness Programme", "1 results")

		// Archiving the call takes its public page away.
		r = e.PostForm(c, staff+"/archive", nil)
		wantStatus(t, "archive call", r, http.StatusSeeOther)
		r = e.Get(anon, fmt.Sprintf("/calls/%d", cid))
		wantStatus(t, "public page of an archived call", r, http.StatusNotFound)
	})
}

func TestProgrammePagesAccess(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)
		funder := createOrg(t, d, org.KindFunder, "Caribbean Competitiveness Facility")
		admin := e.Browser(e.CreateUser(user.Admin, ""))
		r := e.PostForm(admin, "/programmes", url.Values{"name": {"Programme A"}, "currency": {"USD"},
			"funder_id": {fmt.Sprint(funder.ID)}, "countries": {"JAM"}})
		a := idAfter(t, r, "/programmes/")
		r = e.PostForm(admin, "/programmes", url.Values{"name": {"Programme B"}, "currency": {"USD"},
			"funder_id": {fmt.Sprint(funder.ID)}, "countries": {"JAM"}})
		b := idAfter(t, r, "/programmes/")

		bso := e.Browser(e.CreateUser(user.BSOStaff, fmt.Sprint("bso:", createOrg(t, d, org.KindBSO, "A BSO").ID)))
		wantStatus(t, "BSO staff reads", e.Get(bso, fmt.Sprintf("/programmes/%d", a)), 200)
		wantBody(t, "BSO staff reads", e.Get(bso, fmt.Sprintf("/programmes/%d", a)), false, "/edit", "/calls/new")
		wantStatus(t, "BSO staff new programme", e.Get(bso, "/programmes/new"), http.StatusForbidden)
		wantStatus(t, "BSO staff edits", e.PostForm(bso, fmt.Sprintf("/programmes/%d", a), url.Values{"name": {"X"}}), http.StatusForbidden)
		wantStatus(t, "BSO staff new call", e.Get(bso, fmt.Sprintf("/programmes/%d/calls/new", a)), http.StatusForbidden)

		scoped := e.Browser(e.CreateUser(user.ProgrammeOfficer, fmt.Sprint("programme:", a)))
		wantStatus(t, "scoped officer edits own", e.Get(scoped, fmt.Sprintf("/programmes/%d/edit", a)), 200)
		wantStatus(t, "scoped officer edits other", e.Get(scoped, fmt.Sprintf("/programmes/%d/edit", b)), http.StatusForbidden)
		wantStatus(t, "scoped officer starts a programme", e.Get(scoped, "/programmes/new"), http.StatusForbidden)

		r = e.Get(e.Anonymous(), "/programmes")
		if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
			t.Errorf("anonymous programme list: %d %s", r.StatusCode, r.Header.Get("Location"))
		}
		wantStatus(t, "unknown public call", e.Get(e.Anonymous(), "/calls/999"), http.StatusNotFound)
	})
}
