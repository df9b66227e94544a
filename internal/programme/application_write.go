package programme

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// leadKinds are the kinds of organisation that may lead an application:
// a BSO, a cluster organisation or the cluster's lead firm.
var leadKinds = []string{"bso", "cluster_org", "firm"}

// CreateApplication drafts a concept note for an open call.
func (s *Store) CreateApplication(ctx context.Context, actor user.Actor, in ApplicationInput) (*Application, error) {
	if !MayApply(actor) {
		return nil, problem.Forbiddenf("Only BSO staff, cluster managers and administrators draft applications.")
	}
	var out *Application
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		f := in.CheckApplication()
		var c *Call
		if in.CallID <= 0 {
			f.Add("call_id", "Choose the call the application is for.")
		} else {
			var err error
			c, err = loadCall(ctx, tx, actor, in.CallID)
			if problem.Is(err, problem.NotFound) {
				f.Add("call_id", "There is no call #%d.", in.CallID)
			} else if err != nil {
				return err
			}
		}
		bso, err := checkApplicationRefs(ctx, tx, actor, &in, &f)
		if err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		if c.Archived() || c.StatusAt(db.Now()) != StatusOpen {
			return problem.Conflictf("Call %s is not open for applications: it takes concept notes from %s until %s.",
				c.Number, c.OpensAt.In(c.Location()).Format("2 January 2006, 15:04"), deadline(c))
		}
		now := db.Now()
		var by any
		if actor.UserID != 0 {
			by = actor.UserID
		}
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO applications (call_id, status, title, summary, lead_org_id, bso_id, cluster_id,
			grant_request, counterpart_cash, counterpart_in_kind, formally_registered, no_tax_debt, monitoring_commitment,
			months_operating, documents, created_by, created_at, updated_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$17) RETURNING id`,
			in.CallID, string(AppDraft), in.Title, in.Summary, in.LeadOrgID, bso, in.ClusterID, in.Grant, in.CounterpartCash,
			in.CounterpartInKind, in.FormallyRegistered, in.NoTaxDebt, in.MonitoringCommitment, in.MonthsOperating,
			strings.Join(in.Documents, "\n"), by, now).Scan(&id)
		if err != nil {
			return fmt.Errorf("insert application: %w", err)
		}
		if err := writeMembers(ctx, tx, id, in.Members, in.NewMembers); err != nil {
			return err
		}
		if out, err = loadApplication(ctx, tx, user.System, id, appWriteFilter); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, "create", ApplicationRecordType, id, nil, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// checkApplicationRefs checks the organisations and the cluster the input
// names, and returns the BSO whose application it is (nil when none).
func checkApplicationRefs(ctx context.Context, q db.Querier, actor user.Actor, in *ApplicationInput, f *problem.Fields) (*int64, error) {
	ids := []int64{}
	if in.LeadOrgID > 0 {
		ids = append(ids, in.LeadOrgID)
	}
	for _, m := range in.Members {
		if m.OrganisationID > 0 {
			ids = append(ids, m.OrganisationID)
		}
	}
	orgs, err := findOrgs(ctx, q, ids)
	if err != nil {
		return nil, err
	}
	if in.LeadOrgID > 0 {
		switch o, ok := orgs[in.LeadOrgID]; {
		case !ok:
			f.Add("lead_org_id", "There is no organisation #%d in the registry.", in.LeadOrgID)
		case o.Archived:
			f.Add("lead_org_id", "Organisation #%d is archived.", in.LeadOrgID)
		case !slices.Contains(leadKinds, o.Kind):
			f.Add("lead_org_id", "The lead organisation must be a BSO, a cluster organisation or a firm.")
		}
	}
	for i, m := range in.Members {
		if m.OrganisationID <= 0 || f.Has("members["+itoa(i)+"].organisation_id") {
			continue
		}
		if o, ok := orgs[m.OrganisationID]; !ok {
			f.Add("members["+itoa(i)+"].organisation_id", "Row %d: there is no organisation #%d in the registry.", i+1, m.OrganisationID)
		} else if o.Archived {
			f.Add("members["+itoa(i)+"].organisation_id", "Row %d: organisation #%d is archived.", i+1, m.OrganisationID)
		}
	}
	if err := checkNewMembersRefs(ctx, q, in.NewMembers, f); err != nil {
		return nil, err
	}
	if actor.Role == user.ClusterManager {
		own := actor.Scope.IntID()
		if in.ClusterID != nil && *in.ClusterID != own {
			f.Add("cluster_id", "You apply for your own cluster initiative (#%d) only.", own)
			return nil, nil
		}
		in.ClusterID = &own
	}
	var leadBSO *int64
	if in.ClusterID != nil && *in.ClusterID > 0 {
		var w where
		w.add("c.id = $%d", *in.ClusterID)
		w.rule(user.ClusterReadFilter, actor, "c")
		var b int64
		err := q.QueryRowContext(ctx, `SELECT c.lead_bso_id FROM clusters c `+w.String(), w.args...).Scan(&b)
		if errors.Is(err, sql.ErrNoRows) {
			f.Add("cluster_id", "There is no cluster initiative #%d that you may apply for.", *in.ClusterID)
		} else if err != nil {
			return nil, fmt.Errorf("cluster %d: %w", *in.ClusterID, err)
		} else {
			leadBSO = &b
		}
	}
	switch actor.Role {
	case user.BSOStaff:
		b := actor.Scope.IntID()
		return &b, nil
	case user.ClusterManager:
		return leadBSO, nil
	}
	if o, ok := orgs[in.LeadOrgID]; ok && o.Kind == "bso" {
		return &in.LeadOrgID, nil
	}
	return leadBSO, nil
}

// writeMembers replaces the datasheet: its registry members and the
// organisations that will join the registry at submission.
func writeMembers(ctx context.Context, tx *sql.Tx, id int64, ms []MemberInput, news []NewMember) error {
	for _, table := range []string{"application_members", "application_new_members"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE application_id = $1`, id); err != nil {
			return fmt.Errorf("replace members: %w", err)
		}
	}
	for i, m := range ms {
		if _, err := tx.ExecContext(ctx, `INSERT INTO application_members (application_id, position, organisation_id, role)
			VALUES ($1,$2,$3,$4)`, id, i, m.OrganisationID, string(m.Role)); err != nil {
			return fmt.Errorf("insert member: %w", err)
		}
	}
	for i, m := range news {
		if _, err := tx.ExecContext(ctx, `INSERT INTO application_new_members (application_id, position, name, kind, country_iso3, role)
			VALUES ($1,$2,$3,$4,$5,$6)`, id, i, m.Name, m.Kind, m.Country, string(m.Role)); err != nil {
			return fmt.Errorf("insert new member: %w", err)
		}
	}
	return nil
}

