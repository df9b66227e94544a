package user

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
)

// Session lifetimes: a session lasts SessionIdle after its last use and never
// longer than SessionMax. Last-use is written at most once per
// sessionTouchEvery so that reading pages does not cost a write each time.
const (
	SessionIdle       = 7 * 24 * time.Hour
	SessionMax        = 30 * 24 * time.Hour
	sessionTouchEvery = 10 * time.Minute
)

// CreateSession starts a session for a user and returns its token.
func (s *Store) CreateSession(ctx context.Context, userID int64) (string, error) {
	token, hash := NewToken("")
	now := db.Now()
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at) VALUES ($1,$2,$3,$4,$5)`,
			hash, userID, now, now.Add(SessionMax), now)
		return err
	})
	return token, err
}

// UserBySession returns the account of a live session.
func (s *Store) UserBySession(ctx context.Context, token string) (*User, error) {
	hash := HashToken(token)
	var lastSeen, expires time.Time
	row := s.db.Read().QueryRowContext(ctx, `SELECT s.last_seen_at, s.expires_at, `+prefixed("u.", userColumns)+`
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND u.disabled_at IS NULL`, hash)
	var u User
	var kind, id, pw string
	var last, disabled sql.NullTime
	err := row.Scan(&lastSeen, &expires, &u.ID, &u.Email, &u.Name, &u.Role, &kind, &id, &pw, &u.Locale, &u.CreatedAt, &last, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, problem.New(problem.Unauthorized, "Your session has ended; please sign in again.")
	}
	if err != nil {
		return nil, err
	}
	now := db.Now()
	if now.After(expires) || now.Sub(lastSeen) > SessionIdle {
		_ = s.EndSession(ctx, token)
		return nil, problem.New(problem.Unauthorized, "Your session has ended; please sign in again.")
	}
	if now.Sub(lastSeen) > sessionTouchEvery {
		_ = s.db.Tx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2`, now, hash)
			return err
		})
	}
	u.Scope = Scope{Kind: ScopeKind(kind), ID: id}
	u.ScopeText = u.Scope.String()
	u.LastLoginAt = last.Time
	u.HasPassword = pw != ""
	return &u, nil
}

// EndSession signs a session out.
func (s *Store) EndSession(ctx context.Context, token string) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, HashToken(token))
		return err
	})
}

func prefixed(p, cols string) string {
	out := ""
	for i, c := range splitCols(cols) {
		if i > 0 {
			out += ", "
		}
		out += p + c
	}
	return out
}

func splitCols(cols string) []string {
	var out []string
	cur := ""
	for _, r := range cols {
		switch r {
		case ',':
			out = append(out, cur)
			cur = ""
		case ' ', '\n', '\t':
		default:
			cur += string(r)
		}
	}
	return append(out, cur)
}
