package region_test

import (
	"context"
	"testing"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/region"
	"github.com/clusterobservatory/observatory/internal/user"
)

func TestRegionFigures(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		newFixture(t, d)
		s := region.NewStore(d, 0, nil)
		f, err := s.Region(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		want := region.Totals{Countries: 15, BSOs: 2, Clusters: 3, Firms: 5, Members: 4}
		if f.Totals != want {
			t.Errorf("totals = %+v, want %+v", f.Totals, want)
		}
		if f.CrossBorder != 1 {
			t.Errorf("cross-border = %d, want 1", f.CrossBorder)
		}
		byISO := map[string]region.CountryFigures{}
		for _, c := range f.Countries {
			byISO[c.ISO3] = c
		}
		if len(f.Countries) != 15 {
			t.Errorf("%d country rows, want 15", len(f.Countries))
		}
		// The cross-border initiative and its memberships count in both countries.
		for iso, want := range map[string]region.CountryFigures{
			"JAM": {ISO3: "JAM", Name: "Jamaica", BSOs: 1, Clusters: 2, Firms: 3, Members: 4},
			"TTO": {ISO3: "TTO", Name: "Trinidad and Tobago", BSOs: 1, Clusters: 2, Firms: 1, Members: 2},
			"DOM": {ISO3: "DOM", Name: "Dominican Republic", Firms: 1},
			"BRB": {ISO3: "BRB", Name: "Barbados"},
		} {
			if got := byISO[iso]; got != want {
				t.Errorf("%s = %+v, want %+v", iso, got, want)
			}
		}
		sectors := map[string]int{}
		for _, c := range f.Sectors {
			sectors[c.Key] = c.N
		}
		if len(sectors) != 3 || sectors["creative"] != 1 || sectors["tourism"] != 1 || sectors["agro_processing"] != 1 {
			t.Errorf("sectors = %+v", f.Sectors)
		}
		// Stages in lifecycle order.
		if len(f.Stages) != 3 || f.Stages[0].Key != "identified" || f.Stages[1].Key != "diagnosed" || f.Stages[2].Key != "implementing" {
			t.Errorf("stages = %+v", f.Stages)
		}
	})
}

