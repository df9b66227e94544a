package demo

import (
	"context"
	"database/sql"
	"slices"
	"time"

	clusterdomain "github.com/clusterobservatory/observatory/internal/cluster"
	"github.com/clusterobservatory/observatory/internal/db"
	orgdomain "github.com/clusterobservatory/observatory/internal/org"
)

// write stores the generated region with multi-row INSERTs, in dependency
// order: organisations, initiatives, their countries and industries, then
// memberships.
func (g *gen) write(ctx context.Context, tx *sql.Tx, d *db.DB) error {
	orgs := newTable("organisations", "id", "kind", "name", "name_norm", "country_iso3", "area_id", "isic_code", "size_band",
		"women_led", "youth_led", "founded_year", "website", "email", "phone", "contact_name", "description", "created_at", "updated_at")
	for _, o := range g.orgs {
		var areaID, isic, founded any
		if o.area.id != 0 {
			areaID = o.area.id
		}
		if o.isic != "" {
			isic = o.isic
		}
		if o.founded != 0 {
			founded = o.founded
		}
		orgs.add(o.id, o.kind, o.name, orgdomain.NormaliseName(o.name), o.country.iso3, areaID, isic, o.size,
			o.women, o.youth, founded, o.website, o.email, o.phone, o.contact, o.desc, o.created, o.updated)
	}
	clusters := newTable("clusters", "id", "name", "name_norm", "sector", "value_chain", "description", "stage",
		"lead_bso_id", "cluster_org_id", "facilitator", "started_year", "created_at", "updated_at")
	countries := newTable("cluster_countries", "cluster_id", "country_iso3")
	industries := newTable("cluster_industries", "cluster_id", "isic_code")
	for _, k := range g.clusters {
		var orgID any
		if k.clusterOrg != nil {
			orgID = k.clusterOrg.id
		}
		clusters.add(k.id, k.name, clusterdomain.NormaliseName(k.name), k.theme.sector, k.theme.chain.in(k.countries[0].lang), k.desc, k.stage,
			k.lead.id, orgID, k.facilitator, k.started, k.created, k.updated)
		isos := make([]string, len(k.countries))
		for i, c := range k.countries {
			isos[i] = c.iso3
		}
		slices.Sort(isos)
		for _, iso := range isos {
			countries.add(k.id, iso)
		}
		for _, code := range k.theme.isic {
			industries.add(k.id, code)
		}
	}
	members := newTable("memberships", "id", "cluster_id", "organisation_id", "role", "joined_on", "left_on", "created_at", "updated_at")
	for _, m := range g.members {
		var left any
		updated := m.joined
		if !m.left.IsZero() {
			left = dateText(m.left)
			updated = m.left
		}
		created := m.joined.Add(recordHour(m.id))
		members.add(m.id, m.cluster.id, m.org.id, m.role, dateText(m.joined), left, created, maxTime(created, updated.Add(recordHour(m.id+1))))
	}
	for _, t := range []*table{orgs, clusters, countries, industries, members} {
		if err := t.write(ctx, tx, d.Dialect); err != nil {
			return err
		}
	}
	return syncIdentity(ctx, tx, d, "organisations", "clusters", "memberships")
}

// recordHour spreads the time of day at which membership records were
// entered over office hours, deterministically.
func recordHour(n int64) time.Duration {
	return time.Duration(8+n%10)*time.Hour + time.Duration(n*7%60)*time.Minute
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
