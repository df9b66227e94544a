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
	"github.com/clusterobservatory/observatory/internal/web"
)

// Store keeps cluster initiatives and memberships. Every method applies the
// actor's scope in its SQL; records outside it are reported as not found.
type Store struct {
	db *db.DB
	// profiles keeps rendered cluster profiles between views.
	profiles *web.Fragments
}

// NewStore returns a store on d.
func NewStore(d *db.DB) *Store { return &Store{db: d, profiles: web.NewFragments(d.Generation)} }

// DB is the store's database, for callers that write in the same transaction.
func (s *Store) DB() *db.DB { return s.db }

const clusterSelect = `SELECT c.id, c.name, c.sector, c.value_chain, c.description, c.stage,
	c.lead_bso_id, b.name, b.country_iso3, c.cluster_org_id, COALESCE(co.name, ''), c.facilitator, c.started_year,
	(SELECT COUNT(*) FROM memberships mc WHERE mc.cluster_id = c.id AND mc.left_on IS NULL) AS member_count,
	c.created_at, c.updated_at, c.archived_at
	FROM clusters c
	JOIN organisations b ON b.id = c.lead_bso_id
	LEFT JOIN organisations co ON co.id = c.cluster_org_id `

type scanner interface{ Scan(dest ...any) error }

func scanCluster(row scanner) (*Cluster, error) {
	var c Cluster
	var org, year sql.NullInt64
	var archived sql.NullTime
	err := row.Scan(&c.ID, &c.Name, &c.Sector, &c.ValueChain, &c.Description, &c.Stage,
		&c.LeadBSOID, &c.LeadBSOName, &c.LeadBSOCountry, &org, &c.ClusterOrgName, &c.Facilitator, &year,
		&c.MemberCount, &c.CreatedAt, &c.UpdatedAt, &archived)
	if err != nil {
		return nil, err
	}
	if org.Valid {
		c.ClusterOrgID = &org.Int64
	}
	if year.Valid {
		y := int(year.Int64)
		c.StartedYear = &y
	}
	if archived.Valid {
		t := archived.Time
		c.ArchivedAt = &t
	}
	c.Countries, c.Industries = []string{}, []string{}
	return &c, nil
}

// sortSQL maps the sort keys to ORDER BY clauses; ties fall back to the
// name and then the ID so that pages never repeat or skip a row.
func sortSQL(sort string) string {
	key, desc := strings.TrimPrefix(sort, "-"), strings.HasPrefix(sort, "-")
	dir := "ASC"
	if desc {
		dir = "DESC"
	}
	tail := ", c.name_norm, c.id"
	switch key {
	case "stage":
		var b strings.Builder
		b.WriteString("CASE c.stage")
		for _, st := range Stages {
			fmt.Fprintf(&b, " WHEN '%s' THEN %d", st, st.Order())
		}
		b.WriteString(" ELSE 0 END ")
		return b.String() + dir + tail
	case "sector":
		return "c.sector " + dir + tail
	case "members":
		return "member_count " + dir + tail
	case "started":
		// Unknown years go last in both directions and on both engines.
		return "CASE WHEN c.started_year IS NULL THEN 1 ELSE 0 END, c.started_year " + dir + tail
	case "created":
		return "c.created_at " + dir + ", c.id " + dir
	}
	return "c.name_norm " + dir + ", c.id " + dir
}

