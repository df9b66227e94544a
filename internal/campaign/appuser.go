package campaign

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// AppUser is a field officer's ODK Collect login for one campaign.
type AppUser struct {
	ID         int64      `json:"id"`
	CampaignID int64      `json:"campaign_id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// Revoked reports whether the login no longer works.
func (a *AppUser) Revoked() bool { return a.RevokedAt != nil }

// AppUserRecordType names app users in the audit log.
const AppUserRecordType = "campaign_app_user"

const maxAppUserName = 60

// CreateAppUser makes an ODK Collect login for a campaign the actor runs
// and returns it with its secret, which is shown once and stored only as
// a hash.
func (s *Store) CreateAppUser(ctx context.Context, actor user.Actor, campaignID int64, name string) (*AppUser, string, error) {
	name = strings.Join(strings.Fields(name), " ")
	var f problem.Fields
	switch {
	case name == "":
		f.Add("name", "Give the app user a name, such as the field officer's.")
	case utf8.RuneCountInString(name) > maxAppUserName:
		f.Add("name", "The name has at most %d characters.", maxAppUserName)
	case strings.ContainsAny(name, ":"):
		f.Add("name", "The name may not contain a colon: ODK Collect sends it as a user name.")
	}
	if err := f.Err(); err != nil {
		return nil, "", err
	}
	secret, hash := newToken()
	var out *AppUser
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := mayRun(actor); err != nil {
			return err
		}
		if _, err := s.loadCampaign(ctx, tx, actor, campaignID); err != nil {
			return err
		}
		a := AppUser{CampaignID: campaignID, Name: name, CreatedAt: db.Now()}
		err := tx.QueryRowContext(ctx, `INSERT INTO campaign_app_users (campaign_id, name, secret_hash, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, campaignID, name, hash, nullUser(actor), a.CreatedAt).Scan(&a.ID)
		if db.IsUniqueViolation(err) {
			return problem.Fields{{Field: "name", Message: fmt.Sprintf("The campaign already has an app user named %s.", name)}}.Err()
		}
		if err != nil {
			return fmt.Errorf("create app user: %w", err)
		}
		out = &a
		return audit.Record(ctx, tx, actor, "create", AppUserRecordType, a.ID, nil, a)
	})
	if err != nil {
		return nil, "", err
	}
	return out, secret, nil
}

// RevokeAppUser ends an app user's login at once.
func (s *Store) RevokeAppUser(ctx context.Context, actor user.Actor, campaignID, id int64) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := mayRun(actor); err != nil {
			return err
		}
		if _, err := s.loadCampaign(ctx, tx, actor, campaignID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE campaign_app_users SET revoked_at = $1 WHERE id = $2 AND campaign_id = $3 AND revoked_at IS NULL`,
			db.Now(), id, campaignID)
		if err != nil {
			return fmt.Errorf("revoke app user: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return problem.NotFoundf("No active app user #%d in this campaign.", id)
		}
		return audit.Record(ctx, tx, actor, "revoke", AppUserRecordType, id, nil, nil)
	})
}

// FindAppUsers lists a campaign's app users, active first.
func (s *Store) FindAppUsers(ctx context.Context, actor user.Actor, campaignID int64) ([]*AppUser, error) {
	if _, err := s.FindCampaign(ctx, actor, campaignID); err != nil {
		return nil, err
	}
	var out []*AppUser
	err := db.Each(ctx, s.db.Read(), `SELECT id, campaign_id, name, created_at, revoked_at FROM campaign_app_users
		WHERE campaign_id = $1 ORDER BY revoked_at IS NOT NULL, name`, []any{campaignID}, func(rows *sql.Rows) error {
		var a AppUser
		var revoked sql.NullTime
		if err := rows.Scan(&a.ID, &a.CampaignID, &a.Name, &a.CreatedAt, &revoked); err != nil {
			return err
		}
		if revoked.Valid {
			a.RevokedAt = &revoked.Time
		}
		out = append(out, &a)
		return nil
	})
	return out, err
}

// errBadLogin is what every failed login gets, whatever failed, so that a
// guesser learns nothing.
var errBadLogin = problem.New(problem.Unauthorized, "The app user name or secret is not right, or the login was revoked.")

// Collector is an authenticated app user and the campaign it collects for.
type Collector struct {
	AppUser  AppUser
	Campaign *Campaign
}

// AuthenticateAppUser checks an app user's name and secret for the
// campaign with the given OpenRosa key.
func (s *Store) AuthenticateAppUser(ctx context.Context, key, name, secret string) (*Collector, error) {
	if !validTokenShape(secret) || key == "" {
		return nil, errBadLogin
	}
	var (
		a       AppUser
		hash    string
		revoked sql.NullTime
	)
	q := s.db.Cached(nil) // every ODK Collect request signs in
	err := q.QueryRowContext(ctx, `SELECT u.id, u.campaign_id, u.name, u.secret_hash, u.created_at, u.revoked_at
		FROM campaign_app_users u JOIN campaigns c ON c.id = u.campaign_id WHERE c.campaign_key = $1 AND u.name = $2`, key, name).
		Scan(&a.ID, &a.CampaignID, &a.Name, &hash, &a.CreatedAt, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errBadLogin
	}
	if err != nil {
		return nil, fmt.Errorf("app user: %w", err)
	}
	if revoked.Valid || subtle.ConstantTimeCompare([]byte(hash), []byte(HashToken(secret))) != 1 {
		return nil, errBadLogin
	}
	c, err := s.loadCampaignBare(ctx, q, user.System, a.CampaignID)
	if err != nil {
		return nil, err
	}
	return &Collector{AppUser: a, Campaign: c}, nil
}

func nullUser(a user.Actor) any {
	if a.UserID == 0 {
		return nil
	}
	return a.UserID
}
