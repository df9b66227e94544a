package demo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"math"
	"os"
	"testing"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/plan"
	"github.com/clusterobservatory/observatory/internal/programme"
	"github.com/clusterobservatory/observatory/internal/user"
)

// closedCall is the 2024 call's ID.
func closedCall(t *testing.T, d *db.DB) int64 {
	t.Helper()
	var id int64
	if err := d.Read().QueryRowContext(context.Background(), `SELECT id FROM calls WHERE number = $1`, closedCallNumber).Scan(&id); err != nil {
		t.Fatalf("the closed call: %v", err)
	}
	return id
}

func TestGenerateProgramme(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		res := generate(t, d, 1)
		call := closedCall(t, d)
		n := applicationCount(1)
		if got := count(t, d, `SELECT COUNT(*) FROM applications WHERE call_id = $1`, call); got != n || n != 90 {
			t.Errorf("the closed call has %d applications, want %d (90)", got, n)
		}
		if res.Counts["applications"] != count(t, d, `SELECT COUNT(*) FROM applications`) || res.Counts["applications"] <= n {
			t.Errorf("counts: %d applications, the database holds %d", res.Counts["applications"], count(t, d, `SELECT COUNT(*) FROM applications`))
		}
		if got := count(t, d, `SELECT COUNT(DISTINCT o.country_iso3) FROM applications a JOIN organisations o ON o.id = a.lead_org_id
			WHERE a.call_id = $1`, call); got != 13 {
			t.Errorf("applications come from %d countries, want 13", got)
		}
		// The sector mix, within three points (applications for a cluster
		// that is not in the registry yet count as a margin).
		loose := count(t, d, `SELECT COUNT(*) FROM applications WHERE call_id = $1 AND cluster_id IS NULL`, call)
		for _, g := range appGroups {
			args := []any{call}
			in := ""
			for _, s := range g.sectors {
				args = append(args, s)
				in += fmt.Sprintf(",$%d", len(args))
			}
			got := float64(count(t, d, `SELECT COUNT(*) FROM applications a JOIN clusters k ON k.id = a.cluster_id
				WHERE a.call_id = $1 AND k.sector IN (`+in[1:]+`)`, args...)) / float64(n)
			if math.Abs(got-g.share/100) > 0.03+float64(loose)/float64(n) {
				t.Errorf("%s: %.1f %% of the applications, want %.0f %%", g.key, 100*got, g.share)
			}
		}
		// Eligibility: about one in eight fails, each with the rule's reason.
		failed := count(t, d, `SELECT COUNT(*) FROM applications WHERE call_id = $1 AND NOT eligible`, call)
		if failed < 8 || failed > 14 {
			t.Errorf("%d ineligible applications, want 10–15 %%", failed)
		}
		if got := count(t, d, `SELECT COUNT(DISTINCT r.kind) FROM application_results r JOIN applications a ON a.id = r.application_id
			WHERE a.call_id = $1 AND NOT r.pass AND r.reason <> ''`, call); got < 4 {
			t.Errorf("the failures break %d kinds of rule, want at least 4 (firms, months, documents, co-financing)", got)
		}
		if got := count(t, d, `SELECT COUNT(*) FROM applications a WHERE a.call_id = $1 AND NOT a.eligible
			AND NOT EXISTS (SELECT 1 FROM application_results r WHERE r.application_id = a.id AND NOT r.pass AND r.reason <> '')`, call); got != 0 {
			t.Errorf("%d ineligible applications without a failed rule and its reason", got)
		}
		if got := count(t, d, `SELECT COUNT(*) FROM applications WHERE call_id = $1 AND (submitted_at IS NULL OR submitted_at > $2 OR submitted_at < $3)`,
			call, closedCloses.UTC(), closedOpens.UTC()); got != 0 {
			t.Errorf("%d applications not submitted while the call was open", got)
		}
		// The panel: three reviews, or two and a declared conflict, on
		// every eligible application; none on the others.
		if got := count(t, d, `SELECT COUNT(*) FROM users WHERE role = 'reviewer'`); got != 3 {
			t.Errorf("%d reviewer accounts, want 3", got)
		}
		if got := count(t, d, `SELECT COUNT(*) FROM applications a WHERE a.call_id = $1 AND a.eligible AND NOT (
			(SELECT COUNT(*) FROM application_reviews r WHERE r.application_id = a.id AND r.status = 'submitted') = 3 OR
			((SELECT COUNT(*) FROM application_reviews r WHERE r.application_id = a.id AND r.status = 'submitted') = 2 AND
			 (SELECT COUNT(*) FROM application_reviews r WHERE r.application_id = a.id AND r.status = 'conflicted') = 1))`, call); got != 0 {
			t.Errorf("%d eligible applications without three reviews or a conflict", got)
		}
		if got := count(t, d, `SELECT COUNT(*) FROM application_reviews WHERE status = 'conflicted' AND conflict_note <> ''`); got != 1 {
			t.Errorf("%d conflicts of interest declared, want 1", got)
		}
		if got := count(t, d, `SELECT COUNT(*) FROM application_reviews r JOIN applications a ON a.id = r.application_id WHERE NOT a.eligible`); got != 0 {
			t.Errorf("%d reviews of ineligible applications", got)
		}
		if got := count(t, d, `SELECT COUNT(*) FROM review_scores WHERE comment = '' OR score NOT BETWEEN 1 AND 5`); got != 0 {
			t.Errorf("%d scores without a comment or off the rubric", got)
		}
		// Decisions: the best twelve shortlisted, every other rejected with a reason.
		if got := count(t, d, `SELECT COUNT(*) FROM applications WHERE call_id = $1 AND status = 'shortlisted'`, call); got != 12 {
			t.Errorf("%d shortlisted, want 12", got)
		}
		if got := count(t, d, `SELECT COUNT(*) FROM applications a LEFT JOIN application_decisions x ON x.application_id = a.id
			WHERE a.call_id = $1 AND (x.decision IS NULL OR x.decision <> a.status OR (a.status = 'rejected' AND x.reason = ''))`, call); got != 0 {
			t.Errorf("%d applications without a decision, or rejected without a reason", got)
		}
		ps := programme.NewStore(d)
		rk, err := ps.FindRanking(ctx, user.System, call, programme.RankingFilter{Eligibility: "eligible"})
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rk.Rows {
			short := row.Status == programme.AppShortlisted
			if (short && row.Rank > 12) || (!short && row.Rank < 12) {
				t.Errorf("application %d ranked %d is %s", row.ApplicationID, row.Rank, row.Status)
			}
		}
		// The calls' status now: the 2024 call closed, the 2026 call open.
		c, err := ps.FindCallByID(ctx, user.System, call)
		if err != nil {
			t.Fatal(err)
		}
		if c.StatusAt(time.Now()) != programme.StatusClosed || c.OpensAt.Year() != 2024 || c.GrantCeiling != 400_000_00 || len(c.Criteria) != 5 {
			t.Errorf("closed call: status %s, opens %s, ceiling %d, %d criteria", c.StatusAt(time.Now()), c.OpensAt, c.GrantCeiling, len(c.Criteria))
		}
		if got := count(t, d, `SELECT COUNT(*) FROM calls WHERE number = $1 AND closes_at > $2`, openCallNumber, time.Now().UTC()); got != 1 {
			t.Error("the 2026 call is not open")
		}
		for _, st := range []string{"draft", "submitted"} {
			if got := count(t, d, `SELECT COUNT(*) FROM applications a JOIN calls c ON c.id = a.call_id WHERE c.number = $1 AND a.status = $2`,
				openCallNumber, st); got < 3 {
				t.Errorf("the open call has %d %s applications, want a few", got, st)
			}
		}
		// Plans: eight approved, two submitted, two drafts; approved
		// budgets pass the call's co-financing checks.
		want := map[string]int{"approved": 8, "submitted": 2, "draft": 2}
		for st, w := range want {
			if got := count(t, d, `SELECT COUNT(*) FROM plans WHERE status = $1`, st); got != w {
				t.Errorf("%d %s plans, want %d", got, st, w)
			}
		}
		if res.Counts["plans"] != 12 {
			t.Errorf("counts: %d plans, want 12", res.Counts["plans"])
		}
		// Every approved plan is being implemented: spending on it, its
		// milestones moving, its quarterly reports in (all but the last
		// accepted), and its counterpart delivered in cash and in kind.
		if n := count(t, d, `SELECT COUNT(DISTINCT plan_id) FROM plan_spending`); n != 8 || res.Counts["spending_entries"] != count(t, d, `SELECT COUNT(*) FROM plan_spending`) {
			t.Errorf("%d plans with spending, want the 8 approved; %d entries counted", n, res.Counts["spending_entries"])
		}
		for _, src := range []string{"grant", "cash", "in_kind"} {
			if count(t, d, `SELECT COUNT(*) FROM plan_spending WHERE source = $1`, src) == 0 {
				t.Errorf("no %s spending", src)
			}
		}
		if done := count(t, d, `SELECT COUNT(*) FROM plan_milestone_progress WHERE status = 'done'`); done == 0 || res.Counts["milestone_updates"] <= done/2 {
			t.Errorf("%d milestones done of %d updates", done, res.Counts["milestone_updates"])
		}
		if open := count(t, d, `SELECT COUNT(*) FROM plan_reports WHERE status <> 'accepted'`); open != 8 || res.Counts["progress_reports"] < 8*5 {
			t.Errorf("%d reports waiting for acceptance (want the last of each plan), %d in all", open, res.Counts["progress_reports"])
		}
		pls := plan.NewStore(d)
		approved, _, err := pls.FindPlans(ctx, user.System, plan.Filter{Status: plan.StatusApproved})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range approved {
			full, err := pls.FindPlanByID(ctx, user.System, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			pc, err := pls.Call(ctx, full)
			if err != nil {
				t.Fatal(err)
			}
			c := full.Content
			if checks := plan.Evaluate(c.Budget, plan.TermsOf(pc)); !checks.Pass {
				t.Errorf("approved plan %d fails its co-financing checks: %+v", p.ID, checks)
			}
			if len(c.Objectives) == 0 || len(c.ActionLines) == 0 || len(c.Projects) < 2 || len(c.Projects) > 3 || len(c.Milestones) == 0 || len(c.Risks) == 0 {
				t.Errorf("approved plan %d is thin: %d objectives, %d action lines, %d projects, %d milestones, %d risks", p.ID,
					len(c.Objectives), len(c.ActionLines), len(c.Projects), len(c.Milestones), len(c.Risks))
			}
			if full.ApprovedAt == nil || full.ApprovedAt.Year() < 2024 || full.ApprovedAt.Year() > 2025 {
				t.Errorf("approved plan %d approved at %v", p.ID, full.ApprovedAt)
			}
		}
		if got := count(t, d, `SELECT COUNT(DISTINCT p.facilitator_id) FROM plans p JOIN users u ON u.id = p.facilitator_id WHERE u.role = 'bso_staff'`); got != 2 {
			t.Errorf("the demo BSO accounts facilitate plans of %d BSOs, want 2", got)
		}
		checkEvents(t, d, res)
	})
}

