package demo

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/clusterobservatory/observatory/internal/campaign"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/form"
	"github.com/clusterobservatory/observatory/internal/indicator"
	"github.com/clusterobservatory/observatory/internal/user"
)

// TestGenerateCampaigns checks the demo's data collection: the two
// standard forms, a closed firm survey per year with realistic response
// rates and reviews, the progress reports, and the open survey with
// answers from every channel; and that approved returns gave exactly the
// values they answered, once, with no initiative's own figure beside its
// members' values.
func TestGenerateCampaigns(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		res := generate(t, d, 1)
		t.Logf("%s: the data collection took %v", d.Dialect, campaignTiming)
		if n := count(t, d, `SELECT COUNT(*) FROM form_versions WHERE published`); n != 2 {
			t.Errorf("%d published form versions, want 2", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM form_field_mappings`); n != len(surveyMappings) {
			t.Errorf("%d field mappings, want %d", n, len(surveyMappings))
		}
		// A closed firm survey per year and BSO, with its response rate.
		type row struct {
			id                   int64
			period, status       string
			invited, answered    int
			approved, late, edit int
		}
		var rows []row
		err := db.Each(ctx, d.Read(), `SELECT c.id, c.period, c.status,
			(SELECT COUNT(*) FROM campaign_invitations i WHERE i.campaign_id = c.id),
			(SELECT COUNT(DISTINCT s.invitation_id) FROM submissions s WHERE s.campaign_id = c.id),
			(SELECT COUNT(*) FROM submissions s WHERE s.campaign_id = c.id AND s.state = 'approved'),
			(SELECT COUNT(*) FROM submissions s WHERE s.campaign_id = c.id AND s.deprecated_id <> '')
			FROM campaigns c JOIN forms f ON f.id = c.form_id WHERE f.form_key = 'firm_results' ORDER BY c.period, c.id`, nil,
			func(rs *sql.Rows) error {
				var r row
				err := rs.Scan(&r.id, &r.period, &r.status, &r.invited, &r.answered, &r.approved, &r.edit)
				rows = append(rows, r)
				return err
			})
		if err != nil {
			t.Fatal(err)
		}
		// Late returns came after the end of the deadline's day.
		lateBy := map[int64]int{}
		err = db.Each(ctx, d.Read(), `SELECT s.campaign_id, s.received_at, c.deadline FROM submissions s JOIN campaigns c ON c.id = s.campaign_id`, nil,
			func(rs *sql.Rows) error {
				var id int64
				var at time.Time
				var deadline string
				if err := rs.Scan(&id, &at, &deadline); err != nil {
					return err
				}
				if day, _ := time.Parse(time.DateOnly, deadline); !at.Before(day.AddDate(0, 0, 1)) {
					lateBy[id]++
				}
				return nil
			})
		if err != nil {
			t.Fatal(err)
		}
		years := map[string]int{}
		late, edits := 0, 0
		for _, r := range rows {
			r.late = lateBy[r.id]
			years[r.period]++
			rate := float64(r.answered) / float64(r.invited)
			switch {
			case r.period == "2026":
				if r.status != "open" || rate < 0.4 || rate > 0.6 {
					t.Errorf("the open survey: %s, %d of %d answered", r.status, r.answered, r.invited)
				}
			case r.status != "closed":
				t.Errorf("survey %s is %s", r.period, r.status)
			case r.invited >= 10 && (rate < 0.55 || rate > 0.9):
				t.Errorf("survey %s: %d of %d answered", r.period, r.answered, r.invited)
			case r.approved < r.answered*3/4:
				t.Errorf("survey %s: %d approved of %d answered", r.period, r.approved, r.answered)
			}
			if r.period != "2026" {
				late += r.late
			}
			edits += r.edit
		}
		for _, y := range []string{"2021", "2022", "2023", "2024", "2025", "2026"} {
			if years[y] == 0 {
				t.Errorf("no firm survey for %s", y)
			}
		}
		if late == 0 || edits < 3 {
			t.Errorf("%d late returns, %d edits", late, edits)
		}
		for _, state := range []string{"has_issues", "rejected"} {
			if n := count(t, d, `SELECT COUNT(*) FROM submissions WHERE state = $1 AND review_comment <> ''`, state); n == 0 {
				t.Errorf("no return %s with a comment", state)
			}
		}
		if n := count(t, d, `SELECT COUNT(*) FROM campaigns WHERE period LIKE '%-Q%' AND status = 'closed'`); n != len(progressQuarters) {
			t.Errorf("%d closed progress reports, want %d", n, len(progressQuarters))
		}
		// The open survey has every channel, links for every respondent,
		// an app user, XML from ODK Collect and edits with their history.
		open := rows[len(rows)-1].id
		for _, ch := range []string{"web", "openrosa", "excel"} {
			if n := count(t, d, `SELECT COUNT(*) FROM submissions WHERE campaign_id = $1 AND channel = $2`, open, ch); n == 0 {
				t.Errorf("the open survey has no %s returns", ch)
			}
		}
		if n := count(t, d, `SELECT COUNT(*) FROM campaign_invitations i WHERE i.campaign_id = $1
			AND NOT EXISTS (SELECT 1 FROM campaign_tokens t WHERE t.invitation_id = i.id AND t.revoked_at IS NULL)`, open); n != 0 {
			t.Errorf("%d respondents of the open survey without a working link", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM campaign_app_users WHERE campaign_id = $1`, open); n != 1 {
			t.Errorf("%d app users for the open survey", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM submissions WHERE channel = 'openrosa' AND (raw_type <> 'application/xml' OR raw IS NULL)`); n != 0 {
			t.Errorf("%d ODK Collect returns without their XML", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM submissions WHERE campaign_id = $1 AND original_id IS NOT NULL`, open); n == 0 {
			t.Error("no return of the open survey was corrected")
		}
		if n := count(t, d, `SELECT COUNT(*) FROM submissions WHERE campaign_id = $1 AND state = 'approved'`, open); n == 0 {
			t.Error("no return of the open survey is approved")
		}
		if n := count(t, d, `SELECT COUNT(*) FROM campaigns WHERE status = 'open' AND deadline <= $1`, db.Now().Format("2006-01-02")); n != 0 {
			t.Error("the open survey's deadline has passed")
		}
		// Dates: every return while its campaign ran, reviews after them.
		if n := count(t, d, `SELECT COUNT(*) FROM submissions s JOIN campaigns c ON c.id = s.campaign_id
			WHERE s.received_at < c.opened_at OR s.received_at > COALESCE(c.closed_at, $1) OR s.reviewed_at < s.received_at`, db.Now()); n != 0 {
			t.Errorf("%d returns dated outside their campaign or reviewed before they came", n)
		}
		checkSurveyValues(t, d)
		for _, s := range []string{"campaigns", "submissions", "submissions_web", "submissions_openrosa", "submissions_excel"} {
			if res.Counts[s] == 0 {
				t.Errorf("count %s is 0", s)
			}
		}
		if res.Counts["indicator_values"] != count(t, d, `SELECT COUNT(*) FROM indicator_values`) {
			t.Errorf("counts: %d indicator values", res.Counts["indicator_values"])
		}
	})
}

