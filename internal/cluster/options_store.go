package cluster

import (
	"context"
	"fmt"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/refdata"
	"github.com/clusterobservatory/observatory/internal/user"
)

// Country is a country a cluster may be in, for forms and filters.
type Country struct {
	ISO3 string
	Name string
}

// OrgOption is an organisation offered in a select.
type OrgOption struct {
	ID      int64
	Name    string
	Kind    string
	Country string
}

// KindCount is how many current members of one organisation kind a cluster has.
type KindCount struct {
	Kind  string
	Count int
}

// Countries lists the platform's countries by name.
func (s *Store) Countries(ctx context.Context) ([]Country, error) {
	n, err := refdata.NamesOf(ctx, s.db)
	if err != nil {
		return nil, err
	}
	out := make([]Country, len(n.CountryList))
	for i, c := range n.CountryList {
		out[i] = Country{ISO3: c.ISO3, Name: c.Name}
	}
	return out, nil
}

// ISICTitles returns the titles of ISIC codes; unknown codes are left out.
func (s *Store) ISICTitles(ctx context.Context, codes []string) (map[string]string, error) {
	n, err := refdata.NamesOf(ctx, s.db)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(codes))
	for _, code := range codes {
		if t, ok := n.ISIC[code]; ok {
			out[code] = t
		}
	}
	return out, nil
}

// LeadBSOOptions lists the BSOs the actor may choose as a cluster's lead:
// every active BSO for administrators, their own for BSO staff, none for
// others; current (the stored lead, 0 when creating) is always included.
func (s *Store) LeadBSOOptions(ctx context.Context, actor user.Actor, current int64) ([]OrgOption, error) {
	var w where
	w.raw("o.kind = 'bso'")
	switch actor.Role {
	case user.Admin:
		w.add("(o.archived_at IS NULL OR o.id = $%d)", current)
	case user.BSOStaff:
		n := w.next()
		w.args = append(w.args, actor.Scope.IntID(), current)
		w.raw(fmt.Sprintf("((o.archived_at IS NULL AND o.id = $%d) OR o.id = $%d)", n, n+1))
	default:
		w.add("o.id = $%d", current)
	}
	return s.orgOptions(ctx, w, 1000)
}

// ClusterOrgOptions lists the active cluster organisations the actor may
// read, plus current (the stored one, 0 for none).
func (s *Store) ClusterOrgOptions(ctx context.Context, actor user.Actor, current int64) ([]OrgOption, error) {
	var w where
	w.raw("o.kind = 'cluster_org'")
	cond, args := user.OrgReadFilter(actor, "o", w.next()+1)
	w.add("(o.id = $%d OR (o.archived_at IS NULL AND "+cond+"))", current)
	w.args = append(w.args, args...)
	return s.orgOptions(ctx, w, 1000)
}

// MemberCandidates lists organisations that could join cluster c: active,
// in one of its countries, readable by the actor, not current members,
// and whose name contains query (accents and case ignored).
func (s *Store) MemberCandidates(ctx context.Context, actor user.Actor, c *Cluster, query string, limit int) ([]OrgOption, error) {
	if len(c.Countries) == 0 {
		return nil, nil
	}
	var w where
	w.raw("o.archived_at IS NULL")
	w.args = append(w.args, anyOf(c.Countries)...)
	w.raw("o.country_iso3 IN (" + db.Placeholders(1, len(c.Countries)) + ")")
	w.scope(user.OrgReadFilter, actor, "o")
	w.add("NOT EXISTS (SELECT 1 FROM memberships mo WHERE mo.organisation_id = o.id AND mo.cluster_id = $%d AND mo.left_on IS NULL)", c.ID)
	if q := NormaliseName(query); q != "" {
		w.add(`o.name_norm LIKE $%d ESCAPE '\'`, likePattern(q))
	}
	return s.orgOptions(ctx, w, limit)
}

func (s *Store) orgOptions(ctx context.Context, w where, limit int) ([]OrgOption, error) {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT o.id, o.name, o.kind, o.country_iso3 FROM organisations o `+w.String()+
		fmt.Sprintf(" ORDER BY o.name_norm, o.id LIMIT %d", limit), w.args...)
	if err != nil {
		return nil, fmt.Errorf("organisation options: %w", err)
	}
	defer rows.Close()
	var out []OrgOption
	for rows.Next() {
		var o OrgOption
		if err := rows.Scan(&o.ID, &o.Name, &o.Kind, &o.Country); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// MemberKinds counts a cluster's current members by organisation kind,
// largest first.
func (s *Store) MemberKinds(ctx context.Context, actor user.Actor, clusterID int64) ([]KindCount, error) {
	var w where
	w.add("m.cluster_id = $%d", clusterID)
	w.raw("m.left_on IS NULL")
	w.scope(user.ClusterReadFilter, actor, "c")
	rows, err := s.db.Read().QueryContext(ctx, `SELECT o.kind, COUNT(*) AS n FROM memberships m
		JOIN clusters c ON c.id = m.cluster_id JOIN organisations o ON o.id = m.organisation_id `+w.String()+
		` GROUP BY o.kind ORDER BY n DESC, o.kind`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("member kinds: %w", err)
	}
	defer rows.Close()
	var out []KindCount
	for rows.Next() {
		var k KindCount
		if err := rows.Scan(&k.Kind, &k.Count); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}
