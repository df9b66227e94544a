package cluster

import (
	"context"
	"fmt"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// checkMember adds field problems for a membership of cluster c: the
// organisation must exist, not be archived (unless it is the one the
// membership already had, kept), and be one the actor may read or one
// located in the cluster's countries; and its periods in the cluster must
// not overlap. except lists memberships to leave out of the overlap check
// (the one being corrected).
func checkMember(ctx context.Context, q db.Querier, actor user.Actor, c *Cluster, in *MembershipInput, kept int64, f *problem.Fields, except ...int64) error {
	if f.Has("organisation_id") {
		return nil
	}
	o, ok, err := findOrg(ctx, q, in.OrganisationID)
	if err != nil {
		return err
	}
	visible := ok && in.OrganisationID == kept
	if ok && !visible {
		inCountry := false
		for _, cc := range c.Countries {
			inCountry = inCountry || cc == o.Country
		}
		if visible = inCountry; !visible {
			if visible, err = orgReadable(ctx, q, actor, o.ID); err != nil {
				return err
			}
		}
	}
	switch {
	case !visible:
		f.Add("organisation_id", "There is no organisation #%d that you may add to this cluster.", in.OrganisationID)
		return nil
	case o.Archived && o.ID != kept:
		f.Add("organisation_id", "%s is archived and cannot join a cluster.", o.Name)
		return nil
	}
	if f.Has("joined") || f.Has("left") {
		return nil
	}
	rows, err := q.QueryContext(ctx, `SELECT id, joined_on, left_on FROM memberships WHERE cluster_id = $1 AND organisation_id = $2`,
		c.ID, in.OrganisationID)
	if err != nil {
		return fmt.Errorf("check membership periods: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var joined string
		var left *string
		if err := rows.Scan(&id, &joined, &left); err != nil {
			return err
		}
		if containsID(except, id) || !overlaps(in.Joined, in.Left, joined, left) {
			continue
		}
		switch {
		case left == nil && in.Left == nil:
			f.Add("organisation_id", "%s is already a current member of %s (since %s); end that membership first.", o.Name, c.Name, joined)
		case left == nil:
			f.Add("joined", "%s has been a member of %s since %s; the periods cannot overlap.", o.Name, c.Name, joined)
		default:
			f.Add("joined", "%s was a member of %s from %s to %s; the periods cannot overlap.", o.Name, c.Name, joined, *left)
		}
		break
	}
	return rows.Err()
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
