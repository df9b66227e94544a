package org

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// RecordType names organisations in the audit log.
const RecordType = "organisation"

// CreateOrganisation registers an organisation in its own transaction.
func (s *Store) CreateOrganisation(ctx context.Context, actor user.Actor, in Input) (*Organisation, error) {
	var out *Organisation
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.CreateOrganisationTx(ctx, tx, actor, in)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CreateOrganisationTx validates, stores and audits a new organisation in
// the caller's transaction, so that a bulk import is all or nothing. Only
// administrators, BSO staff and cluster managers may register
// organisations, each in the countries MayCreateIn allows; a second
// organisation with the same normalised name in the same country is refused
// with a *DuplicateError unless in.AllowDuplicate is set.
func (s *Store) CreateOrganisationTx(ctx context.Context, tx *sql.Tx, actor user.Actor, in Input) (*Organisation, error) {
	if !user.CanCreateOrg(actor) {
		return nil, problem.Forbiddenf("Only administrators, BSO staff and cluster managers may register organisations.")
	}
	now := db.Now()
	f := in.check(now.Year())
	if err := checkRefs(ctx, tx, &in, &f); err != nil {
		return nil, err
	}
	if err := checkCountryScope(ctx, tx, actor, in.Country, &f); err != nil {
		return nil, err
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if err := refuseDuplicate(ctx, tx, in, 0); err != nil {
		return nil, err
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO organisations (kind, name, name_norm, country_iso3, area_id, isic_code,
		size_band, women_led, youth_led, founded_year, website, email, phone, contact_name, description, created_at, updated_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$16) RETURNING id`,
		in.Kind, in.Name, NormaliseName(in.Name), in.Country, in.AreaID, nullText(in.ISIC),
		in.SizeBand, in.WomenLed, in.YouthLed, in.FoundedYear, in.Website, in.Email, in.Phone, in.ContactName, in.Description, now).Scan(&id)
	if err != nil {
		return nil, fmt.Errorf("insert organisation: %w", err)
	}
	out, err := loadOrganisation(ctx, tx, user.System, user.OrgReadFilter, id)
	if err != nil {
		return nil, err
	}
	if err := audit.Record(ctx, tx, actor, "create", RecordType, id, nil, out); err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateOrganisation replaces an organisation's properties. Archived
// organisations must be restored first; people other than administrators
// may move an organisation only to a country where they may register one.
func (s *Store) UpdateOrganisation(ctx context.Context, actor user.Actor, id int64, in Input) (*Organisation, error) {
	return s.update(ctx, actor, id, func(*Organisation) Input { return in })
}

// PatchOrganisation changes only the fields the patch sets, reading the
// others in the same transaction so that no concurrent change is undone.
func (s *Store) PatchOrganisation(ctx context.Context, actor user.Actor, id int64, p Patch) (*Organisation, error) {
	return s.update(ctx, actor, id, func(cur *Organisation) Input { return p.Apply(InputOf(cur)) })
}

// update stores the input that next makes of the current organisation.
func (s *Store) update(ctx context.Context, actor user.Actor, id int64, next func(cur *Organisation) Input) (*Organisation, error) {
	now := db.Now()
	var out *Organisation
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := loadOrganisation(ctx, tx, actor, user.OrgWriteFilter, id)
		if err != nil {
			return err
		}
		if cur.Archived() {
			return problem.Conflictf("%s is archived; it must be restored before it can be edited.", cur.Name)
		}
		in := next(cur)
		f := in.check(now.Year())
		if err := checkRefs(ctx, tx, &in, &f); err != nil {
			return err
		}
		if in.Country != cur.Country {
			if err := checkCountryScope(ctx, tx, actor, in.Country, &f); err != nil {
				return err
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		if in.Country != cur.Country || NormaliseName(in.Name) != NormaliseName(cur.Name) {
			if err := refuseDuplicate(ctx, tx, in, id); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE organisations SET kind = $1, name = $2, name_norm = $3, country_iso3 = $4,
			area_id = $5, isic_code = $6, size_band = $7, women_led = $8, youth_led = $9, founded_year = $10,
			website = $11, email = $12, phone = $13, contact_name = $14, description = $15, updated_at = $16 WHERE id = $17`,
			in.Kind, in.Name, NormaliseName(in.Name), in.Country, in.AreaID, nullText(in.ISIC), in.SizeBand,
			in.WomenLed, in.YouthLed, in.FoundedYear, in.Website, in.Email, in.Phone, in.ContactName, in.Description, now, id)
		if err != nil {
			return fmt.Errorf("update organisation %d: %w", id, err)
		}
		if out, err = loadOrganisation(ctx, tx, user.System, user.OrgReadFilter, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, "update", RecordType, id, cur, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ArchiveOrganisation takes an organisation out of lists and counts; it is
// kept with its memberships and history.
func (s *Store) ArchiveOrganisation(ctx context.Context, actor user.Actor, id int64) (*Organisation, error) {
	return s.setArchived(ctx, actor, id, true)
}

// RestoreOrganisation brings an archived organisation back. Only
// administrators may, since archiving may have settled a duplicate.
func (s *Store) RestoreOrganisation(ctx context.Context, actor user.Actor, id int64) (*Organisation, error) {
	return s.setArchived(ctx, actor, id, false)
}

// MayRestore reports whether the actor's role may restore archived organisations.
func MayRestore(actor user.Actor) bool { return actor.IsAdmin() }

func (s *Store) setArchived(ctx context.Context, actor user.Actor, id int64, archive bool) (*Organisation, error) {
	var out *Organisation
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := loadOrganisation(ctx, tx, actor, user.OrgWriteFilter, id)
		if err != nil {
			return err
		}
		if !archive && !MayRestore(actor) {
			return problem.Forbiddenf("Only an administrator may restore an archived organisation.")
		}
		if cur.Archived() == archive {
			// Already in the wanted state: nothing changes, nothing to audit.
			out = cur
			return nil
		}
		now := db.Now()
		var at any
		action := "restore"
		if archive {
			at, action = now, "archive"
		}
		if _, err := tx.ExecContext(ctx, `UPDATE organisations SET archived_at = $1, updated_at = $2 WHERE id = $3`, at, now, id); err != nil {
			return fmt.Errorf("%s organisation %d: %w", action, id, err)
		}
		if out, err = loadOrganisation(ctx, tx, user.System, user.OrgReadFilter, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, action, RecordType, id, cur, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// checkCountryScope adds a problem on the country field when the actor may
// not register organisations there.
func checkCountryScope(ctx context.Context, q db.Querier, actor user.Actor, country string, f *problem.Fields) error {
	if f.Has("country") {
		return nil
	}
	ok, err := mayCreateIn(ctx, q, actor, country)
	if err != nil {
		return err
	}
	if !ok {
		f.Add("country", "You may not register organisations in %s: choose your BSO's country or a country of one of your cluster initiatives.", country)
	}
	return nil
}

// refuseDuplicate returns a *DuplicateError when another active
// organisation (other than except) has the input's normalised name in its
// country and the input does not allow it.
func refuseDuplicate(ctx context.Context, q db.Querier, in Input, except int64) error {
	if in.AllowDuplicate {
		return nil
	}
	dups, err := findDuplicates(ctx, q, in.Name, in.Country, except)
	if err != nil {
		return err
	}
	if len(dups) > 0 {
		return duplicateError(dups[0])
	}
	return nil
}

// nullText stores an empty optional code as NULL, which its foreign key needs.
func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}