// editableApplication loads a draft the actor may change as its applicant.
func editableApplication(ctx context.Context, q db.Querier, actor user.Actor, id int64) (*Application, error) {
	if !MayApply(actor) {
		if _, err := loadApplication(ctx, q, actor, id, appReadFilter); err != nil {
			return nil, err
		}
		return nil, problem.Forbiddenf("Only the applicant may change an application.")
	}
	a, err := loadApplication(ctx, q, actor, id, appWriteFilter)
	if err != nil {
		return nil, err
	}
	if a.Status != AppDraft {
		return nil, problem.Conflictf("Application #%d has been submitted; it can no longer be changed.", id)
	}
	return a, nil
}

// staleDraft tells a person that the draft changed since they opened it,
// and who changed it when, so that nobody's work is silently overwritten.
func staleDraft(ctx context.Context, q db.Querier, cur *Application) error {
	who := "someone"
	_ = q.QueryRowContext(ctx, `SELECT actor FROM audit_log WHERE record_type = $1 AND record_id = $2 ORDER BY id DESC LIMIT 1`,
		ApplicationRecordType, itoa(int(cur.ID))).Scan(&who)
	return &problem.Error{Kind: problem.Conflict,
		Message: fmt.Sprintf("%s saved this draft at %s UTC, after you opened it; your changes were not saved. Copy what you wrote, reload the draft and add it again.",
			who, cur.UpdatedAt.UTC().Format("2006-01-02 15:04:05"))}
}

// UpdateApplication replaces a draft's content; its call stays.
func (s *Store) UpdateApplication(ctx context.Context, actor user.Actor, id int64, in ApplicationInput) (*Application, error) {
	return s.updateApplication(ctx, actor, id, func(*Application) ApplicationInput { return in })
}

// PatchApplication changes the fields the patch sets.
func (s *Store) PatchApplication(ctx context.Context, actor user.Actor, id int64, p ApplicationPatch) (*Application, error) {
	return s.updateApplication(ctx, actor, id, func(cur *Application) ApplicationInput { return p.Apply(ApplicationInputOf(cur)) })
}

