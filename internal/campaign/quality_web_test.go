package campaign_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/campaign"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/user"
)

// TestQualityPagesAndAPI: a campaign without answers shows completeness 0
// of its respondents and "no data" for the other parts, on its page, in
// the list and in the API; one answer on time makes timeliness 1 of 1.
func TestQualityPagesAndAPI(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		e := w.e
		officer := e.CreateUser(user.ProgrammeOfficer, "")
		tok := e.Token(officer)
		r := e.API("POST", "/api/v1/campaigns", tok, map[string]any{"title": "Q3 check", "version_id": w.version, "period": "2025",
			"opens_on": day(-1), "closes_on": day(10), "deadline": day(8), "organisation_ids": []int64{w.firm1, w.firm2}, "bso_id": w.bso})
		if r.StatusCode != http.StatusCreated {
			t.Fatalf("create: %d %s", r.StatusCode, r.Body)
		}
		var c campaign.Campaign
		r.JSON(t, &c)
		br := e.Browser(officer)
		page := fmt.Sprintf("/campaigns/%d", c.ID)
		if r := e.Get(br, page); r.StatusCode != 200 || !strings.Contains(r.Body, "The campaign is a draft") {
			t.Errorf("draft page: %d", r.StatusCode)
		}
		token := tokenRe.FindStringSubmatch(e.PostForm(br, page+"/open", nil).Body)[1]

		r = e.Get(br, page)
		if r.StatusCode != 200 || !strings.Contains(r.Body, `id="h-quality"`) || strings.Count(r.Body, ">no data<") != 2 ||
			!strings.Contains(r.Body, "0% <span class=\"muted\">(0/2)</span>") {
			t.Errorf("page without answers: %d\n%s", r.StatusCode, section(r.Body, `id="h-quality"`))
		}
		var got struct {
			Quality campaign.Quality `json:"quality"`
		}
		e.API("GET", "/api/v1/campaigns/"+fmt.Sprint(c.ID), tok, nil).JSON(t, &got)
		q := got.Quality
		if q.Completeness.Num != 0 || q.Completeness.Den != 2 || q.Timeliness.Defined() || q.Consistency.Defined() || !q.Defined() || q.Overall() != 0 {
			t.Errorf("API quality without answers = %+v", q)
		}

		body := map[string]any{"token": token, "form_version_id": w.version, "instance_id": campaign.NewInstanceID(),
			"answers": map[string]any{"firm_name": "Negril Spice", "year": 2025, "employees_total": 4, "employees_women": 2,
				"employees_youth": 1, "jobs_created": 0, "revenue": 10, "exports": 0}}
		if r := e.API("POST", "/api/v1/submissions", "", body); r.StatusCode != http.StatusCreated {
			t.Fatalf("submit: %d %s", r.StatusCode, r.Body)
		}
		var list struct {
			Items []struct {
				ID      int64            `json:"id"`
				Quality campaign.Quality `json:"quality"`
			} `json:"items"`
		}
		e.API("GET", "/api/v1/campaigns", tok, nil).JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].Quality.Completeness.Num != 1 || list.Items[0].Quality.Timeliness.Num != 1 ||
			list.Items[0].Quality.Timeliness.Den != 1 || list.Items[0].Quality.Consistency.Defined() {
			t.Errorf("API list = %+v", list.Items)
		}

		r = e.Get(br, "/campaigns")
		// (0.5 + 1) / 2 = 75%, and one BSO row.
		if r.StatusCode != 200 || !strings.Contains(r.Body, "<strong>75%</strong>") || !strings.Contains(r.Body, `id="h-quality-bso"`) ||
			!strings.Contains(r.Body, fmt.Sprintf(`<a href="/organisations/%d">Jamaica Business Development</a>`, w.bso)) {
			t.Errorf("list: %d\n%s", r.StatusCode, section(r.Body, `<table class="data">`))
		}
	})
}

// section is the part of a page from marker on, for failure messages.
func section(body, marker string) string {
	if i := strings.Index(body, marker); i >= 0 {
		body = body[i:]
	}
	if len(body) > 3000 {
		body = body[:3000]
	}
	return body
}