func TestCountryFiguresAndLists(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		fx := newFixture(t, d)
		ctx := context.Background()
		s := region.NewStore(d, 0, nil)

		jam, err := s.Country(ctx, "JAM")
		if err != nil {
			t.Fatal(err)
		}
		if want := (region.CountryFigures{ISO3: "JAM", Name: "Jamaica", BSOs: 1, Clusters: 2, Firms: 3, Members: 4}); jam.Figures != want {
			t.Errorf("JAM figures = %+v, want %+v", jam.Figures, want)
		}
		if jam.NoArea != 1 || len(jam.Areas) != 14 || jam.Nested {
			t.Errorf("JAM: no area %d, %d areas, nested %v", jam.NoArea, len(jam.Areas), jam.Nested)
		}
		for _, a := range jam.Areas {
			if want := map[bool]int{true: 2, false: 0}[a.Name == "Kingston"]; a.Firms != want || a.Total != want {
				t.Errorf("JAM area %s: %d firms, total %d", a.Name, a.Firms, a.Total)
			}
		}
		if jam.Members[fx.creative] != 2 || jam.Members[fx.sea] != 2 {
			t.Errorf("members per initiative = %v", jam.Members)
		}

		// The Dominican Republic: a province's firm counts in its region too.
		dom, err := s.Country(ctx, "DOM")
		if err != nil {
			t.Fatal(err)
		}
		if !dom.Nested {
			t.Error("DOM areas should be nested")
		}
		for _, a := range dom.Areas {
			switch a.Name {
			case "Santiago":
				if a.Firms != 1 || a.Total != 1 || a.Depth != 1 {
					t.Errorf("Santiago: %+v", a)
				}
			case "Cibao Norte":
				if a.Firms != 0 || a.Total != 1 || a.Depth != 0 {
					t.Errorf("Cibao Norte: firms %d, total %d, depth %d", a.Firms, a.Total, a.Depth)
				}
			default:
				if a.Total != 0 {
					t.Errorf("%s: total %d", a.Name, a.Total)
				}
			}
		}

		if _, err := s.Country(ctx, "XYZ"); !problem.Is(err, problem.NotFound) {
			t.Errorf("unknown country: %v", err)
		}

		names := func(actor user.Actor) []string {
			t.Helper()
			items, more, err := s.FindCountryClusters(ctx, actor, "JAM")
			if err != nil || more {
				t.Fatalf("clusters: %v, more %v", err, more)
			}
			var out []string
			for _, c := range items {
				out = append(out, c.Name)
			}
			return out
		}
		for _, tt := range []struct {
			who   string
			actor user.Actor
			want  string
		}{
			{"admin", user.System, "Caribbean Sea Tourism,Kingston Creative"},
			{"JAM BSO staff", user.Actor{Role: user.BSOStaff, Scope: user.Scope{Kind: user.ScopeBSO, ID: itoa(fx.bsoJAM)}}, "Kingston Creative"},
			{"TTO BSO staff", user.Actor{Role: user.BSOStaff, Scope: user.Scope{Kind: user.ScopeBSO, ID: itoa(fx.bsoTTO)}}, "Caribbean Sea Tourism"},
			{"TTO coordinator", user.Actor{Role: user.CountryCoordinator, Scope: user.Scope{Kind: user.ScopeCountry, ID: "TTO"}}, "Caribbean Sea Tourism"},
			{"BRB coordinator", user.Actor{Role: user.CountryCoordinator, Scope: user.Scope{Kind: user.ScopeCountry, ID: "BRB"}}, ""},
			{"reviewer", user.Actor{Role: user.Reviewer}, ""},
			{"anonymous", user.Anonymous, ""},
		} {
			if got := join(names(tt.actor)); got != tt.want {
				t.Errorf("%s sees %q, want %q", tt.who, got, tt.want)
			}
		}

		items, _, _ := s.FindCountryClusters(ctx, user.System, "JAM")
		if c := items[1]; c.ID != fx.creative || c.Members != 2 || c.LeadBSOID != fx.bsoJAM || c.LeadBSOName != "Jamaica Business Development" ||
			c.Sector != "creative" || c.Stage != "implementing" {
			t.Errorf("Kingston Creative = %+v", c)
		}

		bsos, _, err := s.FindCountryBSOs(ctx, user.Actor{Role: user.CountryCoordinator, Scope: user.Scope{Kind: user.ScopeCountry, ID: "TTO"}}, "JAM")
		if err != nil || len(bsos) != 0 {
			t.Errorf("a TTO coordinator sees JAM BSOs %v, %v", bsos, err)
		}
		bsos, _, err = s.FindCountryBSOs(ctx, user.Actor{Role: user.BSOStaff, Scope: user.Scope{Kind: user.ScopeBSO, ID: itoa(fx.bsoJAM)}}, "JAM")
		if err != nil || len(bsos) != 1 || bsos[0].ID != fx.bsoJAM || bsos[0].Area != "Kingston" {
			t.Errorf("JAM BSO staff sees JAM BSOs %+v, %v", bsos, err)
		}
	})
}

// TestListsIncludeRecentRecords checks that an initiative created after
// the country's figures were computed is still listed for those who may read it.
func TestListsIncludeRecentRecords(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := region.NewStore(d, region.CacheFor, nil)
		if _, err := s.Country(ctx, "JAM"); err != nil {
			t.Fatal(err)
		}
		fx := newFixture(t, d)
		staff := user.Actor{Role: user.BSOStaff, Scope: user.Scope{Kind: user.ScopeBSO, ID: itoa(fx.bsoJAM)}}
		items, _, err := s.FindCountryClusters(ctx, staff, "JAM")
		if err != nil || len(items) != 1 || items[0].ID != fx.creative {
			t.Errorf("recent initiatives = %+v, %v", items, err)
		}
		bsos, _, err := s.FindCountryBSOs(ctx, staff, "JAM")
		if err != nil || len(bsos) != 1 || bsos[0].ID != fx.bsoJAM {
			t.Errorf("recent BSOs = %+v, %v", bsos, err)
		}
	})
}
