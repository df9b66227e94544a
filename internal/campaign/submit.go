package campaign

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// target is the invitation and campaign a submission is for.
type target struct {
	invitationID, campaignID, organisationID, versionID int64
	orgName, closesOn                                   string
	status                                              Status
	bsoID                                               sql.NullInt64
	invRevoked, expires, tokenRevoked                   sql.NullTime
}

const targetSelect = `SELECT i.id, i.campaign_id, i.organisation_id, o.name, i.revoked_at, i.expires_at, %s,
	c.status, c.version_id, c.closes_on, c.bso_id
	FROM %s JOIN campaigns c ON c.id = i.campaign_id JOIN organisations o ON o.id = i.organisation_id WHERE %s`

// The statements a submission runs, by the way it names its respondent.
var (
	targetByToken = fmt.Sprintf(targetSelect, "t.revoked_at", "campaign_tokens t JOIN campaign_invitations i ON i.id = t.invitation_id",
		"t.token_hash = $1")
	targetByInvitation   = fmt.Sprintf(targetSelect, "NULL", "campaign_invitations i", "i.id = $1")
	targetByOrganisation = fmt.Sprintf(targetSelect, "NULL", "campaign_invitations i", "i.campaign_id = $1 AND i.organisation_id = $2")
)

const (
	latestSubmission = `SELECT instance_id FROM submissions WHERE invitation_id = $1 AND superseded = FALSE
	ORDER BY received_at DESC, id DESC LIMIT 1`
	insertSubmission = `INSERT INTO submissions (campaign_id, invitation_id, organisation_id, version_id, instance_id,
	deprecated_id, original_id, channel, answers, content_hash, raw, raw_type, attachments, submitted_by, actor, received_at,
	state, review_comment, reviewer, reviewed_at)
	VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20) ON CONFLICT (instance_id) DO NOTHING RETURNING id`
	supersedeSubmission = `UPDATE submissions SET superseded = TRUE WHERE id = $1`
)

// submitStatements are prepared once, before the first submission's
// transaction, so that the SQL is not compiled again while the write
// lock is held.
var submitStatements = []string{targetByToken, targetByInvitation, targetByOrganisation, latestSubmission, insertSubmission, supersedeSubmission}

func loadTarget(ctx context.Context, tx db.Querier, in *SubmissionInput) (*target, error) {
	var q string
	var args []any
	switch {
	case in.Token != "":
		if !validTokenShape(in.Token) {
			return nil, problem.NotFoundf("This link is not valid.")
		}
		q, args = targetByToken, []any{HashToken(in.Token)}
	case in.InvitationID != 0:
		q, args = targetByInvitation, []any{in.InvitationID}
	default:
		q, args = targetByOrganisation, []any{in.CampaignID, in.OrganisationID}
	}
	var t target
	err := tx.QueryRowContext(ctx, q, args...).Scan(&t.invitationID, &t.campaignID, &t.organisationID, &t.orgName, &t.invRevoked,
		&t.expires, &t.tokenRevoked, &t.status, &t.versionID, &t.closesOn, &t.bsoID)
	switch {
	case errors.Is(err, sql.ErrNoRows) && in.Token != "":
		return nil, problem.NotFoundf("This link is not valid.")
	case errors.Is(err, sql.ErrNoRows) && in.InvitationID != 0:
		return nil, problem.NotFoundf("No invitation #%d.", in.InvitationID)
	case errors.Is(err, sql.ErrNoRows):
		return nil, problem.Fields{{Field: "organisation_id", Message: fmt.Sprintf("Organisation #%d is not a respondent of campaign #%d.",
			in.OrganisationID, in.CampaignID)}}.Err()
	case err != nil:
		return nil, fmt.Errorf("submission target: %w", err)
	}
	return &t, nil
}

