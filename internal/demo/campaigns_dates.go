package demo

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
)

// The stores stamp every record with the moment of writing, and a campaign
// takes answers only while it is open. So the closed campaigns are run
// open, with their closing day tomorrow, and afterwards moved to the weeks
// they really ran: created a few days before opening, invitations emailed
// on the opening day, returns received between opening and the deadline
// (late ones in the grace month after it), reviewed within weeks, values
// approved by the officer after that, and closed the day after closing.
// The open campaign keeps its dates; its returns are spread over the days
// since it opened. The store would invite the members of the year; the
// survey of a past year leaves some of them out (firms another BSO's survey
// has, firms of initiatives that kept their own figures), so its firms are
// named one by one, and the initiatives they were invited through are
// recorded here. The programme
// officer's approval of the values approved returns gave is recorded here
// too, in bulk like the results data's own reviews (indicators.go): one
// review transaction per value would take seconds. The audit log keeps the
// moments the demo wrote everything else.

// datedCampaign is a campaign and the dates it is given.
type datedCampaign struct {
	id                       int64
	created, opens, deadline time.Time
	closesOn                 time.Time // the real closing day (closed campaigns)
	closed                   bool
	clusters                 map[int64]int64 // the initiative each organisation was invited through
	subs                     []*datedSubmission
}

// datedSubmission is a return and what its dates follow.
type datedSubmission struct {
	id             int64
	late           bool
	after          *datedSubmission // the return an edit corrects
	reviewed       bool
	values         []int64 // the indicator values its approval gave
	valuesReviewed bool
	receivedAt     time.Time
	reviewedAt     time.Time
}

