package campaign_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/campaign"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/form"
	"github.com/clusterobservatory/observatory/internal/indicator"
	"github.com/clusterobservatory/observatory/internal/user"
)

type world struct {
	e                  *apptest.Env
	version            int64
	bso, firm1, firm2  int64
	clusterA, clusterB int64
}

func exec(t *testing.T, d *db.DB, q string, args ...any) int64 {
	t.Helper()
	var id int64
	if err := d.SQL().QueryRowContext(context.Background(), q+" RETURNING id", args...).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func newWorld(t *testing.T, d *db.DB) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{e: apptest.New(t, d)}
	now := db.Now()
	org := func(name, country, email string) int64 {
		return exec(t, d, `INSERT INTO organisations (kind, name, name_norm, country_iso3, email, created_at, updated_at)
			VALUES ('firm', $1, $2, $3, $4, $5, $5)`, name, strings.ToLower(name), country, email, now)
	}
	w.bso = org("Jamaica Business Development", "JAM", "")
	w.firm1 = org("Blue Mountain Chocolate", "JAM", "info@bluemountain.test")
	w.firm2 = org("Negril Spice", "JAM", "")
	cluster := func(name string) int64 {
		return exec(t, d, `INSERT INTO clusters (name, name_norm, sector, stage, lead_bso_id, created_at, updated_at)
			VALUES ($1, $2, 'agro', 'implementing', $3, $4, $4)`, name, strings.ToLower(name), w.bso, now)
	}
	w.clusterA, w.clusterB = cluster("Cocoa Caribbean"), cluster("Spice Route")
	for _, m := range [][2]int64{{w.clusterA, w.firm1}, {w.clusterB, w.firm1}, {w.clusterB, w.firm2}} {
		exec(t, d, `INSERT INTO memberships (cluster_id, organisation_id, role, joined_on, created_at, updated_at)
			VALUES ($1, $2, 'member', '2020-01-01', $3, $3)`, m[0], m[1], now)
	}
	is := indicator.NewStore(d)
	ind, err := is.CreateIndicator(ctx, user.System, indicator.Input{Code: "TEST_EMP", Name: "Employees", Definition: "Employees.",
		Unit: "people", Level: indicator.Levels[0], Calculation: indicator.Calculations[0], Direction: indicator.Directions[0],
		SubjectAggregation: "sum", TimeAggregation: "sum", Dimensions: []string{"sex"}, MeansOfVerification: "Survey",
		Frequency: indicator.FreqYearly, ResponsibleRole: user.BSOStaff})
	if err != nil {
		t.Fatal(err)
	}
	fs := form.NewStore(d, is)
	tpl, _ := form.StandardByName("firm_results")
	wb, _ := tpl.Workbook()
	imp, err := fs.Import(ctx, user.System, wb, "firm_results.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	w.version = imp.Version.ID
	if _, err := fs.SetPublished(ctx, user.System, w.version, true); err != nil {
		t.Fatal(err)
	}
	if _, err := fs.SaveMappings(ctx, user.System, w.version, []form.MappingInput{{Field: "employees_total", IndicatorID: ind.ID},
		{Field: "employees_women", IndicatorID: ind.ID, Category: "sex:women"}}); err != nil {
		t.Fatal(err)
	}
	return w
}

func day(n int) string { return time.Now().UTC().AddDate(0, 0, n).Format("2006-01-02") }

var tokenRe = regexp.MustCompile(`/r/([A-Za-z0-9_-]{43})`)

// answersForm is the answering page's form with the required answers and
// one partner.
func answersForm(instance string, total string) url.Values {
	return url.Values{"instance_id": {instance}, "firm_name": {"Negril Spice"}, "year": {"2025"}, "employees_total": {total},
		"employees_women": {"2"}, "employees_youth": {"1"}, "jobs_created": {"0"}, "revenue": {"1000"}, "exports": {"0"},
		"new_products_markets": {"new_product", "new_process"}, "partners.1.partner_name": {"Acme"}, "partners.1.partner_type": {"firm"},
		"partners.1.cooperation_kind": {"supply"}}
}

func TestWebJourney(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		e := w.e
		staff := e.CreateUser(user.BSOStaff, fmt.Sprintf("bso:%d", w.bso))
		b := e.Browser(staff)
		for _, p := range []string{"/campaigns", "/campaigns/new"} {
			if r := e.Get(b, p); r.StatusCode != 200 {
				t.Fatalf("%s: %d", p, r.StatusCode)
			}
		}
		r := e.PostForm(b, "/campaigns", url.Values{"title": {""}, "version_id": {fmt.Sprint(w.version)}, "period": {"2025"},
			"opens_on": {day(-1)}, "closes_on": {day(30)}, "deadline": {day(20)}, "reminder_days": {"7, 2"}})
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Give the campaign a title") {
			t.Fatalf("bad campaign: %d", r.StatusCode)
		}
		r = e.PostForm(b, "/campaigns", url.Values{"title": {"Firm results 2025"}, "version_id": {fmt.Sprint(w.version)}, "period": {"2025"},
			"opens_on": {day(-1)}, "closes_on": {day(30)}, "deadline": {day(20)}, "reminder_days": {"7, 2"},
			"cluster_ids": {fmt.Sprint(w.clusterA), fmt.Sprint(w.clusterB)}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("create: %d %s", r.StatusCode, r.Body)
		}
		page := r.Header.Get("Location")
		r = e.PostForm(b, page+"/open", nil)
		if r.StatusCode != 200 || !strings.Contains(r.Body, "data:image/png;base64,") {
			t.Fatalf("open: %d", r.StatusCode)
		}
		m := tokenRe.FindStringSubmatch(r.Body)
		if m == nil {
			t.Fatal("no link on the page")
		}
		token := m[1]
		var jobs int
		d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM river_job WHERE kind = 'campaign_mail'`).Scan(&jobs)
		if jobs != 3 {
			t.Errorf("%d mail jobs queued, want the invitations and two reminders", jobs)
		}

		anon := e.Anonymous()
		r = e.Get(anon, "/r/"+token)
		if r.StatusCode != 200 || !strings.Contains(r.Body, `name="employees_total"`) || !strings.Contains(r.Body, `name="partners.1.partner_name"`) {
			t.Fatalf("answering page: %d", r.StatusCode)
		}
		instance := regexp.MustCompile(`name="instance_id" value="([^"]+)"`).FindStringSubmatch(r.Body)[1]
		bad := answersForm(instance, "many")
		r = e.PostForm(anon, "/r/"+token, bad)
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "not a whole number") {
			t.Fatalf("bad answers: %d", r.StatusCode)
		}
		for range 2 {
			r = e.PostForm(anon, "/r/"+token, answersForm(instance, "5"))
			if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/r/"+token+"/thanks" {
				t.Fatalf("answers: %d %s", r.StatusCode, r.Body)
			}
		}
		var n int
		d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM submissions`).Scan(&n)
		if n != 1 {
			t.Errorf("a double post stored %d submissions", n)
		}
		if r := e.Get(anon, "/r/"+token+"/thanks"); r.StatusCode != 200 {
			t.Errorf("thanks: %d", r.StatusCode)
		}
		// The page comes back filled with the answers given.
		if r := e.Get(anon, "/r/"+token); !strings.Contains(r.Body, `value="Acme"`) || !strings.Contains(r.Body, `name="deprecated_id"`) {
			t.Errorf("answers not filled in again")
		}
		if r := e.Get(anon, "/r/"+strings.Repeat("x", 43)); r.StatusCode != http.StatusNotFound {
			t.Errorf("unknown link: %d", r.StatusCode)
		}

		r = e.Get(b, page+"/submissions")
		sm := regexp.MustCompile(`href="/submissions/(\d+)"`).FindStringSubmatch(r.Body)
		if r.StatusCode != 200 || sm == nil {
			t.Fatalf("submissions: %d", r.StatusCode)
		}
		sub := "/submissions/" + sm[1]
		if r := e.Get(b, sub); r.StatusCode != 200 || !strings.Contains(r.Body, "Acme") {
			t.Errorf("submission page: %d", r.StatusCode)
		}
		if r := e.Get(b, sub+"/edit"); r.StatusCode != 200 {
			t.Errorf("edit page: %d", r.StatusCode)
		}
		edit := answersForm(campaign.NewInstanceID(), "6")
		r = e.PostForm(b, sub+"/edit", edit)
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit: %d %s", r.StatusCode, r.Body)
		}
		edited := r.Header.Get("Location")
		if r := e.Get(b, edited); !strings.Contains(r.Body, sub+`"`) {
			t.Errorf("the edit does not link to the original")
		}
		r = e.PostForm(b, edited+"/review", url.Values{"decision": {"approve"}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("approve: %d %s", r.StatusCode, r.Body)
		}
		var values int
		d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM indicator_values WHERE source = 'survey' AND subject_id = $1`, w.firm2).Scan(&values)
		if values != 2 {
			t.Errorf("%d indicator values after approval", values)
		}
		// The approved submission leads to the values it made, for their own review.
		if r := e.Get(b, edited); !strings.Contains(r.Body, fmt.Sprintf("/indicators/values?subject=organisation:%d&amp;period=", w.firm2)) {
			t.Errorf("the approved submission does not link to its indicator values")
		}
		for _, p := range []string{page, page + "?missing=1", page + "/submissions?history=1&state=approved"} {
			if r := e.Get(b, p); r.StatusCode != 200 {
				t.Errorf("%s: %d", p, r.StatusCode)
			}
		}
		r = e.Get(b, page+"/submissions.csv")
		if r.StatusCode != 200 || !strings.Contains(r.Body, "partners\nsubmission_id,row,partner_name") || !strings.Contains(r.Body, ",Acme,") {
			t.Errorf("csv: %d %s", r.StatusCode, r.Body)
		}
		if r := e.Get(b, page+"/submissions.xlsx"); r.StatusCode != 200 || !strings.HasPrefix(r.Body, "PK") {
			t.Errorf("xlsx: %d", r.StatusCode)
		}
		// A new link ends the old one: 410.
		inv := regexp.MustCompile(`action="(/campaigns/\d+/invitations/\d+)/link"`).FindAllStringSubmatch(e.Get(b, page).Body, -1)
		for _, i := range inv {
			if r := e.PostForm(b, i[1]+"/link", nil); r.StatusCode != 200 {
				t.Errorf("new link: %d", r.StatusCode)
			}
		}
		if r := e.Get(anon, "/r/"+token); r.StatusCode != http.StatusGone {
			t.Errorf("replaced link: %d", r.StatusCode)
		}
		// Another BSO's staff see nothing.
		other := e.Browser(e.CreateUser(user.BSOStaff, fmt.Sprintf("bso:%d", w.firm1)))
		if r := e.Get(other, page); r.StatusCode != http.StatusNotFound {
			t.Errorf("other BSO: %d", r.StatusCode)
		}
		if r := e.PostForm(b, page+"/close", nil); r.StatusCode != http.StatusSeeOther {
			t.Errorf("close: %d", r.StatusCode)
		}
	})
}

func TestAPI(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		e := w.e
		officer := e.CreateUser(user.ProgrammeOfficer, "")
		tok := e.Token(officer)
		if r := e.API("GET", "/api/v1/campaigns", "", nil); r.StatusCode != http.StatusUnauthorized {
			t.Errorf("anonymous list: %d", r.StatusCode)
		}
		r := e.API("POST", "/api/v1/campaigns", tok, map[string]any{"title": "Q3 check", "version_id": w.version, "period": "2025-Q3",
			"opens_on": day(-1), "closes_on": day(10), "deadline": day(8), "organisation_ids": []int64{w.firm1, w.firm2}})
		if r.StatusCode != http.StatusCreated {
			t.Fatalf("create: %d %s", r.StatusCode, r.Body)
		}
		var c campaign.Campaign
		r.JSON(t, &c)
		if c.OpenRosaURL != "http://example.test/openrosa/"+c.Key || c.Respondents != 2 || c.Period != "2025-Q3" {
			t.Errorf("campaign = %+v", c)
		}
		if r := e.API("GET", fmt.Sprintf("/api/v1/campaigns/%d", c.ID), tok, nil); r.StatusCode != 200 {
			t.Errorf("get: %d", r.StatusCode)
		}
		// The open page shows the link of the firm without email.
		br := e.Browser(officer)
		token := tokenRe.FindStringSubmatch(e.PostForm(br, fmt.Sprintf("/campaigns/%d/open", c.ID), nil).Body)[1]
		body := map[string]any{"token": token, "form_version_id": w.version, "instance_id": campaign.NewInstanceID(),
			"answers": map[string]any{"firm_name": "Negril Spice", "year": 2025, "employees_total": 4, "employees_women": 2,
				"employees_youth": 1, "jobs_created": 0, "revenue": 10, "exports": 0}}
		r = e.API("POST", "/api/v1/submissions", "", body)
		if r.StatusCode != http.StatusCreated {
			t.Fatalf("submit: %d %s", r.StatusCode, r.Body)
		}
		var sub campaign.Submission
		r.JSON(t, &sub)
		if r := e.API("POST", "/api/v1/submissions", "", body); r.StatusCode != http.StatusOK {
			t.Errorf("retry: %d %s", r.StatusCode, r.Body)
		}
		body["answers"].(map[string]any)["employees_total"] = 5
		if r := e.API("POST", "/api/v1/submissions", "", body); r.StatusCode != http.StatusConflict {
			t.Errorf("conflict: %d %s", r.StatusCode, r.Body)
		}
		body["instance_id"] = campaign.NewInstanceID()
		body["answers"].(map[string]any)["employees_total"] = "lots"
		if r := e.API("POST", "/api/v1/submissions", "", body); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "answers.employees_total") {
			t.Errorf("bad answers: %d %s", r.StatusCode, r.Body)
		}
		body["answers"].(map[string]any)["employees_total"] = 5
		body["form_version_id"] = w.version + 1000
		if r := e.API("POST", "/api/v1/submissions", "", body); r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("wrong version: %d %s", r.StatusCode, r.Body)
		}
		r = e.API("GET", fmt.Sprintf("/api/v1/campaigns/%d/submissions", c.ID), tok, nil)
		var list struct {
			Total int                   `json:"total"`
			Items []campaign.Submission `json:"items"`
		}
		r.JSON(t, &list)
		if list.Total != 1 || len(list.Items) != 1 {
			t.Errorf("submissions: %s", r.Body)
		}
		if r := e.API("POST", fmt.Sprintf("/api/v1/submissions/%d/review", sub.ID), tok, map[string]any{"decision": "issues"}); r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("issues without comment: %d", r.StatusCode)
		}
		// The indicator is yearly and the campaign quarterly: the values are
		// refused, named by the form's fields, and nothing is approved.
		r = e.API("POST", fmt.Sprintf("/api/v1/submissions/%d/review", sub.ID), tok, map[string]any{"decision": "approve"})
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `"field":"employees_women"`) {
			t.Errorf("approve a quarterly answer to a yearly indicator: %d %s", r.StatusCode, r.Body)
		}
		r = e.API("POST", fmt.Sprintf("/api/v1/submissions/%d/review", sub.ID), tok, map[string]any{"decision": "issues", "comment": "Report for the year."})
		var rev campaign.Reviewed
		r.JSON(t, &rev)
		if r.StatusCode != 200 || rev.Submission.State != campaign.StateHasIssues || rev.Values != nil {
			t.Errorf("issues: %d %s", r.StatusCode, r.Body)
		}
		// Closing the campaign ends the link.
		if r := e.PostForm(br, fmt.Sprintf("/campaigns/%d/close", c.ID), nil); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("close: %d", r.StatusCode)
		}
		body["form_version_id"], body["instance_id"] = w.version, campaign.NewInstanceID()
		if r := e.API("POST", "/api/v1/submissions", "", body); r.StatusCode != http.StatusForbidden || !strings.Contains(r.Body, "closed") {
			t.Errorf("closed campaign: %d %s", r.StatusCode, r.Body)
		}
		if r := e.Get(e.Anonymous(), "/r/"+token); r.StatusCode != http.StatusGone {
			t.Errorf("closed page: %d", r.StatusCode)
		}
	})
}
