package user

import (
	"context"
	"database/sql"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/problem"
)

// PasswordChange is the change-password form.
type PasswordChange struct {
	Current string
	New     string
	Confirm string
}

// ChangePassword replaces the actor's password after checking the current
// one. Every session of the account ends; the caller starts a new one for
// the browser that made the change.
func (ac *Accounts) ChangePassword(ctx context.Context, actor Actor, in PasswordChange) error {
	var f problem.Fields
	if in.Current == "" {
		f.Add("current_password", "Enter your current password.")
	} else if ok, err := ac.Store.CheckUserPassword(ctx, actor.UserID, in.Current); err != nil {
		return err
	} else if !ok {
		f.Add("current_password", "This is not your current password.")
	}
	if msg := PasswordProblem(in.New); msg != "" {
		f.Add("new_password", "%s", msg)
	} else if in.New != in.Confirm {
		f.Add("confirm_password", "The two new passwords are not the same.")
	}
	if err := f.Err(); err != nil {
		return err
	}
	return ac.Store.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := ac.Store.SetPassword(ctx, tx, actor.UserID, in.New); err != nil {
			return err
		}
		return ac.Audit(ctx, tx, actor, "password_change", auditUser, actor.UserID, nil, passwordChange{PasswordChanged: true, Via: "account page"})
	})
}

// localeAudit is what the audit log keeps of a language change.
type localeAudit struct {
	Locale string `json:"locale"`
}

// SetLanguage saves the actor's preferred language.
func (ac *Accounts) SetLanguage(ctx context.Context, actor Actor, lang string) error {
	if !i18n.Supported(lang) {
		var f problem.Fields
		f.Add("locale", "Choose a language: en, es, fr or nl.")
		return f.Err()
	}
	return ac.Store.db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := ac.Store.findUserTx(ctx, tx, actor.UserID)
		if err != nil {
			return err
		}
		if cur.Locale == lang {
			return nil
		}
		if err := ac.Store.SetLocaleTx(ctx, tx, actor.UserID, lang); err != nil {
			return err
		}
		return ac.Audit(ctx, tx, actor, "update", auditUser, actor.UserID, localeAudit{cur.Locale}, localeAudit{lang})
	})
}

// CreateToken makes an API token for the actor and returns it with its
// secret, which is never shown again.
func (ac *Accounts) CreateToken(ctx context.Context, actor Actor, name string) (*APIToken, string, error) {
	var t *APIToken
	var secret string
	err := ac.Store.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if t, secret, err = ac.Store.CreateAPIToken(ctx, tx, actor.UserID, name); err != nil {
			return err
		}
		return ac.Audit(ctx, tx, actor, "create", auditToken, t.ID, nil, t)
	})
	if err != nil {
		return nil, "", err
	}
	return t, secret, nil
}

// RevokeToken revokes one of the actor's own API tokens.
func (ac *Accounts) RevokeToken(ctx context.Context, actor Actor, tokenID int64) (*APIToken, error) {
	var after *APIToken
	err := ac.Store.db.Tx(ctx, func(tx *sql.Tx) error {
		before, a, err := ac.Store.RevokeOwnAPIToken(ctx, tx, actor.UserID, tokenID)
		if err != nil {
			return err
		}
		after = a
		return ac.Audit(ctx, tx, actor, "revoke", auditToken, tokenID, before, a)
	})
	return after, err
}

// SetAccountDisabled disables or re-enables an account. Disabling ends its
// sessions and revokes its API tokens; administrators cannot disable their
// own account, so the platform always keeps one.
func (ac *Accounts) SetAccountDisabled(ctx context.Context, actor Actor, userID int64, disabled bool) (*User, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	if disabled && userID == actor.UserID {
		return nil, problem.Conflictf("You cannot disable your own account.")
	}
	action := "enable"
	if disabled {
		action = "disable"
	}
	var out *User
	err := ac.Store.db.Tx(ctx, func(tx *sql.Tx) error {
		before, err := ac.Store.findUserTx(ctx, tx, userID)
		if err != nil {
			return err
		}
		if before.DisabledAt.IsZero() != disabled {
			out = before // already in the wanted state: nothing to write
			return nil
		}
		if err := ac.Store.SetDisabled(ctx, tx, userID, disabled); err != nil {
			return err
		}
		if out, err = ac.Store.findUserTx(ctx, tx, userID); err != nil {
			return err
		}
		return ac.Audit(ctx, tx, actor, action, auditUser, userID, before, out)
	})
	return out, err
}
