package portfolio

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/plan"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/programme"
	"github.com/clusterobservatory/observatory/internal/user"
)

// Store reads portfolios.
type Store struct{ db *db.DB }

// NewStore returns a store on d.
func NewStore(d *db.DB) *Store { return &Store{db: d} }

// Names turn codes into the reader's names.
type Names struct {
	Country func(iso3 string) string
	Sector  func(code string) string
}

// MayRead reports whether the actor sees programme id's portfolio, and
// the country it is limited to ("" for all).
func MayRead(a user.Actor, programmeID int64) (bool, string) {
	switch a.Role {
	case user.Admin:
		return true, ""
	case user.ProgrammeOfficer:
		return programme.MayEdit(a, programmeID), ""
	case user.CountryCoordinator:
		return a.Scope.ID != "", a.Scope.ID
	}
	return false, ""
}

// ForProgramme computes programme id's portfolio.
func (s *Store) ForProgramme(ctx context.Context, actor user.Actor, id int64, names Names) (*Programme, error) {
	p, err := programme.NewStore(s.db).FindProgrammeByID(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	ok, country := MayRead(actor, id)
	if !ok {
		return nil, problem.Forbiddenf("Only administrators, the programme's officers and country coordinators see its portfolio.")
	}
	out := &Programme{ProgrammeID: p.ID, ProgrammeName: p.Name, Currency: p.Currency, Country: country}
	apps, err := s.pipeline(ctx, id, country)
	if err != nil {
		return nil, err
	}
	out.Total, out.ByCountry, out.BySector = tally(apps, names.Country, names.Sector)
	if out.Money, err = s.money(ctx, id, country, names.Country); err != nil {
		return nil, err
	}
	for _, m := range out.Money {
		out.MoneyTotal.add(m.Money)
	}
	return out, nil
}

// pipeline reads where each submitted application of the programme stands.
func (s *Store) pipeline(ctx context.Context, id int64, country string) ([]app, error) {
	q := `SELECT lo.country_iso3, COALESCE(cl.sector, ''), a.status, a.eligible, p.id IS NOT NULL, p.baseline_version IS NOT NULL,
		EXISTS (SELECT 1 FROM plan_spending sp WHERE sp.plan_id = p.id)
		FROM applications a JOIN calls ca ON ca.id = a.call_id JOIN organisations lo ON lo.id = a.lead_org_id
		LEFT JOIN clusters cl ON cl.id = a.cluster_id LEFT JOIN plans p ON p.application_id = a.id
		WHERE ca.programme_id = $1 AND a.status <> 'draft'`
	args := []any{id}
	if country != "" {
		q += ` AND lo.country_iso3 = $2`
		args = append(args, country)
	}
	rows, err := s.db.Read().QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	defer rows.Close()
	var out []app
	for rows.Next() {
		var (
			a                               app
			status                          string
			eligible                        sql.NullBool
			hasPlan, approved, implementing bool
		)
		if err := rows.Scan(&a.country, &a.sector, &status, &eligible, &hasPlan, &approved, &implementing); err != nil {
			return nil, err
		}
		switch {
		case approved && implementing:
			a.stage = Implementing
		case approved:
			a.stage = Approved
		case hasPlan || status == string(programme.AppShortlisted):
			a.stage = Shortlisted
		case eligible.Valid && eligible.Bool:
			a.stage = Eligible
		default:
			a.stage = Submitted
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// money sums the approved plans' baseline budgets and their spending by
// the lead organisation's country.
func (s *Store) money(ctx context.Context, id int64, country string, name func(string) string) ([]CountryMoney, error) {
	where := `p.programme_id = $1 AND p.baseline_version IS NOT NULL`
	args := []any{id}
	if country != "" {
		where += ` AND lo.country_iso3 = $2`
		args = append(args, country)
	}
	byCountry := map[string]*CountryMoney{}
	at := func(iso string) *CountryMoney {
		m, ok := byCountry[iso]
		if !ok {
			m = &CountryMoney{ISO3: iso, Name: name(iso)}
			byCountry[iso] = m
		}
		return m
	}
	err := db.Each(ctx, s.db.Read(), `SELECT lo.country_iso3, v.content FROM plans p
		JOIN plan_versions v ON v.plan_id = p.id AND v.version = p.baseline_version
		JOIN applications a ON a.id = p.application_id JOIN organisations lo ON lo.id = a.lead_org_id WHERE `+where, args,
		func(rows *sql.Rows) error {
			var (
				iso, content string
				c            plan.Content
			)
			if err := rows.Scan(&iso, &content); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(content), &c); err != nil {
				return fmt.Errorf("plan content: %w", err)
			}
			at(iso).addBudget(c.Budget)
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = db.Each(ctx, s.db.Read(), `SELECT lo.country_iso3, sp.source, SUM(sp.amount) FROM plan_spending sp
		JOIN plans p ON p.id = sp.plan_id JOIN applications a ON a.id = p.application_id
		JOIN organisations lo ON lo.id = a.lead_org_id WHERE `+where+` GROUP BY lo.country_iso3, sp.source`, args,
		func(rows *sql.Rows) error {
			var (
				iso, source string
				sum         int64
			)
			if err := rows.Scan(&iso, &source, &sum); err != nil {
				return err
			}
			at(iso).addSpent(source, sum)
			return nil
		})
	if err != nil {
		return nil, err
	}
	out := make([]CountryMoney, 0, len(byCountry))
	for _, m := range byCountry {
		out = append(out, *m)
	}
	slices.SortFunc(out, func(a, b CountryMoney) int {
		return cmp.Or(cmp.Compare(b.Grant, a.Grant), cmp.Compare(a.Name, b.Name))
	})
	return out, nil
}

func sortGroups(gs []Group) {
	slices.SortFunc(gs, func(a, b Group) int {
		return cmp.Or(cmp.Compare(b.Counts[Submitted], a.Counts[Submitted]), cmp.Compare(a.Name, b.Name))
	})
}
