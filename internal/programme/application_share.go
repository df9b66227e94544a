package programme

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// CoApplicant is an account a draft is shared with.
type CoApplicant struct {
	UserID  int64     `json:"user_id"`
	Name    string    `json:"name"`
	Email   string    `json:"email"`
	Role    user.Role `json:"role"`
	AddedAt time.Time `json:"added_at"`
}

// CoApplicants lists the accounts application id is shared with, for
// whoever may read it.
func (s *Store) CoApplicants(ctx context.Context, actor user.Actor, id int64) ([]CoApplicant, error) {
	if _, err := loadApplication(ctx, s.db.Read(), actor, id, appReadFilter); err != nil {
		return nil, err
	}
	return coApplicants(ctx, s.db.Read(), id)
}

func coApplicants(ctx context.Context, q db.Querier, id int64) ([]CoApplicant, error) {
	var out []CoApplicant
	err := db.Each(ctx, q, `SELECT u.id, u.name, u.email, u.role, sh.added_at FROM application_sharing sh
		JOIN users u ON u.id = sh.user_id WHERE sh.application_id = $1 ORDER BY u.name, u.id`, []any{id},
		func(rows *sql.Rows) error {
			var c CoApplicant
			if err := rows.Scan(&c.UserID, &c.Name, &c.Email, &c.Role, &c.AddedAt); err != nil {
				return err
			}
			out = append(out, c)
			return nil
		})
	return out, err
}

// IsLeadApplicant reports whether the actor applies for application id
// (rather than co-applying to it).
func (s *Store) IsLeadApplicant(ctx context.Context, actor user.Actor, id int64) bool {
	return isLeadApplicant(ctx, s.db.Read(), actor, id)
}

func isLeadApplicant(ctx context.Context, q db.Querier, actor user.Actor, id int64) bool {
	if !MayApply(actor) {
		return false
	}
	_, err := loadApplication(ctx, q, actor, id, appOwnerFilter)
	return err == nil
}

// ownedDraft loads a draft the actor applies for; co-applicants and
// readers are told why they may not go on.
func ownedDraft(ctx context.Context, q db.Querier, actor user.Actor, id int64, what string) (*Application, error) {
	a, err := editableApplication(ctx, q, actor, id)
	if err != nil {
		return nil, err
	}
	if !isLeadApplicant(ctx, q, actor, id) {
		return nil, problem.Forbiddenf("Only the lead applicant %s; co-applicants edit the draft.", what)
	}
	return a, nil
}

// ShareApplication shares a draft with the account of the given email: BSO
// staff or a cluster manager of another organisation, who may then edit
// it. Only the lead applicant shares.
func (s *Store) ShareApplication(ctx context.Context, actor user.Actor, id int64, email string) (*CoApplicant, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	var out *CoApplicant
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := ownedDraft(ctx, tx, actor, id, "shares the draft"); err != nil {
			return err
		}
		if email == "" {
			return fieldProblem("email", "Enter the email address of the co-applicant's account.")
		}
		var (
			c        CoApplicant
			disabled sql.NullTime
			scope    user.Scope
		)
		err := tx.QueryRowContext(ctx, `SELECT id, name, email, role, scope_kind, scope_id, disabled_at FROM users WHERE email = $1`, email).
			Scan(&c.UserID, &c.Name, &c.Email, &c.Role, &scope.Kind, &scope.ID, &disabled)
		if errors.Is(err, sql.ErrNoRows) {
			return fieldProblem("email", fmt.Sprintf("No account has the address %s: ask an administrator to invite the co-applicant first.", email))
		}
		if err != nil {
			return fmt.Errorf("find co-applicant: %w", err)
		}
		other := user.Actor{UserID: c.UserID, Role: c.Role, Scope: scope}
		switch {
		case disabled.Valid:
			return fieldProblem("email", fmt.Sprintf("The account of %s is disabled.", email))
		case c.UserID == actor.UserID:
			return fieldProblem("email", "You already edit this draft.")
		case c.Role != user.BSOStaff && c.Role != user.ClusterManager:
			return fieldProblem("email", fmt.Sprintf("%s is not BSO staff or a cluster manager; only they co-apply.", c.Name))
		case isLeadApplicant(ctx, tx, other, id):
			return fieldProblem("email", fmt.Sprintf("%s already edits this draft as one of the lead applicants.", c.Name))
		}
		c.AddedAt = db.Now()
		res, err := tx.ExecContext(ctx, `INSERT INTO application_sharing (application_id, user_id, added_by, added_at)
			VALUES ($1, $2, $3, $4) ON CONFLICT (application_id, user_id) DO NOTHING`, id, c.UserID, nullID(actor.UserID), c.AddedAt)
		if err != nil {
			return fmt.Errorf("share application: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fieldProblem("email", fmt.Sprintf("The draft is already shared with %s.", c.Name))
		}
		out = &c
		return audit.Record(ctx, tx, actor, "share", ApplicationRecordType, id, nil, map[string]any{"co_applicant": c.Email})
	})
	return out, err
}

// UnshareApplication stops sharing a draft with an account.
func (s *Store) UnshareApplication(ctx context.Context, actor user.Actor, id, userID int64) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := ownedDraft(ctx, tx, actor, id, "stops sharing the draft"); err != nil {
			return err
		}
		var email string
		err := tx.QueryRowContext(ctx, `SELECT u.email FROM application_sharing sh JOIN users u ON u.id = sh.user_id
			WHERE sh.application_id = $1 AND sh.user_id = $2`, id, userID).Scan(&email)
		if errors.Is(err, sql.ErrNoRows) {
			return problem.NotFoundf("The draft is not shared with account #%d.", userID)
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM application_sharing WHERE application_id = $1 AND user_id = $2`, id, userID); err != nil {
			return fmt.Errorf("unshare application: %w", err)
		}
		return audit.Record(ctx, tx, actor, "unshare", ApplicationRecordType, id, map[string]any{"co_applicant": email}, nil)
	})
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// fieldProblem is a single problem with one field.
func fieldProblem(field, msg string) error {
	var f problem.Fields
	f.Add(field, "%s", msg)
	return f.Err()
}
