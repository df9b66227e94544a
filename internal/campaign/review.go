package campaign

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/form"
	"github.com/clusterobservatory/observatory/internal/indicator"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// Decision is what a reviewer decides about a submission.
type Decision string

// The decisions.
const (
	DecideApprove Decision = "approve"
	DecideIssues  Decision = "issues"
	DecideReject  Decision = "reject"
)

// State is the review state a decision leads to; ok is false for an unknown one.
func (d Decision) State() (ReviewState, bool) {
	switch d {
	case DecideApprove:
		return StateApproved, true
	case DecideIssues:
		return StateHasIssues, true
	case DecideReject:
		return StateRejected, true
	}
	return "", false
}

// Reviewed is the result of a review: the submission, and for an approval
// what became of its mapped answers as indicator values.
type Reviewed struct {
	Submission *Submission           `json:"submission"`
	Values     *indicator.SaveResult `json:"values,omitempty"`
}

// ReviewSubmission records a decision on the latest version of a
// submission. Approving turns each answer mapped to an indicator into an
// indicator value (subject: the respondent organisation; period: the
// campaign's; category: the mapping's; source: survey) through the
// indicator store, which checks them all or stores none. The values are
// stored first, then the approval: if the values are refused, the
// submission stays as it was and the problems name the form's fields; if
// recording the approval then fails, approving again is safe, since values
// equal to the stored ones add no new version. An approval is final.
func (s *Store) ReviewSubmission(ctx context.Context, actor user.Actor, id int64, d Decision, comment string) (*Reviewed, error) {
	if err := mayRun(actor); err != nil {
		return nil, err
	}
	comment = strings.TrimSpace(comment)
	var f problem.Fields
	state, ok := d.State()
	if !ok {
		f.Add("decision", "Use decision approve, issues or reject.")
	}
	if (d == DecideIssues || d == DecideReject) && comment == "" {
		f.Add("comment", "Say what is wrong, so that the answers can be corrected.")
	}
	if n := utf8.RuneCountInString(comment); n > maxComment {
		f.Add("comment", "Use at most %d characters (this has %d).", maxComment, n)
	}
	sub, err := s.FindSubmission(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if err := reviewable(sub); err != nil {
		return nil, err
	}
	out := &Reviewed{}
	if d == DecideApprove {
		c, err := s.FindCampaign(ctx, actor, sub.CampaignID)
		if err != nil {
			return nil, err
		}
		mappings, err := s.forms.FindMappings(ctx, actor, sub.VersionID)
		if err != nil {
			return nil, err
		}
		ins, fields := valueInputs(c, sub, mappings)
		if len(ins) > 0 {
			res, err := s.indicators.SaveValues(ctx, actor, ins)
			if err != nil {
				return nil, valuesProblem(err, fields)
			}
			out.Values = res
		}
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		before, err := s.submissionFor(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if err := reviewable(before); err != nil {
			return err
		}
		var uid any
		if actor.UserID != 0 {
			uid = actor.UserID
		}
		if _, err := tx.ExecContext(ctx, `UPDATE submissions SET state = $1, review_comment = $2, reviewer = $3, reviewed_by = $4,
			reviewed_at = $5 WHERE id = $6`, string(state), comment, actor.Label(), uid, db.Now(), id); err != nil {
			return fmt.Errorf("review submission: %w", err)
		}
		if out.Submission, err = s.submissionFor(ctx, tx, actor, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, "review", RecordSubmission, id, reviewSummary(before), reviewSummary(out.Submission))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func reviewable(s *Submission) error {
	switch {
	case s.Superseded:
		return problem.Conflictf("This submission has been replaced by an edit; review the latest version.")
	case s.State == StateApproved:
		return problem.Conflictf("This submission is approved; an approval is final.")
	}
	return nil
}

// reviewSummary is what the audit log keeps of a review: the answers are
// in the submission itself.
func reviewSummary(s *Submission) map[string]any {
	return map[string]any{"state": s.State, "review_comment": s.ReviewComment, "reviewer": s.Reviewer}
}

// valueInputs turns a submission's mapped answers into indicator values,
// with the form field of each.
func valueInputs(c *Campaign, sub *Submission, mappings []form.Mapping) ([]indicator.ValueInput, []string) {
	answers := sub.AnswerMap()
	var ins []indicator.ValueInput
	var fields []string
	for _, m := range mappings {
		v, ok := number(answers[m.Field])
		if !ok {
			continue
		}
		ins = append(ins, indicator.ValueInput{IndicatorID: m.IndicatorID, Subject: fmt.Sprintf("organisation:%d", sub.OrganisationID),
			Period: c.Period, Category: m.Category.String(), Value: &v, Source: indicator.SourceSurvey,
			Note: fmt.Sprintf("Campaign %q, submission #%d", c.Title, sub.ID)})
		fields = append(fields, m.Field)
	}
	return ins, fields
}

// number reads an answer as a number: a JSON number or a numeric text.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case float64:
		return x, true
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		return f, err == nil
	}
	return 0, false
}

// valuesProblem renames the problems of refused values after the form's
// fields ("values[2].value" becomes "employees_total").
func valuesProblem(err error, fields []string) error {
	p := problem.As(err)
	if p == nil || p.Kind == problem.Internal {
		return err
	}
	out := &problem.Error{Kind: p.Kind, Err: err,
		Message: "The mapped answers could not become indicator values, so the submission was not approved: " + p.Message}
	for _, d := range p.Details {
		var n int
		if _, e := fmt.Sscanf(d.Field, "values[%d].", &n); e == nil && n >= 0 && n < len(fields) {
			d.Field = fields[n]
		}
		out.Details = append(out.Details, d)
	}
	return out
}
