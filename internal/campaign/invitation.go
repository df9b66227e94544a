package campaign

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// The purposes of a link, kept with its hash.
const (
	purposeCopy     = "copy"
	purposeEmail    = "email"
	purposeReminder = "reminder"
)

// ErrGone marks refusals because a link, an invitation or a campaign is no
// longer valid (revoked, replaced, expired, closed): errors.Is(err, ErrGone).
var ErrGone = errors.New("no longer valid")

func gone(format string, args ...any) error {
	return &problem.Error{Kind: problem.Forbidden, Message: fmt.Sprintf(format, args...), Err: ErrGone}
}

// Invitation is one respondent of a campaign, with what the response
// tracking page shows.
type Invitation struct {
	ID               int64      `json:"id"`
	CampaignID       int64      `json:"campaign_id"`
	OrganisationID   int64      `json:"organisation_id"`
	OrganisationName string     `json:"organisation_name"`
	Country          string     `json:"country"`
	Email            string     `json:"email"`
	Phone            string     `json:"phone"`
	ContactName      string     `json:"contact_name"`
	ClusterID        *int64     `json:"cluster_id"`
	ClusterName      string     `json:"cluster_name"`
	Language         string     `json:"language"`
	ExpiresAt        *time.Time `json:"expires_at"`
	EmailedAt        *time.Time `json:"emailed_at"`
	RevokedAt        *time.Time `json:"revoked_at"`
	Submissions      int        `json:"submissions"`
	LastSubmission   *time.Time `json:"last_submission_at"`
	LastReminder     *time.Time `json:"last_reminder_at"`
	CreatedAt        time.Time  `json:"created_at"`
}

// Answered reports whether the respondent has sent answers.
func (i *Invitation) Answered() bool { return i.Submissions > 0 }

// Revoked reports whether the invitation was revoked.
func (i *Invitation) Revoked() bool { return i.RevokedAt != nil }

// languageOf picks the respondent's language: the first of the country's
// languages the platform speaks, else English.
func languageOf(countryLanguages string) string {
	for _, l := range strings.Split(countryLanguages, ";") {
		if l = strings.TrimSpace(l); i18n.Supported(l) {
			return l
		}
	}
	return "en"
}

const invitationSelect = `SELECT i.id, i.campaign_id, i.organisation_id, o.name, o.country_iso3, o.email, o.phone, o.contact_name,
	i.cluster_id, COALESCE(cl.name, ''), COALESCE(co.languages, ''), i.expires_at, i.emailed_at, i.revoked_at, i.created_at,
	(SELECT COUNT(*) FROM submissions s WHERE s.invitation_id = i.id AND s.superseded = FALSE),
	(SELECT MAX(s.received_at) FROM submissions s WHERE s.invitation_id = i.id),
	(SELECT MAX(r.sent_at) FROM campaign_reminders r WHERE r.invitation_id = i.id)
	FROM campaign_invitations i JOIN organisations o ON o.id = i.organisation_id
	LEFT JOIN clusters cl ON cl.id = i.cluster_id LEFT JOIN countries co ON co.iso3 = o.country_iso3 `

func scanInvitation(row scanner) (*Invitation, error) {
	var v Invitation
	var cluster sql.NullInt64
	var langs string
	var expires, emailed, revoked sql.NullTime
	var lastSub, lastRem looseTime
	err := row.Scan(&v.ID, &v.CampaignID, &v.OrganisationID, &v.OrganisationName, &v.Country, &v.Email, &v.Phone, &v.ContactName,
		&cluster, &v.ClusterName, &langs, &expires, &emailed, &revoked, &v.CreatedAt, &v.Submissions, &lastSub, &lastRem)
	if err != nil {
		return nil, err
	}
	if cluster.Valid {
		v.ClusterID = &cluster.Int64
	}
	v.Language = languageOf(langs)
	v.ExpiresAt, v.EmailedAt, v.RevokedAt = timePtr(expires), timePtr(emailed), timePtr(revoked)
	v.LastSubmission, v.LastReminder = timePtr(lastSub.NullTime), timePtr(lastRem.NullTime)
	return &v, nil
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time.UTC()
	return &v
}

// InvitationFilter narrows the respondents of a campaign.
type InvitationFilter struct {
	// Missing keeps the respondents who have not answered.
	Missing bool
}

