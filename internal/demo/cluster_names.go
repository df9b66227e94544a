package demo

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// domesticName names a national initiative after its country or one of its
// towns, in the country's language; national names go to the first
// initiative of a chain. It returns the town (nil for a national name).
func (g *gen) domesticName(r *rng, c *country, t *theme, first bool) (*town, string) {
	for attempt := 0; attempt < 40; attempt++ {
		var tw *town
		if !first || attempt > 0 || r.chance(0.7) {
			tw = pickTown(r, c, t.sector)
		}
		name := clusterName(r, c, t, tw)
		if g.claimClusterName(name) {
			return tw, name
		}
	}
	// Every plain combination is taken (only at very large scales): number
	// the initiatives of the same chain and town.
	tw := pickTown(r, c, t.sector)
	base := clusterName(r, c, t, tw)
	for n := 2; ; n++ {
		if name := base + " " + strconv.Itoa(n); g.claimClusterName(name) {
			return tw, name
		}
	}
}

// claimClusterName reserves a name, reporting false when it is taken.
func (g *gen) claimClusterName(name string) bool {
	key := "cluster:" + normalise(name)
	if g.orgNames[key] {
		return false
	}
	g.orgNames[key] = true
	return true
}

// pickTown chooses the town an initiative is named after: digital and
// creative initiatives sit in the bigger towns (listed first), farming,
// fishing and forest chains rarely in the capital.
func pickTown(r *rng, c *country, sector string) *town {
	ws := make([]float64, len(c.towns))
	for i := range c.towns {
		switch sector {
		case "ict", "creative":
			ws[i] = 1 / (1 + 0.8*float64(i))
		case "agro_processing", "fisheries", "natural_products":
			ws[i] = 1
			if i == 0 {
				ws[i] = 0.15
			}
		default:
			ws[i] = 1 / (1 + 0.2*float64(i))
		}
	}
	return &c.towns[r.weighted(ws)]
}

// clusterName composes a name such as "Saint Lucia Cocoa and Chocolate
// Cluster", "Clúster de Turismo de Puerto Plata", "Cluster du café de
// Jacmel" or "Rijstcluster Nieuw Nickerie".
func clusterName(r *rng, c *country, t *theme, tw *town) string {
	product := t.product.in(c.lang)
	switch c.lang {
	case "es":
		if tw == nil {
			return "Clúster Dominicano de " + product
		}
		return "Clúster de " + product + " de " + tw.name
	case "fr":
		word := "Cluster"
		if r.chance(0.3) {
			word = "Grappe"
		}
		if tw == nil {
			adj := " haïtien "
			if word == "Grappe" {
				adj = " haïtienne "
			}
			return word + adj + product
		}
		return word + " " + product + " " + deFr(tw.name)
	case "nl":
		p := upperFirst(product)
		if tw == nil {
			return "Cluster " + p + " Suriname"
		}
		if strings.Contains(product, " ") {
			return "Cluster " + p + " " + tw.name
		}
		return p + "cluster " + tw.name
	}
	place := c.name
	if tw != nil {
		place = tw.name
	}
	suffix := " Cluster"
	if t.sector == "agro_processing" || t.sector == "fisheries" {
		if r.chance(0.3) {
			suffix = " Value Chain Cluster"
		}
	} else if r.chance(0.15) {
		suffix = " Cluster Initiative"
	}
	return place + " " + t.product.en + suffix
}

// deFr writes "de Jacmel" or, before a vowel, "d'Aquin".
func deFr(place string) string {
	first, _ := utf8.DecodeRuneInString(normalise(place))
	if strings.ContainsRune("aeiouy", first) {
		return "d'" + place
	}
	return "de " + place
}

func upperFirst(s string) string {
	first, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(first)) + s[n:]
}

func lowerFirst(s string) string {
	first, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(first)) + s[n:]
}

// placeIn is "in Soufrière", "en la República Dominicana", "à Jacmel"…
func placeIn(c *country, tw *town) string {
	switch c.lang {
	case "es":
		if tw == nil {
			return "la República Dominicana"
		}
		return tw.name
	case "fr":
		if tw == nil {
			return "en Haïti"
		}
		return "à " + tw.name
	}
	if tw != nil {
		return tw.name
	}
	if c.iso3 == "BHS" {
		return "the Bahamas"
	}
	return c.name
}

// describe writes an initiative's one-line description in its language.
func describe(lang string, t *theme, where, lead string) string {
	p := t.product.in(lang)
	switch lang {
	case "es":
		return "Iniciativa de clúster que reúne a empresas, instituciones de apoyo y socios públicos de " + strings.ToLower(p) + " en " + where + ". Organización líder: " + lead + "."
	case "fr":
		return "Initiative de cluster qui réunit entreprises, institutions d'appui et partenaires publics autour " + p + " " + where + ". Organisme chef de file : " + lead + "."
	case "nl":
		return "Clusterinitiatief dat bedrijven, ondersteunende instellingen en overheidspartners rond " + p + " samenbrengt in " + where + ". Trekker: " + lead + "."
	}
	return "Cluster initiative bringing together " + strings.ToLower(t.product.en) + " firms, support institutions and public partners in " + where + ". Facilitated by the " + lead + "."
}

// allocate splits total in proportion to weights, giving the remainders to
// the largest fractions (ties to the earlier entry), so counts always add up.
func allocate(total int, weights []float64) []int {
	out := make([]int, len(weights))
	if total <= 0 {
		return out
	}
	sum := 0.0
	for _, w := range weights {
		sum += w
	}
	frac := make([]float64, len(weights))
	given := 0
	for i, w := range weights {
		exact := float64(total) * w / sum
		out[i] = int(exact)
		frac[i] = exact - float64(out[i])
		given += out[i]
	}
	for ; given < total; given++ {
		best := 0
		for i := range frac {
			if frac[i] > frac[best] {
				best = i
			}
		}
		out[best]++
		frac[best] = -1
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }
