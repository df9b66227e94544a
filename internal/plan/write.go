package plan

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/programme"
	"github.com/clusterobservatory/observatory/internal/user"
)

// summary is what the audit log keeps of a plan's state.
type summary struct {
	Status          Status `json:"status"`
	Version         int    `json:"version"`
	BaselineVersion *int   `json:"baseline_version,omitempty"`
	Comment         string `json:"comment,omitempty"`
}

func summaryOf(p *Plan) summary {
	return summary{Status: p.Status, Version: p.Version, BaselineVersion: p.BaselineVersion}
}

// OpenPlan returns the plan of a shortlisted application, starting it
// (version 1, empty, facilitated by the actor) when there is none yet.
// created reports whether it was started now.
func (s *Store) OpenPlan(ctx context.Context, actor user.Actor, applicationID int64) (p *Plan, created bool, err error) {
	a, err := s.programmes.FindApplicationByID(ctx, actor, applicationID)
	if err != nil {
		return nil, false, err
	}
	if existing, err := s.FindPlanForApplication(ctx, actor, a.ID); err == nil || !problem.Is(err, problem.NotFound) {
		return existing, false, err
	}
	if a.Status != programme.AppShortlisted {
		return nil, false, problem.Conflictf("“%s” is not shortlisted: a plan is written only for a shortlisted application.", a.Title)
	}
	var lead int64
	if a.ClusterID != nil {
		_ = s.db.Read().QueryRowContext(ctx, `SELECT lead_bso_id FROM clusters WHERE id = $1`, *a.ClusterID).Scan(&lead)
	}
	if !mayOpen(actor, a.ProgrammeID, a.BSOID, a.ClusterID, lead) {
		return nil, false, problem.Forbiddenf("Only the applicant's BSO staff or cluster manager, or the programme's officers, start a plan.")
	}
	var id int64
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		now, by := db.Now(), actorID(actor)
		err := tx.QueryRowContext(ctx, `INSERT INTO plans (application_id, call_id, programme_id, bso_id, cluster_id, facilitator_id, title,
			status, version, created_by, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,1,$6,$9,$9) RETURNING id`,
			a.ID, a.CallID, a.ProgrammeID, a.BSOID, a.ClusterID, by, a.Title, string(StatusDraft), now).Scan(&id)
		if err != nil {
			return err
		}
		empty := &Content{}
		empty.normalize()
		if err := insertVersion(ctx, tx, id, 1, empty, by); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, "create", RecordType, id, nil, summary{Status: StatusDraft, Version: 1})
	})
	if db.IsUniqueViolation(err) {
		// Someone opened it at the same moment: theirs is the plan.
		p, err := s.FindPlanForApplication(ctx, actor, a.ID)
		return p, false, err
	}
	if err != nil {
		return nil, false, fmt.Errorf("open plan: %w", err)
	}
	p, err = s.FindPlanByID(ctx, actor, id)
	return p, true, err
}

