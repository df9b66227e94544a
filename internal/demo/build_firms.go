package demo

import (
	"math"
	"time"
)

// firmsPerScale is how many firms each unit of scale adds to the registry.
const firmsPerScale = 4000

// clusterShare is the share of firms whose industry is one that the
// country's cluster initiatives work in; the rest are the ordinary economy
// (shops, builders, accountants) a registry also holds.
const clusterShare = 0.82

// The size bands with their shares; and per band the chance that a firm is
// women-led and youth-led (together about 40% and 22%: small firms are more
// often led by women and by young people).
var sizeBands = []struct {
	key          string
	share        float64
	women, youth float64
}{
	{"micro", 60, 0.44, 0.27},
	{"small", 28, 0.38, 0.19},
	{"medium", 10, 0.28, 0.08},
	{"large", 2, 0.15, 0},
}

// womenFactor shifts the chance of women's leadership by sector.
var womenFactor = map[string]float64{"natural_products": 1.3, "health_wellness": 1.3, "creative": 1.1, "fisheries": 0.5, "ict": 0.8}

// firms creates the country's firms: mostly micro and small, mostly in the
// industries of its cluster initiatives.
func (g *gen) firms() {
	r := newRNG(g.scale, streamFirms)
	weights := make([]float64, len(g.countries))
	for i, c := range g.countries {
		// Small islands still have a working business community.
		weights[i] = math.Max(c.weight, 3)
	}
	counts := allocate(firmsPerScale*g.scale, weights)
	bandW := make([]float64, len(sizeBands))
	for i, b := range sizeBands {
		bandW[i] = b.share
	}
	otherW := make([]float64, len(otherIndustries))
	for i, o := range otherIndustries {
		otherW[i] = o.weight
	}
	for i, c := range g.countries {
		clusterW := make([]float64, len(c.clusters))
		for j, k := range c.clusters {
			clusterW[j] = float64(k.target)
		}
		for range counts[i] {
			a := c.areas[r.weighted(c.areaW)]
			var t *theme
			var isic string
			var trades []string
			if len(c.clusters) > 0 && r.chance(clusterShare) {
				t = c.clusters[r.weighted(clusterW)].theme
				isic = t.isic[0]
				if len(t.isic) > 1 && r.chance(0.5) {
					isic = t.isic[1+r.intn(len(t.isic)-1)]
				}
				trades = t.trades.in(c.lang)
			} else {
				o := otherIndustries[r.weighted(otherW)]
				isic, trades = o.isic, o.trades.in(c.lang)
			}
			band := sizeBands[r.weighted(bandW)]
			sector := ""
			if t != nil {
				sector = t.sector
			}
			f := factor(womenFactor, sector)
			women := r.chance(band.women * f)
			youth := r.chance(band.youth)
			owner := newPerson(r, c.lang, (women && r.chance(0.9)) || (!women && r.chance(0.25)))
			name := g.firmName(r, c, a, trades, sector, owner)
			o := g.newOrg("firm", name, c, a)
			o.isic, o.sector = isic, sector
			o.size, o.women, o.youth = band.key, women, youth
			o.founded = foundedYear(r, band.key, youth)
			o.contact = owner.String()
			o.email = g.uniqueEmail(slug(owner.given)+"."+slug(owner.family), pick(r, []string{"example.com", "example.org", "example.net"}))
			o.phone = phoneFor(r, c.dial)
			if r.chance(0.25) {
				o.website = website(name)
			}
			o.created = r.during(r.day(historyStart, historyEnd))
			c.firms = append(c.firms, o)
		}
	}
}

func factor(m map[string]float64, key string) float64 {
	if f, ok := m[key]; ok {
		return f
	}
	return 1
}

// foundedYear: most firms are young; youth-led ones were founded in the last
// dozen years, large ones often decades ago.
func foundedYear(r *rng, band string, youth bool) int {
	if youth {
		return r.between(2014, 2025)
	}
	spread := 12.0
	if band == "medium" {
		spread = 18
	}
	if band == "large" {
		spread = 28
	}
	return max(1950, 2025-int(r.r.ExpFloat64()*spread))
}

// settleDates makes every record's history consistent: an organisation is in
// the registry before it joins its first initiative, and records change
// after they are created.
func (g *gen) settleDates() {
	r := newRNG(g.scale, streamFirms+100)
	for _, o := range g.orgs {
		if !o.firstJoined.IsZero() && o.firstJoined.Before(o.created.Truncate(24*time.Hour)) {
			o.created = r.during(clampDate(o.firstJoined.AddDate(0, 0, -r.between(0, 45))))
		}
		o.updated = o.created
		if r.chance(0.4) {
			if span := int(historyEnd.Sub(o.created).Hours() / 24); span > 0 {
				o.updated = r.during(o.created.Truncate(24*time.Hour).AddDate(0, 0, r.between(1, span)))
			}
		}
	}
}
