package programme

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// The panel review of a call's submitted applications:
//
//   - the officers of the call's programme (and administrators) assign
//     reviewer accounts to submitted applications;
//   - before scoring, each assigned reviewer declares whether they have a
//     conflict of interest; one who has is unassigned (the declaration is
//     kept, flagged) and may neither score the application nor be assigned
//     to it again;
//   - the reviewer scores every criterion of the call on its rubric, with
//     a comment per criterion and an overall one, saves drafts and submits;
//     until then they see no other reviewer's scores (reviewReadFilter);
//   - the officers read the ranking (review_rank.go) and record the panel's
//     decision, which sets the application's status and is emailed to the
//     applicant.

// DefaultDisagreementMargin is the disagreement margin of a call that sets
// none: reviewers' weighted totals further apart than 20 points of 100.
const DefaultDisagreementMargin = 20.0

// ReviewRecordType names reviewer assignments and reviews in the audit log.
const ReviewRecordType = "application_review"

// ReviewStatus is where one reviewer's review of an application stands.
type ReviewStatus string

// The statuses of a review.
const (
	ReviewPending    ReviewStatus = "pending"    // assigned, conflict of interest not declared yet
	ReviewConflicted ReviewStatus = "conflicted" // declared a conflict: unassigned, kept on record
	ReviewDraft      ReviewStatus = "draft"      // declared free of conflict, scoring
	ReviewSubmitted  ReviewStatus = "submitted"  // scores final
)

// Key is the message key of the status's label.
func (s ReviewStatus) Key() string { return "programmereview.status." + string(s) }

// Assigned reports whether the reviewer is (still) assigned.
func (s ReviewStatus) Assigned() bool { return s != ReviewConflicted }

// CriterionScore is a reviewer's score of one criterion, named by its
// position in the call's list of criteria.
type CriterionScore struct {
	Criterion int    `json:"criterion"`
	Score     int    `json:"score"`
	Comment   string `json:"comment"`
}

// Review is one reviewer's assignment to an application with their
// declaration and scores. WeightedTotal is set for complete score sheets.
type Review struct {
	ID            int64            `json:"id"`
	ApplicationID int64            `json:"application_id"`
	CallID        int64            `json:"call_id"`
	ReviewerID    int64            `json:"reviewer_id"`
	ReviewerName  string           `json:"reviewer_name"`
	Status        ReviewStatus     `json:"status"`
	ConflictNote  string           `json:"conflict_note"`
	DeclaredAt    *time.Time       `json:"declared_at"`
	Comment       string           `json:"comment"`
	Scores        []CriterionScore `json:"scores"`
	WeightedTotal *float64         `json:"weighted_total"`
	AssignedAt    time.Time        `json:"assigned_at"`
	UpdatedAt     time.Time        `json:"updated_at"`
	SubmittedAt   *time.Time       `json:"submitted_at"`
}

// Score returns the score of criterion i, if the review has one.
func (r *Review) Score(i int) (CriterionScore, bool) {
	for _, s := range r.Scores {
		if s.Criterion == i {
			return s, true
		}
	}
	return CriterionScore{}, false
}

// ConflictInput is a reviewer's declaration of conflict of interest.
type ConflictInput struct {
	Conflict bool   `json:"conflict"`
	Note     string `json:"note"`
}

// Check requires a note with a declared conflict.
func (in *ConflictInput) Check() problem.Fields {
	var f problem.Fields
	in.Note = strings.TrimSpace(in.Note)
	switch n := len([]rune(in.Note)); {
	case in.Conflict && n == 0:
		f.Add("note", "Say what the conflict of interest is.")
	case n > 2000:
		f.Add("note", "The note has at most 2,000 characters; it has %d.", n)
	}
	return f
}

// ReviewInput is a reviewer's score sheet as given: a draft keeps what is
// there, a submission must score every criterion.
type ReviewInput struct {
	Scores  []CriterionScore `json:"scores"`
	Comment string           `json:"comment"`
	Submit  bool             `json:"submit"`
}

// scoreField names the problem field of criterion i's score.
func scoreField(i int) string { return fmt.Sprintf("scores[%d]", i) }

