package implementation

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/plan"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// Writing milestone progress and progress reports.

// ProgressInput is what recording a milestone's progress takes.
type ProgressInput struct {
	Status      Status `json:"status"`
	CompletedOn string `json:"completed_on"`
	Note        string `json:"note"`
	Evidence    *File  `json:"evidence"`
}

// progressAudit is what the audit log keeps of a milestone's progress.
type progressAudit struct {
	Milestone   int    `json:"milestone"`
	Title       string `json:"title"`
	Status      Status `json:"status"`
	CompletedOn string `json:"completed_on,omitempty"`
	Note        string `json:"note,omitempty"`
	Evidence    string `json:"evidence,omitempty"`
}

// RecordProgress records the progress of milestone n (from 1) of plan
// id's baseline, on the day today. A milestone keeps its evidence when no
// new file is given.
func (s *Store) RecordProgress(ctx context.Context, actor user.Actor, id int64, n int, in ProgressInput, today time.Time) (*MilestoneState, error) {
	w, err := s.openForWrite(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if n < 1 || n > len(w.Baseline.Milestones) {
		return nil, problem.NotFoundf("The approved plan has no milestone %d.", n)
	}
	m := w.Baseline.Milestones[n-1]
	var f problem.Fields
	in.CompletedOn, in.Note = strings.TrimSpace(in.CompletedOn), strings.TrimSpace(in.Note)
	switch {
	case in.Status == Late:
		f.Add("status", "Late is worked out from the due date; choose not_started, in_progress or done.")
	case !in.Status.Valid():
		f.Add("status", "Choose a status: not_started, in_progress or done.")
	case in.Status == Done:
		if on, ok := parseDay(&f, "completed_on", "the day it was completed", in.CompletedOn); ok && on.After(day(today)) {
			f.Add("completed_on", "%s is in the future: a milestone is done once it is completed.", in.CompletedOn)
		}
	case in.CompletedOn != "":
		f.Add("completed_on", "Only a done milestone has a completion date; leave it empty or mark the milestone done.")
	}
	tooLong(&f, "note", "The note", in.Note, maxText)
	ct := checkUpload(in.Evidence, "evidence", &f)
	if err := f.Err(); err != nil {
		return nil, err
	}
	current, err := s.progress(ctx, actor, w)
	if err != nil {
		return nil, err
	}
	before := current[n]
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := checkBaseline(ctx, tx, w); err != nil {
			return err
		}
		var evidence any
		after := progressAudit{Milestone: n, Title: m.Title, Status: in.Status, CompletedOn: in.CompletedOn, Note: in.Note}
		if in.Evidence != nil {
			eid, err := insertAttachment(ctx, tx, actor, id, in.Evidence, ct)
			if err != nil {
				return err
			}
			evidence, after.Evidence = eid, cleanName(in.Evidence.Name, ct)
		} else if before != nil && before.EvidenceID != nil {
			evidence, after.Evidence = *before.EvidenceID, before.EvidenceName
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO plan_milestone_progress (plan_id, baseline_version, milestone, status, completed_on, note,
			evidence_id, updated_by, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)
			ON CONFLICT (plan_id, baseline_version, milestone) DO UPDATE SET status = excluded.status, completed_on = excluded.completed_on,
			note = excluded.note, evidence_id = excluded.evidence_id, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			id, w.Version(), n, string(in.Status), in.CompletedOn, in.Note, evidence, actorID(actor), db.Now())
		if err != nil {
			return err
		}
		var old any
		if before != nil {
			old = progressAudit{Milestone: n, Title: m.Title, Status: before.Status, CompletedOn: before.CompletedOn, Note: before.Note,
				Evidence: before.EvidenceName}
		}
		return audit.Record(ctx, tx, actor, "record_progress", plan.RecordType, id, old, after)
	})
	if err != nil {
		return nil, fmt.Errorf("record progress: %w", err)
	}
	_, states, err := s.FindMilestones(ctx, actor, id, today)
	if err != nil {
		return nil, err
	}
	return &states[n-1], nil
}

// ReportInput is what submitting a progress report takes.
type ReportInput struct {
	Period    string `json:"period"`
	Narrative string `json:"narrative"`
}

// reportAudit is what the audit log keeps of a report.
type reportAudit struct {
	Report int64        `json:"progress_report"`
	Period string       `json:"period"`
	Status ReportStatus `json:"status"`
}

