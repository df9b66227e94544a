package programme

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// CreateProgramme validates, stores and audits a new programme.
func (s *Store) CreateProgramme(ctx context.Context, actor user.Actor, in ProgrammeInput) (*Programme, error) {
	if !MayCreateProgramme(actor) {
		return nil, problem.Forbiddenf("Only administrators and programme officers not limited to one programme may start a programme.")
	}
	var out *Programme
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		f := in.check()
		if err := checkProgrammeRefs(ctx, tx, in, &f); err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		now := db.Now()
		var by any
		if actor.UserID != 0 {
			by = actor.UserID
		}
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO programmes (name, funder_id, currency, description, starts_on, ends_on,
			created_by, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$8) RETURNING id`,
			in.Name, in.FunderID, in.Currency, in.Description, nullText(in.StartsOn), nullText(in.EndsOn), by, now).Scan(&id)
		if err != nil {
			return fmt.Errorf("insert programme: %w", err)
		}
		if err := writeCountries(ctx, tx, id, in.Countries); err != nil {
			return err
		}
		if out, err = loadProgramme(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, "create", RecordType, id, nil, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateProgramme replaces a programme's properties.
func (s *Store) UpdateProgramme(ctx context.Context, actor user.Actor, id int64, in ProgrammeInput) (*Programme, error) {
	return s.updateProgramme(ctx, actor, id, func(*Programme) ProgrammeInput { return in })
}

// PatchProgramme changes the fields the patch sets, reading the others in
// the same transaction.
func (s *Store) PatchProgramme(ctx context.Context, actor user.Actor, id int64, p ProgrammePatch) (*Programme, error) {
	return s.updateProgramme(ctx, actor, id, func(cur *Programme) ProgrammeInput { return p.Apply(ProgrammeInputOf(cur)) })
}

// editableProgramme loads a programme the actor may change in tx.
func editableProgramme(ctx context.Context, q db.Querier, actor user.Actor, id int64) (*Programme, error) {
	if !MayEditSome(actor) {
		if !actor.SignedIn() {
			return nil, problem.New(problem.Unauthorized, "Sign in to change programmes.")
		}
		return nil, problem.Forbiddenf("Only administrators and programme officers may change programmes and calls.")
	}
	p, err := loadProgramme(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if !MayEdit(actor, id) {
		return nil, problem.Forbiddenf("Your account is limited to another programme.")
	}
	return p, nil
}

func (s *Store) updateProgramme(ctx context.Context, actor user.Actor, id int64, next func(*Programme) ProgrammeInput) (*Programme, error) {
	var out *Programme
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := editableProgramme(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if cur.Archived() {
			return problem.Conflictf("%s is archived; it must be restored before it can be edited.", cur.Name)
		}
		in := next(cur)
		f := in.check()
		if err := checkProgrammeRefs(ctx, tx, in, &f); err != nil {
			return err
		}
		if err := checkCountriesInUse(ctx, tx, id, in.Countries, &f); err != nil {
			return err
		}
		if err := checkCurrencyKept(ctx, tx, cur, in.Currency, &f); err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE programmes SET name = $1, funder_id = $2, currency = $3, description = $4,
			starts_on = $5, ends_on = $6, updated_at = $7 WHERE id = $8`,
			in.Name, in.FunderID, in.Currency, in.Description, nullText(in.StartsOn), nullText(in.EndsOn), db.Now(), id)
		if err != nil {
			return fmt.Errorf("update programme %d: %w", id, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM programme_countries WHERE programme_id = $1`, id); err != nil {
			return err
		}
		if err := writeCountries(ctx, tx, id, in.Countries); err != nil {
			return err
		}
		if out, err = loadProgramme(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, "update", RecordType, id, cur, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ArchiveProgramme takes a programme out of lists; its calls stay readable.
func (s *Store) ArchiveProgramme(ctx context.Context, actor user.Actor, id int64) (*Programme, error) {
	return s.setProgrammeArchived(ctx, actor, id, true)
}

// RestoreProgramme brings an archived programme back.
func (s *Store) RestoreProgramme(ctx context.Context, actor user.Actor, id int64) (*Programme, error) {
	return s.setProgrammeArchived(ctx, actor, id, false)
}

func (s *Store) setProgrammeArchived(ctx context.Context, actor user.Actor, id int64, archive bool) (*Programme, error) {
	var out *Programme
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := editableProgramme(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if cur.Archived() == archive {
			out = cur
			return nil
		}
		now := db.Now()
		var at any
		action := "restore"
		if archive {
			at, action = now, "archive"
		}
		if _, err := tx.ExecContext(ctx, `UPDATE programmes SET archived_at = $1, updated_at = $2 WHERE id = $3`, at, now, id); err != nil {
			return fmt.Errorf("%s programme %d: %w", action, id, err)
		}
		if out, err = loadProgramme(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, action, RecordType, id, cur, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// checkProgrammeRefs adds problems for a funder that is not an active
// funder and for countries the platform does not know.
func checkProgrammeRefs(ctx context.Context, q db.Querier, in ProgrammeInput, f *problem.Fields) error {
	if in.FunderID > 0 {
		var kind string
		var archived sql.NullTime
		err := q.QueryRowContext(ctx, `SELECT kind, archived_at FROM organisations WHERE id = $1`, in.FunderID).Scan(&kind, &archived)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			f.Add("funder_id", "There is no organisation #%d.", in.FunderID)
		case err != nil:
			return err
		case kind != "funder":
			f.Add("funder_id", "Organisation #%d is not a funder; register the funder as an organisation of kind funder.", in.FunderID)
		case archived.Valid:
			f.Add("funder_id", "Organisation #%d is archived.", in.FunderID)
		}
	}
	for _, c := range in.Countries {
		var one int
		err := q.QueryRowContext(ctx, `SELECT 1 FROM countries WHERE iso3 = $1`, c).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			f.Add("countries", "%q is not an ISO 3166-1 alpha-3 code of a country the platform knows.", c)
		} else if err != nil {
			return err
		}
	}
	return nil
}

// checkCountriesInUse refuses to drop a country that a call's
// eligible_countries rule still names.
func checkCountriesInUse(ctx context.Context, q db.Querier, id int64, countries []string, f *problem.Fields) error {
	rows, err := q.QueryContext(ctx, `SELECT c.number, r.params FROM call_rules r JOIN calls c ON c.id = r.call_id
		WHERE c.programme_id = $1 AND r.kind = $2 AND c.archived_at IS NULL ORDER BY c.number`, id, string(RuleEligibleCountries))
	if err != nil {
		return err
	}
	defer rows.Close()
	keep := map[string]bool{}
	for _, c := range countries {
		keep[c] = true
	}
	for rows.Next() {
		var number, params string
		if err := rows.Scan(&number, &params); err != nil {
			return err
		}
		c, err := decodeParams(RuleEligibleCountries, []byte(params))
		if err != nil {
			continue
		}
		for _, iso := range c.(*EligibleCountries).Countries {
			if !keep[iso] {
				f.Add("countries", "Call %s limits applicants to %s; change that call before removing the country.", number, iso)
			}
		}
	}
	return rows.Err()
}

// checkCurrencyKept refuses a new currency once the programme has calls,
// whose amounts are in minor units of the old one.
func checkCurrencyKept(ctx context.Context, q db.Querier, cur *Programme, currency string, f *problem.Fields) error {
	if currency == cur.Currency || f.Has("currency") {
		return nil
	}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM calls WHERE programme_id = $1`, cur.ID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		f.Add("currency", "The currency cannot change once the programme has calls: their amounts are in %s.", cur.Currency)
	}
	return nil
}

func writeCountries(ctx context.Context, tx *sql.Tx, id int64, countries []string) error {
	for _, c := range countries {
		if _, err := tx.ExecContext(ctx, `INSERT INTO programme_countries (programme_id, country_iso3) VALUES ($1, $2)`, id, c); err != nil {
			return fmt.Errorf("programme country %s: %w", c, err)
		}
	}
	return nil
}

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}
