package campaign_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/user"
)

// TestWebReach checks that the new-campaign page says members during the
// period are invited, counts them on request without creating anything,
// and creates the campaign with that many respondents.
func TestWebReach(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		e := w.e
		now := db.Now()
		// A firm that left cluster A in 2024 and one that joined it in 2025.
		for _, m := range []struct{ name, joined, left string }{
			{"Old Harbour Fisheries", "2019-01-01", "2024-06-30"}, {"New Kingston Studios", "2025-03-01", ""}} {
			org := exec(t, d, `INSERT INTO organisations (kind, name, name_norm, country_iso3, email, created_at, updated_at)
				VALUES ('firm', $1, $2, 'JAM', 'x@example.test', $3, $3)`, m.name, strings.ToLower(m.name), now)
			var left any
			if m.left != "" {
				left = m.left
			}
			exec(t, d, `INSERT INTO memberships (cluster_id, organisation_id, role, joined_on, left_on, created_at, updated_at)
				VALUES ($1, $2, 'member', $3, $4, $5, $5)`, w.clusterA, org, m.joined, left, now)
		}
		staff := e.CreateUser(user.BSOStaff, fmt.Sprintf("bso:%d", w.bso))
		b := e.Browser(staff)
		r := e.Get(b, "/campaigns/new")
		if r.StatusCode != 200 || !strings.Contains(html.UnescapeString(r.Body), "including those that have left since") ||
			!strings.Contains(r.Body, `name="action" value="count"`) {
			t.Fatalf("new-campaign page: %d", r.StatusCode)
		}
		form := url.Values{"title": {"Firm results 2023"}, "version_id": {fmt.Sprint(w.version)}, "period": {"2023"},
			"opens_on": {day(-1)}, "closes_on": {day(30)}, "deadline": {day(20)}, "reminder_days": {"7, 2"},
			"cluster_ids": {fmt.Sprint(w.clusterA), fmt.Sprint(w.clusterB)}, "action": {"count"}}
		r = e.PostForm(b, "/campaigns", form)
		body := html.UnescapeString(r.Body)
		// firm1 (both clusters, once), firm2 and the firm that left in 2024.
		for _, want := range []string{"3 organisation(s) will be invited for 2023", "from 2023-01-01 to 2023-12-31",
			"1 of them have left", "1 current member(s) joined after the period", `value="Firm results 2023"`} {
			if !strings.Contains(body, want) {
				t.Errorf("count: %d, no %q", r.StatusCode, want)
			}
		}
		var n int
		d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM campaigns`).Scan(&n)
		if r.StatusCode != http.StatusOK || n != 0 {
			t.Fatalf("counting: %d, %d campaigns", r.StatusCode, n)
		}
		// Counting needs a period and someone to invite; the rest may wait.
		r = e.PostForm(b, "/campaigns", url.Values{"title": {""}, "period": {"2023-Q7"}, "action": {"count"}})
		if r.StatusCode != http.StatusUnprocessableEntity || strings.Contains(r.Body, `id="reach"`) {
			t.Errorf("count without a period: %d", r.StatusCode)
		}
		// The same count through the API, and its refusals.
		tok := e.Token(staff)
		api := e.API("POST", "/api/v1/campaigns/reach", tok, map[string]any{"period": "2023", "cluster_ids": []int64{w.clusterA, w.clusterB}})
		if api.StatusCode != 200 || !strings.Contains(api.Body, `"respondents":3`) || !strings.Contains(api.Body, `"former":1`) ||
			!strings.Contains(api.Body, `"later":1`) || !strings.Contains(api.Body, `"to":"2023-12-31"`) {
			t.Errorf("API count: %d %s", api.StatusCode, api.Body)
		}
		if api := e.API("POST", "/api/v1/campaigns/reach", tok, map[string]any{"period": "2023-Q7"}); api.StatusCode != 422 ||
			!strings.Contains(api.Body, "period") || !strings.Contains(api.Body, "cluster_ids") {
			t.Errorf("API count without a period or anyone: %d %s", api.StatusCode, api.Body)
		}
		if api := e.API("POST", "/api/v1/campaigns/reach", "", map[string]any{"period": "2023"}); api.StatusCode != 401 {
			t.Errorf("API count signed out: %d", api.StatusCode)
		}
		form.Del("action")
		r = e.PostForm(b, "/campaigns", form)
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("create: %d", r.StatusCode)
		}
		r = e.Get(b, r.Header.Get("Location"))
		if !strings.Contains(r.Body, "0 of 3 respondents") {
			t.Errorf("campaign page does not show 3 respondents")
		}
		d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM campaign_invitations`).Scan(&n)
		if n != 3 {
			t.Errorf("%d invitations, want 3", n)
		}
	})
}
