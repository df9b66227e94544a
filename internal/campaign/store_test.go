package campaign

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

func TestCreateCampaign(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		in := f.input()
		in.OrganisationIDs = []int64{f.firm5, f.firm1}
		c, err := f.s.CreateCampaign(ctx, admin, in)
		if err != nil {
			t.Fatal(err)
		}
		// firm1 is in both clusters and chosen by name: invited once; firm4 left.
		invs, err := f.s.FindInvitations(ctx, admin, c.ID, InvitationFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var orgs []int64
		for _, i := range invs {
			orgs = append(orgs, i.OrganisationID)
		}
		slices.Sort(orgs)
		want := []int64{f.firm1, f.firm2, f.firm3, f.firm5}
		if c.Respondents != 4 || !slices.Equal(orgs, want) {
			t.Errorf("respondents %d %v, want %v", c.Respondents, orgs, want)
		}
		if c.Status != StatusDraft || len(c.Key) != 32 || c.OpenRosaURL != "https://obs.example/openrosa/"+c.Key || !slices.Equal(c.ReminderDays, []int{7, 2}) {
			t.Errorf("campaign = %+v", c)
		}
		if got := invs[slices.IndexFunc(invs, func(i *Invitation) bool { return i.OrganisationID == f.firm2 })].Language; got != "fr" {
			t.Errorf("Haitian firm language = %q", got)
		}

		bad := f.input()
		bad.Title, bad.Period, bad.Deadline, bad.ClusterIDs = "", "2025-Q5", day(40), nil
		_, err = f.s.CreateCampaign(ctx, admin, bad)
		for _, field := range []string{"title", "period", "deadline", "cluster_ids"} {
			if !hasField(err, field) {
				t.Errorf("no problem for %s: %v", field, err)
			}
		}
		// BSO staff invite the members of their own clusters only.
		other := f.input()
		other.ClusterIDs = []int64{f.clusterC}
		if _, err := f.s.CreateCampaign(ctx, bsoActor(f.bso), other); !hasField(err, "cluster_ids") {
			t.Errorf("other BSO's cluster: %v", err)
		}
		own, err := f.s.CreateCampaign(ctx, bsoActor(f.bso), f.input())
		if err != nil {
			t.Fatal(err)
		}
		if own.BSOID == nil || *own.BSOID != f.bso {
			t.Errorf("BSO of campaign = %v", own.BSOID)
		}
		if _, err := f.s.FindCampaign(ctx, bsoActor(f.otherBSO), own.ID); !problem.Is(err, problem.NotFound) {
			t.Errorf("other BSO reads campaign: %v", err)
		}
		if _, err := f.s.FindCampaign(ctx, user.Actor{Name: "R", Role: user.Reviewer}, own.ID); !problem.Is(err, problem.Forbidden) {
			t.Errorf("reviewer reads campaign: %v", err)
		}
	})
}

