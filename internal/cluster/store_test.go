package cluster

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// region is a small fixture: two BSOs in two countries, a cluster
// organisation and a few firms.
type region struct {
	d                *db.DB
	s                *Store
	bsoA, bsoB       int64 // in JAM and TTO
	clusterOrg       int64 // in JAM
	firmJAM, firmTTO int64
	firmBRB          int64
}

func newRegion(t *testing.T, d *db.DB) *region {
	return &region{
		d: d, s: NewStore(d),
		bsoA:       InsertOrg(t, d, "bso", "Jamaica Business Development", "JAM"),
		bsoB:       InsertOrg(t, d, "bso", "Trinidad Export Agency", "TTO"),
		clusterOrg: InsertOrg(t, d, "cluster_org", "Cocoa Cluster Association", "JAM"),
		firmJAM:    InsertOrg(t, d, "firm", "Blue Mountain Chocolate", "JAM"),
		firmTTO:    InsertOrg(t, d, "firm", "Caroni Cocoa", "TTO"),
		firmBRB:    InsertOrg(t, d, "firm", "Bajan Rum", "BRB"),
	}
}

func bsoActor(id int64) user.Actor {
	return user.Actor{UserID: 100, Name: "BSO staff", Role: user.BSOStaff, Scope: user.Scope{Kind: user.ScopeBSO, ID: fmt.Sprint(id)}}
}

func managerActor(clusterID int64) user.Actor {
	return user.Actor{UserID: 101, Name: "Manager", Role: user.ClusterManager, Scope: user.Scope{Kind: user.ScopeCluster, ID: fmt.Sprint(clusterID)}}
}

func coordinatorActor(iso3 string) user.Actor {
	return user.Actor{UserID: 102, Name: "Coordinator", Role: user.CountryCoordinator, Scope: user.Scope{Kind: user.ScopeCountry, ID: iso3}}
}

var admin = user.Actor{UserID: 1, Name: "Admin", Role: user.Admin}

func mustCreate(t *testing.T, s *Store, actor user.Actor, in Input) *Cluster {
	t.Helper()
	c, err := s.CreateCluster(context.Background(), actor, in)
	if err != nil {
		t.Fatalf("create %s: %v", in.Name, err)
	}
	return c
}

func wantKind(t *testing.T, err error, kind problem.Kind, field string) {
	t.Helper()
	if problem.KindOf(err) != kind {
		t.Fatalf("error = %v, want kind %s", err, kind)
	}
	if field != "" && !slices.Contains(fields(err), field) {
		t.Fatalf("error = %v, want a problem with field %s", err, field)
	}
}

