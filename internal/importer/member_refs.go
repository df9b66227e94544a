package importer

import (
	"context"
	"fmt"
	"strings"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/user"
)

// clusterRef is a cluster initiative the actor may read.
type clusterRef struct {
	ID        int64
	Name      string
	Archived  bool
	Writable  bool
	Countries map[string]bool
}

// orgRef is an organisation a membership row may name.
type orgRef struct {
	ID       int64
	Name     string
	Country  string
	Archived bool
	Readable bool
}

// memberRefs are the clusters and organisations a memberships file is
// checked against, read once per file.
type memberRefs struct {
	clusters     map[int64]*clusterRef
	clusterNamed map[string][]*clusterRef
	orgs         map[int64]*orgRef
	orgNamed     map[dupKey][]*orgRef
}

// loadClusters reads the clusters the actor may read, marking those they
// may change (add members to).
func loadClusters(ctx context.Context, q db.Querier, actor user.Actor) (*memberRefs, error) {
	m := &memberRefs{clusters: map[int64]*clusterRef{}, clusterNamed: map[string][]*clusterRef{},
		orgs: map[int64]*orgRef{}, orgNamed: map[dupKey][]*orgRef{}}
	read, args := user.ClusterReadFilter(actor, "c", 1)
	write, wargs := user.ClusterWriteFilter(actor, "c", len(args)+1)
	rows, err := q.QueryContext(ctx, `SELECT c.id, c.name, c.archived_at IS NOT NULL, CASE WHEN `+write+` THEN 1 ELSE 0 END
		FROM clusters c WHERE `+read, append(args, wargs...)...)
	if err != nil {
		return nil, fmt.Errorf("load clusters: %w", err)
	}
	for rows.Next() {
		c := &clusterRef{Countries: map[string]bool{}}
		var writable int
		if err := rows.Scan(&c.ID, &c.Name, &c.Archived, &writable); err != nil {
			rows.Close()
			return nil, err
		}
		c.Writable = writable == 1
		m.clusters[c.ID] = c
		k := normaliseName(c.Name)
		m.clusterNamed[k] = append(m.clusterNamed[k], c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT cluster_id, country_iso3 FROM cluster_countries`)
	if err != nil {
		return nil, fmt.Errorf("load cluster countries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var iso3 string
		if err := rows.Scan(&id, &iso3); err != nil {
			return nil, err
		}
		if c := m.clusters[id]; c != nil {
			c.Countries[iso3] = true
		}
	}
	return m, rows.Err()
}

// loadOrgs reads the organisations a file names: by ID, and every
// organisation of the countries named with organisation_country, noting
// which the actor may read.
func (m *memberRefs) loadOrgs(ctx context.Context, q db.Querier, actor user.Actor, ids []int64, countries []string) error {
	const chunk = 500
	for start := 0; start < len(ids); start += chunk {
		part := ids[start:min(start+chunk, len(ids))]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		if err := m.queryOrgs(ctx, q, actor, "o.id", args); err != nil {
			return err
		}
	}
	if len(countries) > 0 {
		args := make([]any, len(countries))
		for i, c := range countries {
			args[i] = c
		}
		return m.queryOrgs(ctx, q, actor, "o.country_iso3", args)
	}
	return nil
}

func (m *memberRefs) queryOrgs(ctx context.Context, q db.Querier, actor user.Actor, column string, args []any) error {
	marks := make([]string, len(args))
	for i := range args {
		marks[i] = fmt.Sprintf("$%d", i+1)
	}
	cond, more := user.OrgReadFilter(actor, "o", len(args)+1)
	rows, err := q.QueryContext(ctx, `SELECT o.id, o.name, o.country_iso3, o.archived_at IS NOT NULL, CASE WHEN `+cond+` THEN 1 ELSE 0 END
		FROM organisations o WHERE `+column+` IN (`+strings.Join(marks, ", ")+`)`, append(args, more...)...)
	if err != nil {
		return fmt.Errorf("load organisations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		o := &orgRef{}
		var readable int
		if err := rows.Scan(&o.ID, &o.Name, &o.Country, &o.Archived, &readable); err != nil {
			return err
		}
		o.Readable = readable == 1
		if m.orgs[o.ID] != nil {
			continue
		}
		m.orgs[o.ID] = o
		k := dupKey{normaliseName(o.Name), o.Country}
		m.orgNamed[k] = append(m.orgNamed[k], o)
	}
	return rows.Err()
}

// visible reports whether a membership row of cluster c may name
// organisation o: one the actor may read, or one located in the cluster's
// countries (the rule the cluster domain applies when members are added).
func (o *orgRef) visible(c *clusterRef) bool {
	return o.Readable || (c != nil && c.Countries[o.Country])
}
