package programme

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

const reviewSelect = `SELECT r.id, r.application_id, r.call_id, r.reviewer_id, u.name, r.status, r.conflict_note, r.declared_at,
	r.comment, r.assigned_at, r.updated_at, r.submitted_at
	FROM application_reviews r JOIN users u ON u.id = r.reviewer_id `

func scanReview(row scanner) (*Review, error) {
	var r Review
	var declared, submitted sql.NullTime
	err := row.Scan(&r.ID, &r.ApplicationID, &r.CallID, &r.ReviewerID, &r.ReviewerName, &r.Status, &r.ConflictNote, &declared,
		&r.Comment, &r.AssignedAt, &r.UpdatedAt, &submitted)
	if err != nil {
		return nil, err
	}
	r.AssignedAt, r.UpdatedAt = r.AssignedAt.UTC(), r.UpdatedAt.UTC()
	if declared.Valid {
		t := declared.Time.UTC()
		r.DeclaredAt = &t
	}
	if submitted.Valid {
		t := submitted.Time.UTC()
		r.SubmittedAt = &t
	}
	r.Scores = []CriterionScore{}
	return &r, nil
}

// findReviews reads the reviews matching w (whose conditions the caller
// has scoped), with their scores, by application and reviewer name.
func findReviews(ctx context.Context, q db.Querier, w where) ([]*Review, error) {
	rows, err := q.QueryContext(ctx, reviewSelect+w.String()+` ORDER BY r.application_id, u.name, r.id`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("find reviews: %w", err)
	}
	out := []*Review{}
	byID := map[int64]*Review{}
	for rows.Next() {
		r, err := scanReview(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("find reviews: %w", err)
		}
		out = append(out, r)
		byID[r.ID] = r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	// The scores of the reviews just read, by the same scoped condition.
	err = db.Each(ctx, q, `SELECT s.review_id, s.position, s.score, s.comment FROM review_scores s
		WHERE s.review_id IN (SELECT r.id FROM application_reviews r JOIN users u ON u.id = r.reviewer_id `+w.String()+`)
		ORDER BY s.review_id, s.position`, w.args, func(rows *sql.Rows) error {
		var id int64
		var s CriterionScore
		if err := rows.Scan(&id, &s.Criterion, &s.Score, &s.Comment); err != nil {
			return err
		}
		if r := byID[id]; r != nil {
			r.Scores = append(r.Scores, s)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("review scores: %w", err)
	}
	return out, nil
}

// FindReviews lists the reviews of an application the actor may read: all
// of them for the programme's officers; for a reviewer their own, and the
// others' submitted reviews once their own is submitted.
func (s *Store) FindReviews(ctx context.Context, actor user.Actor, applicationID int64) ([]*Review, error) {
	if !actor.SignedIn() {
		return nil, problem.New(problem.Unauthorized, "Sign in to see reviews.")
	}
	var w where
	w.add("r.application_id = $%d", applicationID)
	w.rule(reviewReadFilter, actor, "r")
	out, err := findReviews(ctx, s.db.Read(), w)
	if err != nil {
		return nil, err
	}
	if len(out) > 0 {
		c, err := loadCall(ctx, s.db.Read(), user.System, out[0].CallID)
		if err != nil {
			return nil, err
		}
		for _, r := range out {
			if t, ok := WeightedTotal(c.Criteria, r.Scores); ok && r.Status == ReviewSubmitted {
				r.WeightedTotal = &t
			}
		}
	}
	return out, nil
}

// FindMyReview returns the actor's own review of an application, or
// forbidden when they are not (and never were) assigned to it.
func (s *Store) FindMyReview(ctx context.Context, actor user.Actor, applicationID int64) (*Review, error) {
	return myReview(ctx, s.db.Read(), actor, applicationID)
}

func myReview(ctx context.Context, q db.Querier, actor user.Actor, applicationID int64) (*Review, error) {
	if !actor.SignedIn() {
		return nil, problem.New(problem.Unauthorized, "Sign in to review applications.")
	}
	if !MayReview(actor) {
		return nil, problem.Forbiddenf("Only reviewer accounts review applications.")
	}
	var w where
	w.add("r.application_id = $%d", applicationID)
	w.add("r.reviewer_id = $%d", actor.UserID)
	rs, err := findReviews(ctx, q, w)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, problem.Forbiddenf("You are not assigned to review application #%d; only its assigned reviewers score it.", applicationID)
	}
	return rs[0], nil
}

// Assignment is one of a reviewer's assignments, for their list.
type Assignment struct {
	Review      *Review
	Title       string
	CallID      int64
	CallNumber  string
	CallTitle   string
	ProgrammeID int64
	AppStatus   AppStatus
}

// FindMyAssignments lists the actor's reviews (conflicted ones included),
// the ones still to do first.
func (s *Store) FindMyAssignments(ctx context.Context, actor user.Actor) ([]Assignment, error) {
	if !actor.SignedIn() {
		return nil, problem.New(problem.Unauthorized, "Sign in to see your reviews.")
	}
	out := []Assignment{}
	if actor.UserID == 0 {
		return out, nil
	}
	var w where
	w.add("r.reviewer_id = $%d", actor.UserID)
	rs, err := findReviews(ctx, s.db.Read(), w)
	if err != nil || len(rs) == 0 {
		return out, err
	}
	byApp := map[int64]*Review{}
	ids := make([]any, 0, len(rs))
	for _, r := range rs {
		byApp[r.ApplicationID] = r
		ids = append(ids, r.ApplicationID)
	}
	err = db.Each(ctx, s.db.Read(), `SELECT a.id, a.title, a.status, c.id, c.number, c.title, c.programme_id FROM applications a
		JOIN calls c ON c.id = a.call_id WHERE a.id IN (`+db.Placeholders(1, len(ids))+`)`, ids, func(rows *sql.Rows) error {
		var as Assignment
		var id int64
		if err := rows.Scan(&id, &as.Title, &as.AppStatus, &as.CallID, &as.CallNumber, &as.CallTitle, &as.ProgrammeID); err != nil {
			return err
		}
		as.Review = byApp[id]
		out = append(out, as)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("assignments: %w", err)
	}
	order := map[ReviewStatus]int{ReviewPending: 0, ReviewDraft: 1, ReviewSubmitted: 2, ReviewConflicted: 3}
	slices.SortStableFunc(out, func(a, b Assignment) int {
		if d := order[a.Review.Status] - order[b.Review.Status]; d != 0 {
			return d
		}
		return cmp.Compare(b.Review.ApplicationID, a.Review.ApplicationID)
	})
	return out, nil
}

// ReviewerOption is a reviewer account an officer may assign.
type ReviewerOption struct {
	ID    int64
	Name  string
	Email string
}

// FindReviewerAccounts lists the active reviewer accounts by name.
func (s *Store) FindReviewerAccounts(ctx context.Context) ([]ReviewerOption, error) {
	out := []ReviewerOption{}
	err := db.Each(ctx, s.db.Read(), `SELECT id, name, email FROM users WHERE role = $1 AND disabled_at IS NULL ORDER BY name, id`,
		[]any{string(user.Reviewer)}, func(rows *sql.Rows) error {
			var o ReviewerOption
			if err := rows.Scan(&o.ID, &o.Name, &o.Email); err != nil {
				return err
			}
			out = append(out, o)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("reviewer accounts: %w", err)
	}
	return out, nil
}

// callHasScores reports whether any reviewer has scored an application of
// the call (a draft counts): its criteria are then fixed.
func callHasScores(ctx context.Context, q db.Querier, callID int64) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM review_scores s JOIN application_reviews r ON r.id = s.review_id
		WHERE r.call_id = $1`, callID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("call %d scores: %w", callID, err)
	}
	return n > 0, nil
}

// checkCriteriaUnlocked refuses to change the criteria of a call that has
// review scores; the call's other settings may still change.
func checkCriteriaUnlocked(ctx context.Context, q db.Querier, cur *Call, next []Criterion) error {
	if criteriaEqual(cur.Criteria, next) {
		return nil
	}
	scored, err := callHasScores(ctx, q, cur.ID)
	if err != nil {
		return err
	}
	if scored {
		return problem.Conflictf("Reviewers have scored applications to call %s, so its scoring criteria can no longer change.", cur.Number)
	}
	return nil
}

// criteriaEqual compares criteria as a reader would: a form posts line
// breaks as CRLF where the API may have sent LF.
func criteriaEqual(a, b []Criterion) bool {
	same := func(x, y string) bool {
		return strings.ReplaceAll(x, "\r\n", "\n") == strings.ReplaceAll(y, "\r\n", "\n")
	}
	return slices.EqualFunc(a, b, func(x, y Criterion) bool {
		return same(x.Name, y.Name) && same(x.Description, y.Description) && x.Weight == y.Weight &&
			slices.EqualFunc(x.Levels, y.Levels, func(l, m Level) bool { return l.Score == m.Score && same(l.Descriptor, m.Descriptor) })
	})
}

// findDecisions reads the decisions on applications ids.
func findDecisions(ctx context.Context, q db.Querier, ids []int64) (map[int64]*Decision, error) {
	out := map[int64]*Decision{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	err := db.Each(ctx, q, `SELECT d.application_id, d.decision, d.reason, d.decided_by, COALESCE(u.name, ''), d.decided_at
		FROM application_decisions d LEFT JOIN users u ON u.id = d.decided_by
		WHERE d.application_id IN (`+db.Placeholders(1, len(args))+`)`, args, func(rows *sql.Rows) error {
		var d Decision
		var by sql.NullInt64
		if err := rows.Scan(&d.ApplicationID, &d.Decision, &d.Reason, &by, &d.DecidedByName, &d.DecidedAt); err != nil {
			return err
		}
		if by.Valid {
			d.DecidedBy = &by.Int64
		}
		d.DecidedAt = d.DecidedAt.UTC()
		out[d.ApplicationID] = &d
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("decisions: %w", err)
	}
	return out, nil
}

// FindDecision returns the decision on an application the actor may read
// (as its applicant, officer or reviewer); not found when there is none.
func (s *Store) FindDecision(ctx context.Context, actor user.Actor, applicationID int64) (*Decision, error) {
	if _, err := s.readableApplication(ctx, actor, applicationID); err != nil {
		return nil, err
	}
	ds, err := findDecisions(ctx, s.db.Read(), []int64{applicationID})
	if err != nil {
		return nil, err
	}
	if d := ds[applicationID]; d != nil {
		return d, nil
	}
	return nil, problem.NotFoundf("The panel has not decided on application #%d yet.", applicationID)
}

// readableApplication loads an application for its applicant or officer,
// or for a reviewer assigned to it.
func (s *Store) readableApplication(ctx context.Context, actor user.Actor, id int64) (*Application, error) {
	rule := appReadFilter
	if MayReview(actor) {
		rule = reviewerAppFilter
	}
	return loadApplication(ctx, s.db.Read(), actor, id, rule)
}

// Ranking is a call's applications scored and ranked for its officers.
type Ranking struct {
	Call      *Call
	Rows      []*RankRow
	Countries []string // the lead organisations' countries, for the filter
}

// RankingFilter narrows the rows of a ranking; ranks stay the call's.
type RankingFilter struct {
	Country     string // ISO3 of the lead organisation, "" for any
	Eligibility string // "eligible", "ineligible" or "" for any
}

// FindRanking scores and ranks the applications submitted to a call for
// the officers of its programme.
func (s *Store) FindRanking(ctx context.Context, actor user.Actor, callID int64, f RankingFilter) (*Ranking, error) {
	if !actor.SignedIn() {
		return nil, problem.New(problem.Unauthorized, "Sign in to see the ranking.")
	}
	q := s.db.Read()
	c, err := loadCall(ctx, q, actor, callID)
	if err != nil {
		return nil, err
	}
	if !MayEdit(actor, c.ProgrammeID) {
		return nil, problem.Forbiddenf("Only the officers of the call's programme see its panel review.")
	}
	var w where
	w.add("a.call_id = $%d", callID)
	w.add("a.status <> $%d", string(AppDraft))
	w.rule(appReadFilter, actor, "a")
	apps := []*Application{}
	err = db.Each(ctx, q, applicationSelect+w.String()+` ORDER BY a.id`, w.args, func(rows *sql.Rows) error {
		a, err := scanApplication(rows)
		if err == nil {
			apps = append(apps, a)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("ranking applications: %w", err)
	}
	var rw where
	rw.add("r.call_id = $%d", callID)
	rw.rule(reviewReadFilter, actor, "r")
	reviews, err := findReviews(ctx, q, rw)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(apps))
	for i, a := range apps {
		ids[i] = a.ID
	}
	decisions, err := findDecisions(ctx, q, ids)
	if err != nil {
		return nil, err
	}
	rk := &Ranking{Call: c, Countries: []string{}}
	for _, row := range BuildRanking(c, apps, reviews, decisions) {
		if !slices.Contains(rk.Countries, row.Country) {
			rk.Countries = append(rk.Countries, row.Country)
		}
		if f.Country != "" && row.Country != f.Country {
			continue
		}
		if f.Eligibility != "" && (row.Eligible == nil || *row.Eligible != (f.Eligibility == "eligible")) {
			continue
		}
		rk.Rows = append(rk.Rows, row)
	}
	slices.Sort(rk.Countries)
	return rk, nil
}

// officerApplication loads an application that the actor oversees as an
// officer of its call's programme.
func officerApplication(ctx context.Context, q db.Querier, actor user.Actor, id int64, what string) (*Application, error) {
	a, err := loadApplication(ctx, q, actor, id, appReadFilter)
	if err != nil {
		return nil, err
	}
	if !MayEdit(actor, a.ProgrammeID) {
		return nil, problem.Forbiddenf("Only the officers of the call's programme %s.", what)
	}
	return a, nil
}
