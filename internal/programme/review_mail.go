package programme

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/mail"
)

// decisionRecipient is an address to email with its language ("" when unknown).
type decisionRecipient struct {
	Email, Name, Lang string
}

// decisionRecipients are the applicant's addresses: the account that
// drafted the application (unless disabled) and the lead organisation's
// address when the registry has one.
func (s *Store) decisionRecipients(ctx context.Context, a *Application) ([]decisionRecipient, error) {
	var out []decisionRecipient
	if a.CreatedBy != nil {
		var r decisionRecipient
		err := s.db.Read().QueryRowContext(ctx, `SELECT email, name, locale FROM users WHERE id = $1 AND disabled_at IS NULL`,
			*a.CreatedBy).Scan(&r.Email, &r.Name, &r.Lang)
		switch {
		case err == nil && r.Email != "":
			out = append(out, r)
		case err != nil && !errors.Is(err, sql.ErrNoRows):
			return nil, fmt.Errorf("applicant account: %w", err)
		}
	}
	var email string
	if err := s.db.Read().QueryRowContext(ctx, `SELECT email FROM organisations WHERE id = $1`, a.LeadOrgID).Scan(&email); err != nil {
		return nil, fmt.Errorf("lead organisation: %w", err)
	}
	email = strings.TrimSpace(email)
	if email != "" && (len(out) == 0 || !strings.EqualFold(out[0].Email, email)) {
		r := decisionRecipient{Email: email, Name: a.LeadOrgName}
		if len(out) > 0 {
			r.Lang = out[0].Lang // the organisation's language is not known; the applicant's is a good guess
		}
		out = append(out, r)
	}
	return out, nil
}

// DecisionMail emails the panel's decision on a to its applicant, each
// address in its own language when known and in lang otherwise, and
// returns the addresses it reached. baseURL makes the link to the
// application's panel page.
func (s *Store) DecisionMail(ctx context.Context, sender mail.Sender, baseURL string, a *Application, d *Decision, lang string) ([]string, error) {
	rs, err := s.decisionRecipients(ctx, a)
	if err != nil {
		return nil, err
	}
	link := strings.TrimRight(baseURL, "/") + panelPath(a.ID)
	sent := []string{}
	var errs []error
	for _, r := range rs {
		l := lang
		if i18n.Supported(r.Lang) {
			l = r.Lang
		}
		loc := i18n.For(l)
		args := []any{"name", r.Name, "title", a.Title, "call", a.CallNumber + " " + a.CallTitle, "link", link,
			"app", loc.T("common.app_name")}
		subject, body := "programmereview.mail.subject."+string(d.Decision), "programmereview.mail.body."+string(d.Decision)
		body = loc.T(body, args...)
		if d.Reason != "" {
			body += "\n\n" + loc.T("programmereview.mail.reason", "reason", d.Reason)
		}
		body += "\n\n" + loc.T("programmereview.mail.link", args...)
		msg := mail.Message{To: r.Email, Subject: loc.T(subject, args...), Body: body}
		if err := sender.Send(ctx, msg); err != nil {
			errs = append(errs, fmt.Errorf("email to %s: %w", r.Email, err))
			continue
		}
		sent = append(sent, r.Email)
	}
	return sent, errors.Join(errs...)
}
