package user

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
)

// Link purposes and lifetimes.
const (
	LinkReset  = "reset"
	LinkInvite = "invite"

	ResetLifetime  = time.Hour
	InviteLifetime = 7 * 24 * time.Hour
)

// CreateLink makes a one-time link token for a password reset or an
// invitation; earlier unused links of the same purpose stop working.
func (s *Store) CreateLink(ctx context.Context, tx *sql.Tx, userID int64, purpose string) (string, error) {
	life := ResetLifetime
	if purpose == LinkInvite {
		life = InviteLifetime
	}
	token, hash := NewToken("")
	now := db.Now()
	if _, err := tx.ExecContext(ctx, `UPDATE user_links SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL`,
		now, userID, purpose); err != nil {
		return "", err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO user_links (token_hash, user_id, purpose, created_at, expires_at) VALUES ($1,$2,$3,$4,$5)`,
		hash, userID, purpose, now, now.Add(life))
	return token, err
}

var errBadLink = problem.New(problem.Invalid, "This link is not valid any more: it has expired or was already used. Ask for a new one.")

// CheckLink returns the user a live link belongs to, without using it up.
func (s *Store) CheckLink(ctx context.Context, token, purpose string) (*User, error) {
	var userID int64
	var expires time.Time
	err := s.db.Read().QueryRowContext(ctx, `SELECT user_id, expires_at FROM user_links
		WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL`, HashToken(token), purpose).Scan(&userID, &expires)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && db.Now().After(expires)) {
		return nil, errBadLink
	}
	if err != nil {
		return nil, err
	}
	return s.FindUserByID(ctx, userID)
}

// UseLink sets the password through a live link and uses the link up, in one
// transaction: a link works once.
func (s *Store) UseLink(ctx context.Context, token, purpose, password string) (*User, error) {
	var u *User
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		u, err = s.UseLinkTx(ctx, tx, token, purpose, password)
		return err
	})
	return u, err
}

// UseLinkTx is UseLink inside the caller's transaction, so that the audit
// entry of the password change is written with it. A disabled account's
// links do not work.
func (s *Store) UseLinkTx(ctx context.Context, tx *sql.Tx, token, purpose, password string) (*User, error) {
	u, err := s.CheckLink(ctx, token, purpose)
	if err != nil {
		return nil, err
	}
	if !u.DisabledAt.IsZero() {
		return nil, errBadLink
	}
	// The password is checked before the link is used up, so a too-short
	// password leaves the link working for a second try.
	if msg := PasswordProblem(password); msg != "" {
		return nil, &problem.Error{Kind: problem.Invalid, Message: msg, Details: []problem.Detail{{Field: "password", Message: msg}}}
	}
	res, err := tx.ExecContext(ctx, `UPDATE user_links SET used_at = $1 WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL`,
		db.Now(), HashToken(token), purpose)
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, errBadLink
	}
	if err := s.SetPassword(ctx, tx, u.ID, password); err != nil {
		return nil, err
	}
	u.HasPassword = true
	return u, nil
}
