package demo

import (
	"math"
	"slices"
	"strings"
	"time"
)

// The lifecycle stages with their share of initiatives, the years such
// initiatives started in and the size they reach (members, institutions
// included). Mature initiatives dominate a programme that has run for years.
var stages = []struct {
	key          string
	share        float64
	from, to     int
	minMb, maxMb int
}{
	{"identified", 8, 2024, 2025, 8, 14},
	{"applying", 8, 2024, 2025, 8, 20},
	{"diagnosed", 12, 2023, 2025, 10, 28},
	{"plan_approved", 14, 2022, 2024, 12, 36},
	{"implementing", 30, 2020, 2024, 15, 60},
	{"sustaining", 20, 2019, 2022, 20, 60},
	{"closed", 8, 2019, 2022, 8, 40},
}

// Per unit of scale: initiatives in all, of which cross-border.
const (
	clustersPerScale    = 120
	crossBorderPerScale = 6
	minClustersPerScale = 3 // every country has at least this many
)

// clusterInitiatives creates the national and cross-border initiatives.
func (g *gen) clusterInitiatives() {
	r := newRNG(g.scale, streamClusters)
	domestic := (clustersPerScale - crossBorderPerScale) * g.scale
	floor := minClustersPerScale * g.scale
	weights := make([]float64, len(g.countries))
	for i, c := range g.countries {
		weights[i] = c.weight
	}
	counts := allocate(domestic-floor*len(g.countries), weights)
	for i, c := range g.countries {
		used := map[string]int{}
		for range floor + counts[i] {
			t := g.pickTheme(r, c, used)
			used[t.key]++
			k := g.newCluster(r, t, []*country{c})
			k.town, k.name = g.domesticName(r, c, t, used[t.key] == 1)
			k.desc = describe(c.lang, t, placeIn(c, k.town), k.lead.name)
		}
	}
	g.crossBorder(r)
}

// pickTheme draws a sector by the regional mix and the country's emphasis,
// then one of the country's chains in it, favouring chains it has no
// initiative in yet. Sectors already ahead of their regional share are
// damped, so the mix holds whatever the draws of earlier countries.
func (g *gen) pickTheme(r *rng, c *country, used map[string]int) *theme {
	ws := make([]float64, len(sectors))
	total := 0.0
	for _, s := range sectors {
		total += s.share
	}
	for i, s := range sectors {
		if !slices.ContainsFunc(c.themes, func(k string) bool { return themeByKey(k).sector == s.key }) {
			continue
		}
		e, ok := c.emphasis[s.key]
		if !ok {
			e = 1
		}
		ahead := float64(g.sectorCount[s.key]) - s.share/total*float64(len(g.clusters))
		ws[i] = s.share * e * math.Exp(-0.6*ahead)
	}
	sector := sectors[r.weighted(ws)].key
	var cands []*theme
	var cw []float64
	for _, k := range c.themes {
		if t := themeByKey(k); t.sector == sector {
			cands = append(cands, t)
			cw = append(cw, 1/(1+2*float64(used[k])))
		}
	}
	return cands[r.weighted(cw)]
}

// newCluster creates an initiative in the given countries (lead first), with
// its stage, dates, lead BSO, facilitator and, for mature ones, often a
// cluster organisation of its own.
func (g *gen) newCluster(r *rng, t *theme, cs []*country) *cluster {
	sw := make([]float64, len(stages))
	for i, s := range stages {
		sw[i] = s.share
	}
	st := stages[r.weighted(sw)]
	k := &cluster{id: int64(len(g.clusters) + 1), theme: t, countries: cs, stage: st.key}
	k.started = r.between(st.from, st.to)
	k.start = r.day(time.Date(k.started, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(k.started, 12, 31, 0, 0, 0, 0, time.UTC))
	if k.stage == "closed" {
		from := k.start.AddDate(2, 0, 0)
		if from.Before(time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)) {
			from = time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
		}
		k.closed = r.day(from, time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC))
	}
	k.target = st.minMb + int(math.Round(float64(st.maxMb-st.minMb)*math.Pow(r.float(), 1.4)))
	k.lead = leadBSO(r, cs[0], t.sector)
	lang := cs[0].lang
	k.facilitator = newPerson(r, lang, r.chance(0.55)).String()
	k.created = r.during(clampDate(k.start).AddDate(0, 0, r.between(0, 20)))
	k.updated = k.created
	if span := int(historyEnd.Sub(k.created).Hours() / 24); span > 0 {
		k.updated = r.during(k.created.AddDate(0, 0, r.between(0, span)).Truncate(24 * time.Hour))
	}
	for _, c := range cs {
		c.clusters = append(c.clusters, k)
	}
	g.sectorCount[t.sector]++
	g.clusters = append(g.clusters, k)
	return k
}

