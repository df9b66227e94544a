package event

import (
	"context"
	"fmt"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/refdata"
	"github.com/clusterobservatory/observatory/internal/user"
)

// Option is a record offered in a select: a cluster or an organisation.
type Option struct {
	ID      int64
	Name    string
	Country string
}

// Country is a country for forms and filters.
type Country struct {
	ISO3 string
	Name string
}

// Countries lists the platform's reference countries by name.
func (s *Store) Countries(ctx context.Context) ([]Country, map[string]string, error) {
	n, err := refdata.NamesOf(ctx, s.db)
	if err != nil {
		return nil, nil, err
	}
	out := make([]Country, len(n.CountryList))
	names := make(map[string]string, len(n.CountryList))
	for i, c := range n.CountryList {
		out[i] = Country{ISO3: c.ISO3, Name: c.Name}
		names[c.ISO3] = c.Name
	}
	return out, names, nil
}

// ClusterOptions lists the active cluster initiatives the actor may read,
// plus those in keep (an edited event's own), by name.
func (s *Store) ClusterOptions(ctx context.Context, actor user.Actor, keep []int64) ([]Option, error) {
	var w where
	cond, args := user.ClusterReadFilter(actor, "c", 1)
	w.args = args
	keepCond := "1=0"
	if len(keep) > 0 {
		keepCond = "c.id IN (" + db.Placeholders(len(w.args)+1, len(keep)) + ")"
		for _, id := range keep {
			w.args = append(w.args, id)
		}
	}
	w.raw(fmt.Sprintf("((c.archived_at IS NULL AND %s) OR %s)", cond, keepCond))
	rows, err := s.db.Read().QueryContext(ctx, `SELECT c.id, c.name, COALESCE(b.country_iso3, '') FROM clusters c
		JOIN organisations b ON b.id = c.lead_bso_id `+w.String()+` ORDER BY c.name_norm, c.id LIMIT 2000`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("cluster options: %w", err)
	}
	return scanOptions(rows)
}

// OrganiserOptions lists the organisations the actor may choose as an
// organiser: active organisations within their scope that are not firms
// (BSOs, cluster organisations, public bodies, research, funders, NGOs),
// plus current (the stored organiser, 0 when creating).
func (s *Store) OrganiserOptions(ctx context.Context, actor user.Actor, current int64) ([]Option, error) {
	cond, args := user.OrgReadFilter(actor, "o", 2)
	rows, err := s.db.Read().QueryContext(ctx, `SELECT o.id, o.name, o.country_iso3 FROM organisations o
		WHERE o.id = $1 OR (o.kind <> 'firm' AND o.archived_at IS NULL AND `+cond+`)
		ORDER BY o.name_norm, o.id LIMIT 2000`, append([]any{current}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("organiser options: %w", err)
	}
	return scanOptions(rows)
}

// AttendeeCandidates lists the organisations the edit form offers for new
// attendee rows: members (past or present) of the event's clusters and
// the organiser, active and within the actor's scope, that are not yet
// listed.
func (s *Store) AttendeeCandidates(ctx context.Context, actor user.Actor, e *Event) ([]Option, error) {
	ids := e.ClusterIDs()
	if len(ids) == 0 {
		return nil, nil
	}
	args := []any{e.ID, e.OrganiserID}
	for _, id := range ids {
		args = append(args, id)
	}
	cond, sargs := user.OrgReadFilter(actor, "o", len(args)+1)
	rows, err := s.db.Read().QueryContext(ctx, `SELECT o.id, o.name, o.country_iso3 FROM organisations o
		WHERE o.archived_at IS NULL AND `+cond+`
		AND (o.id = $2 OR o.id IN (SELECT m.organisation_id FROM memberships m WHERE m.cluster_id IN (`+db.Placeholders(3, len(ids))+`)))
		AND o.id NOT IN (SELECT a.organisation_id FROM event_attendees a WHERE a.event_id = $1)
		ORDER BY o.name_norm, o.id LIMIT 1000`, append(args, sargs...)...)
	if err != nil {
		return nil, fmt.Errorf("attendee candidates: %w", err)
	}
	return scanOptions(rows)
}

type rowsScanner interface {
	Next() bool
	Scan(...any) error
	Err() error
	Close() error
}

func scanOptions(rows rowsScanner) ([]Option, error) {
	defer rows.Close()
	var out []Option
	for rows.Next() {
		var o Option
		if err := rows.Scan(&o.ID, &o.Name, &o.Country); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}
