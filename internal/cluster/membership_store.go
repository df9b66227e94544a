package cluster

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// membershipType names memberships in the audit log.
const membershipType = "membership"

const membershipSelect = `SELECT m.id, m.cluster_id, c.name, m.organisation_id, o.name, o.kind, o.country_iso3,
	m.role, m.joined_on, m.left_on, m.created_at, m.updated_at
	FROM memberships m
	JOIN clusters c ON c.id = m.cluster_id
	JOIN organisations o ON o.id = m.organisation_id `

func scanMembership(row scanner) (*Membership, error) {
	var m Membership
	var left sql.NullString
	err := row.Scan(&m.ID, &m.ClusterID, &m.ClusterName, &m.OrganisationID, &m.OrganisationName, &m.OrganisationKind,
		&m.OrganisationCountry, &m.Role, &m.Joined, &left, &m.CreatedAt, &m.UpdatedAt)
	if err != nil {
		return nil, err
	}
	if left.Valid {
		m.Left = &left.String
	}
	return &m, nil
}

// FindMemberships lists memberships of clusters the actor may read, current
// ones first, then by organisation name, with the total before paging.
func (s *Store) FindMemberships(ctx context.Context, actor user.Actor, f MembershipFilter) ([]*Membership, int, error) {
	var w where
	w.scope(user.ClusterReadFilter, actor, "c")
	if f.ClusterID != 0 {
		w.add("m.cluster_id = $%d", f.ClusterID)
	}
	if f.OrganisationID != 0 {
		w.add("m.organisation_id = $%d", f.OrganisationID)
	}
	if f.Current {
		w.raw("m.left_on IS NULL")
	}
	total, err := s.db.Count(ctx, `SELECT COUNT(*) FROM memberships m JOIN clusters c ON c.id = m.cluster_id `+w.String(), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("count memberships: %w", err)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	args := append(slices.Clone(w.args), f.Limit, max(f.Offset, 0))
	rows, err := s.db.Read().QueryContext(ctx, membershipSelect+w.String()+
		` ORDER BY CASE WHEN m.left_on IS NULL THEN 0 ELSE 1 END, o.name_norm, c.name_norm, m.joined_on DESC, m.id`+
		fmt.Sprintf(" LIMIT $%d OFFSET $%d", len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find memberships: %w", err)
	}
	defer rows.Close()
	var out []*Membership
	for rows.Next() {
		m, err := scanMembership(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, m)
	}
	return out, total, rows.Err()
}

// FindMembershipByID returns a membership of a cluster the actor may read.
func (s *Store) FindMembershipByID(ctx context.Context, actor user.Actor, id int64) (*Membership, error) {
	return loadMembership(ctx, s.db.Read(), actor, user.ClusterReadFilter, id)
}

func loadMembership(ctx context.Context, q db.Querier, actor user.Actor, rule func(user.Actor, string, int) (string, []any), id int64) (*Membership, error) {
	var w where
	w.add("m.id = $%d", id)
	w.scope(rule, actor, "c")
	m, err := scanMembership(q.QueryRowContext(ctx, membershipSelect+w.String(), w.args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, problem.NotFoundf("No membership #%d.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("membership %d: %w", id, err)
	}
	return m, nil
}

// AddMembership records that an organisation joined a cluster initiative.
func (s *Store) AddMembership(ctx context.Context, actor user.Actor, clusterID int64, in MembershipInput) (*Membership, error) {
	var out *Membership
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.AddMembershipTx(ctx, tx, actor, clusterID, in)
		return err
	})
	return out, err
}

// AddMembershipTx is AddMembership inside the caller's transaction, so that
// a bulk import stores all its rows or none.
func (s *Store) AddMembershipTx(ctx context.Context, tx *sql.Tx, actor user.Actor, clusterID int64, in MembershipInput) (*Membership, error) {
	f := in.check(Today())
	c, err := loadCluster(ctx, tx, actor, user.ClusterWriteFilter, clusterID)
	if err != nil {
		return nil, err
	}
	if c.Archived() {
		return nil, problem.Conflictf("%s is archived; restore it before adding members.", c.Name)
	}
	if err := checkMember(ctx, tx, actor, c, &in, 0, &f); err != nil {
		return nil, err
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	now := db.Now()
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO memberships (cluster_id, organisation_id, role, joined_on, left_on, created_at, updated_at)
		VALUES ($1,$2,$3,$4,$5,$6,$6) RETURNING id`, clusterID, in.OrganisationID, in.Role, in.Joined, in.Left, now).Scan(&id)
	if db.IsUniqueViolation(err) {
		return nil, duplicateMembership()
	}
	if err != nil {
		return nil, fmt.Errorf("insert membership: %w", err)
	}
	out, err := loadMembership(ctx, tx, user.System, user.ClusterReadFilter, id)
	if err != nil {
		return nil, err
	}
	return out, audit.Record(ctx, tx, actor, "create", membershipType, id, nil, out)
}

// UpdateMembership corrects a membership entered by mistake: organisation,
// role or dates.
func (s *Store) UpdateMembership(ctx context.Context, actor user.Actor, id int64, in MembershipInput) (*Membership, error) {
	f := in.check(Today())
	var out *Membership
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := loadMembership(ctx, tx, actor, user.ClusterWriteFilter, id)
		if err != nil {
			return err
		}
		c, err := loadCluster(ctx, tx, actor, user.ClusterWriteFilter, cur.ClusterID)
		if err != nil {
			return err
		}
		if c.Archived() {
			return problem.Conflictf("%s is archived; restore it before changing its members.", c.Name)
		}
		keep := int64(0)
		if in.OrganisationID == cur.OrganisationID {
			keep = cur.OrganisationID
		}
		if err := checkMember(ctx, tx, actor, c, &in, keep, &f, id); err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE memberships SET organisation_id = $1, role = $2, joined_on = $3, left_on = $4,
			updated_at = $5 WHERE id = $6`, in.OrganisationID, in.Role, in.Joined, in.Left, db.Now(), id)
		if db.IsUniqueViolation(err) {
			return duplicateMembership()
		}
		if err != nil {
			return fmt.Errorf("update membership %d: %w", id, err)
		}
		if out, err = loadMembership(ctx, tx, user.System, user.ClusterReadFilter, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, "update", membershipType, id, cur, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// EndMembership ends a current membership on leftOn (YYYY-MM-DD).
func (s *Store) EndMembership(ctx context.Context, actor user.Actor, id int64, leftOn string) (*Membership, error) {
	var out *Membership
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := loadMembership(ctx, tx, actor, user.ClusterWriteFilter, id)
		if err != nil {
			return err
		}
		if !cur.Current() {
			return problem.Conflictf("This membership already ended on %s.", *cur.Left)
		}
		if err := ValidateLeft(leftOn, cur.Joined, Today()); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE memberships SET left_on = $1, updated_at = $2 WHERE id = $3`, leftOn, db.Now(), id); err != nil {
			return fmt.Errorf("end membership %d: %w", id, err)
		}
		if out, err = loadMembership(ctx, tx, user.System, user.ClusterReadFilter, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, "end", membershipType, id, cur, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func duplicateMembership() error {
	return &problem.Error{Kind: problem.Conflict, Message: "This organisation already has a membership of this cluster for that period.",
		Details: []problem.Detail{{Field: "organisation_id", Message: "already a member of this cluster for that period"}}}
}
