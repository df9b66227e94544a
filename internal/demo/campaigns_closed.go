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
	"github.com/clusterobservatory/observatory/internal/form"
	"github.com/clusterobservatory/observatory/internal/user"
	"golang.org/x/sync/errgroup"
)

// The closed firm surveys: one a year per BSO, sent in January of the next
// year with a deadline at the end of February or in mid-March and a
// month's grace after it. Fewer firms answered the first years (about 60 %)
// than lately (about 80 %); about one in nine answered after the deadline.
// Most returns were approved; a few were sent back (money given in
// thousands) and corrected, a few still have issues, a few were rejected.

// Review messages.
const (
	commentThousands = "Revenue and exports seem to be given in thousands of dollars; please give them in dollars."
	commentJobs      = "The new jobs are more than the staff added over the year; please check both figures."
	commentRejected  = "This return is for the firm's parent company, not for this firm; its figures cannot be used."
)

// responseRate is the share of firms that answer the survey about year y.
func responseRate(r *rng, y int) float64 {
	rate := 0.61 + 0.05*float64(y-surveyFrom) + 0.04*(r.float()-0.5)
	return math.Max(0.6, math.Min(0.85, rate))
}

// answerChannel is how a firm tends to answer: mostly through its link,
// some to a field officer with ODK Collect, some on the BSO's spreadsheet,
// a few over the telephone, typed in by the staff.
func answerChannel(x float64) campaign.Channel {
	switch {
	case x < 0.66:
		return campaign.ChannelWeb
	case x < 0.84:
		return campaign.ChannelOpenRosa
	case x < 0.95:
		return campaign.ChannelExcel
	}
	return campaign.ChannelEntry
}

// sender sends returns to one campaign through the channels, as the
// campaign store's callers do.
type sender struct {
	c           *collector
	camp        *campaign.Campaign
	staff       user.Actor
	invitations map[int64]int64 // by organisation
	emails      map[int64]string
	appUser     int64
	officer     string
	shared      map[string]bool // addresses of more than one respondent
}

func (c *collector) newSender(ctx context.Context, camp *campaign.Campaign, staff user.Actor) (*sender, error) {
	sn := &sender{c: c, camp: camp, staff: staff, invitations: map[int64]int64{}, emails: map[int64]string{}, shared: map[string]bool{}}
	seen := map[string]bool{}
	err := db.Each(ctx, c.d.Read(), `SELECT i.organisation_id, i.id, o.email FROM campaign_invitations i
		JOIN organisations o ON o.id = i.organisation_id WHERE i.campaign_id = $1`, []any{camp.ID}, func(rows *sql.Rows) error {
		var org, id int64
		var email string
		err := rows.Scan(&org, &id, &email)
		sn.invitations[org], sn.emails[org] = id, email
		sn.shared[email] = seen[email]
		seen[email] = true
		return err
	})
	return sn, err
}

// withCollect makes the field officer's ODK Collect login.
func (sn *sender) withCollect(ctx context.Context, name string) error {
	au, _, err := sn.c.cs.CreateAppUser(ctx, sn.staff, sn.camp.ID, name)
	if err != nil {
		return err
	}
	sn.appUser, sn.officer = au.ID, name
	return nil
}

// send stores one return of an organisation through a channel; deprecated
// names the return it corrects.
func (sn *sender) send(ctx context.Context, ch campaign.Channel, org int64, a map[string]any, instanceID, deprecated string) (*campaign.Submission, error) {
	if ch == campaign.ChannelWeb && sn.shared[sn.emails[org]] {
		ch = campaign.ChannelEntry // the emailed link may be another respondent's: the staff type it in
	}
	in := campaign.SubmissionInput{FormVersionID: sn.camp.VersionID, InstanceID: instanceID, DeprecatedID: deprecated, Channel: ch}
	switch ch {
	case campaign.ChannelWeb:
		token, ok := sn.c.box.links[sn.emails[org]]
		if !ok {
			return nil, fmt.Errorf("no link was emailed to organisation %d", org)
		}
		in.Token, in.Answers = token, rawJSON(a)
	case campaign.ChannelOpenRosa:
		inv := sn.invitations[org]
		xml := instanceXML(sn.c.firmDef(sn.camp), inv, a, instanceID, deprecated)
		answers, err := collectAnswers(sn.c.firmDef(sn.camp), xml)
		if err != nil {
			return nil, fmt.Errorf("ODK Collect instance: %w", err)
		}
		in.CampaignID, in.InvitationID, in.AppUserID = sn.camp.ID, inv, sn.appUser
		in.Actor = user.Actor{Name: "ODK Collect: " + sn.officer}
		in.Answers, in.Raw, in.RawType = rawJSON(answers), xml, "application/xml"
	default:
		in.CampaignID, in.OrganisationID, in.Actor, in.Answers = sn.camp.ID, org, sn.staff, rawJSON(a)
	}
	sub, _, err := sn.c.cs.Submit(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("return of organisation %d (%s): %w", org, ch, err)
	}
	sn.c.counts["submissions"]++
	sn.c.counts["submissions_"+string(ch)]++
	return sub, nil
}

