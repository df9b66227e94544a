package cluster

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// orgRef is what the checks need to know about an organisation.
type orgRef struct {
	ID       int64
	Name     string
	Kind     string
	Country  string
	Archived bool
}

// findOrg reads an organisation; ok is false when there is none.
func findOrg(ctx context.Context, q db.Querier, id int64) (orgRef, bool, error) {
	var o orgRef
	var archived sql.NullTime
	err := q.QueryRowContext(ctx, `SELECT id, name, kind, country_iso3, archived_at FROM organisations WHERE id = $1`, id).
		Scan(&o.ID, &o.Name, &o.Kind, &o.Country, &archived)
	if errors.Is(err, sql.ErrNoRows) {
		return o, false, nil
	}
	if err != nil {
		return o, false, fmt.Errorf("organisation %d: %w", id, err)
	}
	o.Archived = archived.Valid
	return o, true, nil
}

// orgReadable reports whether the actor may read organisation id.
func orgReadable(ctx context.Context, q db.Querier, actor user.Actor, id int64) (bool, error) {
	var w where
	w.add("o.id = $%d", id)
	w.scope(user.OrgReadFilter, actor, "o")
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM organisations o `+w.String(), w.args...).Scan(&n)
	return n > 0, err
}

// missingCodes returns the codes that the query (taking the codes as $1…)
// does not return.
func missingCodes(ctx context.Context, q db.Querier, query string, codes []string) ([]string, error) {
	if len(codes) == 0 {
		return nil, nil
	}
	rows, err := q.QueryContext(ctx, fmt.Sprintf(query, db.Placeholders(1, len(codes))), anyOf(codes)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	found := map[string]bool{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		found[c] = true
	}
	var missing []string
	for _, c := range codes {
		if !found[c] {
			missing = append(missing, c)
		}
	}
	return missing, rows.Err()
}

// checkRefs adds field problems for references that do not hold: unknown
// countries or ISIC classes, a lead BSO that is not a usable BSO or whose
// country is not among the cluster's, a cluster organisation that is not
// one. cur is the stored cluster when editing (nil when creating):
// references it already had are not refused for having been archived since.
func checkRefs(ctx context.Context, q db.Querier, actor user.Actor, in *Input, cur *Cluster, f *problem.Fields) error {
	if !f.Has("countries") {
		missing, err := missingCodes(ctx, q, `SELECT iso3 FROM countries WHERE iso3 IN (%s)`, in.Countries)
		if err != nil {
			return fmt.Errorf("check countries: %w", err)
		}
		if len(missing) > 0 {
			f.Add("countries", "Unknown country code: %s.", strings.Join(missing, ", "))
		}
	}
	if !f.Has("industries") {
		missing, err := missingCodes(ctx, q, `SELECT code FROM isic_codes WHERE level = 'class' AND code IN (%s)`, in.Industries)
		if err != nil {
			return fmt.Errorf("check industries: %w", err)
		}
		if len(missing) > 0 {
			f.Add("industries", "Not an ISIC Rev.4 class: %s.", strings.Join(missing, ", "))
		}
	}
	if !f.Has("lead_bso_id") {
		kept := cur != nil && cur.LeadBSOID == in.LeadBSOID
		o, ok, err := findOrg(ctx, q, in.LeadBSOID)
		switch {
		case err != nil:
			return err
		case !ok:
			f.Add("lead_bso_id", "There is no organisation #%d.", in.LeadBSOID)
		case o.Kind != "bso":
			f.Add("lead_bso_id", "%s is not a BSO; the lead must be a business support organisation.", o.Name)
		case o.Archived && !kept:
			f.Add("lead_bso_id", "%s is archived and cannot lead a cluster initiative.", o.Name)
		case !f.Has("countries") && !slices.Contains(in.Countries, o.Country):
			f.Add("countries", "The lead BSO %s is in %s, which must be one of the cluster's countries.", o.Name, o.Country)
		}
	}
	if in.ClusterOrgID != nil {
		id := *in.ClusterOrgID
		kept := cur != nil && cur.ClusterOrgID != nil && *cur.ClusterOrgID == id
		o, ok, err := findOrg(ctx, q, id)
		if err != nil {
			return err
		}
		readable := kept
		if ok && !kept {
			if readable, err = orgReadable(ctx, q, actor, id); err != nil {
				return err
			}
		}
		switch {
		case !ok || !readable:
			f.Add("cluster_org_id", "There is no organisation #%d that you may choose.", id)
		case o.Kind != "cluster_org":
			f.Add("cluster_org_id", "%s is not a cluster organisation.", o.Name)
		case o.Archived && !kept:
			f.Add("cluster_org_id", "%s is archived.", o.Name)
		}
	}
	return nil
}