// refuse says why a target does not take this submission, or nil.
func (t *target) refuse(in *SubmissionInput, now time.Time) error {
	// An app user is authenticated by the OpenRosa endpoint for one
	// campaign and answers like a respondent; staff run the campaign.
	staff := in.Token == "" && in.AppUserID == 0
	if staff {
		if err := mayRun(in.Actor); err != nil {
			return err
		}
		if in.Actor.Role == user.BSOStaff && (!t.bsoID.Valid || t.bsoID.Int64 != in.Actor.Scope.IntID()) {
			return problem.NotFoundf("No campaign #%d that you may see.", t.campaignID)
		}
	}
	if in.CampaignID != 0 && in.CampaignID != t.campaignID {
		return problem.Fields{{Field: "campaign_id", Message: "The respondent was invited to another campaign."}}.Err()
	}
	if in.FormVersionID != t.versionID {
		return problem.Fields{{Field: "form_version_id", Message: fmt.Sprintf(
			"These answers were given in form version #%d, but the campaign collects version #%d; load the form again and answer in it.",
			in.FormVersionID, t.versionID)}}.Err()
	}
	closed := t.status == StatusClosed || !now.Before(endOfDay(t.closesOn))
	switch {
	case t.status == StatusDraft:
		return gone("The campaign is not open yet.")
	case closed && !(staff && in.DeprecatedID != ""):
		// Staff may still correct stored answers after closing.
		return gone("The campaign is closed; it takes no more answers.")
	case t.invRevoked.Valid && !staff:
		return gone("This invitation has been withdrawn.")
	case t.tokenRevoked.Valid:
		return gone("This link has been replaced by a newer one; use the latest link you received.")
	case t.expires.Valid && !now.Before(t.expires.Time) && !staff:
		return gone("This invitation has expired.")
	}
	return nil
}

// Submit stores one submission from any channel, in one transaction that
// has committed when it returns. It is idempotent on the instance ID: the
// same instance ID with the same answers returns the stored submission and
// created false; other answers under a stored instance ID are refused
// (conflict) unless the input is an edit, naming the replaced
// submission's instance ID in DeprecatedID under a new instance ID. It
// refuses a campaign that is not open, a form version that is not the
// campaign's, and a revoked, replaced or expired link (errors.Is ErrGone).
func (s *Store) Submit(ctx context.Context, in SubmissionInput) (*Submission, bool, error) {
	answers, hash, err := in.check()
	if err != nil {
		return nil, false, err
	}
	var out *Submission
	var created bool
	s.db.Prepare(ctx, submitStatements...)
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, created, err = s.submitTx(ctx, tx, in, answers, hash)
		return err
	})
	if err != nil {
		return nil, false, err
	}
	return out, created, nil
}

