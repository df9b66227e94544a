package implementation

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/event"
	"github.com/clusterobservatory/observatory/internal/plan"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/programme"
	"github.com/clusterobservatory/observatory/internal/user"
)

// Store keeps the implementation records of plans. Every method first
// loads the plan through plan.Store, whose SQL applies the plan's scope,
// so a record is read or written only by those who may read or edit its
// plan.
type Store struct {
	db     *db.DB
	plans  *plan.Store
	events *event.Store // the events linked to the plans' projects
}

// NewStore returns a store on d.
func NewStore(d *db.DB) *Store {
	return &Store{db: d, plans: plan.NewStore(d), events: event.NewStore(d)}
}

// Workspace is a plan as its implementation needs it: the plan, its
// baseline's content (nil before the first approval), the contents of
// earlier baselines that records refer to, its call and what the actor
// may do.
type Workspace struct {
	Plan      *plan.Plan
	Baseline  *plan.Content
	Earlier   map[int]*plan.Content
	Call      *programme.Call
	CanEdit   bool // may record spending, progress and reports
	CanDecide bool // may accept reports
}

// Version is the baseline's version number, 0 without one.
func (w *Workspace) Version() int { return w.Plan.Baseline() }

// Open loads plan id for its implementation, if the actor may read it.
func (s *Store) Open(ctx context.Context, actor user.Actor, id int64) (*Workspace, error) {
	p, err := s.plans.FindPlanByID(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	w := &Workspace{Plan: p, Earlier: map[int]*plan.Content{}}
	if p.BaselineVersion != nil {
		if _, w.Baseline, err = s.plans.FindVersion(ctx, actor, id, *p.BaselineVersion); err != nil {
			return nil, err
		}
	}
	if w.Call, err = s.plans.Call(ctx, p); err != nil {
		return nil, err
	}
	w.CanEdit = w.Baseline != nil && s.plans.MayEdit(ctx, actor, id)
	w.CanDecide = w.Baseline != nil && plan.MayDecide(actor, p.ProgrammeID)
	return w, nil
}

// openForWrite loads a plan with a baseline that the actor may edit.
func (s *Store) openForWrite(ctx context.Context, actor user.Actor, id int64) (*Workspace, error) {
	w, err := s.Open(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if w.Baseline == nil {
		return nil, problem.Conflictf("The plan has no approved baseline yet: its implementation is recorded once the programme approves it.")
	}
	if !w.CanEdit {
		return nil, problem.Forbiddenf("Only those who may edit the plan record its implementation.")
	}
	return w, nil
}

// earlier loads the contents of the earlier baselines the versions name.
func (s *Store) earlier(ctx context.Context, actor user.Actor, w *Workspace, versions []int) error {
	for _, v := range versions {
		if _, ok := w.Earlier[v]; ok || v == w.Version() {
			continue
		}
		_, c, err := s.plans.FindVersion(ctx, actor, w.Plan.ID, v)
		if err != nil {
			return err
		}
		w.Earlier[v] = c
	}
	return nil
}

// checkBaseline refuses a write when the plan's baseline changed since w was loaded.
func checkBaseline(ctx context.Context, tx *sql.Tx, w *Workspace) error {
	var v sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT baseline_version FROM plans WHERE id = $1`, w.Plan.ID).Scan(&v); err != nil {
		return err
	}
	if !v.Valid || int(v.Int64) != w.Version() {
		return problem.Conflictf("A new baseline of the plan was approved at the same moment; open the page again.")
	}
	return nil
}

const entrySelect = `SELECT e.id, e.plan_id, e.baseline_version, e.line, e.source, e.spent_on, e.amount, e.description, e.given,
	e.valuation, e.receipt_id, COALESCE(a.name, ''), COALESCE(u.name, ''), e.created_at
	FROM plan_spending e LEFT JOIN plan_attachments a ON a.id = e.receipt_id LEFT JOIN users u ON u.id = e.created_by `

func scanEntry(row interface{ Scan(...any) error }) (*Entry, error) {
	var e Entry
	var receipt sql.NullInt64
	if err := row.Scan(&e.ID, &e.PlanID, &e.BaselineVersion, &e.Line, &e.Source, &e.SpentOn, &e.Amount, &e.Description, &e.Given,
		&e.Valuation, &receipt, &e.ReceiptName, &e.CreatedBy, &e.CreatedAt); err != nil {
		return nil, err
	}
	e.CreatedAt = e.CreatedAt.UTC()
	if receipt.Valid {
		e.ReceiptID = &receipt.Int64
	}
	return &e, nil
}

// EntryFilter pages a plan's entries.
type EntryFilter struct {
	Limit  int // at most 500; 0 means 50
	Offset int
	All    bool // every entry, oldest first, for the execution
}

// FindEntries lists the entries of plan id, latest day first, with the
// total before paging.
func (s *Store) FindEntries(ctx context.Context, actor user.Actor, id int64, f EntryFilter) (*Workspace, []*Entry, int, error) {
	w, err := s.Open(ctx, actor, id)
	if err != nil {
		return nil, nil, 0, err
	}
	out, total, err := s.entries(ctx, id, f)
	return w, out, total, err
}

func (s *Store) entries(ctx context.Context, id int64, f EntryFilter) ([]*Entry, int, error) {
	total, err := s.db.Count(ctx, `SELECT COUNT(*) FROM plan_spending WHERE plan_id = $1`, id)
	if err != nil {
		return nil, 0, fmt.Errorf("count spending: %w", err)
	}
	query, args := entrySelect+`WHERE e.plan_id = $1 ORDER BY e.spent_on, e.id`, []any{id}
	if !f.All {
		if f.Limit <= 0 || f.Limit > 500 {
			f.Limit = 50
		}
		query = entrySelect + `WHERE e.plan_id = $1 ORDER BY e.spent_on DESC, e.id DESC LIMIT $2 OFFSET $3`
		args = append(args, f.Limit, max(f.Offset, 0))
	}
	rows, err := s.db.Read().QueryContext(ctx, query, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find spending: %w", err)
	}
	defer rows.Close()
	out := []*Entry{}
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("find spending: %w", err)
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// progressRecords lists every progress record of plan id.
func (s *Store) progressRecords(ctx context.Context, q db.Querier, id int64) ([]*Progress, error) {
	rows, err := q.QueryContext(ctx, `SELECT p.baseline_version, p.milestone, p.status, p.completed_on, p.note, p.evidence_id,
		COALESCE(a.name, ''), COALESCE(u.name, ''), p.updated_at FROM plan_milestone_progress p
		LEFT JOIN plan_attachments a ON a.id = p.evidence_id LEFT JOIN users u ON u.id = p.updated_by
		WHERE p.plan_id = $1 ORDER BY p.baseline_version, p.milestone`, id)
	if err != nil {
		return nil, fmt.Errorf("milestone progress: %w", err)
	}
	defer rows.Close()
	var out []*Progress
	for rows.Next() {
		var p Progress
		var evidence sql.NullInt64
		if err := rows.Scan(&p.BaselineVersion, &p.Milestone, &p.Status, &p.CompletedOn, &p.Note, &evidence, &p.EvidenceName,
			&p.UpdatedBy, &p.UpdatedAt); err != nil {
			return nil, err
		}
		p.UpdatedAt = p.UpdatedAt.UTC()
		if evidence.Valid {
			p.EvidenceID = &evidence.Int64
		}
		out = append(out, &p)
	}
	return out, rows.Err()
}

// progress resolves the latest progress of each milestone of w's baseline.
func (s *Store) progress(ctx context.Context, actor user.Actor, w *Workspace) (map[int]*Progress, error) {
	records, err := s.progressRecords(ctx, s.db.Read(), w.Plan.ID)
	if err != nil {
		return nil, err
	}
	var versions []int
	for _, r := range records {
		if r.BaselineVersion < w.Version() {
			versions = append(versions, r.BaselineVersion)
		}
	}
	if err := s.earlier(ctx, actor, w, versions); err != nil {
		return nil, err
	}
	return ResolveProgress(w.Version(), w.Baseline, w.Earlier, records), nil
}

// FindMilestones lists the milestones of plan id's baseline with their
// progress and status on the day.
func (s *Store) FindMilestones(ctx context.Context, actor user.Actor, id int64, today time.Time) (*Workspace, []MilestoneState, error) {
	w, err := s.Open(ctx, actor, id)
	if err != nil || w.Baseline == nil {
		return w, []MilestoneState{}, err
	}
	pr, err := s.progress(ctx, actor, w)
	if err != nil {
		return nil, nil, err
	}
	return w, Milestones(w.Baseline, pr, today), nil
}

// Execution computes the budget execution of plan id on the day.
func (s *Store) Execution(ctx context.Context, actor user.Actor, id int64, today time.Time) (*Workspace, *Execution, error) {
	w, err := s.Open(ctx, actor, id)
	if err != nil {
		return nil, nil, err
	}
	if w.Baseline == nil {
		return w, nil, nil
	}
	x, _, err := s.compute(ctx, actor, w, today)
	return w, x, err
}

// compute gathers the facts of w and computes its execution; it returns
// the facts too, for a report's summary.
func (s *Store) compute(ctx context.Context, actor user.Actor, w *Workspace, today time.Time) (*Execution, Facts, error) {
	entries, _, err := s.entries(ctx, w.Plan.ID, EntryFilter{All: true})
	if err != nil {
		return nil, Facts{}, err
	}
	var versions []int
	for _, e := range entries {
		if e.BaselineVersion != w.Version() {
			versions = append(versions, e.BaselineVersion)
		}
	}
	if err := s.earlier(ctx, actor, w, versions); err != nil {
		return nil, Facts{}, err
	}
	pr, err := s.progress(ctx, actor, w)
	if err != nil {
		return nil, Facts{}, err
	}
	f := Facts{Version: w.Version(), Baseline: w.Baseline, Earlier: w.Earlier, Entries: entries, Progress: pr,
		Rule: w.Call.Cofinancing(), Today: today}
	return Compute(f), f, nil
}

const reportSelect = `SELECT r.id, r.plan_id, r.period, r.summary, r.narrative, r.status, COALESCE(su.name, ''), r.submitted_at,
	COALESCE(au.name, ''), r.accepted_at FROM plan_reports r LEFT JOIN users su ON su.id = r.submitted_by
	LEFT JOIN users au ON au.id = r.accepted_by `

func scanReport(row interface{ Scan(...any) error }) (*Report, error) {
	var r Report
	var summary string
	var accepted sql.NullTime
	if err := row.Scan(&r.ID, &r.PlanID, &r.Period, &summary, &r.Narrative, &r.Status, &r.SubmittedBy, &r.SubmittedAt,
		&r.AcceptedBy, &accepted); err != nil {
		return nil, err
	}
	r.SubmittedAt = r.SubmittedAt.UTC()
	if accepted.Valid {
		t := accepted.Time.UTC()
		r.AcceptedAt = &t
	}
	if err := json.Unmarshal([]byte(summary), &r.Summary); err != nil {
		return nil, fmt.Errorf("report %d summary: %w", r.ID, err)
	}
	return &r, nil
}

// FindReports lists the progress reports of plan id, latest period first.
func (s *Store) FindReports(ctx context.Context, actor user.Actor, id int64) (*Workspace, []*Report, error) {
	w, err := s.Open(ctx, actor, id)
	if err != nil {
		return nil, nil, err
	}
	rows, err := s.db.Read().QueryContext(ctx, reportSelect+`WHERE r.plan_id = $1 ORDER BY r.period DESC`, id)
	if err != nil {
		return nil, nil, fmt.Errorf("find reports: %w", err)
	}
	defer rows.Close()
	out := []*Report{}
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, r)
	}
	return w, out, rows.Err()
}

func findReport(ctx context.Context, q db.Querier, planID, id int64) (*Report, error) {
	r, err := scanReport(q.QueryRowContext(ctx, reportSelect+`WHERE r.id = $1 AND r.plan_id = $2`, id, planID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, problem.NotFoundf("Plan #%d has no report #%d.", planID, id)
	}
	return r, err
}

// FindAttachment returns a receipt or piece of evidence of plan planID,
// with its content, if the actor may read the plan.
func (s *Store) FindAttachment(ctx context.Context, actor user.Actor, planID, id int64) (*Attachment, error) {
	if _, err := s.plans.FindPlanByID(ctx, actor, planID); err != nil {
		return nil, err
	}
	var a Attachment
	err := s.db.Read().QueryRowContext(ctx, `SELECT id, plan_id, name, content_type, size, data FROM plan_attachments
		WHERE id = $1 AND plan_id = $2`, id, planID).Scan(&a.ID, &a.PlanID, &a.Name, &a.ContentType, &a.Size, &a.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, problem.NotFoundf("Plan #%d has no attachment #%d.", planID, id)
	}
	if err != nil {
		return nil, fmt.Errorf("attachment %d: %w", id, err)
	}
	return &a, nil
}