// checkEvents checks the events of the initiatives.
func checkEvents(t *testing.T, d *db.DB, res *Result) {
	t.Helper()
	events := count(t, d, `SELECT COUNT(*) FROM events`)
	if events != res.Counts["events"] || events < 300 {
		t.Errorf("%d events, counts say %d, want a few per initiative and year", events, res.Counts["events"])
	}
	checks := []struct{ what, query string }{
		{"events outside 2021–2025", `SELECT COUNT(*) FROM events WHERE starts_on < '2021-01-01' OR ends_on > '2025-12-31'`},
		{"events with fewer than 3 or more than 15 attendees", `SELECT COUNT(*) FROM events e
			WHERE (SELECT COUNT(*) FROM event_attendees a WHERE a.event_id = e.id) NOT BETWEEN 3 AND 15`},
		{"events whose attendees add up to more than the totals", `SELECT COUNT(*) FROM events e WHERE EXISTS (SELECT 1 FROM event_attendees a
			WHERE a.event_id = e.id GROUP BY a.event_id HAVING SUM(a.participants) > e.participants OR SUM(a.women) > e.women
			OR SUM(a.men) > e.men OR SUM(a.youth) > e.youth)`},
		{"attendees that were not members of the event's initiatives on its day", `SELECT COUNT(*) FROM event_attendees a JOIN events e ON e.id = a.event_id
			WHERE NOT EXISTS (SELECT 1 FROM event_clusters c JOIN memberships m ON m.cluster_id = c.cluster_id AND m.organisation_id = a.organisation_id
			WHERE c.event_id = e.id AND m.joined_on <= e.starts_on AND (m.left_on IS NULL OR m.left_on >= e.starts_on))`},
		{"events not organised by a lead BSO of their initiatives", `SELECT COUNT(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM event_clusters c
			JOIN clusters k ON k.id = c.cluster_id WHERE c.event_id = e.id AND k.lead_bso_id = e.organiser_id)`},
		{"trade missions at home", `SELECT COUNT(*) FROM events WHERE type = 'trade_mission' AND (country_iso3 IS NULL OR country_iso3 NOT IN ('USA', 'GBR', 'CAN'))`},
		{"shared events of different sectors", `SELECT COUNT(*) FROM (SELECT c.event_id FROM event_clusters c JOIN clusters k ON k.id = c.cluster_id
			GROUP BY c.event_id HAVING COUNT(DISTINCT k.sector) > 1) x`},
		{"events without an audit entry", `SELECT COUNT(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM audit_log l
			WHERE l.record_type = 'event' AND l.record_id = CAST(e.id AS TEXT))`},
	}
	for _, c := range checks {
		if n := count(t, d, c.query); n != 0 {
			t.Errorf("%s: %d", c.what, n)
		}
	}
	for _, typ := range []string{"meeting", "workshop", "training", "trade_mission", "matchmaking", "other"} {
		if n := count(t, d, `SELECT COUNT(*) FROM events WHERE type = $1`, typ); n < 10 {
			t.Errorf("%d events of type %s", n, typ)
		}
	}
	if n := count(t, d, `SELECT COUNT(*) FROM (SELECT event_id FROM event_clusters GROUP BY event_id HAVING COUNT(*) = 2) x`); n < 10 {
		t.Errorf("%d events shared by two initiatives, want some", n)
	}
	total := float64(count(t, d, `SELECT SUM(participants) FROM events`))
	for _, s := range []struct {
		what     string
		column   string
		min, max float64
	}{{"women", "women", 0.40, 0.55}, {"youth", "youth", 0.20, 0.40}} {
		if got := float64(count(t, d, `SELECT SUM(`+s.column+`) FROM events`)) / total; got < s.min || got > s.max {
			t.Errorf("share of %s = %.3f, want %.2f–%.2f", s.what, got, s.min, s.max)
		}
	}
}

