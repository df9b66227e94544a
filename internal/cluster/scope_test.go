package cluster

import (
	"context"
	"testing"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/problem"
)

func TestScope(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		r := newRegion(t, d)
		s := r.s
		aJAM := mustCreate(t, s, bsoActor(r.bsoA), Input{Name: "A Jamaica", Countries: []string{"JAM"}, Sector: SectorCreative,
			Stage: StageIdentified, LeadBSOID: r.bsoA})
		bTTO := mustCreate(t, s, bsoActor(r.bsoB), Input{Name: "B Trinidad", Countries: []string{"TTO"}, Sector: SectorTourism,
			Stage: StageIdentified, LeadBSOID: r.bsoB})
		bMember, err := s.AddMembership(ctx, admin, bTTO.ID, MembershipInput{OrganisationID: r.firmTTO, Role: RoleMember, Joined: "2024-01-01"})
		if err != nil {
			t.Fatal(err)
		}
		join := MembershipInput{OrganisationID: r.firmTTO, Role: RoleMember, Joined: "2024-01-01"}

		// BSO staff of A: only A's clusters, for reading and writing.
		a := bsoActor(r.bsoA)
		cs, total, err := s.FindClusters(ctx, a, Filter{})
		if err != nil || total != 1 || cs[0].ID != aJAM.ID {
			t.Errorf("BSO A lists %d clusters, %v", total, err)
		}
		_, err = s.FindClusterByID(ctx, a, bTTO.ID)
		wantKind(t, err, problem.NotFound, "")
		_, err = s.UpdateCluster(ctx, a, bTTO.ID, InputOf(bTTO))
		wantKind(t, err, problem.NotFound, "")
		_, err = s.ArchiveCluster(ctx, a, bTTO.ID)
		wantKind(t, err, problem.NotFound, "")
		_, err = s.AddMembership(ctx, a, bTTO.ID, join)
		wantKind(t, err, problem.NotFound, "")
		_, err = s.FindMembershipByID(ctx, a, bMember.ID)
		wantKind(t, err, problem.NotFound, "")
		_, err = s.EndMembership(ctx, a, bMember.ID, "2024-06-01")
		wantKind(t, err, problem.NotFound, "")
		_, err = s.UpdateMembership(ctx, a, bMember.ID, join)
		wantKind(t, err, problem.NotFound, "")
		if ms, total, _ := s.FindMemberships(ctx, a, MembershipFilter{OrganisationID: r.firmTTO}); total != 0 || len(ms) != 0 {
			t.Errorf("BSO A sees %d memberships of B's cluster", total)
		}
		_, err = s.CreateCluster(ctx, a, Input{Name: "Posing as B", Countries: []string{"TTO"}, Sector: SectorTourism, Stage: StageIdentified, LeadBSOID: r.bsoB})
		wantKind(t, err, problem.Forbidden, "")
		if opts, _ := s.LeadBSOOptions(ctx, a, 0); len(opts) != 1 || opts[0].ID != r.bsoA {
			t.Errorf("BSO A may choose leads %v", opts)
		}

		// Cluster manager of A's cluster: edits it and its members, nothing else.
		m := managerActor(aJAM.ID)
		in := InputOf(aJAM)
		in.Stage = StageApplying
		if _, err := s.UpdateCluster(ctx, m, aJAM.ID, in); err != nil {
			t.Fatalf("manager edits own cluster: %v", err)
		}
		if _, err := s.AddMembership(ctx, m, aJAM.ID, MembershipInput{OrganisationID: r.firmJAM, Role: RoleMember, Joined: "2024-01-01"}); err != nil {
			t.Fatalf("manager adds a member: %v", err)
		}
		_, err = s.AddMembership(ctx, m, bTTO.ID, join)
		wantKind(t, err, problem.NotFound, "")
		_, err = s.EndMembership(ctx, m, bMember.ID, "2024-06-01")
		wantKind(t, err, problem.NotFound, "")
		_, err = s.ArchiveCluster(ctx, m, aJAM.ID)
		wantKind(t, err, problem.Forbidden, "")
		other := InsertOrg(t, d, "bso", "Other Jamaican BSO", "JAM")
		in.LeadBSOID = other
		_, err = s.UpdateCluster(ctx, m, aJAM.ID, in)
		wantKind(t, err, problem.Forbidden, "")
		_, err = s.CreateCluster(ctx, m, Input{Name: "New", Countries: []string{"JAM"}, Sector: SectorCreative, Stage: StageIdentified, LeadBSOID: r.bsoA})
		wantKind(t, err, problem.Forbidden, "")

		// Country coordinator: reads their country's clusters, writes nothing.
		co := coordinatorActor("TTO")
		cs, total, _ = s.FindClusters(ctx, co, Filter{})
		if total != 1 || cs[0].ID != bTTO.ID {
			t.Errorf("TTO coordinator lists %d clusters", total)
		}
		if _, err := s.FindClusterByID(ctx, co, bTTO.ID); err != nil {
			t.Errorf("coordinator reads own country's cluster: %v", err)
		}
		_, err = s.FindClusterByID(ctx, co, aJAM.ID)
		wantKind(t, err, problem.NotFound, "")
		_, err = s.UpdateCluster(ctx, co, bTTO.ID, InputOf(bTTO))
		wantKind(t, err, problem.NotFound, "")
		_, err = s.AddMembership(ctx, co, bTTO.ID, MembershipInput{OrganisationID: r.firmTTO, Role: RoleMember, Joined: "2023-01-01", Left: ptr("2023-06-01")})
		wantKind(t, err, problem.NotFound, "")
		_, err = s.EndMembership(ctx, co, bMember.ID, "2024-06-01")
		wantKind(t, err, problem.NotFound, "")

		// Nothing was changed by the refused attempts.
		got, _ := s.FindClusterByID(ctx, admin, bTTO.ID)
		if got.MemberCount != 1 || got.Archived() || got.LeadBSOID != r.bsoB {
			t.Errorf("B's cluster changed: %+v", got)
		}
		if n := AuditCount(t, d, "cluster", aJAM.ID, "update"); n != 1 {
			t.Errorf("%d update entries for A's cluster, want 1 (the manager's)", n)
		}
	})
}