func TestClusterStore(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		r := newRegion(t, d)
		s := r.s
		cocoa := mustCreate(t, s, admin, Input{
			Name: "Café Cocoa Corridor", Countries: []string{"TTO", "JAM"}, Sector: SectorAgroProcessing,
			ValueChain: "cocoa to chocolate", Industries: []string{"1073", "0127"}, Stage: StageImplementing,
			LeadBSOID: r.bsoA, ClusterOrgID: &r.clusterOrg, Facilitator: "M. Grant", StartedYear: ptr(2019),
		})
		if !slices.Equal(cocoa.Countries, []string{"JAM", "TTO"}) {
			t.Errorf("countries = %v, want the lead BSO's country first", cocoa.Countries)
		}
		if !slices.Equal(cocoa.Industries, []string{"0127", "1073"}) || cocoa.LeadBSOName != "Jamaica Business Development" ||
			cocoa.ClusterOrgName != "Cocoa Cluster Association" || *cocoa.StartedYear != 2019 || cocoa.MemberCount != 0 {
			t.Errorf("created cluster = %+v", cocoa)
		}
		if AuditCount(t, d, "cluster", cocoa.ID, "create") != 1 {
			t.Error("creation not audited")
		}
		tour := mustCreate(t, s, bsoActor(r.bsoB), Input{Name: "Tobago Heritage Tourism", Countries: []string{"TTO"},
			Sector: SectorTourism, Industries: []string{"5510"}, Stage: StageDiagnosed, LeadBSOID: r.bsoB, StartedYear: ptr(2015)})
		reggae := mustCreate(t, s, admin, Input{Name: "Kingston Music", Countries: []string{"JAM"},
			Sector: SectorCreative, Stage: StageIdentified, LeadBSOID: r.bsoA})

		names := func(f Filter) ([]string, int) {
			t.Helper()
			cs, total, err := s.FindClusters(ctx, admin, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, c := range cs {
				out = append(out, c.Name)
			}
			return out, total
		}
		for _, tt := range []struct {
			f    Filter
			want []string
		}{
			{Filter{}, []string{"Café Cocoa Corridor", "Kingston Music", "Tobago Heritage Tourism"}},
			{Filter{Query: "CAFE coc"}, []string{"Café Cocoa Corridor"}},
			{Filter{Query: "100%"}, nil},
			{Filter{Country: "tto"}, []string{"Café Cocoa Corridor", "Tobago Heritage Tourism"}},
			{Filter{Country: "JAM"}, []string{"Café Cocoa Corridor", "Kingston Music"}},
			{Filter{Sector: SectorTourism}, []string{"Tobago Heritage Tourism"}},
			{Filter{Stage: StageImplementing}, []string{"Café Cocoa Corridor"}},
			{Filter{ISIC: "10"}, []string{"Café Cocoa Corridor"}},
			{Filter{ISIC: "55"}, []string{"Tobago Heritage Tourism"}},
			{Filter{LeadBSO: r.bsoA}, []string{"Café Cocoa Corridor", "Kingston Music"}},
			{Filter{Sort: "-name"}, []string{"Tobago Heritage Tourism", "Kingston Music", "Café Cocoa Corridor"}},
			{Filter{Sort: "stage"}, []string{"Kingston Music", "Tobago Heritage Tourism", "Café Cocoa Corridor"}},
			{Filter{Sort: "started"}, []string{"Tobago Heritage Tourism", "Café Cocoa Corridor", "Kingston Music"}},
			{Filter{Sort: "-started"}, []string{"Café Cocoa Corridor", "Tobago Heritage Tourism", "Kingston Music"}},
			{Filter{Sort: "sector"}, []string{"Café Cocoa Corridor", "Kingston Music", "Tobago Heritage Tourism"}},
			{Filter{Sort: "-created"}, []string{"Kingston Music", "Tobago Heritage Tourism", "Café Cocoa Corridor"}},
			{Filter{Sort: "name; DROP TABLE clusters"}, []string{"Café Cocoa Corridor", "Kingston Music", "Tobago Heritage Tourism"}},
		} {
			if got, total := names(tt.f); !slices.Equal(got, tt.want) || total != len(tt.want) {
				t.Errorf("FindClusters(%+v) = %v (total %d), want %v", tt.f, got, total, tt.want)
			}
		}
		if got, total := names(Filter{Limit: 1, Offset: 1}); !slices.Equal(got, []string{"Kingston Music"}) || total != 3 {
			t.Errorf("page 2 of 1 = %v total %d", got, total)
		}

		// Update replaces countries and industries.
		in := InputOf(cocoa)
		in.Countries = []string{"JAM"}
		in.Industries = []string{"1079"}
		in.ClusterOrgID = nil
		in.Stage = StageSustaining
		up, err := s.UpdateCluster(ctx, admin, cocoa.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(up.Countries, []string{"JAM"}) || !slices.Equal(up.Industries, []string{"1079"}) || up.ClusterOrgID != nil || up.Stage != StageSustaining {
			t.Errorf("updated = %+v", up)
		}
		if got, _ := names(Filter{Country: "TTO"}); !slices.Equal(got, []string{"Tobago Heritage Tourism"}) {
			t.Errorf("after update TTO clusters = %v", got)
		}
		if AuditCount(t, d, "cluster", cocoa.ID, "update") != 1 {
			t.Error("update not audited")
		}

		// Archive hides from lists and counts; restore brings it back.
		if _, err := s.ArchiveCluster(ctx, admin, reggae.ID); err != nil {
			t.Fatal(err)
		}
		if got, total := names(Filter{}); total != 2 || slices.Contains(got, "Kingston Music") {
			t.Errorf("archived cluster still listed: %v", got)
		}
		if got, _ := names(Filter{IncludeArchived: true}); len(got) != 3 {
			t.Errorf("IncludeArchived lists %v", got)
		}
		c, err := s.FindClusterByID(ctx, admin, reggae.ID)
		if err != nil || !c.Archived() {
			t.Fatalf("archived cluster by ID = %v, %v", c, err)
		}
		_, err = s.UpdateCluster(ctx, admin, reggae.ID, InputOf(reggae))
		wantKind(t, err, problem.Conflict, "")
		byCountry, err := s.CountByCountry(ctx)
		if err != nil || byCountry["JAM"] != 1 || byCountry["TTO"] != 1 {
			t.Errorf("CountByCountry = %v, %v", byCountry, err)
		}
		if _, err := s.RestoreCluster(ctx, admin, reggae.ID); err != nil {
			t.Fatal(err)
		}
		if AuditCount(t, d, "cluster", reggae.ID, "archive") != 1 || AuditCount(t, d, "cluster", reggae.ID, "restore") != 1 {
			t.Error("archive and restore not audited")
		}
		bySector, err := s.CountBySector(ctx, "JAM")
		if err != nil || bySector["agro_processing"] != 1 || bySector["creative"] != 1 || bySector["tourism"] != 0 {
			t.Errorf("CountBySector(JAM) = %v, %v", bySector, err)
		}
		all, _ := s.CountBySector(ctx, "")
		if all["tourism"] != 1 || len(all) != 3 {
			t.Errorf("CountBySector(region) = %v", all)
		}
		_, err = s.FindClusterByID(ctx, admin, 99999)
		wantKind(t, err, problem.NotFound, "")
		_ = tour
	})
}