// firmDef is the definition of a campaign's form version.
func (c *collector) firmDef(camp *campaign.Campaign) *form.Definition {
	if camp.VersionID == c.progVer {
		return c.prog
	}
	return c.firm
}

// review records a decision and, for an approval, the officer's review of
// the values it gave (approve unless leave).
func (c *collector) review(ctx context.Context, staff user.Actor, sub *campaign.Submission, d campaign.Decision, comment string) ([]int64, error) {
	res, err := c.cs.ReviewSubmission(ctx, staff, sub.ID, d, comment)
	if err != nil {
		return nil, fmt.Errorf("review return %d: %w", sub.ID, err)
	}
	var ids []int64
	if res.Values != nil {
		for _, v := range res.Values.Saved {
			ids = append(ids, v.ID)
		}
	}
	c.counts["submissions_"+string(res.Submission.State)]++
	return ids, nil
}

// closedSurvey runs one BSO's survey about year y, from its creation to
// its closing, and notes the dates to give it.
func (c *collector) closedSurvey(ctx context.Context, r *rng, staff user.Actor, y int, taken map[int64]bool) error {
	bso := staff.Scope.IntID()
	ids, of, err := c.respondentsOf(ctx, bso, y, taken)
	if err != nil || len(ids) == 0 {
		return err
	}
	for _, id := range ids {
		taken[id] = true
	}
	figs := c.shares(ids, of, y, r)
	opens := time.Date(y+1, 1, r.between(10, 18), 0, 0, 0, 0, time.UTC)
	deadline := time.Date(y+1, 3, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
	if r.chance(0.4) {
		deadline = time.Date(y+1, 3, 15, 0, 0, 0, 0, time.UTC)
	}
	closes := deadline.AddDate(0, 0, 31)
	tomorrow := db.Now().AddDate(0, 0, 1).Format(time.DateOnly)
	in := campaign.Input{Title: surveyTitle(y), VersionID: c.firmVer, Period: fmt.Sprint(y), OpensOn: opens.Format(time.DateOnly),
		ClosesOn: tomorrow, Deadline: deadline.Format(time.DateOnly), OrganisationIDs: ids}
	if prev := c.closedOf(bso)[y-1]; prev != nil {
		in.PrefillFrom = prev.ID
	}
	camp, err := c.cs.CreateCampaign(ctx, staff, in)
	if err != nil {
		return err
	}
	c.closedOf(bso)[y] = camp
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
	if err := sn.withCollect(ctx, fieldOfficers[(y+int(bso))%len(fieldOfficers)]); err != nil {
		return err
	}
	dc := &datedCampaign{id: camp.ID, created: opens.AddDate(0, 0, -r.between(2, 6)), opens: opens, deadline: deadline,
		closesOn: closes, closed: true, clusters: map[int64]int64{}}
	for _, id := range ids {
		dc.clusters[id] = of[id][0].id
	}
	order := slices.Clone(ids)
	shuffle(r, order)
	answered := order[:int(math.Round(responseRate(r, y)*float64(len(ids))))]
	slices.Sort(answered)
	for _, org := range answered {
		p := c.firms[org]
		var pool []*sorg
		for _, m := range of[org][0].membersOn(time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)) {
			pool = append(pool, m.org)
		}
		a := firmAnswers(r, p, y, figs[org], pool)
		ch := answerChannel(p.channel)
		late := p.lateness < 0.08 || r.chance(0.04)
		if err := c.closedReturn(ctx, r, sn, dc, org, ch, a, late, y); err != nil {
			return err
		}
	}
	// Firms that did not answer still grew.
	for _, id := range ids {
		if !slices.Contains(answered, id) {
			c.firms[id].staff += int(figs[id]["jobs_created"]) / 3
		}
	}
	if err := c.approveAll(ctx); err != nil {
		return err
	}
	if _, err := c.cs.CloseCampaign(ctx, staff, camp.ID); err != nil {
		return err
	}
	c.dated = append(c.dated, dc)
	c.counts["campaigns"]++
	c.counts["campaigns_closed"]++
	return nil
}

