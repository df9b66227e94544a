package user

import (
	"context"
	"database/sql"
	"errors"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
)

// CheckUserPassword reports whether pw is the account's current password.
func (s *Store) CheckUserPassword(ctx context.Context, userID int64, pw string) (bool, error) {
	var hash string
	err := s.db.Read().QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = $1`, userID).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return false, problem.NotFoundf("No account #%d.", userID)
	}
	if err != nil {
		return false, err
	}
	return hash != "" && CheckPassword(hash, pw), nil
}

// SetLocaleTx remembers a person's language inside the caller's transaction
// ("" forgets it, so the browser's language applies).
func (s *Store) SetLocaleTx(ctx context.Context, tx *sql.Tx, userID int64, lang string) error {
	res, err := tx.ExecContext(ctx, `UPDATE users SET locale = $1 WHERE id = $2`, lang, userID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return problem.NotFoundf("No account #%d.", userID)
	}
	return nil
}

// FindAPIToken returns one of a user's tokens; another user's token is not
// found, so token IDs do not leak between accounts.
func (s *Store) FindAPIToken(ctx context.Context, userID, tokenID int64) (*APIToken, error) {
	var t APIToken
	var used, revoked sql.NullTime
	err := s.db.Read().QueryRowContext(ctx, `SELECT id, user_id, name, created_at, last_used_at, revoked_at
		FROM api_tokens WHERE id = $1 AND user_id = $2`, tokenID, userID).
		Scan(&t.ID, &t.UserID, &t.Name, &t.CreatedAt, &used, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, problem.NotFoundf("No token #%d.", tokenID)
	}
	if err != nil {
		return nil, err
	}
	t.LastUsedAt, t.RevokedAt = used.Time, revoked.Time
	return &t, nil
}

// RevokeOwnAPIToken revokes one of the user's own active tokens and returns
// it as it was before and after, for the audit log.
func (s *Store) RevokeOwnAPIToken(ctx context.Context, tx *sql.Tx, userID, tokenID int64) (before, after *APIToken, err error) {
	before, err = s.FindAPIToken(ctx, userID, tokenID)
	if err != nil {
		return nil, nil, err
	}
	if !before.RevokedAt.IsZero() {
		return nil, nil, problem.Conflictf("The token %q is already revoked.", before.Name)
	}
	now := db.Now()
	res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL`,
		now, tokenID, userID)
	if err != nil {
		return nil, nil, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, nil, problem.Conflictf("The token %q is already revoked.", before.Name)
	}
	a := *before
	a.RevokedAt = now
	return before, &a, nil
}