func insertVersion(ctx context.Context, tx *sql.Tx, planID int64, version int, c *Content, by any) error {
	raw, err := json.Marshal(c)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO plan_versions (plan_id, version, content, saved_by, saved_at) VALUES ($1,$2,$3,$4,$5)`,
		planID, version, string(raw), by, db.Now())
	return err
}

// SaveInput is what saving a plan takes: the version the change was based
// on, the facilitator (nil keeps the current one) and the whole content.
type SaveInput struct {
	BaseVersion   int      `json:"base_version"`
	FacilitatorID *int64   `json:"facilitator_id"`
	Content       *Content `json:"content"`
}

// StaleError refuses a save based on a version that is no longer the
// latest: Changes are what was saved since Base.
type StaleError struct {
	Base, Current int
	Changes       []Change
}

func (e *StaleError) Error() string {
	return fmt.Sprintf("conflict: the plan was saved as version %d after version %d, which this change was based on", e.Current, e.Base)
}

// stale builds the refusal of a save based on version base.
func stale(ctx context.Context, q db.Querier, p *Plan, base int) error {
	latest, err := loadContent(ctx, q, p.ID, p.Version)
	if err != nil {
		return err
	}
	old, err := loadContent(ctx, q, p.ID, base)
	if err != nil {
		old = &Content{}
		old.normalize()
	}
	return &StaleError{Base: base, Current: p.Version, Changes: Diff(old, latest, p.Currency)}
}

// SavePlan stores the content as a new version of plan id. It is refused
// with a *StaleError when in.BaseVersion is not the latest, and while the
// plan is submitted. Saving an approved plan starts a draft revision; the
// approved version stays the baseline until another is approved.
func (s *Store) SavePlan(ctx context.Context, actor user.Actor, id int64, in SaveInput) (*Plan, error) {
	var f problem.Fields
	if in.Content == nil {
		f.Add("content", "Send the plan's whole content.")
		in.Content = &Content{}
	}
	c := in.Content
	c.Check(&f)
	if in.BaseVersion <= 0 {
		f.Add("base_version", "Give the version this change is based on (base_version).")
	}
	known, err := s.lookupIndicators(ctx, actor, c)
	if err != nil {
		return nil, err
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		p, err := loadPlan(ctx, tx, actor, id, writeFilter)
		if err != nil {
			return err
		}
		if !p.Status.Editable() {
			return problem.Conflictf("The plan is submitted for approval: it cannot change until the programme approves or returns it.")
		}
		// A stale base is said first: whatever else is wrong, the person
		// must see what changed since.
		if in.BaseVersion > 0 && in.BaseVersion != p.Version {
			return stale(ctx, tx, p, in.BaseVersion)
		}
		if err := s.nameOrganisations(ctx, tx, c, &f); err != nil {
			return err
		}
		prev, err := loadContent(ctx, tx, id, p.Version)
		if err != nil {
			return err
		}
		nameIndicators(c, prev, known, &f)
		facilitator := p.FacilitatorID
		if in.FacilitatorID != nil && *in.FacilitatorID != 0 && (p.FacilitatorID == nil || *in.FacilitatorID != *p.FacilitatorID) {
			ok, err := facilitators(ctx, tx, p, *in.FacilitatorID)
			if err != nil {
				return err
			}
			if len(ok) == 0 {
				f.Add("facilitator_id", "User #%d cannot facilitate this plan: choose staff of the BSO, a manager of the cluster or a programme officer.", *in.FacilitatorID)
			}
			facilitator = in.FacilitatorID
		}
		if err := f.Err(); err != nil {
			return err
		}
		next := p.Version + 1
		res, err := tx.ExecContext(ctx, `UPDATE plans SET version = $1, status = $2, facilitator_id = $3, updated_at = $4
			WHERE id = $5 AND version = $6`, next, string(StatusDraft), facilitator, db.Now(), id, p.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return problem.Conflictf("The plan was saved by someone else at the same moment; open it again.")
		}
		if err := insertVersion(ctx, tx, id, next, c, actorID(actor)); err != nil {
			return err
		}
		after := summaryOf(p)
		after.Status, after.Version = StatusDraft, next
		return audit.Record(ctx, tx, actor, "save", RecordType, id, summaryOf(p), after)
	})
	if err != nil {
		return nil, err
	}
	return s.FindPlanByID(ctx, actor, id)
}

// nameOrganisations checks that the projects' organisations are in the
// registry and writes their names into the content.
func (s *Store) nameOrganisations(ctx context.Context, q db.Querier, c *Content, f *problem.Fields) error {
	var ids []any
	for _, p := range c.Projects {
		if p.LeadOrgID > 0 {
			ids = append(ids, p.LeadOrgID)
		}
		for _, id := range p.PartnerIDs {
			if id > 0 {
				ids = append(ids, id)
			}
		}
	}
	type org struct {
		name     string
		archived bool
	}
	found := map[int64]org{}
	if len(ids) > 0 {
		rows, err := q.QueryContext(ctx, `SELECT id, name, archived_at IS NOT NULL FROM organisations WHERE id IN (`+
			db.Placeholders(1, len(ids))+`)`, ids...)
		if err != nil {
			return fmt.Errorf("plan organisations: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var o org
			if err := rows.Scan(&id, &o.name, &o.archived); err != nil {
				return err
			}
			found[id] = o
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	for i := range c.Projects {
		p := &c.Projects[i]
		field := fmt.Sprintf("projects[%d].", i)
		if p.LeadOrgID > 0 {
			o, ok := found[p.LeadOrgID]
			switch {
			case !ok:
				f.Add(field+"lead_org_id", "Project %d: there is no organisation #%d in the registry.", i+1, p.LeadOrgID)
			case o.archived:
				f.Add(field+"lead_org_id", "Project %d: %s (#%d) is archived.", i+1, o.name, p.LeadOrgID)
			}
			p.LeadOrgName = o.name
		}
		p.PartnerNames = make([]string, len(p.PartnerIDs))
		var missing []string
		for j, id := range p.PartnerIDs {
			o, ok := found[id]
			if !ok && id > 0 {
				missing = append(missing, fmt.Sprintf("#%d", id))
			}
			p.PartnerNames[j] = o.name
		}
		if len(missing) > 0 {
			f.Add(field+"partner_ids", "Project %d: no organisation %s in the registry.", i+1, strings.Join(missing, ", "))
		}
	}
	return nil
}

// workflowPlan loads a plan the actor may edit (or read), for a step of its workflow.
func (s *Store) workflowPlan(ctx context.Context, tx *sql.Tx, actor user.Actor, id int64, edit bool) (*Plan, error) {
	rule := readFilter
	if edit {
		rule = writeFilter
	}
	return loadPlan(ctx, tx, actor, id, rule)
}

// setStatus moves a plan from its status to another, setting the columns
// of the step (set may use $2 for now, $5 for the version and $6… for
// args), and records the step in the audit log.
func setStatus(ctx context.Context, tx *sql.Tx, actor user.Actor, p *Plan, action string, to Status, set string, args []any, comment string) error {
	now := db.Now()
	all := append([]any{string(to), now, p.ID, string(p.Status), p.Version}, args...)
	res, err := tx.ExecContext(ctx, `UPDATE plans SET status = $1, updated_at = $2`+set+` WHERE id = $3 AND status = $4 AND version = $5`, all...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return problem.Conflictf("The plan changed at the same moment; open it again.")
	}
	after := summaryOf(p)
	after.Status, after.Comment = to, comment
	if to == StatusApproved {
		v := p.Version
		after.BaselineVersion = &v
	}
	return audit.Record(ctx, tx, actor, action, RecordType, p.ID, summaryOf(p), after)
}

// Submit sends a draft or returned plan for approval. It is refused, with
// every reason, when the plan is incomplete or breaks a co-financing rule
// of its call; reasons are written in loc's language.
func (s *Store) Submit(ctx context.Context, actor user.Actor, id int64, loc *i18n.Localizer) (*Plan, error) {
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		p, err := s.workflowPlan(ctx, tx, actor, id, true)
		if err != nil {
			return err
		}
		switch {
		case p.Status == StatusSubmitted:
			return problem.Conflictf("The plan is already submitted for approval.")
		case p.Status == StatusApproved:
			return problem.Conflictf("This version of the plan is already approved; change the plan to submit a revision.")
		}
		call, err := s.Call(ctx, p)
		if err != nil {
			return err
		}
		var f problem.Fields
		p.Content.Complete(&f)
		checks := Evaluate(p.Content.Budget, TermsOf(call))
		for _, line := range CheckLines(loc, checks, p.Currency) {
			if !line.Pass {
				f.Add("checks."+string(line.Kind), "%s: %s", line.Name, line.Figures)
			}
		}
		if len(f) > 0 {
			return &problem.Error{Kind: problem.Conflict, Message: loc.T("plan.submit_refused"), Details: f}
		}
		return setStatus(ctx, tx, actor, p, "submit", StatusSubmitted, `, submitted_at = $2, submitted_by = $6`, []any{actorID(actor)}, "")
	})
	if err != nil {
		return nil, err
	}
	return s.FindPlanByID(ctx, actor, id)
}

// Approve makes the submitted version of a plan its implementation baseline.
func (s *Store) Approve(ctx context.Context, actor user.Actor, id int64) (*Plan, error) {
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		p, err := s.decidable(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		return setStatus(ctx, tx, actor, p, "approve", StatusApproved, `, baseline_version = $5, approved_at = $2, approved_by = $6`, []any{actorID(actor)}, "")
	})
	if err != nil {
		return nil, err
	}
	return s.FindPlanByID(ctx, actor, id)
}

// Return sends a submitted plan back to its authors with comments.
func (s *Store) Return(ctx context.Context, actor user.Actor, id int64, comment string) (*Plan, error) {
	comment = strings.TrimSpace(comment)
	if comment == "" {
		var f problem.Fields
		f.Add("comment", "Say what needs to change before the plan can be approved.")
		return nil, f.Err()
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		p, err := s.decidable(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		return setStatus(ctx, tx, actor, p, "return", StatusReturned, `, review_comment = $6`, []any{comment}, comment)
	})
	if err != nil {
		return nil, err
	}
	return s.FindPlanByID(ctx, actor, id)
}

// decidable loads a submitted plan the actor may approve or return.
func (s *Store) decidable(ctx context.Context, tx *sql.Tx, actor user.Actor, id int64) (*Plan, error) {
	p, err := s.workflowPlan(ctx, tx, actor, id, false)
	if err != nil {
		return nil, err
	}
	if !MayDecide(actor, p.ProgrammeID) {
		return nil, problem.Forbiddenf("Only the programme's officers approve or return a plan.")
	}
	if p.Status != StatusSubmitted {
		return nil, problem.Conflictf("The plan is not submitted for approval.")
	}
	return p, nil
}

// actorID is the actor's account for a column, NULL for the system.
func actorID(a user.Actor) any {
	if a.UserID == 0 {
		return nil
	}
	return a.UserID
}
