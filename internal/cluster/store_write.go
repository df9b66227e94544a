package cluster

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// recordType names clusters in the audit log.
const recordType = "cluster"

// CreateCluster starts a cluster initiative. Only administrators, and BSO
// staff for their own BSO, may do so.
func (s *Store) CreateCluster(ctx context.Context, actor user.Actor, in Input) (*Cluster, error) {
	if actor.Role != user.Admin && actor.Role != user.BSOStaff {
		return nil, problem.Forbiddenf("Only administrators and BSO staff may start cluster initiatives.")
	}
	now := db.Now()
	f := in.check(now.Year())
	if !f.Has("lead_bso_id") && !user.CanCreateCluster(actor, in.LeadBSOID) {
		return nil, problem.Forbiddenf("You may only start cluster initiatives led by your own BSO.")
	}
	var out *Cluster
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := checkRefs(ctx, tx, actor, &in, nil, &f); err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO clusters (name, name_norm, sector, value_chain, description, stage,
			lead_bso_id, cluster_org_id, facilitator, started_year, created_at, updated_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$11) RETURNING id`,
			in.Name, NormaliseName(in.Name), in.Sector, in.ValueChain, in.Description, in.Stage,
			in.LeadBSOID, in.ClusterOrgID, in.Facilitator, in.StartedYear, now).Scan(&id)
		if err != nil {
			return fmt.Errorf("insert cluster: %w", err)
		}
		if err := replaceCodes(ctx, tx, id, in); err != nil {
			return err
		}
		if out, err = loadCluster(ctx, tx, user.System, user.ClusterReadFilter, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, "create", recordType, id, nil, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateCluster replaces a cluster initiative's properties, countries and
// industries in one transaction. Only administrators may hand a cluster to
// another lead BSO; archived initiatives must be restored first.
func (s *Store) UpdateCluster(ctx context.Context, actor user.Actor, id int64, in Input) (*Cluster, error) {
	now := db.Now()
	f := in.check(now.Year())
	var out *Cluster
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := loadCluster(ctx, tx, actor, user.ClusterWriteFilter, id)
		if err != nil {
			return err
		}
		if cur.Archived() {
			return problem.Conflictf("%s is archived; restore it before editing.", cur.Name)
		}
		if !f.Has("lead_bso_id") && in.LeadBSOID != cur.LeadBSOID && !actor.IsAdmin() {
			return problem.Forbiddenf("Only an administrator may change the lead BSO of a cluster initiative.")
		}
		if err := checkRefs(ctx, tx, actor, &in, cur, &f); err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE clusters SET name = $1, name_norm = $2, sector = $3, value_chain = $4,
			description = $5, stage = $6, lead_bso_id = $7, cluster_org_id = $8, facilitator = $9, started_year = $10,
			updated_at = $11 WHERE id = $12`,
			in.Name, NormaliseName(in.Name), in.Sector, in.ValueChain, in.Description, in.Stage,
			in.LeadBSOID, in.ClusterOrgID, in.Facilitator, in.StartedYear, now, id)
		if err != nil {
			return fmt.Errorf("update cluster %d: %w", id, err)
		}
		if err := replaceCodes(ctx, tx, id, in); err != nil {
			return err
		}
		if out, err = loadCluster(ctx, tx, user.System, user.ClusterReadFilter, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, "update", recordType, id, cur, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// replaceCodes stores exactly the input's countries and industries.
func replaceCodes(ctx context.Context, tx *sql.Tx, id int64, in Input) error {
	for _, stmt := range []string{`DELETE FROM cluster_countries WHERE cluster_id = $1`, `DELETE FROM cluster_industries WHERE cluster_id = $1`} {
		if _, err := tx.ExecContext(ctx, stmt, id); err != nil {
			return fmt.Errorf("cluster %d codes: %w", id, err)
		}
	}
	for _, c := range in.Countries {
		if _, err := tx.ExecContext(ctx, `INSERT INTO cluster_countries (cluster_id, country_iso3) VALUES ($1, $2)`, id, c); err != nil {
			return fmt.Errorf("cluster %d country %s: %w", id, c, err)
		}
	}
	for _, code := range in.Industries {
		if _, err := tx.ExecContext(ctx, `INSERT INTO cluster_industries (cluster_id, isic_code) VALUES ($1, $2)`, id, code); err != nil {
			return fmt.Errorf("cluster %d industry %s: %w", id, code, err)
		}
	}
	return nil
}

// ArchiveCluster takes a cluster initiative out of lists and counts; it is
// kept with its memberships and can be restored.
func (s *Store) ArchiveCluster(ctx context.Context, actor user.Actor, id int64) (*Cluster, error) {
	return s.setArchived(ctx, actor, id, true)
}

// RestoreCluster brings an archived cluster initiative back.
func (s *Store) RestoreCluster(ctx context.Context, actor user.Actor, id int64) (*Cluster, error) {
	return s.setArchived(ctx, actor, id, false)
}

// MayArchive reports whether the actor's role allows archiving clusters
// they may write: cluster managers run their cluster but do not decide
// whether it goes on.
func MayArchive(actor user.Actor) bool {
	return actor.Role == user.Admin || actor.Role == user.BSOStaff
}

func (s *Store) setArchived(ctx context.Context, actor user.Actor, id int64, archive bool) (*Cluster, error) {
	var out *Cluster
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := loadCluster(ctx, tx, actor, user.ClusterWriteFilter, id)
		if err != nil {
			return err
		}
		if !MayArchive(actor) {
			return problem.Forbiddenf("Only the lead BSO or an administrator may archive or restore a cluster initiative.")
		}
		if cur.Archived() == archive {
			// Already in the wanted state: nothing changes, nothing to audit.
			out = cur
			return nil
		}
		var at any
		action := "restore"
		if archive {
			at, action = db.Now(), "archive"
		}
		if _, err := tx.ExecContext(ctx, `UPDATE clusters SET archived_at = $1, updated_at = $2 WHERE id = $3`, at, db.Now(), id); err != nil {
			return fmt.Errorf("%s cluster %d: %w", action, id, err)
		}
		if out, err = loadCluster(ctx, tx, user.System, user.ClusterReadFilter, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, action, recordType, id, cur, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
