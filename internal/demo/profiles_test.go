package demo

import (
	"slices"
	"testing"
)

// TestProfilesAreConsistent checks the hand-written region data: every
// country names existing value chains, every sector can be drawn, and every
// language has the institutions the generator needs.
func TestProfilesAreConsistent(t *testing.T) {
	sectorKeys := map[string]bool{}
	for _, s := range sectors {
		sectorKeys[s.key] = true
	}
	bySector := map[string]int{}
	keys := map[string]bool{}
	for _, th := range themes {
		if keys[th.key] {
			t.Errorf("theme %s is listed twice", th.key)
		}
		keys[th.key] = true
		if !sectorKeys[th.sector] {
			t.Errorf("theme %s: unknown sector %s", th.key, th.sector)
		}
		bySector[th.sector]++
		if n := len(th.isic); n < 1 || n > 4 {
			t.Errorf("theme %s has %d ISIC classes, want 1–4", th.key, n)
		}
		for _, lang := range []string{"en", "es", "fr", "nl"} {
			if th.product.in(lang) == "" || th.chain.in(lang) == "" || len(th.trades.in(lang)) == 0 {
				t.Errorf("theme %s lacks words in %s", th.key, lang)
			}
		}
	}
	for s := range sectorKeys {
		if bySector[s] == 0 {
			t.Errorf("sector %s has no value chain", s)
		}
	}
	seen := map[string]bool{}
	for _, p := range profiles {
		if seen[p.iso3] {
			t.Errorf("profile %s is listed twice", p.iso3)
		}
		seen[p.iso3] = true
		if _, ok := peopleNames[p.lang]; !ok {
			t.Errorf("%s: no names for language %s", p.iso3, p.lang)
		}
		if len(bsoTemplates[p.lang]) < 2 {
			t.Errorf("%s: fewer than two BSO templates in %s", p.iso3, p.lang)
		}
		if len(p.towns) < 2 || len(p.landmarks) < 3 {
			t.Errorf("%s: too few towns or landmarks", p.iso3)
		}
		for _, k := range p.themes {
			if themeByKey(k) == nil {
				t.Errorf("%s: unknown theme %s", p.iso3, k)
			}
		}
		for s := range p.emphasis {
			if !sectorKeys[s] {
				t.Errorf("%s: emphasis on unknown sector %s", p.iso3, s)
			}
		}
	}
	for _, ch := range crossBorderChains {
		if themeByKey(ch.theme) == nil {
			t.Errorf("cross-border chain %s: unknown theme", ch.theme)
		}
		if len(ch.pool) < 2 {
			t.Errorf("cross-border chain %s: fewer than two countries", ch.theme)
		}
		for _, iso := range ch.pool {
			if !seen[iso] {
				t.Errorf("cross-border chain %s: no profile for %s", ch.theme, iso)
			}
		}
	}
	if codes := usedClasses(); !slices.IsSorted(codes) || len(codes) < 40 {
		t.Errorf("usedClasses = %v", codes)
	}
}

func TestAllocate(t *testing.T) {
	tests := []struct {
		total   int
		weights []float64
		want    []int
	}{
		{10, []float64{1, 1}, []int{5, 5}},
		{10, []float64{1, 2}, []int{3, 7}},
		{1, []float64{1, 1, 1}, []int{1, 0, 0}},
		{0, []float64{1, 2}, []int{0, 0}},
		{7, []float64{22, 2, 2}, []int{6, 1, 0}},
	}
	for _, tt := range tests {
		got := allocate(tt.total, tt.weights)
		if !slices.Equal(got, tt.want) {
			t.Errorf("allocate(%d, %v) = %v, want %v", tt.total, tt.weights, got, tt.want)
		}
	}
}

func TestNamesInTheCountrysLanguage(t *testing.T) {
	r := newRNG(1, 99)
	dom := &country{profile: profileOf("DOM"), name: "Dominican Republic"}
	hti := &country{profile: profileOf("HTI"), name: "Haiti"}
	sur := &country{profile: profileOf("SUR"), name: "Suriname"}
	lca := &country{profile: profileOf("LCA"), name: "Saint Lucia"}
	tests := []struct {
		c    *country
		tw   *town
		th   string
		want []string // any of
	}{
		{dom, &town{"Puerto Plata", "Puerto Plata"}, "tourism", []string{"Clúster de Turismo de Puerto Plata"}},
		{dom, nil, "cocoa", []string{"Clúster Dominicano de Cacao y Chocolate"}},
		{hti, &town{"Jacmel", "Sidès"}, "coffee", []string{"Cluster du café de Jacmel", "Grappe du café de Jacmel"}},
		{hti, &town{"Aquin", "Sid"}, "honey", []string{"Cluster du miel d'Aquin", "Grappe du miel d'Aquin"}},
		{sur, &town{"Nieuw Nickerie", "Nickerie"}, "rice", []string{"Rijstcluster Nieuw Nickerie"}},
		{lca, nil, "cocoa", []string{"Saint Lucia Cocoa and Chocolate Cluster", "Saint Lucia Cocoa and Chocolate Value Chain Cluster"}},
	}
	for _, tt := range tests {
		got := clusterName(r, tt.c, themeByKey(tt.th), tt.tw)
		if !slices.Contains(tt.want, got) {
			t.Errorf("clusterName(%s, %s) = %q, want one of %q", tt.c.iso3, tt.th, got, tt.want)
		}
	}
}
