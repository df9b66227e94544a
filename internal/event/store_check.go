package event

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// orgRef is what the checks need to know about an organisation.
type orgRef struct {
	Name     string
	Archived bool
	Readable bool // within the actor's organisation scope
}

// findOrgs reads the organisations among ids, with whether the actor may
// read each; IDs with no organisation are absent from the map.
func findOrgs(ctx context.Context, q db.Querier, actor user.Actor, ids []int64) (map[int64]orgRef, error) {
	out := map[int64]orgRef{}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		scope, sargs := user.OrgReadFilter(actor, "o", len(args)+1)
		rows, err := q.QueryContext(ctx, `SELECT o.id, o.name, o.archived_at, CASE WHEN `+scope+` THEN 1 ELSE 0 END
			FROM organisations o WHERE o.id IN (`+db.Placeholders(1, len(args))+`)`, append(args, sargs...)...)
		if err != nil {
			return nil, fmt.Errorf("check organisations: %w", err)
		}
		for rows.Next() {
			var id int64
			var o orgRef
			var archived sql.NullTime
			var readable int
			if err := rows.Scan(&id, &o.Name, &archived, &readable); err != nil {
				rows.Close()
				return nil, err
			}
			o.Archived, o.Readable = archived.Valid, readable == 1
			out[id] = o
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// checkRefs adds field problems for references that do not hold: an
// unknown country, an organiser or cluster that does not exist, is outside
// the actor's scope or is archived. cur is the stored event when editing
// (nil when creating): what it already refers to is not refused for having
// been archived or left the actor's scope since.
func checkRefs(ctx context.Context, q db.Querier, actor user.Actor, in *Input, cur *Event, f *problem.Fields) error {
	if in.Country != "" && !f.Has("country") {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM countries WHERE iso3 = $1`, in.Country).Scan(&n); err != nil {
			return fmt.Errorf("check country: %w", err)
		}
		if n == 0 {
			f.Add("country", "Unknown country code %s.", in.Country)
		}
	}
	if !f.Has("organiser_id") {
		kept := cur != nil && cur.OrganiserID == in.OrganiserID
		orgs, err := findOrgs(ctx, q, actor, []int64{in.OrganiserID})
		if err != nil {
			return err
		}
		o, ok := orgs[in.OrganiserID]
		switch {
		case !ok || (!o.Readable && !kept):
			f.Add("organiser_id", "There is no organisation #%d that you may choose.", in.OrganiserID)
		case o.Archived && !kept:
			f.Add("organiser_id", "%s is archived and cannot organise new events.", o.Name)
		}
	}
	if !f.Has("cluster_ids") {
		var had []int64
		if cur != nil {
			had = cur.ClusterIDs()
		}
		if err := checkClusters(ctx, q, actor, in.ClusterIDs, had, f); err != nil {
			return err
		}
	}
	if in.Attendees != nil && !f.Has("attendees") {
		kept := map[int64]bool{}
		if cur != nil {
			ids, err := attendeeIDs(ctx, q, cur.ID)
			if err != nil {
				return err
			}
			for _, id := range ids {
				kept[id] = true
			}
		}
		err := checkAttendeeRefs(ctx, q, actor, *in.Attendees, kept, func(i int, format string, args ...any) {
			*f = append(*f, problem.Detail{Row: i + 1, Field: "attendees", Message: fmt.Sprintf(format, args...)})
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// checkClusters refuses clusters that do not exist, that the actor may not
// read, or that are archived, unless the event already had them.
func checkClusters(ctx context.Context, q db.Querier, actor user.Actor, ids, had []int64, f *problem.Fields) error {
	if len(ids) == 0 {
		return nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	scope, sargs := user.ClusterReadFilter(actor, "c", len(args)+1)
	rows, err := q.QueryContext(ctx, `SELECT c.id, c.name, c.archived_at, CASE WHEN `+scope+` THEN 1 ELSE 0 END
		FROM clusters c WHERE c.id IN (`+db.Placeholders(1, len(args))+`)`, append(args, sargs...)...)
	if err != nil {
		return fmt.Errorf("check clusters: %w", err)
	}
	defer rows.Close()
	type ref struct {
		name               string
		archived, readable bool
	}
	found := map[int64]ref{}
	for rows.Next() {
		var id int64
		var r ref
		var archived sql.NullTime
		var readable int
		if err := rows.Scan(&id, &r.name, &archived, &readable); err != nil {
			return err
		}
		r.archived, r.readable = archived.Valid, readable == 1
		found[id] = r
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range ids {
		r, ok := found[id]
		kept := contains(had, id)
		switch {
		case !ok || (!r.readable && !kept):
			f.Add("cluster_ids", "There is no cluster initiative #%d that you may choose.", id)
		case r.archived && !kept:
			f.Add("cluster_ids", "%s is archived; restore it before recording events for it.", r.name)
		}
	}
	return nil
}

// checkAttendeeRefs reports, through bad (with the row's index), rows whose
// organisation does not exist, is outside the actor's scope or is
// archived; organisations in kept (already listed) are not refused for
// scope or archiving.
func checkAttendeeRefs(ctx context.Context, q db.Querier, actor user.Actor, rows []AttendeeInput, kept map[int64]bool,
	bad func(i int, format string, args ...any)) error {
	ids := make([]int64, 0, len(rows))
	for _, r := range rows {
		if r.OrganisationID > 0 {
			ids = append(ids, r.OrganisationID)
		}
	}
	orgs, err := findOrgs(ctx, q, actor, ids)
	if err != nil {
		return err
	}
	for i, r := range rows {
		if r.OrganisationID <= 0 {
			continue
		}
		o, ok := orgs[r.OrganisationID]
		switch {
		case !ok || (!o.Readable && !kept[r.OrganisationID]):
			bad(i, "There is no organisation #%d that you may choose.", r.OrganisationID)
		case o.Archived && !kept[r.OrganisationID]:
			bad(i, "%s is archived.", o.Name)
		}
	}
	return nil
}

// attendeeIDs lists the organisations an event has as attendees.
func attendeeIDs(ctx context.Context, q db.Querier, eventID int64) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT organisation_id FROM event_attendees WHERE event_id = $1`, eventID)
	if err != nil {
		return nil, fmt.Errorf("event %d attendees: %w", eventID, err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
