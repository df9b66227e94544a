package demo

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/clusterobservatory/observatory/internal/campaign"
	"github.com/clusterobservatory/observatory/internal/db"
)

// openSurvey runs this year's firm survey of the first demo BSO, open now:
// sent to the members of its surveyed initiatives during the year (the
// campaign store chooses them) three weeks ago, with about half of the answers in — most through the emailed
// links, some to the field officer's ODK Collect, some on the BSO's
// spreadsheet — a few corrected, most waiting for review and some
// approved. Its figures carry on from the initiatives' earlier years.
func (c *collector) openSurvey(ctx context.Context, r *rng) error {
	staff := c.bsos[0]
	bso := staff.Scope.IntID()
	ks := c.surveyed[bso]
	today := db.Now().Truncate(24 * time.Hour)
	opens, deadline := today.AddDate(0, 0, -24), today.AddDate(0, 0, 33)
	in := campaign.Input{Title: surveyTitle(openYear), VersionID: c.firmVer, Period: fmt.Sprint(openYear),
		OpensOn: opens.Format(time.DateOnly), Deadline: deadline.Format(time.DateOnly), ClosesOn: deadline.AddDate(0, 0, 14).Format(time.DateOnly)}
	for _, k := range ks {
		in.ClusterIDs = append(in.ClusterIDs, k.id)
	}
	if prev := c.closedOf(bso)[surveyTo]; prev != nil {
		in.PrefillFrom = prev.ID
	}
	camp, err := c.cs.CreateCampaign(ctx, staff, in)
	if err != nil {
		return err
	}
	if _, err := c.cs.OpenCampaign(ctx, staff, camp.ID); err != nil {
		return err
	}
	if _, err := c.cs.SendInvitations(ctx, camp.ID); err != nil {
		return err
	}
	sn, err := c.newSender(ctx, camp, staff)
	if err != nil {
		return err
	}
	if err := sn.withCollect(ctx, fieldOfficers[0]); err != nil {
		return err
	}
	// The firms invited, with the initiatives they belonged to this year.
	of := map[int64][]*scluster{}
	var firms []int64
	for _, k := range ks {
		for _, m := range k.members {
			if _, invited := sn.invitations[m.org.id]; invited && memberDuring(m, openYear) && c.firms[m.org.id] != nil && !slices.Contains(of[m.org.id], k) {
				if len(of[m.org.id]) == 0 {
					firms = append(firms, m.org.id)
				}
				of[m.org.id] = append(of[m.org.id], k)
			}
		}
	}
	slices.Sort(firms)
	figs := c.shares(firms, of, openYear, r)
	order := slices.Clone(firms)
	shuffle(r, order)
	answered := order[:min(len(order), int(math.Round((0.46+0.08*r.float())*float64(len(sn.invitations)))))]
	dc := &datedCampaign{id: camp.ID, created: opens.AddDate(0, 0, -2), opens: opens, deadline: deadline}
	for i, org := range answered {
		p := c.firms[org]
		var pool []*sorg
		for _, m := range of[org][0].membersOn(today) {
			pool = append(pool, m.org)
		}
		a := firmAnswers(r, p, openYear, figs[org], pool)
		// Every channel is there: the first answers came one by each.
		ch := answerChannel(p.channel)
		if i < 3 {
			ch = []campaign.Channel{campaign.ChannelWeb, campaign.ChannelOpenRosa, campaign.ChannelExcel}[i]
		}
		if err := c.openReturn(ctx, r, sn, dc, org, ch, a, i); err != nil {
			return err
		}
	}
	if err := c.approveAll(ctx); err != nil {
		return err
	}
	// Two respondents asked for their link again, to answer on the phone.
	var waiting []int64
	for org := range sn.invitations {
		if !slices.Contains(answered, org) {
			waiting = append(waiting, org)
		}
	}
	slices.Sort(waiting)
	for _, org := range waiting[:min(2, len(waiting))] {
		if _, err := c.cs.RegenerateLink(ctx, staff, sn.invitations[org]); err != nil {
			return err
		}
	}
	c.dated = append(c.dated, dc)
	c.counts["campaigns"]++
	c.counts["campaigns_open"]++
	c.counts["open_campaign_invitations"] = len(sn.invitations)
	c.counts["open_campaign_answered"] = len(answered)
	return nil
}

// openReturn sends one return to the open campaign: the i-th to answer.
// Some are corrected by a second return, some are reviewed already.
func (c *collector) openReturn(ctx context.Context, r *rng, sn *sender, dc *datedCampaign, org int64, ch campaign.Channel, a map[string]any, i int) error {
	id := r.instanceID()
	first := a
	edited := i%9 == 4 || (ch == campaign.ChannelExcel && i%4 == 2)
	if edited {
		first = map[string]any{}
		for k, v := range a {
			first[k] = v
		}
		// The first return left out the part-time staff.
		first["employees_total"] = max(a["employees_total"].(int)*4/5, a["employees_women"].(int), a["employees_youth"].(int))
	}
	sub, err := sn.send(ctx, ch, org, first, id, "")
	if err != nil {
		return err
	}
	ds := &datedSubmission{id: sub.ID}
	dc.subs = append(dc.subs, ds)
	if edited {
		sub, err = sn.send(ctx, ch, org, a, r.instanceID(), id)
		if err != nil {
			return err
		}
		de := &datedSubmission{id: sub.ID, after: ds}
		dc.subs = append(dc.subs, de)
		ds = de
	}
	switch x := r.float(); {
	case x < 0.22:
		return c.approve(ctx, sn, sub, ds, openYear, r)
	case x < 0.27:
		_, err := c.review(ctx, sn.staff, sub, campaign.DecideIssues, commentJobs)
		ds.reviewed = true
		return err
	}
	c.counts["submissions_received"]++
	return nil
}

