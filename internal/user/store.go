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

// Store keeps accounts, sessions, API tokens and one-time links.
type Store struct {
	db *db.DB
}

// NewStore returns a store on d.
func NewStore(d *db.DB) *Store { return &Store{db: d} }

// DB is the store's database, for domains that record in the same transaction.
func (s *Store) DB() *db.DB { return s.db }

const userColumns = `id, email, name, role, scope_kind, scope_id, password_hash, locale, created_at, last_login_at, disabled_at`

type scanner interface{ Scan(dest ...any) error }

func scanUser(row scanner) (*User, string, error) {
	var u User
	var kind, id, hash string
	var last, disabled sql.NullTime
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &kind, &id, &hash, &u.Locale, &u.CreatedAt, &last, &disabled); err != nil {
		return nil, "", err
	}
	u.Scope = Scope{Kind: ScopeKind(kind), ID: id}
	u.ScopeText = u.Scope.String()
	u.LastLoginAt = last.Time
	u.DisabledAt = disabled.Time
	u.HasPassword = hash != ""
	return &u, hash, nil
}

// CreateUser stores a new account. The caller records the audit entry in tx.
func (s *Store) CreateUser(ctx context.Context, tx *sql.Tx, n NewUser) (*User, error) {
	if err := n.Validate(); err != nil {
		return nil, err
	}
	hash := ""
	if n.Password != "" {
		hash = HashPassword(n.Password)
	}
	row := tx.QueryRowContext(ctx, `INSERT INTO users (email, name, role, scope_kind, scope_id, password_hash, created_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING `+userColumns,
		n.Email, n.Name, n.Role, n.Scope.Kind, n.Scope.ID, hash, db.Now())
	u, _, err := scanUser(row)
	if db.IsUniqueViolation(err) {
		return nil, &problem.Error{Kind: problem.Conflict, Message: "An account with this email already exists.",
			Details: []problem.Detail{{Field: "email", Message: "already registered"}}}
	}
	return u, err
}

// FindUserByID returns an account.
func (s *Store) FindUserByID(ctx context.Context, id int64) (*User, error) {
	u, _, err := scanUser(s.db.Read().QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, problem.NotFoundf("No account #%d.", id)
	}
	return u, err
}

// FindUserByEmail returns an account by email (case-insensitive).
func (s *Store) FindUserByEmail(ctx context.Context, email string) (*User, error) {
	u, _, err := scanUser(s.db.Read().QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE email = $1`,
		strings.ToLower(strings.TrimSpace(email))))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, problem.NotFoundf("No account with the email %s.", email)
	}
	return u, err
}

// FindUsers lists accounts, newest first.
func (s *Store) FindUsers(ctx context.Context) ([]*User, error) {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY name, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*User
	for rows.Next() {
		u, _, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CountUsers returns how many accounts exist.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, err
}

// SetPassword replaces an account's password and ends its sessions.
func (s *Store) SetPassword(ctx context.Context, tx *sql.Tx, userID int64, pw string) error {
	if msg := PasswordProblem(pw); msg != "" {
		return &problem.Error{Kind: problem.Invalid, Message: msg, Details: []problem.Detail{{Field: "password", Message: msg}}}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, failed_logins = 0, locked_until = NULL WHERE id = $2`,
		HashPassword(pw), userID); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID)
	return err
}

// SetDisabled disables or re-enables an account; disabling ends its sessions
// and revokes its API tokens.
func (s *Store) SetDisabled(ctx context.Context, tx *sql.Tx, userID int64, disabled bool) error {
	var at any
	if disabled {
		at = db.Now()
	}
	res, err := tx.ExecContext(ctx, `UPDATE users SET disabled_at = $1 WHERE id = $2`, at, userID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return problem.NotFoundf("No account #%d.", userID)
	}
	if disabled {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL`, db.Now(), userID)
	}
	return err
}

// SetLocale remembers a person's language.
func (s *Store) SetLocale(ctx context.Context, userID int64, lang string) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE users SET locale = $1 WHERE id = $2`, lang, userID)
		return err
	})
}

// Lockout policy: after MaxFailedLogins wrong passwords in a row an account
// is locked for LockoutPeriod.
const (
	MaxFailedLogins = 5
	LockoutPeriod   = 15 * time.Minute
)

// ErrBadCredentials is the one message for any failed login, so the answer
// never tells whether an email is registered.
var ErrBadCredentials = problem.New(problem.Unauthorized, "The email or password is not correct.")

// Authenticate checks an email and password and returns the account.
func (s *Store) Authenticate(ctx context.Context, email, pw string) (*User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	var locked sql.NullTime
	var failed int
	row := s.db.Read().QueryRowContext(ctx, `SELECT `+userColumns+`, failed_logins, locked_until FROM users WHERE email = $1`, email)
	var u User
	var kind, id, hash string
	var last, disabled sql.NullTime
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &kind, &id, &hash, &u.Locale, &u.CreatedAt, &last, &disabled, &failed, &locked)
	if errors.Is(err, sql.ErrNoRows) {
		CheckPassword(dummyHash, pw)
		return nil, ErrBadCredentials
	}
	if err != nil {
		return nil, err
	}
	u.Scope = Scope{Kind: ScopeKind(kind), ID: id}
	u.ScopeText = u.Scope.String()
	now := db.Now()
	if locked.Valid && locked.Time.After(now) {
		CheckPassword(dummyHash, pw)
		return nil, problem.New(problem.TooMany, "Too many failed attempts: this account is locked until %s UTC.", locked.Time.UTC().Format("15:04"))
	}
	if disabled.Valid || hash == "" || !CheckPassword(hash, pw) {
		err := s.db.Tx(ctx, func(tx *sql.Tx) error {
			failed++
			var until any
			if failed >= MaxFailedLogins {
				until, failed = now.Add(LockoutPeriod), 0
			}
			_, err := tx.ExecContext(ctx, `UPDATE users SET failed_logins = $1, locked_until = $2 WHERE id = $3`, failed, until, u.ID)
			return err
		})
		if err != nil {
			return nil, err
		}
		return nil, ErrBadCredentials
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = $1 WHERE id = $2`, now, u.ID)
		return err
	})
	u.LastLoginAt = now
	u.HasPassword = true
	return &u, err
}