// SubmitReport generates and stores the progress report of a quarter of
// plan id with the facilitator's narrative; a submitted report may be
// submitted again until it is accepted.
func (s *Store) SubmitReport(ctx context.Context, actor user.Actor, id int64, in ReportInput, today time.Time) (*Report, error) {
	w, err := s.openForWrite(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	var f problem.Fields
	in.Period, in.Narrative = strings.TrimSpace(in.Period), strings.TrimSpace(in.Narrative)
	p, ok := ParsePeriod(in.Period)
	if !ok {
		f.Add("period", "%q is not a quarter; write it as 2026-Q1.", in.Period)
	} else {
		allowed := false
		for _, q := range ReportPeriods(w.Baseline, today) {
			allowed = allowed || q == p
		}
		if !allowed {
			f.Add("period", "%s is not a quarter of the plan (%s to %s) that has started.", in.Period, w.Baseline.StartsOn, w.Baseline.EndsOn)
		}
	}
	if in.Narrative == "" {
		f.Add("narrative", "Write the narrative: what was done in the quarter, what is delayed and why.")
	}
	tooLong(&f, "narrative", "The narrative", in.Narrative, maxText)
	if err := f.Err(); err != nil {
		return nil, err
	}
	_, facts, err := s.compute(ctx, actor, w, today)
	if err != nil {
		return nil, err
	}
	sum := Summarise(p, w.Baseline, facts.Entries, facts.Progress, today)
	evs, err := s.events.FindPlanEvents(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	sum.Events = SummariseEvents(p, evs)
	summary, err := json.Marshal(sum)
	if err != nil {
		return nil, err
	}
	var rid int64
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		var status string
		err := tx.QueryRowContext(ctx, `SELECT id, status FROM plan_reports WHERE plan_id = $1 AND period = $2`, id, in.Period).Scan(&rid, &status)
		switch {
		case err == sql.ErrNoRows:
			err = tx.QueryRowContext(ctx, `INSERT INTO plan_reports (plan_id, period, summary, narrative, status, submitted_by, submitted_at)
				VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`, id, in.Period, string(summary), in.Narrative, string(ReportSubmitted),
				actorID(actor), db.Now()).Scan(&rid)
		case err != nil:
		case ReportStatus(status) == ReportAccepted:
			return problem.Conflictf("The report of %s is already accepted; it cannot change.", in.Period)
		default:
			_, err = tx.ExecContext(ctx, `UPDATE plan_reports SET summary = $1, narrative = $2, submitted_by = $3, submitted_at = $4
				WHERE id = $5 AND status = $6`, string(summary), in.Narrative, actorID(actor), db.Now(), rid, string(ReportSubmitted))
		}
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, "submit_report", plan.RecordType, id, nil,
			reportAudit{Report: rid, Period: in.Period, Status: ReportSubmitted})
	})
	if db.IsUniqueViolation(err) {
		return nil, problem.Conflictf("The report of %s was submitted at the same moment; open the page again.", in.Period)
	}
	if err != nil {
		return nil, err
	}
	return findReport(ctx, s.db.Read(), id, rid)
}

// AcceptReport accepts a submitted progress report; only the programme's
// officers and administrators accept.
func (s *Store) AcceptReport(ctx context.Context, actor user.Actor, id, reportID int64) (*Report, error) {
	w, err := s.Open(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if !plan.MayDecide(actor, w.Plan.ProgrammeID) {
		return nil, problem.Forbiddenf("Only the programme's officers accept progress reports.")
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		r, err := findReport(ctx, tx, id, reportID)
		if err != nil {
			return err
		}
		if r.Status != ReportSubmitted {
			return problem.Conflictf("The report of %s is already accepted.", r.Period)
		}
		res, err := tx.ExecContext(ctx, `UPDATE plan_reports SET status = $1, accepted_by = $2, accepted_at = $3 WHERE id = $4 AND status = $5`,
			string(ReportAccepted), actorID(actor), db.Now(), reportID, string(ReportSubmitted))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return problem.Conflictf("The report changed at the same moment; open the page again.")
		}
		return audit.Record(ctx, tx, actor, "accept_report", plan.RecordType, id,
			reportAudit{Report: reportID, Period: r.Period, Status: ReportSubmitted}, reportAudit{Report: reportID, Period: r.Period, Status: ReportAccepted})
	})
	if err != nil {
		return nil, err
	}
	return findReport(ctx, s.db.Read(), id, reportID)
}
