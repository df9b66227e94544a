package user

import (
	"context"
	"database/sql"
	"strconv"

	"github.com/clusterobservatory/observatory/internal/problem"
)

// resetRequester is the actor of a password-reset request: whoever typed
// the email is not signed in.
var resetRequester = Actor{Name: "password reset request"}

// RequestReset emails a password-reset link to the account with this email,
// if there is one and it is not disabled. It reports nothing either way, so
// that the answer never tells whether an email is registered; failures are
// logged.
func (ac *Accounts) RequestReset(ctx context.Context, email, lang string) {
	u, err := ac.Store.FindUserByEmail(ctx, email)
	if err != nil {
		if !problem.Is(err, problem.NotFound) {
			ac.Logger.Error("password reset: find account", "err", err)
		}
		return
	}
	if !u.DisabledAt.IsZero() {
		return
	}
	var token string
	err = ac.Store.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if token, err = ac.Store.CreateLink(ctx, tx, u.ID, LinkReset); err != nil {
			return err
		}
		return ac.Audit(ctx, tx, resetRequester, "password_reset_request", auditUser, u.ID, nil, nil)
	})
	if err != nil {
		ac.Logger.Error("password reset: create link", "user_id", u.ID, "err", err)
		return
	}
	minutes := strconv.Itoa(int(ResetLifetime.Minutes()))
	if err := ac.send(ctx, u, lang, "account.mail.reset_subject", "account.mail.reset_body",
		ac.linkURL("/password/reset", token), "minutes", minutes); err != nil {
		ac.Logger.Error("password reset email", "user_id", u.ID, "err", err)
	}
}

// passwordChange is what the audit log keeps of a password change: that it
// happened and how, never the password or its hash.
type passwordChange struct {
	PasswordChanged bool   `json:"password_changed"`
	Via             string `json:"via"`
}

// CompleteLink sets the password through a reset or invitation link, uses
// the link up and records the change, in one transaction. Every session of
// the account ends; the caller signs the person in afresh.
func (ac *Accounts) CompleteLink(ctx context.Context, token, purpose, password string) (*User, error) {
	action := "password_reset"
	if purpose == LinkInvite {
		action = "invitation_accept"
	}
	var u *User
	err := ac.Store.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if u, err = ac.Store.UseLinkTx(ctx, tx, token, purpose, password); err != nil {
			return err
		}
		return ac.Audit(ctx, tx, u.Actor(), action, auditUser, u.ID, nil, passwordChange{PasswordChanged: true, Via: purpose + " link"})
	})
	return u, err
}