func TestTokens(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		c, links := f.open(t, f.input())
		// Only firm3 has no email: its link is shown to copy.
		tok, ok := links[f.firm3]
		if len(links) != 1 || !ok {
			t.Fatalf("links = %v", links)
		}
		if len(tok) != 43 || !validTokenShape(tok) {
			t.Errorf("token %q: %d characters", tok, len(tok))
		}
		sum := sha256.Sum256([]byte(tok))
		var n int
		d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM campaign_tokens WHERE token_hash = $1`, hex.EncodeToString(sum[:])).Scan(&n)
		if n != 1 {
			t.Errorf("hash of the token stored %d times", n)
		}
		d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM campaign_tokens WHERE token_hash = $1`, tok).Scan(&n)
		if n != 0 {
			t.Error("the raw token is stored")
		}
		r, err := f.s.Resolve(ctx, tok)
		if err != nil || r.OrganisationID != f.firm3 || r.Campaign.ID != c.ID {
			t.Fatalf("resolve: %+v %v", r, err)
		}
		if _, err := f.s.Resolve(ctx, strings.Repeat("A", 43)); !problem.Is(err, problem.NotFound) || errors.Is(err, ErrGone) {
			t.Errorf("unknown token: %v", err)
		}
		if _, err := f.s.Resolve(ctx, "short"); !problem.Is(err, problem.NotFound) {
			t.Errorf("malformed token: %v", err)
		}
		// A new link ends the old one.
		fresh := f.link(t, c, f.firm3)
		if _, err := f.s.Resolve(ctx, tok); !errors.Is(err, ErrGone) || !strings.Contains(err.Error(), "replaced") {
			t.Errorf("old link: %v", err)
		}
		if _, err := f.s.Resolve(ctx, fresh); err != nil {
			t.Errorf("new link: %v", err)
		}
		// Revoking ends every link; a new link restores the invitation.
		if _, err := f.s.RevokeInvitation(ctx, admin, r.InvitationID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Resolve(ctx, fresh); !errors.Is(err, ErrGone) || !strings.Contains(err.Error(), "withdrawn") {
			t.Errorf("revoked: %v", err)
		}
		_, _, err = f.s.Submit(ctx, SubmissionInput{Token: fresh, FormVersionID: f.version, InstanceID: NewInstanceID(), Channel: ChannelWeb,
			Answers: answers(t, 5, 2)})
		if !errors.Is(err, ErrGone) {
			t.Errorf("submit on a revoked invitation: %v", err)
		}
		again := f.link(t, c, f.firm3)
		if _, err := f.s.Resolve(ctx, again); err != nil {
			t.Errorf("restored: %v", err)
		}
		// An expired invitation.
		if _, err := d.SQL().ExecContext(ctx, `UPDATE campaign_invitations SET expires_at = $1 WHERE id = $2`, db.Now().AddDate(0, 0, -1), r.InvitationID); err != nil {
			t.Fatal(err)
		}
		_, _, err = f.s.Submit(ctx, SubmissionInput{Token: again, FormVersionID: f.version, InstanceID: NewInstanceID(), Channel: ChannelWeb,
			Answers: answers(t, 5, 2)})
		if !errors.Is(err, ErrGone) || !strings.Contains(err.Error(), "expired") {
			t.Errorf("submit on an expired invitation: %v", err)
		}
		// A closed campaign.
		if _, err := f.s.CloseCampaign(ctx, admin, c.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Resolve(ctx, again); !errors.Is(err, ErrGone) || !strings.Contains(err.Error(), "closed") {
			t.Errorf("closed: %v", err)
		}
		if _, err := f.s.RegenerateLink(ctx, admin, r.InvitationID); !problem.Is(err, problem.Conflict) {
			t.Errorf("new link in a closed campaign: %v", err)
		}
	})
}

