package demo

import (
	"slices"
	"strings"
)

// crossBorderChains are the value chains that programme countries develop
// together, with the label such initiatives go by and the countries that
// may take part.
var crossBorderChains = []struct {
	theme, label, product string
	pool                  []string
}{
	{"spices", "OECS", "Nutmeg and Spices", []string{"GRD", "VCT", "DMA", "LCA", "KNA", "ATG"}},
	{"film", "Caribbean", "Film and Audiovisual", []string{"JAM", "TTO", "BRB", "BHS", "DOM"}},
	{"hotsauce", "Caribbean", "Hot Sauce", []string{"JAM", "BRB", "BLZ", "TTO", "GUY", "LCA"}},
	{"seamoss", "Eastern Caribbean", "Sea Moss", []string{"LCA", "GRD", "VCT", "DMA", "BRB"}},
	{"rice", "Guianas", "Rice", []string{"GUY", "SUR"}},
	{"cocoa", "Caribbean", "Fine Flavour Cocoa", []string{"TTO", "GRD", "LCA", "DMA", "BLZ", "JAM"}},
	{"coffee", "Hispaniola", "Coffee", []string{"DOM", "HTI"}},
	{"wellness", "Caribbean", "Wellness Tourism", []string{"DMA", "KNA", "LCA", "BRB", "GRD"}},
	{"music", "Caribbean", "Music Export", []string{"JAM", "TTO", "BRB", "HTI", "DOM"}},
	{"bpo", "Caribbean", "Nearshore Services", []string{"JAM", "GUY", "BLZ", "TTO", "BRB"}},
	{"fish", "OECS", "Fisheries", []string{"ATG", "DMA", "GRD", "KNA", "LCA", "VCT"}},
	{"ecotourism", "Guiana Shield", "Ecotourism", []string{"GUY", "SUR"}},
	{"lobster", "Caribbean", "Spiny Lobster", []string{"BHS", "BLZ", "ATG"}},
	{"carnival", "Caribbean", "Carnival Arts", []string{"TTO", "GRD", "VCT", "ATG", "BRB"}},
	{"mango", "Hispaniola", "Mango", []string{"DOM", "HTI"}},
}

// crossBorderSuffixes vary the names when a chain has several initiatives.
var crossBorderSuffixes = []string{"Cluster", "Value Chain Cluster", "Export Consortium", "Cluster Network", "Cluster Initiative"}

// crossBorder creates the initiatives that span two to four countries. They
// are run in English, the region's working language, by a BSO of the lead
// country.
func (g *gen) crossBorder(r *rng) {
	for i := range crossBorderPerScale * g.scale {
		ch := crossBorderChains[i%len(crossBorderChains)]
		var pool []*country
		for _, iso := range ch.pool {
			if c := g.byISO[iso]; c != nil {
				pool = append(pool, c)
			}
		}
		if len(pool) < 2 {
			continue
		}
		shuffle(r, pool)
		cs := pool[:r.between(2, min(4, len(pool)))]
		t := themeByKey(ch.theme)
		k := g.newCluster(r, t, slices.Clone(cs))
		round := i / len(crossBorderChains)
		name := ch.label + " " + ch.product + " " + crossBorderSuffixes[round%len(crossBorderSuffixes)]
		if round >= len(crossBorderSuffixes) || !g.claimClusterName(name) {
			name = ch.product + " Cluster " + countryList(cs, "–")
			for n := 2; !g.claimClusterName(name); n++ {
				name = ch.product + " Cluster " + countryList(cs, "–") + " " + itoa(n)
			}
		}
		k.name = name
		k.desc = "Cross-border cluster initiative linking firms and institutions in " + listEnglish(cs) +
			" around " + strings.ToLower(ch.product) + ". Facilitated by the " + k.lead.name + "."
	}
}

// countryList joins the countries' names.
func countryList(cs []*country, sep string) string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.name
	}
	return strings.Join(names, sep)
}

// listEnglish writes "Jamaica, Barbados and Belize".
func listEnglish(cs []*country) string {
	if len(cs) == 1 {
		return cs[0].name
	}
	return countryList(cs[:len(cs)-1], ", ") + " and " + cs[len(cs)-1].name
}
