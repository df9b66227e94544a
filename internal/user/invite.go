package user

import (
	"context"
	"database/sql"
	"strconv"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/problem"
)

// Invitation is an account waiting for its owner, with the one-time link
// that lets them choose a password.
type Invitation struct {
	User *User
	// URL is the invitation link; administrators may pass it on themselves
	// (by message, for instance) when email is unreliable.
	URL string
	// Sent reports whether the email went out.
	Sent bool
}

// Invite creates an account without a password and its invitation link,
// in one transaction with the audit entry, then emails the link. lang is the
// language of the email and the account's first language ("" for the
// inviting administrator's choice of page language to apply).
func (ac *Accounts) Invite(ctx context.Context, actor Actor, n NewUser, lang string) (*Invitation, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	n.Password = ""
	if err := n.Validate(); err != nil {
		return nil, err
	}
	if lang != "" && !i18n.Supported(lang) {
		var f problem.Fields
		f.Add("locale", "Choose a language: en, es, fr or nl.")
		return nil, f.Err()
	}
	if err := ac.Store.CheckScope(ctx, n.Scope, "scope"); err != nil {
		return nil, err
	}
	inv := &Invitation{}
	var token string
	err := ac.Store.db.Tx(ctx, func(tx *sql.Tx) error {
		u, err := ac.Store.CreateUser(ctx, tx, n)
		if err != nil {
			return err
		}
		if lang != "" {
			if err := ac.Store.SetLocaleTx(ctx, tx, u.ID, lang); err != nil {
				return err
			}
			u.Locale = lang
		}
		if token, err = ac.Store.CreateLink(ctx, tx, u.ID, LinkInvite); err != nil {
			return err
		}
		inv.User = u
		return ac.Audit(ctx, tx, actor, "create", auditUser, u.ID, nil, u)
	})
	if err != nil {
		return nil, err
	}
	inv.URL = ac.linkURL("/invite/accept", token)
	inv.Sent = ac.sendInvite(ctx, actor, inv.User, lang, inv.URL)
	return inv, nil
}

// ResendInvite makes a new invitation link for an account whose owner has
// not set a password yet (the earlier link stops working) and emails it.
func (ac *Accounts) ResendInvite(ctx context.Context, actor Actor, userID int64, lang string) (*Invitation, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	u, err := ac.Store.FindUserByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	switch {
	case !u.DisabledAt.IsZero():
		return nil, problem.Conflictf("The account of %s is disabled: enable it before inviting again.", u.Name)
	case u.HasPassword:
		return nil, problem.Conflictf("%s has already chosen a password; they can use “Forgot your password?” on the sign-in page.", u.Name)
	}
	var token string
	err = ac.Store.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if token, err = ac.Store.CreateLink(ctx, tx, u.ID, LinkInvite); err != nil {
			return err
		}
		return ac.Audit(ctx, tx, actor, "invite", auditUser, u.ID, nil, map[string]string{"email": u.Email})
	})
	if err != nil {
		return nil, err
	}
	inv := &Invitation{User: u, URL: ac.linkURL("/invite/accept", token)}
	inv.Sent = ac.sendInvite(ctx, actor, u, lang, inv.URL)
	return inv, nil
}

// sendInvite emails an invitation and reports whether it went out; a
// failure is logged, and the administrator still has the link to pass on.
func (ac *Accounts) sendInvite(ctx context.Context, actor Actor, u *User, lang, link string) bool {
	days := strconv.Itoa(int(InviteLifetime.Hours() / 24))
	err := ac.send(ctx, u, lang, "account.mail.invite_subject", "account.mail.invite_body", link, "inviter", actor.Name, "days", days)
	if err != nil {
		ac.Logger.Error("invitation email", "user_id", u.ID, "err", err)
		return false
	}
	return true
}
