package cluster

import (
	"context"
	"testing"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/problem"
)

func TestMemberships(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		r := newRegion(t, d)
		s := r.s
		c := mustCreate(t, s, admin, Input{Name: "Cocoa", Countries: []string{"JAM", "TTO"}, Sector: SectorAgroProcessing,
			Stage: StageImplementing, LeadBSOID: r.bsoA})

		m, err := s.AddMembership(ctx, admin, c.ID, MembershipInput{OrganisationID: r.firmJAM, Role: RoleLeadFirm, Joined: "2021-03-01"})
		if err != nil {
			t.Fatal(err)
		}
		if m.OrganisationName != "Blue Mountain Chocolate" || m.OrganisationKind != "firm" || m.OrganisationCountry != "JAM" ||
			m.ClusterName != "Cocoa" || m.Joined != "2021-03-01" || m.Left != nil || !m.Current() {
			t.Errorf("membership = %+v", m)
		}
		if AuditCount(t, d, "membership", m.ID, "create") != 1 {
			t.Error("membership not audited")
		}

		// An open membership cannot be duplicated, even with another date.
		_, err = s.AddMembership(ctx, admin, c.ID, MembershipInput{OrganisationID: r.firmJAM, Role: RoleMember, Joined: "2022-01-01"})
		wantKind(t, err, problem.Invalid, "organisation_id")
		// Nor can a past period overlap it.
		_, err = s.AddMembership(ctx, admin, c.ID, MembershipInput{OrganisationID: r.firmJAM, Role: RoleMember, Joined: "2020-01-01", Left: ptr("2021-06-01")})
		wantKind(t, err, problem.Invalid, "joined")
		// An earlier, separate period is fine.
		if _, err := s.AddMembership(ctx, admin, c.ID, MembershipInput{OrganisationID: r.firmJAM, Role: RoleObserver, Joined: "2019-01-01", Left: ptr("2020-01-01")}); err != nil {
			t.Fatal(err)
		}
		// Left before joined and future dates are refused.
		_, err = s.AddMembership(ctx, admin, c.ID, MembershipInput{OrganisationID: r.firmTTO, Role: RoleMember, Joined: "2022-01-01", Left: ptr("2021-01-01")})
		wantKind(t, err, problem.Invalid, "left")
		_, err = s.AddMembership(ctx, admin, c.ID, MembershipInput{OrganisationID: r.firmTTO, Role: RoleMember, Joined: "2999-01-01"})
		wantKind(t, err, problem.Invalid, "joined")
		// Organisations outside the cluster's countries and the actor's reach, or archived, are refused.
		_, err = s.AddMembership(ctx, bsoActor(r.bsoA), c.ID, MembershipInput{OrganisationID: r.firmBRB, Role: RoleMember, Joined: "2022-01-01"})
		wantKind(t, err, problem.Invalid, "organisation_id")
		gone := InsertOrg(t, d, "firm", "Gone Ltd", "JAM")
		ArchiveOrg(t, d, gone)
		_, err = s.AddMembership(ctx, admin, c.ID, MembershipInput{OrganisationID: gone, Role: RoleMember, Joined: "2022-01-01"})
		wantKind(t, err, problem.Invalid, "organisation_id")

		tto, err := s.AddMembership(ctx, bsoActor(r.bsoA), c.ID, MembershipInput{OrganisationID: r.firmTTO, Role: RoleMember, Joined: "2022-05-01"})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := s.FindClusterByID(ctx, admin, c.ID)
		if got.MemberCount != 2 {
			t.Errorf("member count = %d, want 2", got.MemberCount)
		}

		// End, then rejoin.
		_, err = s.EndMembership(ctx, admin, tto.ID, "2022-04-30")
		wantKind(t, err, problem.Invalid, "left")
		ended, err := s.EndMembership(ctx, admin, tto.ID, "2023-12-31")
		if err != nil || ended.Left == nil || *ended.Left != "2023-12-31" {
			t.Fatalf("end = %+v, %v", ended, err)
		}
		_, err = s.EndMembership(ctx, admin, tto.ID, "2024-01-31")
		wantKind(t, err, problem.Conflict, "")
		if AuditCount(t, d, "membership", tto.ID, "end") != 1 {
			t.Error("end not audited")
		}
		again, err := s.AddMembership(ctx, admin, c.ID, MembershipInput{OrganisationID: r.firmTTO, Role: RoleResearch, Joined: "2024-02-01"})
		if err != nil {
			t.Fatalf("rejoin: %v", err)
		}

		list, total, err := s.FindMemberships(ctx, admin, MembershipFilter{ClusterID: c.ID})
		if err != nil || total != 4 || len(list) != 4 {
			t.Fatalf("memberships = %d (total %d), %v", len(list), total, err)
		}
		if !list[0].Current() || !list[1].Current() || list[2].Current() || list[3].Current() {
			t.Errorf("current members must come first: %+v %+v", list[0], list[2])
		}
		cur, total, _ := s.FindMemberships(ctx, admin, MembershipFilter{ClusterID: c.ID, Current: true})
		if total != 2 || len(cur) != 2 {
			t.Errorf("current memberships = %d", total)
		}
		byOrg, total, _ := s.FindMemberships(ctx, admin, MembershipFilter{OrganisationID: r.firmTTO})
		if total != 2 || byOrg[0].ID != again.ID {
			t.Errorf("memberships of the TTO firm = %d, first %d", total, byOrg[0].ID)
		}
		kinds, err := s.MemberKinds(ctx, admin, c.ID)
		if err != nil || len(kinds) != 1 || kinds[0].Kind != "firm" || kinds[0].Count != 2 {
			t.Errorf("member kinds = %v, %v", kinds, err)
		}

		// Correcting an entry: role and dates; the overlap check leaves the entry itself out.
		fixed, err := s.UpdateMembership(ctx, admin, again.ID, MembershipInput{OrganisationID: r.firmTTO, Role: RoleMember, Joined: "2024-01-15"})
		if err != nil || fixed.Role != RoleMember || fixed.Joined != "2024-01-15" {
			t.Fatalf("update = %+v, %v", fixed, err)
		}
		_, err = s.UpdateMembership(ctx, admin, again.ID, MembershipInput{OrganisationID: r.firmTTO, Role: RoleMember, Joined: "2023-01-01"})
		wantKind(t, err, problem.Invalid, "joined")
		if AuditCount(t, d, "membership", again.ID, "update") != 1 {
			t.Error("update not audited")
		}
		_, err = s.FindMembershipByID(ctx, admin, 99999)
		wantKind(t, err, problem.NotFound, "")

		// Members cannot be added to an archived cluster.
		if _, err := s.ArchiveCluster(ctx, admin, c.ID); err != nil {
			t.Fatal(err)
		}
		other := InsertOrg(t, d, "research", "UWI Mona", "JAM")
		_, err = s.AddMembership(ctx, admin, c.ID, MembershipInput{OrganisationID: other, Role: RoleResearch, Joined: "2024-01-01"})
		wantKind(t, err, problem.Conflict, "")
	})
}