// progressQuarters are the quarters of the closed progress reports.
var progressQuarters = []int{3, 4}

// Progress report texts.
var (
	progressIssues = []string{"delays", "funding", "participation", "procurement"}
	issueDetails   = map[string]string{
		"delays":        "The consultant's diagnostic report came six weeks late; the training plan moved to the next quarter.",
		"funding":       "The counterpart contribution of two member firms is still outstanding; the board is following up.",
		"participation": "Fewer firms came to the workshops during the harvest season; sessions will move to evenings.",
		"procurement":   "The tender for the shared equipment had to be repeated after only one bid arrived.",
	}
	nextSteps = []string{
		"Hold the buyers' matchmaking and follow up the leads with each firm.",
		"Finish the joint marketing material and launch the cluster's website.",
		"Start the quality management training for the second group of firms.",
		"Prepare the trade mission and select the firms that will travel.",
	}
)

// progressReports runs the programme officer's quarterly progress reports
// for the last two quarters of the last full year: sent to the
// organisations managing the initiatives in the programme, answered with
// the activities the event records show for the quarter.
func (c *collector) progressReports(ctx context.Context, r *rng) error {
	type managed struct {
		cluster, org int64
		name         string
	}
	var ms []managed
	err := db.Each(ctx, c.d.Read(), `SELECT k.id, k.cluster_org_id, k.name FROM clusters k JOIN organisations o ON o.id = k.cluster_org_id
		WHERE k.archived_at IS NULL AND o.archived_at IS NULL AND k.stage IN ('plan_approved', 'implementing', 'sustaining') ORDER BY k.id`, nil,
		func(rows *sql.Rows) error {
			var m managed
			err := rows.Scan(&m.cluster, &m.org, &m.name)
			ms = append(ms, m)
			return err
		})
	if err != nil || len(ms) == 0 {
		return err
	}
	var orgs []int64
	for _, m := range ms {
		if !slices.Contains(orgs, m.org) {
			orgs = append(orgs, m.org)
		}
	}
	for _, q := range progressQuarters {
		y := surveyTo
		from := time.Date(y, time.Month(3*q-2), 1, 0, 0, 0, 0, time.UTC)
		to := from.AddDate(0, 3, 0)
		opens := to.AddDate(0, 0, r.between(3, 7))
		deadline := opens.AddDate(0, 0, 25)
		camp, err := c.cs.CreateCampaign(ctx, c.officer, campaign.Input{Title: fmt.Sprintf("Cluster progress report, %d-Q%d", y, q),
			VersionID: c.progVer, Period: fmt.Sprintf("%d-Q%d", y, q), OpensOn: opens.Format(time.DateOnly),
			Deadline: deadline.Format(time.DateOnly), ClosesOn: db.Now().AddDate(0, 0, 1).Format(time.DateOnly), OrganisationIDs: orgs})
		if err != nil {
			return err
		}
		if _, err := c.cs.OpenCampaign(ctx, c.officer, camp.ID); err != nil {
			return err
		}
		if _, err := c.cs.SendInvitations(ctx, camp.ID); err != nil {
			return err
		}
		sn, err := c.newSender(ctx, camp, c.officer)
		if err != nil {
			return err
		}
		dc := &datedCampaign{id: camp.ID, created: opens.AddDate(0, 0, -3), opens: opens, deadline: deadline,
			closesOn: deadline.AddDate(0, 0, 14), closed: true, clusters: map[int64]int64{}}
		done := map[int64]bool{}
		for _, m := range ms {
			if done[m.org] {
				continue
			}
			done[m.org] = true
			dc.clusters[m.org] = m.cluster
			if !r.chance(0.82) {
				continue
			}
			var held, people, women int
			if err := c.d.Read().QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(e.participants), 0), COALESCE(SUM(e.women), 0)
				FROM events e JOIN event_clusters ec ON ec.event_id = e.id WHERE ec.cluster_id = $1 AND e.starts_on >= $2 AND e.starts_on < $3`,
				m.cluster, from.Format(time.DateOnly), to.Format(time.DateOnly)).Scan(&held, &people, &women); err != nil {
				return err
			}
			a := map[string]any{"cluster_name": m.name, "year": y, "quarter": fmt.Sprintf("q%d", q), "activities_held": held,
				"participants_total": people, "participants_women": women, "milestones_reached": r.between(0, 3),
				"spending": float64(r.between(6, 70) * 1000), "next_steps": pick(r, nextSteps)}
			if r.chance(0.5) {
				a["issues"] = "none"
			} else {
				is := pick(r, progressIssues)
				a["issues"], a["issues_detail"] = is, issueDetails[is]
			}
			ch := campaign.ChannelWeb
			if r.chance(0.15) {
				ch = campaign.ChannelEntry
			}
			sub, err := sn.send(ctx, ch, m.org, a, r.instanceID(), "")
			if err != nil {
				return err
			}
			ds := &datedSubmission{id: sub.ID, late: r.chance(0.1), reviewed: true}
			dc.subs = append(dc.subs, ds)
			d, comment := campaign.DecideApprove, ""
			if r.chance(0.08) {
				d, comment = campaign.DecideIssues, "The participants do not match the attendance lists of the quarter's events; please check."
			}
			if _, err := c.review(ctx, c.officer, sub, d, comment); err != nil {
				return err
			}
		}
		if _, err := c.cs.CloseCampaign(ctx, c.officer, camp.ID); err != nil {
			return err
		}
		c.dated = append(c.dated, dc)
		c.counts["campaigns"]++
		c.counts["campaigns_closed"]++
	}
	return nil
}
