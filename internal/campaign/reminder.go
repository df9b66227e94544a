package campaign

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/job"
	"github.com/clusterobservatory/observatory/internal/mail"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// MailArgs are the arguments of the job that emails a campaign's
// respondents: the invitations (DaysBefore 0), or the reminders due
// DaysBefore days before the deadline.
type MailArgs struct {
	CampaignID int64 `json:"campaign_id"`
	DaysBefore int   `json:"days_before"`
}

// Kind names the job for River.
func (MailArgs) Kind() string { return "campaign_mail" }

type mailWorker struct {
	river.WorkerDefaults[MailArgs]
	s *Store
}

// RegisterJobs registers the campaign emails' worker with the runner;
// call it before the runner starts.
func RegisterJobs(r *job.Runner, s *Store) error {
	return job.Register(r, &mailWorker{s: s})
}

// Work sends the invitations or the reminders; a failed email fails the
// attempt, and the next attempt sends only what is still unsent.
func (w *mailWorker) Work(ctx context.Context, j *river.Job[MailArgs]) error {
	var n int
	var err error
	if j.Args.DaysBefore == 0 {
		n, err = w.s.SendInvitations(ctx, j.Args.CampaignID)
	} else {
		n, err = w.s.SendReminders(ctx, j.Args.CampaignID, j.Args.DaysBefore, time.Now())
	}
	if err != nil {
		return err
	}
	job.SetResult(ctx, job.Result{Message: fmt.Sprintf("%d emails sent.", n), Link: fmt.Sprintf("/campaigns/%d", j.Args.CampaignID)})
	return nil
}

// recipient is one respondent to email.
type recipient struct {
	invitationID int64
	email, name  string
	langs        string
}

func (s *Store) recipients(ctx context.Context, campaignID int64, cond string, args ...any) ([]recipient, error) {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT i.id, o.email, o.name, COALESCE(co.languages, '')
		FROM campaign_invitations i JOIN organisations o ON o.id = i.organisation_id
		LEFT JOIN countries co ON co.iso3 = o.country_iso3
		WHERE i.campaign_id = $1 AND i.revoked_at IS NULL AND o.email <> '' AND `+cond+` ORDER BY i.id`,
		append([]any{campaignID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("recipients: %w", err)
	}
	defer rows.Close()
	var out []recipient
	for rows.Next() {
		var r recipient
		if err := rows.Scan(&r.invitationID, &r.email, &r.name, &r.langs); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// SendInvitations emails a link to every respondent with an email address
// who has not been sent one, while the campaign is open. Each invitation
// is marked sent, with its new link, before the email goes; if the email
// fails, the mark and the link are undone so that a retry sends it.
func (s *Store) SendInvitations(ctx context.Context, campaignID int64) (int, error) {
	c, err := s.loadCampaign(ctx, s.db.Read(), user.System, campaignID)
	if err != nil || !c.Accepting(time.Now()) {
		return 0, err
	}
	rs, err := s.recipients(ctx, campaignID, "i.emailed_at IS NULL")
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, r := range rs {
		var link *IssuedLink
		err := s.db.Tx(ctx, func(tx *sql.Tx) error {
			res, err := tx.ExecContext(ctx, `UPDATE campaign_invitations SET emailed_at = $1 WHERE id = $2 AND emailed_at IS NULL`, db.Now(), r.invitationID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return errSkip
			}
			link, err = s.issue(ctx, tx, r.invitationID, purposeEmail, false)
			return err
		})
		if errors.Is(err, errSkip) {
			continue
		}
		if err != nil {
			return sent, err
		}
		loc := i18n.For(languageOf(r.langs))
		msg := mail.Message{To: r.email, Subject: loc.T("campaign.mail.invite_subject", "title", c.Title),
			Body: loc.T("campaign.mail.invite_body", "org", r.name, "title", c.Title, "period", c.Period, "deadline", c.Deadline, "link", link.URL)}
		if err := s.send(ctx, msg); err != nil {
			s.undo(ctx, `UPDATE campaign_invitations SET emailed_at = NULL WHERE id = $1`, r.invitationID, link.Token)
			return sent, err
		}
		sent++
	}
	return sent, nil
}

var errSkip = errors.New("already done")

// SendReminders emails the reminder due daysBefore days before the
// deadline to the respondents with an email address who have not answered
// and have not had this reminder, while the campaign is open at now. The
// reminder is recorded before the email goes (so it is never sent twice)
// and removed again if the email fails (so a retry sends it).
func (s *Store) SendReminders(ctx context.Context, campaignID int64, daysBefore int, now time.Time) (int, error) {
	c, err := s.loadCampaign(ctx, s.db.Read(), user.System, campaignID)
	if err != nil {
		return 0, err
	}
	if !c.Accepting(now) {
		return 0, nil
	}
	rs, err := s.recipients(ctx, campaignID, `NOT EXISTS (SELECT 1 FROM submissions s WHERE s.invitation_id = i.id)
		AND NOT EXISTS (SELECT 1 FROM campaign_reminders r WHERE r.invitation_id = i.id AND r.days_before = $2)`, daysBefore)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, r := range rs {
		var link *IssuedLink
		err := s.db.Tx(ctx, func(tx *sql.Tx) error {
			// The claim and the check that no answer came meanwhile are one statement.
			res, err := tx.ExecContext(ctx, `INSERT INTO campaign_reminders (invitation_id, days_before, sent_at)
				SELECT $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM submissions s WHERE s.invitation_id = $1)
				ON CONFLICT (invitation_id, days_before) DO NOTHING`, r.invitationID, daysBefore, db.Now())
			if err != nil {
				return fmt.Errorf("record reminder: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return errSkip
			}
			link, err = s.issue(ctx, tx, r.invitationID, purposeReminder, false)
			return err
		})
		if errors.Is(err, errSkip) {
			continue
		}
		if err != nil {
			return sent, err
		}
		loc := i18n.For(languageOf(r.langs))
		msg := mail.Message{To: r.email, Subject: loc.T("campaign.mail.reminder_subject", "title", c.Title, "deadline", c.Deadline),
			Body: loc.T("campaign.mail.reminder_body", "org", r.name, "title", c.Title, "period", c.Period, "deadline", c.Deadline,
				"days", daysBefore, "link", link.URL)}
		if err := s.send(ctx, msg); err != nil {
			s.undo(ctx, fmt.Sprintf(`DELETE FROM campaign_reminders WHERE invitation_id = $1 AND days_before = %d`, daysBefore),
				r.invitationID, link.Token)
			return sent, err
		}
		sent++
	}
	return sent, nil
}

func (s *Store) send(ctx context.Context, m mail.Message) error {
	if s.opts.Mailer == nil {
		return problem.New(problem.Internal, "No mail sender is configured.")
	}
	return s.opts.Mailer.Send(ctx, m)
}

// undo takes back the mark of an email that failed and ends its link.
func (s *Store) undo(ctx context.Context, stmt string, invitationID int64, token string) {
	ctx = context.WithoutCancel(ctx)
	_ = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, stmt, invitationID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE campaign_tokens SET revoked_at = $1 WHERE token_hash = $2`, db.Now(), HashToken(token))
		return err
	})
}
