package user

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
)

// APIToken is a bearer token for scripts. Only its hash is stored; the token
// itself is shown once, when it is made.
type APIToken struct {
	ID         int64     `json:"id"`
	UserID     int64     `json:"user_id"`
	Name       string    `json:"name"`
	CreatedAt  time.Time `json:"created_at"`
	LastUsedAt time.Time `json:"last_used_at,omitzero"`
	RevokedAt  time.Time `json:"revoked_at,omitzero"`
}

// TokenPrefix starts every API token, so leaked tokens are easy to spot.
const TokenPrefix = "obs_"

// CreateAPIToken makes a token for a user and returns it with its secret.
func (s *Store) CreateAPIToken(ctx context.Context, tx *sql.Tx, userID int64, name string) (*APIToken, string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		name = "token"
	}
	if len(name) > 100 {
		return nil, "", &problem.Error{Kind: problem.Invalid, Message: "The token name is too long.",
			Details: []problem.Detail{{Field: "name", Message: "at most 100 characters"}}}
	}
	secret, hash := NewToken(TokenPrefix)
	t := &APIToken{UserID: userID, Name: name, CreatedAt: db.Now()}
	err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1,$2,$3,$4) RETURNING id`,
		userID, name, hash, t.CreatedAt).Scan(&t.ID)
	return t, secret, err
}

// FindAPITokens lists a user's tokens, newest first.
func (s *Store) FindAPITokens(ctx context.Context, userID int64) ([]*APIToken, error) {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT id, user_id, name, created_at, last_used_at, revoked_at
		FROM api_tokens WHERE user_id = $1 ORDER BY id DESC`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*APIToken
	for rows.Next() {
		var t APIToken
		var used, revoked sql.NullTime
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.CreatedAt, &used, &revoked); err != nil {
			return nil, err
		}
		t.LastUsedAt, t.RevokedAt = used.Time, revoked.Time
		out = append(out, &t)
	}
	return out, rows.Err()
}

// RevokeAPIToken revokes one of a user's tokens (admins may revoke any).
func (s *Store) RevokeAPIToken(ctx context.Context, tx *sql.Tx, actor Actor, tokenID int64) error {
	q := `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`
	args := []any{db.Now(), tokenID}
	if !actor.IsAdmin() {
		q += ` AND user_id = $3`
		args = append(args, actor.UserID)
	}
	res, err := tx.ExecContext(ctx, q, args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return problem.NotFoundf("No active token #%d.", tokenID)
	}
	return nil
}

// UserByAPIToken returns the account behind a bearer token.
func (s *Store) UserByAPIToken(ctx context.Context, token string) (*User, error) {
	if !strings.HasPrefix(token, TokenPrefix) {
		return nil, problem.New(problem.Unauthorized, "The API token is not valid.")
	}
	hash := HashToken(token)
	var tokenID int64
	var used sql.NullTime
	row := s.db.Read().QueryRowContext(ctx, `SELECT t.id, t.last_used_at, `+prefixed("u.", userColumns)+`
		FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled_at IS NULL`, hash)
	var u User
	var kind, id, pw string
	var last, disabled sql.NullTime
	err := row.Scan(&tokenID, &used, &u.ID, &u.Email, &u.Name, &u.Role, &kind, &id, &pw, &u.Locale, &u.CreatedAt, &last, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, problem.New(problem.Unauthorized, "The API token is not valid or has been revoked.")
	}
	if err != nil {
		return nil, err
	}
	if now := db.Now(); !used.Valid || now.Sub(used.Time) > sessionTouchEvery {
		_ = s.db.Tx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, now, tokenID)
			return err
		})
	}
	u.Scope = Scope{Kind: ScopeKind(kind), ID: id}
	u.ScopeText = u.Scope.String()
	return &u, nil
}