func TestClusterReferencesAreChecked(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		r := newRegion(t, d)
		base := Input{Name: "Test", Countries: []string{"JAM"}, Sector: SectorOther, Stage: StageIdentified, LeadBSOID: r.bsoA}
		archivedBSO := InsertOrg(t, d, "bso", "Closed Agency", "JAM")
		ArchiveOrg(t, d, archivedBSO)
		for _, tt := range []struct {
			name   string
			change func(in *Input)
			field  string
		}{
			{"lead is a firm", func(in *Input) { in.LeadBSOID = r.firmJAM }, "lead_bso_id"},
			{"lead does not exist", func(in *Input) { in.LeadBSOID = 424242 }, "lead_bso_id"},
			{"lead archived", func(in *Input) { in.LeadBSOID = archivedBSO }, "lead_bso_id"},
			{"lead's country missing", func(in *Input) { in.Countries = []string{"BRB"} }, "countries"},
			{"unknown country", func(in *Input) { in.Countries = []string{"JAM", "XYZ"} }, "countries"},
			{"unknown isic", func(in *Input) { in.Industries = []string{"1073", "9999"} }, "industries"},
			{"isic section", func(in *Input) { in.Industries = []string{"0111", "0110"} }, "industries"},
			{"cluster org is a firm", func(in *Input) { in.ClusterOrgID = &r.firmJAM }, "cluster_org_id"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				in := base
				tt.change(&in)
				_, err := r.s.CreateCluster(ctx, admin, in)
				wantKind(t, err, problem.Invalid, tt.field)
			})
		}
		_, err := r.s.CreateCluster(ctx, admin, Input{Name: "T", Countries: []string{"JAM"}, Sector: SectorOther, Stage: StageIdentified,
			LeadBSOID: r.bsoA, Industries: []string{"9999"}})
		if p := problem.As(err); p == nil || len(p.Details) != 1 || p.Details[0].Message != "Not an ISIC Rev.4 class: 9999." {
			t.Errorf("the message must name the bad code: %v", err)
		}
		var n int
		d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM clusters`).Scan(&n)
		if n != 0 {
			t.Errorf("%d clusters stored from invalid input", n)
		}
	})
}