// FindClusters lists the cluster initiatives the actor may read that match
// the filter, with the total before paging.
func (s *Store) FindClusters(ctx context.Context, actor user.Actor, f Filter) ([]*Cluster, int, error) {
	var w where
	w.scope(user.ClusterReadFilter, actor, "c")
	if q := NormaliseName(f.Query); q != "" {
		w.add(`c.name_norm LIKE $%d ESCAPE '\'`, likePattern(q))
	}
	if f.Country != "" {
		w.add("EXISTS (SELECT 1 FROM cluster_countries fc WHERE fc.cluster_id = c.id AND fc.country_iso3 = $%d)", strings.ToUpper(f.Country))
	}
	if f.Sector != "" {
		w.add("c.sector = $%d", string(f.Sector))
	}
	if f.Stage != "" {
		w.add("c.stage = $%d", string(f.Stage))
	}
	if f.ISIC != "" {
		w.add(`EXISTS (SELECT 1 FROM cluster_industries fi WHERE fi.cluster_id = c.id AND fi.isic_code LIKE $%d ESCAPE '\')`,
			strings.TrimPrefix(likePattern(strings.TrimSpace(f.ISIC)), "%"))
	}
	if f.LeadBSO != 0 {
		w.add("c.lead_bso_id = $%d", f.LeadBSO)
	}
	if !f.IncludeArchived {
		w.raw("c.archived_at IS NULL")
	}
	total, err := s.db.Count(ctx, `SELECT COUNT(*) FROM clusters c `+w.String(), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("count clusters: %w", err)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	args := append(slices.Clone(w.args), f.Limit, max(f.Offset, 0))
	q := clusterSelect + w.String() + " ORDER BY " + sortSQL(f.Sort) +
		fmt.Sprintf(" LIMIT $%d OFFSET $%d", len(args)-1, len(args))
	rows, err := s.db.Read().QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find clusters: %w", err)
	}
	defer rows.Close()
	var out []*Cluster
	for rows.Next() {
		c, err := scanCluster(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if err := attachCodes(ctx, s.db.Read(), out); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// FindClusterByID returns one cluster initiative the actor may read,
// archived or not.
func (s *Store) FindClusterByID(ctx context.Context, actor user.Actor, id int64) (*Cluster, error) {
	return loadCluster(ctx, s.db.Read(), actor, user.ClusterReadFilter, id)
}

// loadCluster reads one cluster under a scope rule, through q (the read
// pool, or a transaction that must see its own writes).
func loadCluster(ctx context.Context, q db.Querier, actor user.Actor, rule func(user.Actor, string, int) (string, []any), id int64) (*Cluster, error) {
	var w where
	w.add("c.id = $%d", id)
	w.scope(rule, actor, "c")
	c, err := scanCluster(q.QueryRowContext(ctx, clusterSelect+w.String(), w.args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, problem.NotFoundf("No cluster initiative #%d.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("cluster %d: %w", id, err)
	}
	if err := attachCodes(ctx, q, []*Cluster{c}); err != nil {
		return nil, err
	}
	return c, nil
}

// attachCodes fills the countries and industries of clusters with one
// query, whatever their number (a round trip fewer for every cluster page
// than a query each). Countries list the lead BSO's first.
func attachCodes(ctx context.Context, q db.Querier, cs []*Cluster) error {
	if len(cs) == 0 {
		return nil
	}
	byID := make(map[int64]*Cluster, len(cs))
	ids := make([]any, len(cs))
	for i, c := range cs {
		byID[c.ID] = c
		ids[i] = c.ID
	}
	in := db.Placeholders(1, len(ids))
	rows, err := q.QueryContext(ctx, `SELECT 'c', cluster_id, country_iso3 FROM cluster_countries WHERE cluster_id IN (`+in+`)
		UNION ALL SELECT 'i', cluster_id, isic_code FROM cluster_industries WHERE cluster_id IN (`+in+`)
		ORDER BY 1, 2, 3`, ids...)
	if err != nil {
		return fmt.Errorf("cluster codes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, code string
		var id int64
		if err := rows.Scan(&kind, &id, &code); err != nil {
			return err
		}
		c := byID[id]
		switch {
		case c == nil:
		case kind == "i":
			c.Industries = append(c.Industries, code)
		case code == c.LeadBSOCountry:
			c.Countries = append([]string{code}, c.Countries...)
		default:
			c.Countries = append(c.Countries, code)
		}
	}
	return rows.Err()
}
