package indicator_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/indicator"
	"github.com/clusterobservatory/observatory/internal/user"
)

// fixture is a running application with two BSOs (JAM, TTO), each leading
// one cluster initiative.
type fixture struct {
	e                  *apptest.Env
	s                  *indicator.Store
	bsoA, bsoB         int64
	clusterA, clusterB int64
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	f := &fixture{e: apptest.New(t, d), s: indicator.NewStore(d)}
	ctx := context.Background()
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		now := db.Now()
		for _, o := range []struct {
			id            *int64
			name, country string
		}{{&f.bsoA, "Jamaica Business Development", "JAM"}, {&f.bsoB, "Trinidad Export Agency", "TTO"}} {
			if err := tx.QueryRowContext(ctx, `INSERT INTO organisations (kind, name, name_norm, country_iso3, created_at, updated_at)
				VALUES ('bso', $1, $2, $3, $4, $4) RETURNING id`, o.name, strings.ToLower(o.name), o.country, now).Scan(o.id); err != nil {
				return err
			}
		}
		for _, c := range []struct {
			id            *int64
			name, country string
			bso           int64
		}{{&f.clusterA, "Kingston Creative", "JAM", f.bsoA}, {&f.clusterB, "Tobago Heritage Tourism", "TTO", f.bsoB}} {
			if err := tx.QueryRowContext(ctx, `INSERT INTO clusters (name, name_norm, sector, stage, lead_bso_id, created_at, updated_at)
				VALUES ($1, $2, 'tourism', 'implementing', $3, $4, $4) RETURNING id`, c.name, strings.ToLower(c.name), c.bso, now).Scan(c.id); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO cluster_countries (cluster_id, country_iso3) VALUES ($1, $2)`, *c.id, c.country); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func wantStatus(t *testing.T, what string, r *apptest.Response, status int) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s: status %d, want %d\n%.3000s", what, r.StatusCode, status, r.Body)
	}
}

func wantBody(t *testing.T, what string, r *apptest.Response, present bool, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(r.Body, s) != present {
			t.Errorf("%s: body contains %q = %v, want %v", what, s, !present, present)
		}
	}
}

// checkPage holds a page to the platform's rules: one h1, a label for every
// input, and no message key left untranslated.
func checkPage(t *testing.T, where, body string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatalf("%s: not HTML: %v", where, err)
	}
	labels := map[string]bool{}
	var inputs []*html.Node
	h1 := 0
	var text strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
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
		if n.Type == html.TextNode {
			text.WriteString(n.Data + " ")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if h1 != 1 {
		t.Errorf("%s: %d h1 elements", where, h1)
	}
	for _, in := range inputs {
		switch attr(in, "type") {
		case "hidden", "submit", "button":
			continue
		}
		if id := attr(in, "id"); id == "" || !labels[id] {
			t.Errorf("%s: %s name=%q has no label", where, in.Data, attr(in, "name"))
		}
	}
	if m := rawKey.FindString(text.String()); m != "" {
		t.Errorf("%s: untranslated key %q on the page", where, m)
	}
}

// rawKey finds message keys that leaked into a page untranslated.
var rawKey = regexp.MustCompile(`(?:^|[^@\w.-])(common|indicator|account)\.[a-z_]+(\.[a-z0-9_]+)*\b`)

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func TestOfficerDefinesAnIndicatorThroughTheForm(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		e := f.e
		c := e.Browser(e.CreateUser(user.ProgrammeOfficer, ""))

		r := e.Get(c, "/indicators")
		wantStatus(t, "list", r, 200)
		wantBody(t, "list", r, true, "JOBS_CREATED", "INVESTMENT_LEVERAGED", `href="/indicators/new"`)
		checkPage(t, "list", r.Body)
		r = e.Get(c, "/indicators?level=output&kind=standard&q=cert")
		wantBody(t, "filtered list", r, true, "CERTIFICATIONS")
		wantBody(t, "filtered list", r, false, "JOBS_CREATED")

		r = e.Get(c, "/indicators/new")
		wantStatus(t, "new", r, 200)
		checkPage(t, "new", r.Body)

		form := url.Values{"code": {"trade_fairs"}, "name": {"Trade fairs attended"}, "definition": {"Fairs abroad that member firms exhibited at."},
			"unit": {"fairs"}, "level": {"output"}, "calculation": {"numeric"}, "direction": {"increase"},
			"subject_aggregation": {"sum"}, "time_aggregation": {"sum"}, "dimensions": {"firm_size"},
			"means_of_verification": {"Exhibitor lists."}, "frequency": {"quarterly"}, "responsible_role": {"cluster_manager"},
			"formula": {"EXPORTS / (REVENUE"}}
		r = e.PostForm(c, "/indicators", form)
		wantStatus(t, "bad formula", r, 422)
		wantBody(t, "bad formula", r, true, "at character 11", `value="EXPORTS / (REVENUE"`)
		checkPage(t, "form with errors", r.Body)

		form.Set("formula", "")
		r = e.PostForm(c, "/indicators", form)
		wantStatus(t, "create", r, 303)
		loc := r.Header.Get("Location")
		r = e.Get(c, loc)
		wantStatus(t, "show", r, 200)
		wantBody(t, "show", r, true, "TRADE_FAIRS", "Trade fairs attended", "Exhibitor lists.", "Firm size", `href="`+loc+`/edit"`)
		checkPage(t, "show", r.Body)

		r = e.Get(c, loc+"/edit")
		wantStatus(t, "edit", r, 200)
		wantBody(t, "edit", r, true, `name="reason"`)
		checkPage(t, "edit", r.Body)
		form.Set("name", "Trade fairs")
		r = e.PostForm(c, loc, form)
		wantStatus(t, "edit without reason", r, 422)
		wantBody(t, "edit without reason", r, true, "Say why this changes")
		form.Set("reason", "Shorter name for reports")
		r = e.PostForm(c, loc, form)
		wantStatus(t, "edit", r, 303)
		r = e.Get(c, loc)
		wantBody(t, "change log", r, true, "Shorter name for reports", "Trade fairs attended", "Test programme_officer")

		// BSO staff read indicators but may not define them.
		b := e.Browser(e.CreateUser(user.BSOStaff, fmt.Sprintf("bso:%d", f.bsoA)))
		wantStatus(t, "BSO list", e.Get(b, "/indicators"), 200)
		wantBody(t, "BSO list", e.Get(b, "/indicators"), false, `href="/indicators/new"`)
		wantStatus(t, "BSO new", e.Get(b, "/indicators/new"), 403)
		wantStatus(t, "BSO create", e.PostForm(b, "/indicators", form), 403)
		wantStatus(t, "BSO edit", e.Get(b, loc+"/edit"), 403)
		wantStatus(t, "anonymous", e.Get(e.Anonymous(), "/indicators"), 303)
	})
}

func TestBSOSetsTargetsForItsOwnCluster(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		e := f.e
		jobs, err := f.s.FindIndicatorByCode(context.Background(), user.System, "JOBS_CREATED")
		if err != nil {
			t.Fatal(err)
		}
		b := e.Browser(e.CreateUser(user.BSOStaff, fmt.Sprintf("bso:%d", f.bsoA)))
		own := fmt.Sprintf("/indicators/targets?subject=cluster:%d", f.clusterA)
		other := fmt.Sprintf("/indicators/targets?subject=cluster:%d", f.clusterB)

		r := e.Get(b, "/indicators/targets")
		wantStatus(t, "chooser", r, 200)
		wantBody(t, "chooser", r, true, "Kingston Creative")
		wantBody(t, "chooser", r, false, "Tobago Heritage Tourism")
		checkPage(t, "chooser", r.Body)

		r = e.Get(b, own)
		wantStatus(t, "own targets", r, 200)
		wantBody(t, "own targets", r, true, "Kingston Creative", `name="indicator_id"`)
		checkPage(t, "own targets", r.Body)

		set := url.Values{"subject": {fmt.Sprintf("cluster:%d", f.clusterA)}, "indicator_id": {fmt.Sprint(jobs.ID)},
			"kind": {"baseline"}, "period": {"2025"}, "category": {"sex:women"}, "value": {"12"}}
		r = e.PostForm(b, "/indicators/targets", set)
		wantStatus(t, "set baseline", r, 303)
		set.Set("kind", "target")
		set.Set("period", "2027")
		set.Set("value", "1 250,5")
		r = e.PostForm(b, "/indicators/targets", set)
		wantStatus(t, "set target", r, 303)
		set.Set("value", "1300")
		r = e.PostForm(b, "/indicators/targets", set)
		wantStatus(t, "revise without reason", r, 422)
		wantBody(t, "revise without reason", r, true, "Say why")
		checkPage(t, "targets with errors", r.Body)
		set.Set("reason", "New export contract")
		r = e.PostForm(b, "/indicators/targets", set)
		wantStatus(t, "revise", r, 303)
		r = e.Get(b, own)
		wantBody(t, "history", r, true, "Women", "2027", "1,300", "1,250.50", "New export contract", "Versions: 2")
		wantBody(t, "revise link", r, true, `href="/indicators/targets?category=sex%3Awomen&amp;indicator=`)
		r = e.Get(b, own+"&indicator="+fmt.Sprint(jobs.ID)+"&kind=baseline&period=2025&category=sex:women&value=12")
		wantBody(t, "prefilled", r, true, `value="2025"`, `<option value="baseline" selected>`, `<option value="sex:women" selected>`, `value="12"`)
		checkPage(t, "targets", r.Body)

		// The other BSO's cluster: neither readable nor writable.
		wantStatus(t, "other targets", e.Get(b, other), 404)
		set.Set("subject", fmt.Sprintf("cluster:%d", f.clusterB))
		r = e.PostForm(b, "/indicators/targets", set)
		wantStatus(t, "set other's target", r, 404)
		var n int
		d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM indicator_targets WHERE subject_id = $1`, f.clusterB).Scan(&n)
		if n != 0 {
			t.Errorf("%d targets stored for another BSO's cluster", n)
		}

		// The reference sheet lists the targets the reader may see.
		r = e.Get(b, fmt.Sprintf("/indicators/%d", jobs.ID))
		wantBody(t, "sheet", r, true, "Kingston Creative", "Baseline")
		// A country coordinator reads but may not set.
		cc := e.Browser(e.CreateUser(user.CountryCoordinator, "country:JAM"))
		r = e.Get(cc, own)
		wantStatus(t, "coordinator", r, 200)
		wantBody(t, "coordinator", r, false, `name="indicator_id"`)
		set.Set("subject", fmt.Sprintf("cluster:%d", f.clusterA))
		wantStatus(t, "coordinator sets", e.PostForm(cc, "/indicators/targets", set), 403)
	})
}

func TestAPI(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		e := f.e
		officer := e.Token(e.CreateUser(user.ProgrammeOfficer, ""))
		bso := e.Token(e.CreateUser(user.BSOStaff, fmt.Sprintf("bso:%d", f.bsoA)))

		wantStatus(t, "anonymous", e.API("GET", "/api/v1/indicators", "", nil), 401)
		r := e.API("GET", "/api/v1/indicators?kind=standard&per_page=3", bso, nil)
		wantStatus(t, "list", r, 200)
		var list struct {
			Items []indicator.Indicator `json:"items"`
			Total int                   `json:"total"`
		}
		r.JSON(t, &list)
		if list.Total != 8 || len(list.Items) != 3 || list.Items[0].Code != "CERTIFICATIONS" {
			t.Errorf("list: %d items of %d", len(list.Items), list.Total)
		}
		wantStatus(t, "bad filter", e.API("GET", "/api/v1/indicators?level=middle", bso, nil), 422)

		in := map[string]any{"code": "EXPORT_SHARE", "name": "Export share", "definition": "Exports as a share of revenue.",
			"level": "outcome", "calculation": "percentage", "direction": "increase", "subject_aggregation": "weighted_average",
			"weight_code": "REVENUE", "time_aggregation": "average", "means_of_verification": "Computed.", "frequency": "yearly",
			"responsible_role": "programme_officer", "formula": "EXPORTS / REVENUE * 100"}
		wantStatus(t, "BSO create", e.API("POST", "/api/v1/indicators", bso, in), 403)
		r = e.API("POST", "/api/v1/indicators", officer, in)
		wantStatus(t, "create", r, 201)
		var ind indicator.Indicator
		r.JSON(t, &ind)
		if ind.Unit != "%" || ind.WeightCode != "REVENUE" || r.Header.Get("Location") != fmt.Sprintf("/api/v1/indicators/%d", ind.ID) {
			t.Errorf("created %+v", ind)
		}
		in["code"], in["formula"] = "LOOP", "LOOP * 2"
		r = e.API("POST", "/api/v1/indicators", officer, in)
		wantStatus(t, "self formula", r, 422)
		wantBody(t, "self formula", r, true, `"field":"formula"`, "character 1")

		path := fmt.Sprintf("/api/v1/indicators/%d", ind.ID)
		r = e.API("PATCH", path, officer, map[string]any{"name": "Export share of revenue"})
		wantStatus(t, "patch without reason", r, 422)
		wantBody(t, "patch without reason", r, true, `"field":"reason"`)
		r = e.API("PATCH", path, officer, map[string]any{"name": "Export share of revenue", "reason": "Clearer"})
		wantStatus(t, "patch", r, 200)
		r = e.API("GET", path, bso, nil)
		wantStatus(t, "get", r, 200)
		wantBody(t, "get", r, true, "Export share of revenue")

		tin := map[string]any{"indicator_id": ind.ID, "subject": fmt.Sprintf("cluster:%d", f.clusterA), "kind": "target", "period": "2027", "value": 35}
		r = e.API("POST", "/api/v1/targets", bso, tin)
		wantStatus(t, "set target", r, 201)
		tin["value"], tin["reason"] = 30, "Hurricane season"
		r = e.API("POST", "/api/v1/targets", bso, tin)
		wantStatus(t, "revise target", r, 200)
		var tr struct {
			Value     float64 `json:"value"`
			Revisions []struct {
				Value         float64  `json:"value"`
				PreviousValue *float64 `json:"previous_value"`
			} `json:"revisions"`
		}
		r.JSON(t, &tr)
		if tr.Value != 30 || len(tr.Revisions) != 2 || tr.Revisions[0].PreviousValue == nil || *tr.Revisions[0].PreviousValue != 35 {
			t.Errorf("revised target %+v", tr)
		}
		tin["subject"] = fmt.Sprintf("cluster:%d", f.clusterB)
		wantStatus(t, "other BSO's cluster", e.API("POST", "/api/v1/targets", bso, tin), 422)

		r = e.API("GET", fmt.Sprintf("/api/v1/targets?subject=cluster:%d&indicator=%d", f.clusterA, ind.ID), bso, nil)
		wantStatus(t, "targets", r, 200)
		wantBody(t, "targets", r, true, `"total":1`, `"period":"2027"`, `"subject_name":"Kingston Creative"`)
		r = e.API("GET", fmt.Sprintf("/api/v1/targets?subject=cluster:%d", f.clusterA), e.Token(e.CreateUser(user.BSOStaff, fmt.Sprintf("bso:%d", f.bsoB))), nil)
		wantBody(t, "other BSO reads", r, true, `"total":0`)
		wantStatus(t, "bad subject", e.API("GET", "/api/v1/targets?subject=firm:1", bso, nil), 422)
	})
}

func TestPagesInEveryLanguageAndArchiving(t *testing.T) {
	d := dbtest.SQLite(t)
	f := newFixture(t, d)
	e := f.e
	ctx := context.Background()
	admin := e.CreateUser(user.Admin, "")
	jobs, _ := f.s.FindIndicatorByCode(ctx, user.System, "JOBS_CREATED")
	v := 10.0
	if _, _, err := f.s.SetTarget(ctx, user.System, indicator.TargetInput{IndicatorID: jobs.ID, Subject: fmt.Sprintf("cluster:%d", f.clusterA),
		Kind: indicator.KindTarget, Period: "2026", Category: "youth:youth", Value: &v}); err != nil {
		t.Fatal(err)
	}
	custom, err := f.s.CreateIndicator(ctx, user.System, indicator.Input{Code: "FAIRS", Name: "Fairs", Definition: "Fairs attended.", Unit: "fairs",
		Level: indicator.LevelOutput, Calculation: indicator.CalcNumeric, Direction: indicator.DirIncrease, SubjectAggregation: indicator.AggSum,
		TimeAggregation: indicator.AggSum, MeansOfVerification: "Lists.", Frequency: indicator.FreqYearly, ResponsibleRole: user.ClusterManager})
	if err != nil {
		t.Fatal(err)
	}
	pages := []string{"/indicators", "/indicators?level=impact&kind=custom&archived=true", "/indicators/new",
		fmt.Sprintf("/indicators/%d", jobs.ID), fmt.Sprintf("/indicators/%d/edit", jobs.ID), "/indicators/targets",
		fmt.Sprintf("/indicators/targets?subject=cluster:%d", f.clusterA), "/indicators/targets?subject=country:JAM"}
	for _, lang := range []string{"en", "es", "fr", "nl"} {
		c := e.Browser(admin)
		u, _ := url.Parse(e.Server.URL)
		c.Jar.SetCookies(u, []*http.Cookie{{Name: "lang", Value: lang, Path: "/"}})
		for _, p := range pages {
			r := e.Get(c, p)
			wantStatus(t, lang+" "+p, r, 200)
			checkPage(t, lang+" "+p, r.Body)
		}
	}

	c := e.Browser(admin)
	path := fmt.Sprintf("/indicators/%d", custom.ID)
	wantStatus(t, "archive", e.PostForm(c, path+"/archive", nil), 303)
	r := e.Get(c, "/indicators")
	wantBody(t, "list without archived", r, false, "FAIRS")
	r = e.Get(c, "/indicators?archived=true")
	wantBody(t, "list with archived", r, true, "FAIRS")
	r = e.Get(c, path)
	wantBody(t, "archived sheet", r, true, path+"/restore")
	wantBody(t, "archived sheet", r, false, path+"/edit")
	wantStatus(t, "restore", e.PostForm(c, path+"/restore", nil), 303)
	officer := e.Browser(e.CreateUser(user.ProgrammeOfficer, ""))
	wantStatus(t, "officer archives a standard", e.PostForm(officer, fmt.Sprintf("/indicators/%d/archive", jobs.ID), nil), 403)
	var n int
	d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'indicator' AND record_id = $1`, fmt.Sprint(custom.ID)).Scan(&n)
	if n != 3 {
		t.Errorf("%d audit entries for create, archive and restore", n)
	}
}
