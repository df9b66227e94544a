package user

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"net/url"
	"strings"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/mail"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/web"
)

// AuditFunc writes an audit entry inside the transaction of the change it
// describes. The application passes audit.Record: the audit package builds
// on this one, so this one cannot import it.
type AuditFunc func(ctx context.Context, tx *sql.Tx, actor Actor, action, recordType string, recordID any, before, after any) error

// The record types this package writes to the audit log.
const (
	auditUser  = "user"
	auditToken = "api_token"
)

// Accounts is what the account, invitation, password-reset and
// administration pages and API need: the store, the renderer, the mailer,
// the public address for links in email, and the audit log.
type Accounts struct {
	Store   *Store
	Render  *web.Renderer
	Mailer  mail.Sender
	BaseURL string
	Audit   AuditFunc
	Logger  *slog.Logger
}

// linkURL is the address a one-time link token opens. It is built from the
// configured public address, never from the request's Host header, so a
// forged Host cannot send reset links to another site.
func (ac *Accounts) linkURL(path, token string) string {
	return strings.TrimRight(ac.BaseURL, "/") + path + "?token=" + url.QueryEscape(token)
}

// send emails a translated message. The subject and body keys get the
// placeholders {name}, {link} and {app}, plus any extra pairs.
func (ac *Accounts) send(ctx context.Context, u *User, lang, subjectKey, bodyKey, link string, extra ...any) error {
	if u.Locale != "" {
		lang = u.Locale
	}
	loc := i18n.For(lang)
	args := append([]any{"name", u.Name, "link", link, "app", loc.T("common.app_name")}, extra...)
	return ac.Mailer.Send(ctx, mail.Message{To: u.Email, Subject: loc.T(subjectKey, args...), Body: loc.T(bodyKey, args...)})
}

// findUserTx reads an account inside a transaction, so that the audit entry
// shows what the transaction itself wrote.
func (s *Store) findUserTx(ctx context.Context, tx *sql.Tx, id int64) (*User, error) {
	u, _, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, problem.NotFoundf("No account #%d.", id)
	}
	return u, err
}

// requireAdmin refuses an action to anyone but an administrator.
func requireAdmin(actor Actor) error {
	if !actor.IsAdmin() {
		return problem.Forbiddenf("Only administrators may manage accounts.")
	}
	return nil
}