// setDates dates every campaign in one transaction.
func (c *collector) setDates(ctx context.Context, r *rng) error {
	now := db.Now()
	return c.d.Tx(ctx, func(tx *sql.Tx) error {
		exec := func(q string, args ...any) error {
			_, err := tx.ExecContext(ctx, q, args...)
			return err
		}
		formsAt := r.during(time.Date(surveyFrom, 12, 6, 0, 0, 0, 0, time.UTC))
		if err := exec(`UPDATE forms SET created_at = $1, updated_at = $1`, formsAt); err != nil {
			return err
		}
		if err := exec(`UPDATE form_versions SET created_at = $1, published_at = $2`, formsAt, formsAt.Add(40*time.Minute)); err != nil {
			return err
		}
		if err := exec(`UPDATE form_field_mappings SET updated_at = $1`, formsAt.Add(25*time.Minute)); err != nil {
			return err
		}
		for _, dc := range c.dated {
			created := r.during(dc.created)
			opened := at(dc.opens, 9, r.intn(50))
			var closedAt any
			updated := opened
			last := now.Add(-2 * time.Hour)
			if dc.closed {
				t := at(dc.closesOn.AddDate(0, 0, 1), 8, r.intn(60))
				closedAt, updated = t, t
				last = t
				if err := exec(`UPDATE campaigns SET closes_on = $1 WHERE id = $2`, dc.closesOn.Format(time.DateOnly), dc.id); err != nil {
					return err
				}
			}
			if err := exec(`UPDATE campaigns SET created_at = $1, updated_at = $2, opened_at = $3, closed_at = $4 WHERE id = $5`,
				created, updated, opened, closedAt, dc.id); err != nil {
				return err
			}
			expires := endOfDay(dc.closesOn)
			if !dc.closed {
				expires = time.Time{}
			}
			if err := exec(`UPDATE campaign_invitations SET created_at = $1 WHERE campaign_id = $2`, created, dc.id); err != nil {
				return err
			}
			if err := exec(`UPDATE campaign_invitations SET emailed_at = $1 WHERE campaign_id = $2 AND emailed_at IS NOT NULL`,
				opened.Add(3*time.Minute), dc.id); err != nil {
				return err
			}
			if !expires.IsZero() {
				if err := exec(`UPDATE campaign_invitations SET expires_at = $1 WHERE campaign_id = $2`, expires, dc.id); err != nil {
					return err
				}
			}
			if err := exec(`UPDATE campaign_tokens SET created_at = $1 WHERE purpose = 'email' AND invitation_id IN
				(SELECT id FROM campaign_invitations WHERE campaign_id = $2)`, opened.Add(3*time.Minute), dc.id); err != nil {
				return err
			}
			if err := exec(`UPDATE campaign_app_users SET created_at = $1 WHERE campaign_id = $2`, opened.Add(-20*time.Minute), dc.id); err != nil {
				return err
			}
			var ks []int64
			for org, k := range dc.clusters {
				if !slices.Contains(ks, k) {
					ks = append(ks, k)
				}
				if err := exec(`UPDATE campaign_invitations SET cluster_id = $1 WHERE campaign_id = $2 AND organisation_id = $3`, k, dc.id, org); err != nil {
					return err
				}
			}
			slices.Sort(ks)
			for _, k := range ks {
				if err := exec(`INSERT INTO campaign_clusters (campaign_id, cluster_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, dc.id, k); err != nil {
					return err
				}
			}
			if err := c.dateReturns(ctx, tx, r, dc, opened, last); err != nil {
				return err
			}
		}
		return nil
	})
}

// dateReturns dates a campaign's returns, their reviews and the values
// their approvals gave. Returns come in between opening and the deadline,
// many in its last days; late ones after it; an edit a few days after the
// review that sent its return back. Nothing is dated after last.
func (c *collector) dateReturns(ctx context.Context, tx *sql.Tx, r *rng, dc *datedCampaign, opened, last time.Time) error {
	onTime := dc.deadline
	if !dc.closed {
		onTime = last.Truncate(24*time.Hour).AddDate(0, 0, -1)
	}
	clamp := func(t time.Time) time.Time {
		if t.After(last) {
			return last.Add(-time.Duration(1+r.intn(300)) * time.Minute)
		}
		return t
	}
	firstDay := opened.Truncate(24*time.Hour).AddDate(0, 0, 1)
	for _, ds := range dc.subs {
		var day time.Time
		switch {
		case ds.after != nil && ds.after.reviewed:
			day = ds.after.reviewedAt.Truncate(24*time.Hour).AddDate(0, 0, r.between(2, 10))
		case ds.after != nil: // corrected by the respondent before any review
			day = ds.after.receivedAt.Truncate(24*time.Hour).AddDate(0, 0, r.between(0, 3))
		case ds.late && dc.closed:
			day = r.day(dc.deadline.AddDate(0, 0, 1), dc.closesOn)
		case r.chance(0.4):
			day = r.day(maxTime(firstDay, onTime.AddDate(0, 0, -10)), onTime)
		default:
			day = r.day(firstDay, onTime)
		}
		ds.receivedAt = clamp(r.during(day))
		if ds.reviewed {
			ds.reviewedAt = clamp(r.during(ds.receivedAt.Truncate(24*time.Hour).AddDate(0, 0, r.between(2, 20))))
			if !ds.reviewedAt.After(ds.receivedAt) {
				ds.reviewedAt = ds.receivedAt.Add(time.Duration(10+r.intn(50)) * time.Minute)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE submissions SET received_at = $1, reviewed_at = $2 WHERE id = $3`,
			ds.receivedAt, nullTime(ds.reviewedAt, ds.reviewed), ds.id); err != nil {
			return err
		}
		for _, v := range ds.values {
			if _, err := tx.ExecContext(ctx, `UPDATE indicator_values SET created_at = $1 WHERE id = $2`, ds.reviewedAt, v); err != nil {
				return err
			}
			if !ds.valuesReviewed {
				continue
			}
			reviewed := r.during(ds.reviewedAt.Truncate(24*time.Hour).AddDate(0, 0, r.between(3, 25)))
			if now := db.Now(); reviewed.After(now) {
				reviewed = now.Add(-time.Hour)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE indicator_values SET state = 'approved', reviewer = $1, reviewed_by = $2, reviewed_at = $3
				WHERE id = $4`, c.officer.Label(), nullID(c.officer.UserID), reviewed, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// nullID is a user ID, or NULL for none.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// nullTime is t, or NULL when not set.
func nullTime(t time.Time, set bool) any {
	if !set {
		return nil
	}
	return t
}

// endOfDay is the end of a closing day, when a campaign's links expire.
func endOfDay(day time.Time) time.Time { return day.AddDate(0, 0, 1) }