// submitTx stores one checked submission (answers and hash from check)
// inside tx, so that an Excel upload stores all its rows in one
// transaction through the same code as every other channel.
func (s *Store) submitTx(ctx context.Context, tx *sql.Tx, in SubmissionInput, answers []byte, hash string) (out *Submission, created bool, err error) {
	// The statements every submission runs are prepared once.
	q := s.db.Cached(tx)
	err = func() error {
		t, err := loadTarget(ctx, q, &in)
		if err != nil {
			return err
		}
		now := db.Now()
		if err := t.refuse(&in, now); err != nil {
			return err
		}
		if in.ReplaceLatest && in.DeprecatedID == "" {
			// Read in the transaction, so that two sends at once cannot
			// both replace the same answers.
			var last string
			err := q.QueryRowContext(ctx, latestSubmission, t.invitationID).Scan(&last)
			switch {
			case errors.Is(err, sql.ErrNoRows):
			case err != nil:
				return fmt.Errorf("latest submission: %w", err)
			case last != in.InstanceID:
				in.DeprecatedID = last
			}
		}
		var original, replaced any
		var carry []string // files the edit keeps from the one it replaces
		if in.DeprecatedID != "" {
			// A retry of the edit itself must find the stored edit first.
			if prev, err := existing(ctx, tx, in.InstanceID, hash, t.invitationID); prev != nil || err != nil {
				out = prev
				if err == nil {
					err = addSubmissionFiles(ctx, tx, prev, in.Attachments, now)
				}
				return err
			}
			var prevID int64
			var prevOriginal sql.NullInt64
			var superseded bool
			var prevInv int64
			var prevFiles string
			err := tx.QueryRowContext(ctx, `SELECT id, original_id, superseded, invitation_id, attachments FROM submissions WHERE instance_id = $1`,
				in.DeprecatedID).Scan(&prevID, &prevOriginal, &superseded, &prevInv, &prevFiles)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				return problem.Fields{{Field: "deprecated_id", Message: "No stored submission has this instance ID."}}.Err()
			case err != nil:
				return fmt.Errorf("edited submission: %w", err)
			case prevInv != t.invitationID:
				return problem.Fields{{Field: "deprecated_id", Message: "The edited submission belongs to another respondent."}}.Err()
			case superseded:
				return problem.Conflictf("Submission %s has already been replaced by a later edit; edit the latest one.", in.DeprecatedID)
			}
			original, replaced = prevID, prevID
			if prevOriginal.Valid {
				original = prevOriginal.Int64
			}
			if in.Attachments, carry, err = inheritFiles(in.Attachments, prevFiles, answers); err != nil {
				return err
			}
		}
		var uid any
		if in.Actor.UserID != 0 {
			uid = in.Actor.UserID
		}
		atts, _ := json.Marshal(in.Attachments)
		// Answers flagged on receipt are stored with issues, the flags as
		// the review comment.
		state, comment, reviewer, reviewed := StateReceived, "", "", any(nil)
		if len(in.Flags) > 0 {
			state, comment, reviewer, reviewed = StateHasIssues, flagComment(in.Flags), checkOnReceipt, now
		}
		var id int64
		err = q.QueryRowContext(ctx, insertSubmission,
			t.campaignID, t.invitationID, t.organisationID, t.versionID, in.InstanceID, in.DeprecatedID, original, string(in.Channel),
			string(answers), hash, in.Raw, in.RawType, string(atts), uid, in.Actor.Label(), now,
			string(state), comment, reviewer, reviewed).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			prev, err := existing(ctx, tx, in.InstanceID, hash, t.invitationID)
			if prev == nil && err == nil {
				err = fmt.Errorf("submission %s: conflict without a stored row", in.InstanceID)
			}
			if err == nil {
				err = addSubmissionFiles(ctx, tx, prev, in.Attachments, now)
			}
			out = prev
			return err
		}
		if err != nil {
			return fmt.Errorf("insert submission: %w", err)
		}
		if replaced != nil {
			if _, err := q.ExecContext(ctx, supersedeSubmission, replaced); err != nil {
				return fmt.Errorf("supersede submission: %w", err)
			}
		}
		if err := writeSubmissionFiles(ctx, tx, id, in.Attachments, replaced, carry, now); err != nil {
			return err
		}
		created = true
		out = &Submission{ID: id, CampaignID: t.campaignID, InvitationID: t.invitationID, OrganisationID: t.organisationID,
			OrganisationName: t.orgName, VersionID: t.versionID, InstanceID: in.InstanceID, DeprecatedID: in.DeprecatedID,
			Channel: in.Channel, Answers: answers, RawType: in.RawType, Attachments: in.Attachments, State: state,
			ReviewComment: comment, Reviewer: reviewer, Actor: in.Actor.Label(), ReceivedAt: now}
		if o, ok := original.(int64); ok {
			out.OriginalID = &o
		}
		return nil
	}()
	return out, created, err
}

// existing returns the stored submission with an instance ID when its
// answers and respondent are the same (a retry), a conflict when they
// differ, and nil when there is none.
func existing(ctx context.Context, tx *sql.Tx, instanceID, hash string, invitationID int64) (*Submission, error) {
	sub, storedHash, err := loadSubmission(ctx, tx, "s.instance_id = $1", instanceID)
	if problem.Is(err, problem.NotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if storedHash != hash || sub.InvitationID != invitationID {
		return nil, problem.Conflictf("A submission with instance ID %s is already stored with other answers. "+
			"To change it, send an edit: a new instance ID, with deprecated_id %s.", instanceID, instanceID)
	}
	return sub, nil
}

// checkOnReceipt is the reviewer a flagged submission names.
const checkOnReceipt = "Check on receipt"

// flagComment writes the problems found on receipt as a review comment.
func flagComment(flags []string) string {
	return "The form's rules, checked on receipt: " + strings.Join(flags, " ")
}
