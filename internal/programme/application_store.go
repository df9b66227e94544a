package programme

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

const applicationSelect = `SELECT a.id, a.call_id, c.number, c.title, c.programme_id, p.currency, a.status, a.title, a.summary,
	a.lead_org_id, lo.name, lo.country_iso3, a.bso_id, a.cluster_id, COALESCE(cl.name, ''), a.grant_request, a.counterpart_cash,
	a.counterpart_in_kind, a.formally_registered, a.no_tax_debt, a.monitoring_commitment, a.months_operating, a.documents,
	a.eligible, a.created_by, a.created_at, a.updated_at, a.submitted_at
	FROM applications a JOIN calls c ON c.id = a.call_id JOIN programmes p ON p.id = c.programme_id
	JOIN organisations lo ON lo.id = a.lead_org_id LEFT JOIN clusters cl ON cl.id = a.cluster_id `

func scanApplication(row scanner) (*Application, error) {
	var a Application
	var bso, cluster, by sql.NullInt64
	var eligible sql.NullBool
	var submitted sql.NullTime
	var docs string
	err := row.Scan(&a.ID, &a.CallID, &a.CallNumber, &a.CallTitle, &a.ProgrammeID, &a.Currency, &a.Status, &a.Title, &a.Summary,
		&a.LeadOrgID, &a.LeadOrgName, &a.LeadOrgCountry, &bso, &cluster, &a.ClusterName, &a.Grant, &a.CounterpartCash,
		&a.CounterpartInKind, &a.FormallyRegistered, &a.NoTaxDebt, &a.MonitoringCommitment, &a.MonthsOperating, &docs,
		&eligible, &by, &a.CreatedAt, &a.UpdatedAt, &submitted)
	if err != nil {
		return nil, err
	}
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	if bso.Valid {
		a.BSOID = &bso.Int64
	}
	if cluster.Valid {
		a.ClusterID = &cluster.Int64
	}
	if by.Valid {
		a.CreatedBy = &by.Int64
	}
	if eligible.Valid {
		a.Eligible = &eligible.Bool
	}
	if submitted.Valid {
		t := submitted.Time.UTC()
		a.SubmittedAt = &t
	}
	a.Documents = []string{}
	for _, d := range strings.Split(docs, "\n") {
		if d != "" {
			a.Documents = append(a.Documents, d)
		}
	}
	a.Members, a.Results = []Member{}, []Result{}
	return &a, nil
}

// ApplicationFilter narrows a list of applications.
type ApplicationFilter struct {
	CallID int64
	Status AppStatus // "" for any
	Limit  int       // at most 500; 0 means 50
	Offset int
}

// FindApplications lists the applications the actor may read, newest
// first, with the total before paging: a programme officer's are those of
// the calls they oversee, an applicant's their own BSO's or cluster's.
func (s *Store) FindApplications(ctx context.Context, actor user.Actor, f ApplicationFilter) ([]*Application, int, error) {
	if !actor.SignedIn() {
		return nil, 0, problem.New(problem.Unauthorized, "Sign in to see applications.")
	}
	var w where
	w.rule(appReadFilter, actor, "a")
	if f.CallID != 0 {
		w.add("a.call_id = $%d", f.CallID)
	}
	if f.Status != "" {
		w.add("a.status = $%d", string(f.Status))
	}
	var total int
	if err := s.db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM applications a `+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count applications: %w", err)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	args := append(w.args, f.Limit, max(f.Offset, 0))
	rows, err := s.db.Read().QueryContext(ctx, applicationSelect+w.String()+
		fmt.Sprintf(" ORDER BY a.updated_at DESC, a.id DESC LIMIT $%d OFFSET $%d", len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find applications: %w", err)
	}
	defer rows.Close()
	out := []*Application{}
	for rows.Next() {
		a, err := scanApplication(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("find applications: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// FindApplicationByID returns one application the actor may read, with
// its datasheet and eligibility results.
func (s *Store) FindApplicationByID(ctx context.Context, actor user.Actor, id int64) (*Application, error) {
	return loadApplication(ctx, s.db.Read(), actor, id, appReadFilter)
}

func loadApplication(ctx context.Context, q db.Querier, actor user.Actor, id int64,
	rule func(user.Actor, string, int) (string, []any)) (*Application, error) {
	if !actor.SignedIn() {
		return nil, problem.New(problem.Unauthorized, "Sign in to see applications.")
	}
	var w where
	w.add("a.id = $%d", id)
	w.rule(rule, actor, "a")
	a, err := scanApplication(q.QueryRowContext(ctx, applicationSelect+w.String(), w.args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, problem.NotFoundf("No application #%d.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("application %d: %w", id, err)
	}
	err = db.Each(ctx, q, `SELECT m.organisation_id, o.name, o.country_iso3, o.kind, m.role FROM application_members m
		JOIN organisations o ON o.id = m.organisation_id WHERE m.application_id = $1 ORDER BY m.position`, []any{id},
		func(rows *sql.Rows) error {
			var m Member
			if err := rows.Scan(&m.OrganisationID, &m.Name, &m.Country, &m.Kind, &m.Role); err != nil {
				return err
			}
			a.Members = append(a.Members, m)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("application members: %w", err)
	}
	err = db.Each(ctx, q, `SELECT name, kind, country_iso3, role FROM application_new_members WHERE application_id = $1 ORDER BY position`,
		[]any{id}, func(rows *sql.Rows) error {
			var m NewMember
			if err := rows.Scan(&m.Name, &m.Kind, &m.Country, &m.Role); err != nil {
				return err
			}
			a.NewMembers = append(a.NewMembers, m)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("application new members: %w", err)
	}
	err = db.Each(ctx, q, `SELECT kind, pass, reason FROM application_results WHERE application_id = $1 ORDER BY position`, []any{id},
		func(rows *sql.Rows) error {
			var r Result
			if err := rows.Scan(&r.Kind, &r.Pass, &r.Reason); err != nil {
				return err
			}
			a.Results = append(a.Results, r)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("application results: %w", err)
	}
	return a, nil
}

// orgRef is what the store checks of an organisation named by ID.
type orgRef struct {
	Kind     string
	Archived bool
}

// findOrgs reads the organisations of ids that exist.
func findOrgs(ctx context.Context, q db.Querier, ids []int64) (map[int64]orgRef, error) {
	out := map[int64]orgRef{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	err := db.Each(ctx, q, `SELECT id, kind, archived_at IS NOT NULL FROM organisations WHERE id IN (`+db.Placeholders(1, len(args))+`)`, args,
		func(rows *sql.Rows) error {
			var id int64
			var o orgRef
			if err := rows.Scan(&id, &o.Kind, &o.Archived); err != nil {
				return err
			}
			out[id] = o
			return nil
		})
	return out, err
}

// deadline writes a call's closing time in its zone, with the offset.
func deadline(c *Call) string {
	t := c.ClosesAt.In(c.Location())
	return t.Format("2 January 2006, 15:04") + " (" + FormatOffset(t) + ", " + c.Location().String() + ")"
}

// closedAt reports whether the call takes no more submissions at now.
func closedAt(c *Call, now time.Time) bool { return !now.Before(c.ClosesAt) }

// setApplicationStatus moves an application to the status a panel
// decision gives it, inside the decision's transaction.
func setApplicationStatus(ctx context.Context, tx *sql.Tx, id int64, st AppStatus) error {
	if _, err := tx.ExecContext(ctx, `UPDATE applications SET status = $1, updated_at = $2 WHERE id = $3`, string(st), db.Now(), id); err != nil {
		return fmt.Errorf("application %d status: %w", id, err)
	}
	return nil
}