// closedReturn sends one firm's return and reviews it.
func (c *collector) closedReturn(ctx context.Context, r *rng, sn *sender, dc *datedCampaign, org int64, ch campaign.Channel,
	a map[string]any, late bool, y int) error {
	recent := 0.01
	if y == surveyTo {
		recent = 0.07
	}
	outcome := r.float()
	first := a
	if outcome < 0.05 {
		first = inThousands(a)
	}
	id := r.instanceID()
	sub, err := sn.send(ctx, ch, org, first, id, "")
	if err != nil {
		return err
	}
	ds := &datedSubmission{id: sub.ID, late: late}
	dc.subs = append(dc.subs, ds)
	switch {
	case outcome < 0.05:
		if _, err := c.review(ctx, sn.staff, sub, campaign.DecideIssues, commentThousands); err != nil {
			return err
		}
		ds.reviewed = true
		edit, err := sn.send(ctx, ch, org, a, r.instanceID(), id)
		if err != nil {
			return err
		}
		de := &datedSubmission{id: edit.ID, after: ds}
		dc.subs = append(dc.subs, de)
		return c.approve(ctx, sn, edit, de, y, r)
	case outcome < 0.08:
		_, err := c.review(ctx, sn.staff, sub, campaign.DecideIssues, commentJobs)
		ds.reviewed = true
		return err
	case outcome < 0.11:
		_, err := c.review(ctx, sn.staff, sub, campaign.DecideReject, commentRejected)
		ds.reviewed = true
		return err
	case outcome < 0.11+recent:
		c.counts["submissions_received"]++
		return nil
	}
	return c.approve(ctx, sn, sub, ds, y, r)
}

// approve marks a return for approval (see approveAll). The programme
// officer approves the values it gives later, except some of the latest
// year's, still waiting (see setDates).
func (c *collector) approve(_ context.Context, sn *sender, sub *campaign.Submission, ds *datedSubmission, y int, r *rng) error {
	ds.reviewed = true
	ds.valuesReviewed = !(y == surveyTo && r.chance(0.2) || y >= openYear)
	c.pending = append(c.pending, pendingApproval{staff: sn.staff, sub: sub, ds: ds})
	return nil
}

// pendingApproval is a return waiting for its approval.
type pendingApproval struct {
	staff user.Actor
	sub   *campaign.Submission
	ds    *datedSubmission
}

// approveAll approves the returns marked for approval: one after the
// other on SQLite, a few at a time on PostgreSQL, where every transaction
// waits for a round trip. Each approval writes the return's values through
// the indicator store; only the order of their IDs varies.
func (c *collector) approveAll(ctx context.Context) error {
	g, _ := errgroup.WithContext(ctx)
	g.SetLimit(c.s.workers)
	for _, p := range c.pending {
		g.Go(func() error {
			res, err := c.cs.ReviewSubmission(ctx, p.staff, p.sub.ID, campaign.DecideApprove, "")
			if err != nil {
				return fmt.Errorf("approve return %d: %w", p.sub.ID, err)
			}
			if res.Values != nil {
				for _, v := range res.Values.Saved {
					p.ds.values = append(p.ds.values, v.ID)
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	for _, p := range c.pending {
		c.counts["submissions_approved"]++
		if p.ds.valuesReviewed {
			c.counts["survey_values_approved"] += len(p.ds.values)
		}
	}
	c.pending = nil
	return nil
}