// leadBSO chooses the BSO that runs an initiative: one whose work covers the
// sector is far likelier; development banks lend rather than lead.
func leadBSO(r *rng, c *country, sector string) *org {
	ws := make([]float64, len(c.bsos))
	for i, b := range c.bsos {
		switch {
		case b.sectors == nil:
			ws[i] = 0.2
		case slices.Contains(b.sectors, sector):
			ws[i] = 3
		default:
			ws[i] = 0.25
		}
	}
	return c.bsos[r.weighted(ws)]
}

// withClusterOrgs gives many mature initiatives their own cluster
// organisation (an association, council or foundation of the members).
func (g *gen) withClusterOrgs() {
	r := newRNG(g.scale, streamClusters+100)
	for _, k := range g.clusters {
		p := map[string]float64{"plan_approved": 0.2, "implementing": 0.45, "sustaining": 0.6, "closed": 0.35}[k.stage]
		if !r.chance(p) {
			continue
		}
		c := k.countries[0]
		a := k.lead.area
		if k.town != nil {
			a = c.areaByNm[k.town.area]
		}
		lang := c.lang
		if len(k.countries) > 1 {
			lang = "en" // cross-border initiatives work in English
		}
		o := g.newOrg("cluster_org", g.clusterOrgName(r, lang, k.name, a.name), c, a)
		o.isic = clusterOrgISIC
		o.sectors = []string{k.theme.sector}
		o.founded = max(k.started, 2019) + r.between(0, 2)
		o.contact = newPerson(r, c.lang, r.chance(0.5)).String()
		o.email = g.uniqueEmail("secretariat", g.host(o.name, c)+".example.net")
		o.phone = phoneFor(r, c.dial)
		o.created = k.created.Add(time.Duration(r.between(1, 90*24)) * time.Hour)
		o.updated = o.created
		o.desc = map[string]string{
			"en": "Members' organisation that manages the cluster initiative.",
			"es": "Organización de los miembros que gestiona la iniciativa de clúster.",
			"fr": "Organisation des membres qui gère l'initiative de cluster.",
			"nl": "Ledenorganisatie die het clusterinitiatief beheert.",
		}[lang]
		k.clusterOrg = o
	}
}

// clusterOrgISIC is the activity of a cluster organisation: a membership
// organisation of businesses.
const clusterOrgISIC = "9411"

// clusterOrgName names a cluster organisation after its initiative, in the
// form usual in the language: an association, council or foundation.
func (g *gen) clusterOrgName(r *rng, lang, clusterName, place string) string {
	var cands []string
	switch lang {
	case "es":
		cands = []string{"Asociación " + clusterName + ", Inc."}
	case "fr":
		if strings.HasPrefix(clusterName, "Grappe") {
			cands = []string{"Association de la g" + strings.TrimPrefix(clusterName, "G")}
		} else {
			cands = []string{"Association du c" + strings.TrimPrefix(clusterName, "C")}
		}
	case "nl":
		cands = []string{"Stichting " + clusterName}
	default:
		base := strings.TrimSuffix(strings.TrimSuffix(clusterName, " Initiative"), " Cluster")
		base = strings.TrimSuffix(base, " Value Chain")
		forms := []string{" Cluster Association", " Cluster Council", " Cluster Inc."}
		first := r.intn(len(forms))
		for i := range forms {
			cands = append(cands, base+forms[(first+i)%len(forms)])
		}
	}
	for _, c := range cands {
		if !g.orgNames[orgKey(c)] {
			return c
		}
	}
	return g.uniqueOrgName(cands[0], place)
}

// uniqueOrgName returns name, or name with its place when the name is taken.
func (g *gen) uniqueOrgName(name, place string) string {
	if !g.orgNames[orgKey(name)] {
		return name
	}
	for n := 1; ; n++ {
		cand := name + " (" + place + ")"
		if n > 1 {
			cand = name + " (" + place + " " + itoa(n) + ")"
		}
		if !g.orgNames[orgKey(cand)] {
			return cand
		}
	}
}
