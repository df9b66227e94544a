package demo

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"
)

// area is a first-level subdivision firms are placed in.
type area struct {
	id   int64
	name string
}

// country is a programme country with what the generator has made in it.
type country struct {
	*profile
	name     string // as the reference data spells it
	areas    []area // areas with no sub-areas, in ID order
	areaW    []float64
	areaByNm map[string]area
	bsos     []*org
	research []*org
	gov      []*org
	firms    []*org
	clusters []*cluster // clusters the country takes part in, domestic and cross-border
}

// org is one organisation row, with what the generator needs to know about it.
type org struct {
	id                    int64
	kind, name            string
	country               *country
	area                  area
	isic                  string
	size                  string
	women, youth          bool
	founded               int
	website, email, phone string
	contact, desc         string
	created, updated      time.Time
	sectors               []string // institutions: the sectors they work in
	sector                string   // firms: the sector of their industry, "" when unrelated
	memberships           int
	firstJoined           time.Time
}

// cluster is one cluster initiative.
type cluster struct {
	id               int64
	name             string
	theme            *theme
	countries        []*country // the lead country first
	town             *town      // the town it is named after, nil for a national initiative
	stage            string
	lead             *org
	clusterOrg       *org
	facilitator      string
	desc             string
	started          int
	start, closed    time.Time // closed is zero unless the stage is closed
	created, updated time.Time
	target           int // how many members it should end with
}

// membership is one organisation's time in a cluster initiative.
type membership struct {
	id           int64
	cluster      *cluster
	org          *org
	role         string
	joined, left time.Time // left is zero while the membership is open
}

// gen builds the region in memory before a single batch write.
type gen struct {
	scale     int
	countries []*country
	byISO     map[string]*country
	classes   map[string]bool
	orgs      []*org
	clusters  []*cluster
	members   []*membership
	orgNames  map[string]bool // normalised names in use
	emails    map[string]bool
	hosts     map[string]bool // invented web hosts in use
	// sectorCount tallies initiatives per sector as they are created.
	sectorCount map[string]int
}

func (g *gen) newOrg(kind, name string, c *country, a area) *org {
	o := &org{id: int64(len(g.orgs) + 1), kind: kind, name: name, country: c, area: a}
	g.orgs = append(g.orgs, o)
	g.orgNames[orgKey(name)] = true
	return o
}

// load reads the programme countries, their areas and the ISIC classes, and
// checks that every profile, town and industry code the generator uses exists.
func load(ctx context.Context, tx *sql.Tx, scale int) (*gen, error) {
	g := &gen{scale: scale, byISO: map[string]*country{}, classes: map[string]bool{}, orgNames: map[string]bool{}, emails: map[string]bool{}, hosts: map[string]bool{}, sectorCount: map[string]int{}}
	rows, err := tx.QueryContext(ctx, `SELECT iso3, name FROM countries WHERE in_region ORDER BY iso3`)
	if err != nil {
		return nil, err
	}
	var region []string
	names := map[string]string{}
	for rows.Next() {
		var iso, name string
		if err := rows.Scan(&iso, &name); err != nil {
			rows.Close()
			return nil, err
		}
		region = append(region, iso)
		names[iso] = name
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(region) == 0 {
		return nil, fmt.Errorf("no programme countries in the reference data: load it (observatory migrate) first")
	}
	for _, iso := range region {
		p := profileOf(iso)
		if p == nil {
			return nil, fmt.Errorf("country %s is in the programme region but the demo has no profile for it", iso)
		}
		c := &country{profile: p, name: names[iso], areaByNm: map[string]area{}}
		g.countries = append(g.countries, c)
		g.byISO[iso] = c
	}
	if err := g.loadAreas(ctx, tx); err != nil {
		return nil, err
	}
	if err := g.loadClasses(ctx, tx); err != nil {
		return nil, err
	}
	return g, nil
}

func profileOf(iso string) *profile {
	for _, p := range profiles {
		if p.iso3 == iso {
			return p
		}
	}
	return nil
}

func (g *gen) loadAreas(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT a.id, a.country_iso3, a.name FROM areas a
		WHERE NOT EXISTS (SELECT 1 FROM areas s WHERE s.country_iso3 = a.country_iso3 AND s.parent_code <> '' AND s.parent_code = a.code)
		ORDER BY a.id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var a area
		var iso string
		if err := rows.Scan(&a.id, &iso, &a.name); err != nil {
			return err
		}
		c := g.byISO[iso]
		if c == nil {
			continue
		}
		w, ok := c.areaWeight[a.name]
		if !ok {
			w = defaultAreaWeight
		}
		c.areaByNm[a.name] = a
		if w > 0 {
			c.areas = append(c.areas, a)
			c.areaW = append(c.areaW, w)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range g.countries {
		if len(c.areas) == 0 {
			return fmt.Errorf("country %s has no areas in the reference data", c.iso3)
		}
		for _, t := range c.towns {
			if _, ok := c.areaByNm[t.area]; !ok {
				return fmt.Errorf("demo profile %s: the town %s lies in %q, which is not an area of the country", c.iso3, t.name, t.area)
			}
		}
	}
	return nil
}

func (g *gen) loadClasses(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT code FROM isic_codes WHERE level = 'class'`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return err
		}
		g.classes[code] = true
	}
	if err := rows.Err(); err != nil {
		return err
	}
	var missing []string
	for _, code := range usedClasses() {
		if !g.classes[code] {
			missing = append(missing, code)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("ISIC Rev.4 classes missing from the reference data: %s", strings.Join(missing, ", "))
	}
	return nil
}

// usedClasses lists every ISIC class the generator may write, sorted.
func usedClasses() []string {
	seen := map[string]bool{}
	var out []string
	add := func(codes ...string) {
		for _, c := range codes {
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	for _, t := range themes {
		add(t.isic...)
	}
	for _, o := range otherIndustries {
		add(o.isic)
	}
	for _, list := range bsoTemplates {
		for _, t := range list {
			add(t.isic)
		}
	}
	for _, list := range otherTemplates {
		for _, t := range list {
			add(t.isic)
		}
	}
	for _, t := range branchTemplates {
		add(t.isic)
	}
	for _, r := range regionalBodies {
		add(r.inst.isic)
	}
	add(clusterOrgISIC)
	sort.Strings(out)
	return out
}