func (s *Store) updateApplication(ctx context.Context, actor user.Actor, id int64, next func(*Application) ApplicationInput) (*Application, error) {
	var out *Application
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := editableApplication(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		in := next(cur)
		in.CallID = cur.CallID
		if in.BaseUpdatedAt != nil && !in.BaseUpdatedAt.Equal(cur.UpdatedAt) {
			return staleDraft(ctx, tx, cur)
		}
		f := in.CheckApplication()
		lead := isLeadApplicant(ctx, tx, actor, id)
		if !lead {
			// A co-applicant writes the concept note; whose application it
			// is, and for which cluster, stays with the lead applicant.
			if in.ClusterID != nil && (cur.ClusterID == nil || *in.ClusterID != *cur.ClusterID) {
				f.Add("cluster_id", "Only the lead applicant may change the cluster initiative.")
			}
			in.ClusterID = nil
		}
		bso, err := checkApplicationRefs(ctx, tx, actor, &in, &f)
		if err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		if !lead {
			bso, in.ClusterID = cur.BSOID, cur.ClusterID
		}
		if actor.Role == user.Admin && bso == nil {
			bso = cur.BSOID
		}
		_, err = tx.ExecContext(ctx, `UPDATE applications SET title = $1, summary = $2, lead_org_id = $3, bso_id = $4, cluster_id = $5,
			grant_request = $6, counterpart_cash = $7, counterpart_in_kind = $8, formally_registered = $9, no_tax_debt = $10,
			monitoring_commitment = $11, months_operating = $12, documents = $13, updated_at = $14 WHERE id = $15`,
			in.Title, in.Summary, in.LeadOrgID, bso, in.ClusterID, in.Grant, in.CounterpartCash, in.CounterpartInKind,
			in.FormallyRegistered, in.NoTaxDebt, in.MonitoringCommitment, in.MonthsOperating, strings.Join(in.Documents, "\n"),
			db.Now(), id)
		if err != nil {
			return fmt.Errorf("update application %d: %w", id, err)
		}
		if err := writeMembers(ctx, tx, id, in.Members, in.NewMembers); err != nil {
			return err
		}
		if out, err = loadApplication(ctx, tx, user.System, id, appWriteFilter); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, "update", ApplicationRecordType, id, cur, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SubmitApplication submits a draft before its call closes: every
// eligibility rule of the call is evaluated against the application's
// facts, and each result is stored with its reason in sp's language
// (countries named by names, or by code when nil).
func (s *Store) SubmitApplication(ctx context.Context, actor user.Actor, id int64, sp Speaker, names map[string]string) (*Application, error) {
	var out *Application
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := ownedDraft(ctx, tx, actor, id, "submits the application")
		if err != nil {
			return err
		}
		c, err := loadCall(ctx, tx, user.System, cur.CallID)
		if err != nil {
			return err
		}
		now := db.Now()
		if closedAt(c, now) {
			return problem.Conflictf("Call %s closed on %s; submissions are no longer accepted.", c.Number, deadline(c))
		}
		if err := s.registerNewMembers(ctx, tx, actor, cur); err != nil {
			return err
		}
		if cur, err = loadApplication(ctx, tx, user.System, id, appWriteFilter); err != nil {
			return err
		}
		p, err := loadProgramme(ctx, tx, c.ProgrammeID)
		if err != nil {
			return err
		}
		outcomes, eligible := EvaluateAll(c.Rules, envFor(p, names), cur.Facts(), sp)
		for i, o := range outcomes {
			if _, err := tx.ExecContext(ctx, `INSERT INTO application_results (application_id, position, kind, pass, reason)
				VALUES ($1,$2,$3,$4,$5)`, id, i, string(o.Kind), o.Pass, o.Reason); err != nil {
				return fmt.Errorf("insert result: %w", err)
			}
		}
		var by any
		if actor.UserID != 0 {
			by = actor.UserID
		}
		_, err = tx.ExecContext(ctx, `UPDATE applications SET status = $1, eligible = $2, submitted_at = $3, submitted_by = $4,
			updated_at = $3 WHERE id = $5`, string(AppSubmitted), eligible, now, by, id)
		if err != nil {
			return fmt.Errorf("submit application %d: %w", id, err)
		}
		if out, err = loadApplication(ctx, tx, user.System, id, appWriteFilter); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, "submit", ApplicationRecordType, id, cur, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