// FindInvitations lists a campaign's respondents by name.
func (s *Store) FindInvitations(ctx context.Context, actor user.Actor, campaignID int64, f InvitationFilter) ([]*Invitation, error) {
	if _, err := s.FindCampaign(ctx, actor, campaignID); err != nil {
		return nil, err
	}
	cond := `WHERE i.campaign_id = $1`
	if f.Missing {
		cond += ` AND NOT EXISTS (SELECT 1 FROM submissions s WHERE s.invitation_id = i.id)`
	}
	rows, err := s.db.Read().QueryContext(ctx, invitationSelect+cond+` ORDER BY o.name_norm, i.id`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("find invitations: %w", err)
	}
	defer rows.Close()
	out := []*Invitation{}
	for rows.Next() {
		v, err := scanInvitation(rows)
		if err != nil {
			return nil, fmt.Errorf("find invitations: %w", err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func (s *Store) loadInvitation(ctx context.Context, q db.Querier, actor user.Actor, id int64) (*Invitation, *Campaign, error) {
	v, err := scanInvitation(q.QueryRowContext(ctx, invitationSelect+`WHERE i.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, problem.NotFoundf("No invitation #%d.", id)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("invitation %d: %w", id, err)
	}
	c, err := s.loadCampaign(ctx, q, actor, v.CampaignID)
	if problem.Is(err, problem.NotFound) {
		return nil, nil, problem.NotFoundf("No invitation #%d.", id)
	}
	return v, c, err
}

// ClusterRate is the response rate among the respondents who are members
// of one of the campaign's clusters.
type ClusterRate struct {
	ClusterID   int64  `json:"cluster_id"`
	ClusterName string `json:"cluster_name"`
	Respondents int    `json:"respondents"`
	Answered    int    `json:"answered"`
}

// Rate is the share that answered, from 0 to 1.
func (r ClusterRate) Rate() float64 {
	if r.Respondents == 0 {
		return 0
	}
	return float64(r.Answered) / float64(r.Respondents)
}

// ClusterRates lists the response rate per chosen cluster: its
// respondents are those invited through it and the others that were its
// members during the campaign's period (the rule respondents are chosen
// by), also when they have left since; an organisation in two clusters
// counts in both.
func (s *Store) ClusterRates(ctx context.Context, actor user.Actor, campaignID int64) ([]ClusterRate, error) {
	c, err := s.FindCampaign(ctx, actor, campaignID)
	if err != nil {
		return nil, err
	}
	p, err := periodSpan(c.Period)
	if err != nil {
		return nil, fmt.Errorf("campaign %d period: %w", campaignID, err)
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT cc.cluster_id, cl.name, COUNT(i.id),
		COUNT(CASE WHEN EXISTS (SELECT 1 FROM submissions s WHERE s.invitation_id = i.id) THEN i.id END)
		FROM campaign_clusters cc JOIN clusters cl ON cl.id = cc.cluster_id
		LEFT JOIN campaign_invitations i ON i.campaign_id = cc.campaign_id AND (i.cluster_id = cc.cluster_id
			OR EXISTS (SELECT 1 FROM memberships m WHERE m.cluster_id = cc.cluster_id AND m.organisation_id = i.organisation_id
			AND `+memberDuring("m", 2, 3)+`))
		WHERE cc.campaign_id = $1 GROUP BY cc.cluster_id, cl.name ORDER BY cl.name`, campaignID, p.From, p.To)
	if err != nil {
		return nil, fmt.Errorf("cluster rates: %w", err)
	}
	defer rows.Close()
	out := []ClusterRate{}
	for rows.Next() {
		var r ClusterRate
		if err := rows.Scan(&r.ClusterID, &r.ClusterName, &r.Respondents, &r.Answered); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// IssuedLink is a link just made: the only time its token is known.
type IssuedLink struct {
	InvitationID     int64  `json:"invitation_id"`
	OrganisationName string `json:"organisation_name"`
	Phone            string `json:"phone"`
	Language         string `json:"language"`
	Token            string `json:"token"`
	URL              string `json:"url"`
	// Message is a text ready to paste into WhatsApp or an SMS, in the
	// respondent's language.
	Message string `json:"message"`
}

// issue makes a new link for an invitation. exclusive ends the
// invitation's other links (a link made to replace them).
func (s *Store) issue(ctx context.Context, tx *sql.Tx, invitationID int64, purpose string, exclusive bool) (*IssuedLink, error) {
	now := db.Now()
	if exclusive {
		if _, err := tx.ExecContext(ctx, `UPDATE campaign_tokens SET revoked_at = $1 WHERE invitation_id = $2 AND revoked_at IS NULL`,
			now, invitationID); err != nil {
			return nil, fmt.Errorf("end old links: %w", err)
		}
	}
	token, hash := newToken()
	if _, err := tx.ExecContext(ctx, `INSERT INTO campaign_tokens (token_hash, invitation_id, purpose, created_at) VALUES ($1, $2, $3, $4)`,
		hash, invitationID, purpose, now); err != nil {
		return nil, fmt.Errorf("new link: %w", err)
	}
	var name, phone, langs, title, deadline string
	err := tx.QueryRowContext(ctx, `SELECT o.name, o.phone, COALESCE(co.languages, ''), c.title, c.deadline
		FROM campaign_invitations i JOIN organisations o ON o.id = i.organisation_id JOIN campaigns c ON c.id = i.campaign_id
		LEFT JOIN countries co ON co.iso3 = o.country_iso3 WHERE i.id = $1`, invitationID).Scan(&name, &phone, &langs, &title, &deadline)
	if err != nil {
		return nil, fmt.Errorf("invitation %d: %w", invitationID, err)
	}
	l := &IssuedLink{InvitationID: invitationID, OrganisationName: name, Phone: phone, Language: languageOf(langs), Token: token, URL: s.Link(token)}
	l.Message = i18n.For(l.Language).T("campaign.message.copy", "org", name, "title", title, "deadline", deadline, "link", l.URL)
	return l, nil
}

// RegenerateLink makes a new link for an invitation and ends its other
// links; a revoked invitation is restored. The token is in the result only.
func (s *Store) RegenerateLink(ctx context.Context, actor user.Actor, invitationID int64) (*IssuedLink, error) {
	if err := mayRun(actor); err != nil {
		return nil, err
	}
	var l *IssuedLink
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		before, c, err := s.loadInvitation(ctx, tx, actor, invitationID)
		if err != nil {
			return err
		}
		if c.Status == StatusClosed {
			return problem.Conflictf("The campaign is closed; its links no longer work.")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE campaign_invitations SET revoked_at = NULL, expires_at = $1 WHERE id = $2`,
			c.Closes(), invitationID); err != nil {
			return fmt.Errorf("restore invitation: %w", err)
		}
		if l, err = s.issue(ctx, tx, invitationID, purposeCopy, true); err != nil {
			return err
		}
		after, _, err := s.loadInvitation(ctx, tx, actor, invitationID)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, "new_link", RecordInvitation, invitationID, before, after)
	})
	return l, err
}

// RevokeInvitation ends an invitation: every link of it stops working.
func (s *Store) RevokeInvitation(ctx context.Context, actor user.Actor, invitationID int64) (*Invitation, error) {
	if err := mayRun(actor); err != nil {
		return nil, err
	}
	var after *Invitation
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		before, _, err := s.loadInvitation(ctx, tx, actor, invitationID)
		if err != nil {
			return err
		}
		if before.Revoked() {
			after = before
			return nil
		}
		now := db.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE campaign_invitations SET revoked_at = $1 WHERE id = $2`, now, invitationID); err != nil {
			return fmt.Errorf("revoke invitation: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE campaign_tokens SET revoked_at = $1 WHERE invitation_id = $2 AND revoked_at IS NULL`,
			now, invitationID); err != nil {
			return fmt.Errorf("revoke links: %w", err)
		}
		if after, _, err = s.loadInvitation(ctx, tx, actor, invitationID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, "revoke", RecordInvitation, invitationID, before, after)
	})
	return after, err
}

// Respondent is what a link opens: the invitation, its campaign and the
// organisation answering, for the answering page.
type Respondent struct {
	InvitationID     int64
	OrganisationID   int64
	OrganisationName string
	Language         string
	Campaign         *Campaign
}

// Resolve finds the invitation of a link. An unknown token is not found;
// a revoked or replaced link, a revoked or expired invitation and a
// campaign that is not open are ErrGone, each with its own message.
func (s *Store) Resolve(ctx context.Context, token string) (*Respondent, error) {
	if !validTokenShape(token) {
		return nil, problem.NotFoundf("This link is not valid.")
	}
	var r Respondent
	var cid int64
	var tokenRevoked, invRevoked, expires sql.NullTime
	var langs string
	q := s.db.Cached(nil) // every page load and submission resolves its link
	err := q.QueryRowContext(ctx, `SELECT i.id, i.campaign_id, i.organisation_id, o.name, COALESCE(co.languages, ''),
		t.revoked_at, i.revoked_at, i.expires_at FROM campaign_tokens t JOIN campaign_invitations i ON i.id = t.invitation_id
		JOIN organisations o ON o.id = i.organisation_id LEFT JOIN countries co ON co.iso3 = o.country_iso3 WHERE t.token_hash = $1`,
		HashToken(token)).Scan(&r.InvitationID, &cid, &r.OrganisationID, &r.OrganisationName, &langs, &tokenRevoked, &invRevoked, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, problem.NotFoundf("This link is not valid.")
	}
	if err != nil {
		return nil, fmt.Errorf("resolve link: %w", err)
	}
	r.Language = languageOf(langs)
	if r.Campaign, err = s.loadCampaignBare(ctx, q, user.System, cid); err != nil {
		return nil, err
	}
	now := time.Now()
	switch {
	case invRevoked.Valid:
		return &r, gone("This invitation has been withdrawn.")
	case tokenRevoked.Valid:
		return &r, gone("This link has been replaced by a newer one; use the latest link you received.")
	case r.Campaign.Status == StatusDraft:
		return &r, gone("This survey is not open yet.")
	case !r.Campaign.Accepting(now):
		return &r, gone("This survey is closed.")
	case expires.Valid && !now.Before(expires.Time):
		return &r, gone("This invitation has expired.")
	}
	return &r, nil
}