func TestSubmit(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		c, _ := f.open(t, f.input())
		tok := f.link(t, c, f.firm1)
		id := NewInstanceID()
		in := SubmissionInput{Token: tok, FormVersionID: f.version, InstanceID: id, Channel: ChannelWeb, Answers: answers(t, 10, 4, "Acme"),
			Raw: []byte(`{"raw":true}`), RawType: "application/json"}
		first, created, err := f.s.Submit(ctx, in)
		if err != nil || !created {
			t.Fatalf("submit: %v %v", created, err)
		}
		if first.OrganisationID != f.firm1 || first.CampaignID != c.ID || first.State != StateReceived || first.InstanceID != id {
			t.Errorf("submission = %+v", first)
		}
		// The same instance ID again, even without the prefix and with keys
		// in another order: the stored submission, no new row.
		in.InstanceID = strings.TrimPrefix(id, "uuid:")
		again, created, err := f.s.Submit(ctx, in)
		if err != nil || created || again.ID != first.ID {
			t.Errorf("retry: %+v %v %v", again, created, err)
		}
		var rows int
		d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM submissions WHERE instance_id = $1`, id).Scan(&rows)
		if rows != 1 {
			t.Errorf("%d rows for one instance ID", rows)
		}
		// Other answers under the same instance ID: a conflict.
		in.Answers = answers(t, 11, 4)
		if _, _, err := f.s.Submit(ctx, in); !problem.Is(err, problem.Conflict) {
			t.Errorf("conflicting answers: %v", err)
		}
		// An edit: a new instance ID naming the first; the first is kept, superseded.
		edit := in
		edit.InstanceID, edit.DeprecatedID = NewInstanceID(), id
		second, created, err := f.s.Submit(ctx, edit)
		if err != nil || !created || second.OriginalID == nil || *second.OriginalID != first.ID {
			t.Fatalf("edit: %+v %v", second, err)
		}
		if again, created, err := f.s.Submit(ctx, edit); err != nil || created || again.ID != second.ID {
			t.Errorf("retried edit: %v %v", created, err)
		}
		hist, err := f.s.History(ctx, admin, second.ID)
		if err != nil || len(hist) != 2 || !hist[0].Superseded || hist[1].Superseded {
			t.Errorf("history: %v %v", hist, err)
		}
		edit2 := edit
		edit2.InstanceID = NewInstanceID()
		if _, _, err := f.s.Submit(ctx, edit2); !problem.Is(err, problem.Conflict) {
			t.Errorf("edit of a replaced version: %v", err)
		}
		// Refusals.
		wrong := in
		wrong.InstanceID, wrong.FormVersionID = NewInstanceID(), f.version+100
		if _, _, err := f.s.Submit(ctx, wrong); !hasField(err, "form_version_id") {
			t.Errorf("wrong version: %v", err)
		}
		bad := in
		bad.InstanceID, bad.Answers = "not-a-uuid", []byte(`[1,2]`)
		if _, _, err := f.s.Submit(ctx, bad); !hasField(err, "instance_id") || !hasField(err, "answers") {
			t.Errorf("bad input: %v", err)
		}
		// Staff answer for an organisation; respondents may not.
		staff := SubmissionInput{CampaignID: c.ID, OrganisationID: f.firm2, Actor: bsoActor(f.bso), FormVersionID: f.version,
			InstanceID: NewInstanceID(), Channel: ChannelEntry, Answers: answers(t, 3, 1)}
		if _, _, err := f.s.Submit(ctx, staff); err != nil {
			t.Errorf("staff entry: %v", err)
		}
		staff.Actor, staff.InstanceID = bsoActor(f.otherBSO), NewInstanceID()
		if _, _, err := f.s.Submit(ctx, staff); !problem.Is(err, problem.NotFound) {
			t.Errorf("other BSO's entry: %v", err)
		}
		staff.Actor = user.Actor{}
		if _, _, err := f.s.Submit(ctx, staff); !hasField(err, "organisation_id") {
			t.Errorf("anonymous entry: %v", err)
		}
		// A draft campaign takes nothing.
		draft, err := f.s.CreateCampaign(ctx, admin, f.input())
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = f.s.Submit(ctx, SubmissionInput{CampaignID: draft.ID, OrganisationID: f.firm1, Actor: admin, FormVersionID: f.version,
			InstanceID: NewInstanceID(), Channel: ChannelEntry, Answers: answers(t, 3, 1)})
		if !errors.Is(err, ErrGone) {
			t.Errorf("draft: %v", err)
		}
		// Closed: refused, but staff may still correct stored answers.
		if _, err := f.s.CloseCampaign(ctx, admin, c.ID); err != nil {
			t.Fatal(err)
		}
		late := in
		late.InstanceID = NewInstanceID()
		if _, _, err := f.s.Submit(ctx, late); !errors.Is(err, ErrGone) || !strings.Contains(err.Error(), "closed") {
			t.Errorf("closed: %v", err)
		}
		fix := SubmissionInput{InvitationID: second.InvitationID, Actor: admin, FormVersionID: f.version, InstanceID: NewInstanceID(),
			DeprecatedID: second.InstanceID, Channel: ChannelEntry, Answers: answers(t, 12, 5)}
		if _, _, err := f.s.Submit(ctx, fix); err != nil {
			t.Errorf("staff correction after closing: %v", err)
		}
		raw, typ, err := f.s.Raw(ctx, admin, first.ID)
		if err != nil || string(raw) != `{"raw":true}` || typ != "application/json" {
			t.Errorf("raw = %q %q %v", raw, typ, err)
		}
	})
}

func TestReminders(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		in := f.input()
		in.OrganisationIDs = []int64{f.firm5}
		c, _ := f.open(t, in)
		n, err := f.s.SendInvitations(ctx, c.ID)
		if err != nil || n != 3 {
			t.Fatalf("invitations sent %d: %v", n, err)
		}
		if n, _ := f.s.SendInvitations(ctx, c.ID); n != 0 {
			t.Errorf("invitations sent again: %d", n)
		}
		fr := f.box.to("contact@lakay.test")
		if len(fr) != 1 || !strings.Contains(fr[0].Subject, "Enquête") || !strings.Contains(fr[0].Body, "https://obs.example/r/") {
			t.Errorf("French invitation: %+v", fr)
		}
		// The emailed link works.
		link := fr[0].Body[strings.Index(fr[0].Body, "/r/")+3:]
		link = link[:43]
		if _, err := f.s.Resolve(ctx, link); err != nil {
			t.Errorf("emailed link: %v", err)
		}
		// firm1 answers; the reminder goes to firm2 and firm5 only, once.
		tok := f.link(t, c, f.firm1)
		if _, _, err := f.s.Submit(ctx, SubmissionInput{Token: tok, FormVersionID: f.version, InstanceID: NewInstanceID(), Channel: ChannelWeb,
			Answers: answers(t, 3, 1)}); err != nil {
			t.Fatal(err)
		}
		now := db.Now()
		if n, err := f.s.SendReminders(ctx, c.ID, 7, now); err != nil || n != 2 {
			t.Errorf("reminders sent %d: %v", n, err)
		}
		if n, err := f.s.SendReminders(ctx, c.ID, 7, now); err != nil || n != 0 {
			t.Errorf("reminders sent twice: %d %v", n, err)
		}
		if len(f.box.to("info@bluemountain.test")) != 1 {
			t.Errorf("the firm that answered got %d emails", len(f.box.to("info@bluemountain.test")))
		}
		if n, _ := f.s.SendReminders(ctx, c.ID, 2, now); n != 2 {
			t.Errorf("second reminder day sent %d", n)
		}
		rem := f.box.to("crafts@portroyal.test")
		if len(rem) != 3 || !strings.Contains(rem[1].Subject, "Reminder") {
			t.Errorf("emails to firm5: %+v", rem)
		}
		invs, err := f.s.FindInvitations(ctx, admin, c.ID, InvitationFilter{Missing: true})
		if err != nil || len(invs) != 3 || invs[0].LastReminder == nil && invs[0].Email != "" {
			t.Errorf("missing respondents: %+v %v", invs, err)
		}
		// Once closed, nothing more is sent.
		if _, err := f.s.CloseCampaign(ctx, admin, c.ID); err != nil {
			t.Fatal(err)
		}
		if n, _ := f.s.SendReminders(ctx, c.ID, 1, now); n != 0 {
			t.Errorf("reminders after closing: %d", n)
		}
	})
}

func TestRatesApprovalAndDownload(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		c, _ := f.open(t, f.input())
		sub, _, err := f.s.Submit(ctx, SubmissionInput{Token: f.link(t, c, f.firm2), FormVersionID: f.version, InstanceID: NewInstanceID(),
			Channel: ChannelWeb, Answers: answers(t, 10, 4, "Acme", "Bolt")})
		if err != nil {
			t.Fatal(err)
		}
		c, _ = f.s.FindCampaign(ctx, admin, c.ID)
		if c.Respondents != 3 || c.Answered != 1 || c.Submissions != 1 {
			t.Errorf("counts = %d %d %d", c.Respondents, c.Answered, c.Submissions)
		}
		rates, err := f.s.ClusterRates(ctx, admin, c.ID)
		if err != nil || len(rates) != 2 {
			t.Fatalf("rates: %v %v", rates, err)
		}
		for _, r := range rates {
			switch r.ClusterID {
			case f.clusterA: // firm1, firm3; none answered
				if r.Respondents != 2 || r.Answered != 0 {
					t.Errorf("cluster A: %+v", r)
				}
			case f.clusterB: // firm1, firm2; firm2 answered
				if r.Respondents != 2 || r.Answered != 1 || r.Rate() != 0.5 {
					t.Errorf("cluster B: %+v", r)
				}
			}
		}
		if _, err := f.s.ReviewSubmission(ctx, admin, sub.ID, DecideReject, ""); !hasField(err, "comment") {
			t.Errorf("reject without comment: %v", err)
		}
		res, err := f.s.ReviewSubmission(ctx, admin, sub.ID, DecideApprove, "")
		if err != nil {
			t.Fatal(err)
		}
		if res.Submission.State != StateApproved || res.Values == nil || len(res.Values.Saved) != 2 {
			t.Fatalf("approval: %+v", res)
		}
		cats := map[string]float64{}
		for _, v := range res.Values.Saved {
			if v.Subject.ID != f.firm2 || v.Period != "2025" || v.Source != "survey" {
				t.Errorf("value = %+v", v)
			}
			cats[v.Category.String()] = v.Value
		}
		if cats[""] != 10 || cats["sex:women"] != 4 {
			t.Errorf("values by category = %v", cats)
		}
		if _, err := f.s.ReviewSubmission(ctx, admin, sub.ID, DecideReject, "no"); !problem.Is(err, problem.Conflict) {
			t.Errorf("review after approval: %v", err)
		}
		tables, err := f.s.ExportTables(ctx, admin, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(tables) != 2 || tables[1].Name != "partners" || len(tables[0].Rows) != 1 || len(tables[1].Rows) != 2 {
			t.Fatalf("tables = %+v", tables)
		}
		if tables[1].Rows[1][0] != tables[0].Rows[0][0] || tables[1].Rows[1][2] != "Bolt" {
			t.Errorf("repeat rows = %v", tables[1].Rows)
		}
		var csv strings.Builder
		if err := WriteCSV(&csv, tables); err != nil || !strings.Contains(csv.String(), "\npartners\nsubmission_id,row,partner_name") {
			t.Errorf("csv: %v\n%s", err, csv.String())
		}
		if b, err := WriteXLSX(tables); err != nil || len(b) < 100 {
			t.Errorf("xlsx: %v", err)
		}
	})
}

func TestPrefill(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		prev, _ := f.open(t, f.input())
		if _, _, err := f.s.Submit(ctx, SubmissionInput{Token: f.link(t, prev, f.firm1), FormVersionID: f.version, InstanceID: NewInstanceID(),
			Channel: ChannelWeb, Answers: answers(t, 8, 3)}); err != nil {
			t.Fatal(err)
		}
		in := f.input()
		in.Title, in.Period, in.PrefillFrom = "Firm results 2026", "2026", prev.ID
		next, _ := f.open(t, in)
		r, err := f.s.Resolve(ctx, f.link(t, next, f.firm1))
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.s.PrefillFor(ctx, r)
		if err != nil || Text(got["employees_total"]) != "8" {
			t.Errorf("prefill = %v %v", got, err)
		}
		r2, _ := f.s.Resolve(ctx, f.link(t, next, f.firm2))
		if got, err := f.s.PrefillFor(ctx, r2); err != nil || len(got) != 0 {
			t.Errorf("prefill without earlier answers = %v %v", got, err)
		}
	})
}

// hasField reports whether err is a problem naming field.
func hasField(err error, field string) bool {
	p := problem.As(err)
	return p != nil && problem.Fields(p.Details).Has(field)
}