// checkSurveyValues checks that approved returns and the results data
// agree: each approved return's mapped answers are the firm's values for
// the period, in one version; every survey value comes from an approved
// return; and no initiative has its own figure for a year and indicator
// for which one of its member firms has a value.
func checkSurveyValues(t *testing.T, d *db.DB) {
	t.Helper()
	ctx := context.Background()
	admin := user.Actor{Name: "Admin", Role: user.Admin}
	is := indicator.NewStore(d)
	fs := form.NewStore(d, is)
	cs := campaign.NewStore(d, campaign.Options{})
	type approved struct {
		id, org, version int64
		period           string
		answers          string
	}
	var subs []approved
	err := db.Each(ctx, d.Read(), `SELECT s.id, s.organisation_id, s.version_id, c.period, s.answers FROM submissions s
		JOIN campaigns c ON c.id = s.campaign_id WHERE s.state = 'approved' ORDER BY s.id`, nil, func(rs *sql.Rows) error {
		var a approved
		err := rs.Scan(&a.id, &a.org, &a.version, &a.period, &a.answers)
		subs = append(subs, a)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, s := range subs {
		ms, err := fs.FindMappings(ctx, admin, s.version)
		if err != nil {
			t.Fatal(err)
		}
		var answers map[string]any
		if err := json.Unmarshal([]byte(s.answers), &answers); err != nil {
			t.Fatal(err)
		}
		def, err := fs.Definition(ctx, admin, s.version)
		if err != nil {
			t.Fatal(err)
		}
		if p := campaign.CheckAnswers(def, answers, campaign.Checking{Earlier: true}); len(p) > 0 {
			t.Errorf("return %d does not fit its form: %v", s.id, p)
		}
		for _, m := range ms {
			want, _ := answers[m.Field].(float64)
			var got float64
			var versions int
			if err := d.Read().QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(MAX(value), -1) FROM indicator_values
				WHERE subject_kind = 'organisation' AND subject_id = $1 AND indicator_id = $2 AND period_key = $3
				AND dimension_code = '' AND state <> 'rejected'`, s.org, m.IndicatorID, s.period).Scan(&versions, &got); err != nil {
				t.Fatal(err)
			}
			if versions != 1 || got != want {
				t.Errorf("return %d, %s: the firm has %d values (%v), the return says %v", s.id, m.Field, versions, got, want)
			}
			checked++
		}
	}
	if checked < 300 {
		t.Errorf("only %d values of approved returns checked", checked)
	}
	if n := count(t, d, `SELECT COUNT(*) FROM indicator_values v WHERE v.subject_kind = 'organisation' AND NOT EXISTS (
		SELECT 1 FROM submissions s JOIN campaigns c ON c.id = s.campaign_id WHERE s.state = 'approved'
		AND s.organisation_id = v.subject_id AND c.period = v.period_key)`); n != 0 {
		t.Errorf("%d firm values without an approved return", n)
	}
	if n := count(t, d, `SELECT COUNT(*) FROM indicator_values v JOIN memberships m ON m.organisation_id = v.subject_id
		JOIN indicator_values k ON k.subject_kind = 'cluster' AND k.subject_id = m.cluster_id AND k.indicator_id = v.indicator_id
		AND substr(k.period_key, 1, 4) = v.period_key
		WHERE v.subject_kind = 'organisation' AND m.joined_on <= v.period_key || '-12-31' AND k.note <> $1
		AND (m.left_on IS NULL OR m.left_on >= v.period_key || '-01-01')`, doubledNote); n != 0 {
		t.Errorf("%d firm values counted beside their initiative's own figure", n)
	}
	// The officer has approved most survey values.
	if n := count(t, d, `SELECT COUNT(*) FROM indicator_values WHERE source = 'survey' AND subject_kind = 'organisation' AND state = 'approved'`); n < checked/2 {
		t.Errorf("%d survey values approved of %d", n, checked)
	}
	_ = cs
}

// TestCampaignsTiming reports how long the data collection adds to the
// demo's generation on both engines. It only runs when
// OBSERVATORY_DEMO_TIMING=1.
func TestCampaignsTiming(t *testing.T) {
	if os.Getenv("OBSERVATORY_DEMO_TIMING") != "1" {
		t.Skip("set OBSERVATORY_DEMO_TIMING=1 to time the data collection")
	}
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		res := generate(t, d, 1)
		t.Logf("%s scale 1: %v for %d campaigns and %d returns", d.Dialect, campaignTiming, res.Counts["campaigns"], res.Counts["submissions"])
	})
}