// activityDigest hashes the programme's and the events' rows without the
// moments of writing, so that two generations can be compared.
func activityDigest(t *testing.T, d *db.DB) string {
	t.Helper()
	queries := []string{
		`SELECT id, call_id, status, title, summary, lead_org_id, bso_id, cluster_id, grant_request, counterpart_cash, counterpart_in_kind,
			months_operating, documents, CASE WHEN eligible THEN 1 ELSE 0 END,
			CASE WHEN call_id = (SELECT id FROM calls WHERE number = '2024-1') THEN submitted_at END FROM applications ORDER BY id`,
		`SELECT application_id, position, organisation_id, role FROM application_members ORDER BY application_id, position`,
		`SELECT application_id, position, kind, CASE WHEN pass THEN 1 ELSE 0 END, reason FROM application_results ORDER BY application_id, position`,
		`SELECT r.application_id, r.reviewer_id, r.status, s.position, s.score, s.comment FROM application_reviews r
			LEFT JOIN review_scores s ON s.review_id = r.id ORDER BY r.application_id, r.reviewer_id, s.position`,
		`SELECT application_id, decision, reason FROM application_decisions ORDER BY application_id`,
		`SELECT p.id, p.status, p.facilitator_id, v.version, v.content FROM plans p JOIN plan_versions v ON v.plan_id = p.id ORDER BY p.id, v.version`,
		`SELECT id, title, type, organiser_id, starts_on, ends_on, place, country_iso3, participants, women, men, other_sex, youth, created_at FROM events ORDER BY id`,
		`SELECT event_id, organisation_id, participants, women, youth FROM event_attendees ORDER BY event_id, organisation_id`,
	}
	h := sha256.New()
	for _, q := range queries {
		rows, err := d.Read().QueryContext(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				switch x := v.(type) {
				case time.Time:
					fmt.Fprintf(h, "%s|", x.UTC().Format(time.RFC3339))
				case []byte:
					fmt.Fprintf(h, "%s|", x)
				case nil:
					fmt.Fprint(h, "NULL|")
				default:
					fmt.Fprintf(h, "%v|", x)
				}
			}
			fmt.Fprintln(h)
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

func TestGenerateProgrammeIsDeterministic(t *testing.T) {
	a, b := dbtest.SQLite(t), dbtest.SQLite(t)
	ra, rb := generate(t, a, 1), generate(t, b, 1)
	if !maps.Equal(ra.Counts, rb.Counts) {
		t.Errorf("two runs at scale 1 count differently: %v vs %v", ra.Counts, rb.Counts)
	}
	if da, db2 := activityDigest(t, a), activityDigest(t, b); da != db2 {
		t.Errorf("two runs at scale 1 hold different programmes or events: %s vs %s", da, db2)
	}
}

func TestApplicationCountGrowsGently(t *testing.T) {
	for _, c := range []struct{ scale, want int }{{1, 90}, {4, 180}, {10, 285}, {100, 300}, {MaxScale, 300}} {
		if got := applicationCount(c.scale); got != c.want {
			t.Errorf("scale %d: %d applications, want %d", c.scale, got, c.want)
		}
	}
	for _, n := range []int{90, 180, 300} {
		sum := 0
		for _, q := range quotas(n) {
			sum += q
		}
		if sum != n {
			t.Errorf("the quotas of %d add up to %d", n, sum)
		}
	}
}

// TestActivityTiming reports how long the programme and the events add to
// the demo's generation on both engines. It only runs when
// OBSERVATORY_DEMO_TIMING=1.
func TestActivityTiming(t *testing.T) {
	if os.Getenv("OBSERVATORY_DEMO_TIMING") != "1" {
		t.Skip("set OBSERVATORY_DEMO_TIMING=1 to time the programme and events")
	}
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		start := time.Now()
		res := generate(t, d, 1)
		t.Logf("%s scale 1: %v in all, of which %v for the programme (%d applications, %d plans) and %v for %d events",
			d.Dialect, time.Since(start).Round(time.Millisecond), lastTimings.programme.Round(time.Millisecond),
			res.Counts["applications"], res.Counts["plans"], lastTimings.events.Round(time.Millisecond), res.Counts["events"])
	})
}
