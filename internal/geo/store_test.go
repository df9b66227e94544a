package geo_test

import (
	"context"
	"testing"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/geo"
	"github.com/clusterobservatory/observatory/internal/problem"
)

func TestCountries(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := geo.NewStore(d)
		all, err := s.FindCountries(ctx, geo.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 17 {
			t.Fatalf("%d countries, want 17", len(all))
		}
		region, err := s.FindCountries(ctx, geo.Filter{InRegionOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(region) != 15 {
			t.Fatalf("%d programme countries, want 15", len(region))
		}
		for i, c := range region {
			if !c.InRegion || c.ISO3 == "MSR" || c.ISO3 == "CUB" {
				t.Errorf("%s is not a programme country", c.ISO3)
			}
			if i > 0 && region[i-1].Name > c.Name {
				t.Errorf("%s listed before %s", region[i-1].Name, c.Name)
			}
		}

		for _, code := range []string{"HTI", "hti", "HT", "ht", " Hti "} {
			c, err := s.FindCountryByISO3(ctx, code)
			if err != nil {
				t.Fatalf("%q: %v", code, err)
			}
			if c.ISO3 != "HTI" || c.ISO2 != "HT" || c.NumericCode != "332" || c.Currency != "HTG" || !c.CARICOM || !c.CARIFORUM ||
				len(c.Languages) != 2 || c.Languages[0] != "fr" || c.Languages[1] != "ht" {
				t.Errorf("%q = %+v", code, c)
			}
		}
		dom, err := s.FindCountryByISO3(ctx, "DOM")
		if err != nil || dom.CARICOM || !dom.CARIFORUM || !dom.InRegion || dom.Notes == "" {
			t.Errorf("DOM = %+v, %v", dom, err)
		}
		for _, code := range []string{"XXX", "XX", "", "JAMA", "J4M"} {
			if _, err := s.FindCountryByISO3(ctx, code); !problem.Is(err, problem.NotFound) {
				t.Errorf("%q: err = %v, want not found", code, err)
			}
		}
		if name, err := s.CountryName(ctx, "kn"); err != nil || name != "Saint Kitts and Nevis" {
			t.Errorf("CountryName(kn) = %q, %v", name, err)
		}
	})
}

func TestAreas(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := geo.NewStore(d)
		jam, err := s.FindAreas(ctx, "jam")
		if err != nil {
			t.Fatal(err)
		}
		if len(jam) != 14 || jam[0].Name != "Clarendon" || jam[0].Type != "parish" || jam[0].Depth != 0 || jam[0].ID == 0 {
			t.Fatalf("JAM areas: %d, first %+v", len(jam), jam[0])
		}

		// The Dominican Republic: ten regions, each followed by its provinces.
		dom, err := s.FindAreas(ctx, "DO")
		if err != nil {
			t.Fatal(err)
		}
		if len(dom) != 42 {
			t.Fatalf("DOM areas: %d, want 42", len(dom))
		}
		var region *geo.Area
		regions := 0
		for _, a := range dom {
			switch {
			case a.Type == "region":
				regions++
				region = a
				if a.Depth != 0 || a.ParentCode != "" {
					t.Errorf("region %+v", a)
				}
			case region == nil || a.ParentCode != region.Code || a.Depth != 1:
				t.Errorf("%s (%s, parent %s) is not under its region (last region %v)", a.Name, a.Type, a.ParentCode, region)
			}
		}
		if regions != 10 || dom[0].Name != "Cibao Nordeste" {
			t.Errorf("%d regions, first %s", regions, dom[0].Name)
		}

		// Saint Kitts and Nevis: Nevis and its five parishes, then Saint Kitts and its nine.
		kna, err := s.FindAreas(ctx, "KNA")
		if err != nil {
			t.Fatal(err)
		}
		if len(kna) != 16 || kna[0].Name != "Nevis" || kna[0].Type != "state" || kna[1].ParentCode != "KN-N" || kna[6].Name != "Saint Kitts" {
			t.Errorf("KNA areas: %d, %s, %s, %s", len(kna), kna[0].Name, kna[1].ParentCode, kna[6].Name)
		}

		// Montserrat's parishes have no ISO code.
		msr, err := s.FindAreas(ctx, "MSR")
		if err != nil || len(msr) != 3 || msr[0].Code != "" {
			t.Errorf("MSR areas = %v, %v", msr, err)
		}

		all, err := s.FindAreas(ctx, "")
		if err != nil || len(all) != 226 {
			t.Fatalf("all areas: %d, %v", len(all), err)
		}

		_, err = s.FindAreas(ctx, "ZZZ")
		p := problem.As(err)
		if p == nil || p.Kind != problem.Invalid || len(p.Details) != 1 || p.Details[0].Field != "country" {
			t.Errorf("unknown country: %v", err)
		}
	})
}
