package org

import (
	"context"
	"testing"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

func TestScope(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewStore(d)
		bsoA := mustCreate(t, s, admin, Input{Kind: KindBSO, Name: "Jamaica Business Development", Country: "JAM"})
		bsoB := mustCreate(t, s, admin, Input{Kind: KindBSO, Name: "Trinidad Export Agency", Country: "TTO"})
		firmJAM := mustCreate(t, s, admin, Input{Kind: KindFirm, Name: "Blue Mountain Chocolate", Country: "JAM"})
		firmTTO := mustCreate(t, s, admin, Input{Kind: KindFirm, Name: "Caroni Cocoa", Country: "TTO"})
		memberTTO := mustCreate(t, s, admin, Input{Kind: KindFirm, Name: "Tobago Tours", Country: "TTO"})
		// A's cluster crosses into Barbados and has a Trinidadian member; B's is in Trinidad.
		clusterA := insertCluster(t, d, "Kingston Creative", bsoA.ID, "JAM", "BRB")
		clusterB := insertCluster(t, d, "Tobago Heritage", bsoB.ID, "TTO")
		addMember(t, d, clusterA, memberTTO.ID, "member", "2023-02-01", "")
		addMember(t, d, clusterB, memberTTO.ID, "lead_firm", "2022-01-15", "2023-01-31")
		addMember(t, d, clusterB, firmTTO.ID, "member", "2022-01-15", "")

		// BSO staff of A: their country and their clusters' members.
		a := bsoActor(bsoA.ID)
		got, total, err := s.FindOrganisations(ctx, a, Filter{})
		if err != nil || total != 3 {
			t.Fatalf("BSO A lists %v (%d), %v", names(got), total, err)
		}
		if _, err := s.FindOrganisationByID(ctx, a, memberTTO.ID); err != nil {
			t.Errorf("BSO A reads a member of its cluster: %v", err)
		}
		_, err = s.FindOrganisationByID(ctx, a, firmTTO.ID)
		wantKind(t, err, problem.NotFound, "")
		_, err = s.UpdateOrganisation(ctx, a, firmTTO.ID, InputOf(firmTTO))
		wantKind(t, err, problem.NotFound, "")
		_, err = s.ArchiveOrganisation(ctx, a, firmTTO.ID)
		wantKind(t, err, problem.NotFound, "")
		_, err = s.PatchOrganisation(ctx, a, firmTTO.ID, Patch{Name: ptr("Mine now")})
		wantKind(t, err, problem.NotFound, "")
		if ok, _ := s.CanWrite(ctx, a, firmTTO.ID); ok {
			t.Error("BSO A may write B's firm")
		}
		if ok, _ := s.CanWrite(ctx, a, firmJAM.ID); !ok {
			t.Error("BSO A may not write a firm of its country")
		}
		// Creating: A's country and its clusters' countries, nowhere else.
		mustCreate(t, s, a, Input{Kind: KindFirm, Name: "Ocho Rios Crafts", Country: "JAM"})
		bridgetown := mustCreate(t, s, a, Input{Kind: KindFirm, Name: "Bridgetown Film", Country: "BRB"})
		// What A registers in a cluster's country, A can read and change.
		if _, err := s.FindOrganisationByID(ctx, a, bridgetown.ID); err != nil {
			t.Errorf("BSO A reads the firm it registered in Barbados: %v", err)
		}
		if ok, _ := s.CanWrite(ctx, a, bridgetown.ID); !ok {
			t.Error("BSO A may not change the firm it registered in Barbados")
		}
		_, err = s.CreateOrganisation(ctx, a, Input{Kind: KindFirm, Name: "Port of Spain Media", Country: "TTO"})
		wantKind(t, err, problem.Invalid, "country")
		// Nor may A move its own firm out of its scope.
		in := InputOf(firmJAM)
		in.Country = "TTO"
		_, err = s.UpdateOrganisation(ctx, a, firmJAM.ID, in)
		wantKind(t, err, problem.Invalid, "country")
		// The profile lists only the clusters A may read.
		ms, err := s.FindMemberships(ctx, a, memberTTO.ID)
		if err != nil || len(ms) != 1 || ms[0].ClusterID != clusterA || !ms[0].Current() {
			t.Errorf("BSO A sees memberships %+v, %v", ms, err)
		}
		ms, _ = s.FindMemberships(ctx, admin, memberTTO.ID)
		if len(ms) != 2 || ms[0].ClusterID != clusterA || ms[1].Left != "2023-01-31" || ms[1].Role != "lead_firm" {
			t.Errorf("admin sees memberships %+v (current first)", ms)
		}

		// Cluster manager of A's cluster: creates in its countries only.
		m := managerActor(clusterA)
		mustCreate(t, s, m, Input{Kind: KindNGO, Name: "Barbados Youth Arts", Country: "BRB"})
		_, err = s.CreateOrganisation(ctx, m, Input{Kind: KindNGO, Name: "Trinidad Youth Arts", Country: "TTO"})
		wantKind(t, err, problem.Invalid, "country")
		_, err = s.UpdateOrganisation(ctx, m, firmTTO.ID, InputOf(firmTTO))
		wantKind(t, err, problem.NotFound, "")

		// Country coordinator: reads their country, writes nothing.
		co := coordinatorActor("TTO")
		if _, total, _ := s.FindOrganisations(ctx, co, Filter{}); total != 3 {
			t.Errorf("TTO coordinator lists %d organisations, want 3", total)
		}
		if _, err := s.FindOrganisationByID(ctx, co, firmTTO.ID); err != nil {
			t.Errorf("coordinator reads own country: %v", err)
		}
		_, err = s.FindOrganisationByID(ctx, co, firmJAM.ID)
		wantKind(t, err, problem.NotFound, "")
		_, err = s.UpdateOrganisation(ctx, co, firmTTO.ID, InputOf(firmTTO))
		wantKind(t, err, problem.NotFound, "")
		_, err = s.ArchiveOrganisation(ctx, co, firmTTO.ID)
		wantKind(t, err, problem.NotFound, "")
		_, err = s.CreateOrganisation(ctx, co, Input{Kind: KindFirm, Name: "Coordinated", Country: "TTO"})
		wantKind(t, err, problem.Forbidden, "")

		// Programme officers read everything and register nothing.
		po := user.Actor{Name: "officer", Role: user.ProgrammeOfficer}
		if _, total, _ := s.FindOrganisations(ctx, po, Filter{}); total != 8 {
			t.Errorf("programme officer lists %d organisations, want 8", total)
		}
		_, err = s.CreateOrganisation(ctx, po, Input{Kind: KindFirm, Name: "Funded", Country: "TTO"})
		wantKind(t, err, problem.Forbidden, "")
		_, err = s.UpdateOrganisation(ctx, po, firmTTO.ID, InputOf(firmTTO))
		wantKind(t, err, problem.NotFound, "")

		// Anonymous callers see nothing.
		if _, total, _ := s.FindOrganisations(ctx, user.Anonymous, Filter{}); total != 0 {
			t.Errorf("anonymous lists %d organisations", total)
		}

		// Nothing was changed by the refused attempts.
		for _, o := range []*Organisation{firmTTO, firmJAM} {
			cur, _ := s.FindOrganisationByID(ctx, admin, o.ID)
			if cur.Name != o.Name || cur.Country != o.Country || cur.Archived() {
				t.Errorf("%s changed: %+v", o.Name, cur)
			}
			for _, action := range []string{"update", "archive"} {
				if n := auditCount(t, d, o.ID, action); n != 0 {
					t.Errorf("%d %s entries for %s", n, action, o.Name)
				}
			}
		}
	})
}
