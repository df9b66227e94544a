package campaign

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

const submissionSelect = `SELECT s.id, s.campaign_id, s.invitation_id, s.organisation_id, o.name, s.version_id, s.instance_id,
	s.deprecated_id, s.original_id, s.superseded, s.channel, s.answers, s.raw_type, s.attachments, s.state, s.review_comment,
	s.reviewer, s.reviewed_at, s.actor, s.received_at, s.content_hash
	FROM submissions s JOIN organisations o ON o.id = s.organisation_id `

func scanSubmission(row scanner) (*Submission, string, error) {
	var v Submission
	var original sql.NullInt64
	var answers, atts, hash string
	var reviewed sql.NullTime
	err := row.Scan(&v.ID, &v.CampaignID, &v.InvitationID, &v.OrganisationID, &v.OrganisationName, &v.VersionID, &v.InstanceID,
		&v.DeprecatedID, &original, &v.Superseded, &v.Channel, &answers, &v.RawType, &atts, &v.State, &v.ReviewComment,
		&v.Reviewer, &reviewed, &v.Actor, &v.ReceivedAt, &hash)
	if err != nil {
		return nil, "", err
	}
	if original.Valid {
		v.OriginalID = &original.Int64
	}
	v.Answers = json.RawMessage(answers)
	v.Attachments = []Attachment{}
	_ = json.Unmarshal([]byte(atts), &v.Attachments)
	v.ReviewedAt = timePtr(reviewed)
	return &v, hash, nil
}

func loadSubmission(ctx context.Context, q db.Querier, cond string, args ...any) (*Submission, string, error) {
	v, hash, err := scanSubmission(q.QueryRowContext(ctx, submissionSelect+`WHERE `+cond, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", problem.NotFoundf("No such submission.")
	}
	if err != nil {
		return nil, "", fmt.Errorf("submission: %w", err)
	}
	return v, hash, nil
}

// SubmissionFilter narrows a campaign's submissions.
type SubmissionFilter struct {
	State   ReviewState
	Channel Channel
	// Query matches part of the organisation's name.
	Query string
	// History lists the rows replaced by edits too.
	History bool
	Limit   int // 0 means 50, at most 1000
	Offset  int
}

// FindSubmissions lists a campaign's submissions, newest first, with the
// total before paging. Rows replaced by an edit are left out unless the
// filter asks for the history.
func (s *Store) FindSubmissions(ctx context.Context, actor user.Actor, campaignID int64, f SubmissionFilter) ([]*Submission, int, error) {
	if _, err := s.FindCampaign(ctx, actor, campaignID); err != nil {
		return nil, 0, err
	}
	cond := `s.campaign_id = $1`
	args := []any{campaignID}
	if !f.History {
		cond += ` AND s.superseded = FALSE`
	}
	if f.State != "" {
		args = append(args, string(f.State))
		cond += fmt.Sprintf(` AND s.state = $%d`, len(args))
	}
	if f.Channel != "" {
		args = append(args, string(f.Channel))
		cond += fmt.Sprintf(` AND s.channel = $%d`, len(args))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		args = append(args, "%"+strings.ToLower(q)+"%")
		cond += fmt.Sprintf(` AND lower(o.name) LIKE $%d`, len(args))
	}
	var total int
	if err := s.db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM submissions s JOIN organisations o ON o.id = s.organisation_id WHERE `+cond,
		args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count submissions: %w", err)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 1000)
	rows, err := s.db.Read().QueryContext(ctx, submissionSelect+`WHERE `+cond+
		fmt.Sprintf(` ORDER BY s.received_at DESC, s.id DESC LIMIT %d OFFSET %d`, limit, max(f.Offset, 0)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find submissions: %w", err)
	}
	defer rows.Close()
	out := []*Submission{}
	for rows.Next() {
		v, _, err := scanSubmission(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("find submissions: %w", err)
		}
		out = append(out, v)
	}
	return out, total, rows.Err()
}

// FindSubmission returns one submission of a campaign the actor runs.
func (s *Store) FindSubmission(ctx context.Context, actor user.Actor, id int64) (*Submission, error) {
	if err := mayRun(actor); err != nil {
		return nil, err
	}
	return s.submissionFor(ctx, s.db.Read(), actor, id)
}

func (s *Store) submissionFor(ctx context.Context, q db.Querier, actor user.Actor, id int64) (*Submission, error) {
	v, _, err := loadSubmission(ctx, q, "s.id = $1", id)
	if err != nil {
		return nil, problem.NotFoundf("No submission #%d.", id)
	}
	if _, err := s.loadCampaign(ctx, q, actor, v.CampaignID); err != nil {
		if problem.Is(err, problem.NotFound) {
			return nil, problem.NotFoundf("No submission #%d.", id)
		}
		return nil, err
	}
	return v, nil
}

// History lists every version of a submission's edit chain, first to last.
func (s *Store) History(ctx context.Context, actor user.Actor, id int64) ([]*Submission, error) {
	v, err := s.FindSubmission(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	root := v.ID
	if v.OriginalID != nil {
		root = *v.OriginalID
	}
	rows, err := s.db.Read().QueryContext(ctx, submissionSelect+`WHERE s.id = $1 OR s.original_id = $1 ORDER BY s.id`, root)
	if err != nil {
		return nil, fmt.Errorf("submission history: %w", err)
	}
	defer rows.Close()
	out := []*Submission{}
	for rows.Next() {
		h, _, err := scanSubmission(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// Raw returns the payload a submission came in, with its media type.
func (s *Store) Raw(ctx context.Context, actor user.Actor, id int64) ([]byte, string, error) {
	v, err := s.FindSubmission(ctx, actor, id)
	if err != nil {
		return nil, "", err
	}
	var raw []byte
	if err := s.db.Read().QueryRowContext(ctx, `SELECT raw FROM submissions WHERE id = $1`, id).Scan(&raw); err != nil {
		return nil, "", fmt.Errorf("raw submission: %w", err)
	}
	return raw, v.RawType, nil
}

// LatestFor returns the respondent's latest submission in the campaign
// (not one replaced by an edit); not found when they have not answered.
func (s *Store) LatestFor(ctx context.Context, r *Respondent) (*Submission, error) {
	v, _, err := loadSubmission(ctx, s.db.Read(), `s.invitation_id = $1 AND s.superseded = FALSE
		ORDER BY s.received_at DESC, s.id DESC LIMIT 1`, r.InvitationID)
	return v, err
}

// PrefillFor returns the answers a respondent starts from: their latest
// answers in this campaign, else their latest in the campaign it carries
// answers over from (same organisation), else none (an empty map).
func (s *Store) PrefillFor(ctx context.Context, r *Respondent) (map[string]any, error) {
	last, err := s.LatestFor(ctx, r)
	if err == nil {
		return last.AnswerMap(), nil
	}
	if !problem.Is(err, problem.NotFound) {
		return nil, err
	}
	if r.Campaign.PrefillFrom == nil {
		return map[string]any{}, nil
	}
	var answers string
	err = s.db.Read().QueryRowContext(ctx, `SELECT s.answers FROM submissions s
		JOIN campaign_invitations i ON i.id = s.invitation_id
		WHERE i.campaign_id = $1 AND i.organisation_id = $2 AND s.superseded = FALSE
		ORDER BY s.received_at DESC, s.id DESC LIMIT 1`, *r.Campaign.PrefillFrom, r.OrganisationID).Scan(&answers)
	if errors.Is(err, sql.ErrNoRows) {
		return map[string]any{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("prefill: %w", err)
	}
	return decodeAnswers([]byte(answers)), nil
}