// Check validates the sheet against the call's criteria: each score is one
// of its criterion's rubric levels, comments are of a sane length, and a
// submission scores every criterion. Scores come back in criterion order.
func (in *ReviewInput) Check(criteria []Criterion) problem.Fields {
	var f problem.Fields
	in.Comment = strings.TrimSpace(in.Comment)
	if n := len([]rune(in.Comment)); n > 10000 {
		f.Add("comment", "The overall comment has at most 10,000 characters; it has %d.", n)
	}
	seen := map[int]bool{}
	var kept []CriterionScore
	for _, s := range in.Scores {
		if s.Criterion < 0 || s.Criterion >= len(criteria) {
			f.Add("scores", "The call has no criterion %d; its criteria are numbered 0 to %d.", s.Criterion, len(criteria)-1)
			continue
		}
		c := criteria[s.Criterion]
		field := scoreField(s.Criterion)
		if seen[s.Criterion] {
			f.Add(field, "%q is scored twice.", c.Name)
			continue
		}
		seen[s.Criterion] = true
		s.Comment = strings.TrimSpace(s.Comment)
		if n := len([]rune(s.Comment)); n > 5000 {
			f.Add(field+".comment", "The comment on %q has at most 5,000 characters; it has %d.", c.Name, n)
		}
		if !slices.ContainsFunc(c.Levels, func(l Level) bool { return l.Score == s.Score }) {
			f.Add(field, "%d is not a level of the rubric of %q; choose one of %s.", s.Score, c.Name, levelList(c.Levels))
			continue
		}
		kept = append(kept, s)
	}
	if in.Submit {
		for i, c := range criteria {
			if !seen[i] {
				f.Add(scoreField(i), "Score %q before submitting.", c.Name)
			}
		}
	}
	slices.SortFunc(kept, func(a, b CriterionScore) int { return a.Criterion - b.Criterion })
	in.Scores = kept
	return f
}

func levelList(ls []Level) string {
	parts := make([]string, len(ls))
	for i, l := range ls {
		parts[i] = itoa(l.Score)
	}
	return strings.Join(parts, ", ")
}

// Decision is the panel's decision on an application.
type Decision struct {
	ApplicationID int64     `json:"application_id"`
	Decision      AppStatus `json:"decision"`
	Reason        string    `json:"reason"`
	DecidedBy     *int64    `json:"decided_by"`
	DecidedByName string    `json:"decided_by_name"`
	DecidedAt     time.Time `json:"decided_at"`
}

// DecisionInput is a decision as given.
type DecisionInput struct {
	Decision AppStatus `json:"decision"`
	Reason   string    `json:"reason"`
}

// Check requires shortlisted or rejected, and a reason for a rejection.
func (in *DecisionInput) Check() problem.Fields {
	var f problem.Fields
	in.Reason = strings.TrimSpace(in.Reason)
	if in.Decision != AppShortlisted && in.Decision != AppRejected {
		f.Add("decision", "Choose shortlisted or rejected.")
	}
	switch n := len([]rune(in.Reason)); {
	case in.Decision == AppRejected && n == 0:
		f.Add("reason", "Give the reason for the rejection; the applicant receives it.")
	case n > 5000:
		f.Add("reason", "The reason has at most 5,000 characters; it has %d.", n)
	}
	return f
}

// MayReview reports whether the actor's role scores applications.
func MayReview(a user.Actor) bool { return a.Role == user.Reviewer && a.UserID != 0 }

// reviewReadFilter limits reviews (alias r) to those the actor may read:
// the officers of the call's programme and administrators read them all; a
// reviewer reads their own, and the other submitted reviews of an
// application once their own review of it is submitted.
func reviewReadFilter(a user.Actor, alias string, next int) (string, []any) {
	switch a.Role {
	case user.Admin:
		return "1=1", nil
	case user.ProgrammeOfficer:
		cond, args := writeFilter(a, "c_r.programme_id", next)
		return fmt.Sprintf("EXISTS (SELECT 1 FROM calls c_r WHERE c_r.id = %s.call_id AND %s)", alias, cond), args
	case user.Reviewer:
		return fmt.Sprintf(`(%[1]s.reviewer_id = $%[2]d OR (%[1]s.status = 'submitted' AND EXISTS (SELECT 1 FROM application_reviews m_r
			WHERE m_r.application_id = %[1]s.application_id AND m_r.reviewer_id = $%[2]d AND m_r.status = 'submitted')))`, alias, next),
			[]any{a.UserID}
	}
	return "1=0", nil
}

// reviewerAppFilter limits applications (alias a) to those the actor is
// assigned to review (a declared conflict ends the assignment).
func reviewerAppFilter(a user.Actor, alias string, next int) (string, []any) {
	if !MayReview(a) {
		return "1=0", nil
	}
	return fmt.Sprintf(`EXISTS (SELECT 1 FROM application_reviews ra_s WHERE ra_s.application_id = %s.id AND ra_s.reviewer_id = $%d
		AND ra_s.status <> 'conflicted')`, alias, next), []any{a.UserID}
}
