package event

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

var admin = user.Actor{UserID: 1, Name: "Admin", Role: user.Admin}

func actor(role user.Role, kind user.ScopeKind, id any) user.Actor {
	return user.Actor{UserID: 100, Name: string(role), Role: role, Scope: user.Scope{Kind: kind, ID: fmt.Sprint(id)}}
}

func (f *Fixture) input(title string, organiser int64, clusters ...int64) Input {
	return Input{Title: title, Type: TypeWorkshop, OrganiserID: organiser, ClusterIDs: clusters, StartsOn: "2024-05-02",
		EndsOn: "2024-05-02", Place: "Kingston", Country: "JAM", Participants: 20, Women: 12, Men: 7, Other: 1, Youth: 5}
}

func mustCreate(t *testing.T, s *Store, a user.Actor, in Input) *Event {
	t.Helper()
	e, err := s.CreateEvent(context.Background(), a, in)
	if err != nil {
		t.Fatalf("create %s: %v", in.Title, err)
	}
	return e
}

func wantProblem(t *testing.T, err error, kind problem.Kind, field string) {
	t.Helper()
	if problem.KindOf(err) != kind {
		t.Fatalf("error = %v, want kind %s", err, kind)
	}
	if field != "" && !slices.Contains(fieldsOf(err), field) {
		t.Fatalf("error = %v, want a problem with %s", err, field)
	}
}

func TestEventStore(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := NewFixture(t, d)
		in := f.input("Café export workshop", f.BSOA, f.A.ID)
		in.Attendees = &[]AttendeeInput{
			{OrganisationID: f.FirmJAM, Counts: Counts{Participants: 3, Women: 2, Men: 1, Youth: 1}},
			{OrganisationID: f.Firm2, Counts: Counts{Participants: 2, Women: 1, Men: 1}},
		}
		e := mustCreate(t, f.S, admin, in)
		if e.AttendeeCount != 2 || len(e.Clusters) != 1 || e.Clusters[0].Name != "Kingston Creative" || e.OrganiserName != "Jamaica Business Development" {
			t.Errorf("created = %+v", e)
		}
		if AuditCount(t, d, e.ID, "create") != 1 {
			t.Error("creation not audited")
		}

		// References checked against the registry, rows named.
		bad := f.input("Bad", 999999, f.A.ID)
		bad.Country = "XXX"
		bad.Attendees = &[]AttendeeInput{{OrganisationID: f.FirmJAM}, {OrganisationID: 888888}, {OrganisationID: f.Archived}}
		_, err := f.S.CreateEvent(ctx, admin, bad)
		wantProblem(t, err, problem.Invalid, "organiser_id")
		for _, want := range []string{"country", "attendees#2", "attendees#3"} {
			if !slices.Contains(fieldsOf(err), want) {
				t.Errorf("bad references: %v lacks %s", err, want)
			}
		}
		_, err = f.S.CreateEvent(ctx, admin, f.input("No cluster", f.BSOA, 424242))
		wantProblem(t, err, problem.Invalid, "cluster_ids")

		// The totals may not fall below the listed organisations.
		up := InputOf(e)
		up.Participants, up.Women, up.Men, up.Other, up.Youth = 4, 2, 2, 0, 1
		_, err = f.S.UpdateEvent(ctx, admin, e.ID, up)
		wantProblem(t, err, problem.Invalid, "participants")
		up = InputOf(e)
		up.Title, up.EndsOn = "Export workshop", "2024-05-03"
		e2, err := f.S.UpdateEvent(ctx, admin, e.ID, up)
		if err != nil || e2.Title != "Export workshop" || e2.AttendeeCount != 2 {
			t.Fatalf("update = %+v, %v", e2, err)
		}
		if AuditCount(t, d, e.ID, "update") != 1 {
			t.Error("update not audited")
		}

		// Lists: filters and participant totals.
		other := f.input("Tobago trade mission", f.BSOB, f.B.ID)
		other.Type, other.Country, other.StartsOn, other.EndsOn = TypeTradeMission, "TTO", "2023-11-20", "2023-11-24"
		other.Participants, other.Women, other.Men, other.Other, other.Youth = 10, 2, 8, 0, 10
		mustCreate(t, f.S, admin, other)
		for name, tc := range map[string]struct {
			f     Filter
			n     int
			total int
		}{
			"all":     {Filter{}, 2, 30},
			"cluster": {Filter{ClusterID: f.B.ID}, 1, 10},
			"country": {Filter{Country: "jam"}, 1, 20},
			"type":    {Filter{Type: TypeTradeMission}, 1, 10},
			"year":    {Filter{Year: 2024}, 1, 20},
			"none":    {Filter{Year: 2020}, 0, 0},
			"query":   {Filter{Query: "EXPORT"}, 1, 20},
		} {
			items, sum, err := f.S.FindEvents(ctx, admin, tc.f)
			if err != nil || len(items) != tc.n || sum.Total != tc.n || sum.Participants != tc.total {
				t.Errorf("%s: %d items, %+v, %v; want %d with %d participants", name, len(items), sum, err, tc.n, tc.total)
			}
		}
		_, sum, _ := f.S.FindEvents(ctx, admin, Filter{})
		if sum.Women != 14 || sum.Youth != 15 || sum.WomenShare() != 14.0/30 {
			t.Errorf("summary = %+v", sum)
		}

		// Archiving takes an event out of lists; restoring brings it back.
		if _, err := f.S.ArchiveEvent(ctx, admin, e.ID); err != nil {
			t.Fatal(err)
		}
		if _, sum, _ := f.S.FindEvents(ctx, admin, Filter{}); sum.Total != 1 {
			t.Errorf("archived event still listed: %+v", sum)
		}
		_, err = f.S.UpdateEvent(ctx, admin, e.ID, up)
		wantProblem(t, err, problem.Conflict, "")
		if _, err := f.S.RestoreEvent(ctx, admin, e.ID); err != nil {
			t.Fatal(err)
		}
		if AuditCount(t, d, e.ID, "archive") != 1 || AuditCount(t, d, e.ID, "restore") != 1 {
			t.Error("archive and restore not audited")
		}
	})
}

func TestEventScope(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := NewFixture(t, d)
		a := mustCreate(t, f.S, admin, f.input("Creative workshop", f.BSOA, f.A.ID))
		bIn := f.input("Tourism training", f.BSOB, f.B.ID)
		bIn.Country = "TTO"
		b := mustCreate(t, f.S, admin, bIn)
		// Organised by BSO A for cluster B: BSO A sees it as organiser,
		// BSO B as the lead of the cluster it served.
		joint := mustCreate(t, f.S, admin, f.input("Joint matchmaking", f.BSOA, f.B.ID))

		bsoA := actor(user.BSOStaff, user.ScopeBSO, f.BSOA)
		bsoB := actor(user.BSOStaff, user.ScopeBSO, f.BSOB)
		mgrA := actor(user.ClusterManager, user.ScopeCluster, f.A.ID)
		coordTTO := actor(user.CountryCoordinator, user.ScopeCountry, "TTO")
		officer := actor(user.ProgrammeOfficer, user.ScopeProgramme, 1)
		reviewer := actor(user.Reviewer, user.ScopeNone, "")
		for name, tc := range map[string]struct {
			a    user.Actor
			want []int64
		}{
			"bso A":     {bsoA, []int64{a.ID, joint.ID}},
			"bso B":     {bsoB, []int64{b.ID, joint.ID}},
			"manager A": {mgrA, []int64{a.ID}},
			"coord TTO": {coordTTO, []int64{b.ID, joint.ID}},
			"officer":   {officer, []int64{a.ID, b.ID, joint.ID}},
			"reviewer":  {reviewer, nil},
		} {
			items, sum, err := f.S.FindEvents(ctx, tc.a, Filter{})
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, e := range items {
				got = append(got, e.ID)
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) || sum.Total != len(tc.want) {
				t.Errorf("%s reads %v (total %d), want %v", name, got, sum.Total, tc.want)
			}
		}
		// Out of scope is not found, for reading and writing.
		_, err := f.S.FindEventByID(ctx, mgrA, b.ID)
		wantProblem(t, err, problem.NotFound, "")
		_, err = f.S.UpdateEvent(ctx, bsoA, b.ID, InputOf(b))
		wantProblem(t, err, problem.NotFound, "")
		_, err = f.S.UpdateEvent(ctx, officer, a.ID, InputOf(a))
		wantProblem(t, err, problem.NotFound, "")
		_, err = f.S.ArchiveEvent(ctx, coordTTO, b.ID)
		wantProblem(t, err, problem.NotFound, "")
		_, err = f.S.CreateEvent(ctx, officer, f.input("Officer's", f.BSOA, f.A.ID))
		wantProblem(t, err, problem.Forbidden, "")

		// A cluster outside the scope cannot be chosen.
		_, err = f.S.CreateEvent(ctx, mgrA, f.input("Elsewhere", f.BSOA, f.B.ID))
		wantProblem(t, err, problem.Invalid, "cluster_ids")
		// A manager may record and edit their cluster's events, but not
		// take their cluster off one (it would leave their reach).
		mine := mustCreate(t, f.S, mgrA, f.input("Manager's meeting", f.BSOA, f.A.ID))
		in := InputOf(mine)
		in.Title = "Manager's meeting (renamed)"
		if _, err := f.S.UpdateEvent(ctx, mgrA, mine.ID, in); err != nil {
			t.Fatal(err)
		}
		// BSO B may edit the joint event it did not organise, through its cluster.
		in = InputOf(joint)
		in.Description = "Buyers from Miami"
		if _, err := f.S.UpdateEvent(ctx, bsoB, joint.ID, in); err != nil {
			t.Fatal(err)
		}
		// An attendee outside the actor's organisation scope is unknown to them.
		in = InputOf(mine)
		in.Attendees = &[]AttendeeInput{{OrganisationID: f.FirmTTO}}
		_, err = f.S.UpdateEvent(ctx, mgrA, mine.ID, in)
		wantProblem(t, err, problem.Invalid, "attendees#1")
		// BSO B, scoped to TTO, may not choose cluster A.
		_, err = f.S.CreateEvent(ctx, bsoB, f.input("Reach", f.BSOB, f.A.ID))
		wantProblem(t, err, problem.Invalid, "cluster_ids")
	})
}

func TestCoAttendance(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := NewFixture(t, d)
		three := f.input("Three firms", f.BSOA, f.A.ID)
		three.Attendees = &[]AttendeeInput{{OrganisationID: f.Firm2}, {OrganisationID: f.FirmJAM}, {OrganisationID: f.BSOA}}
		e1 := mustCreate(t, f.S, admin, three)
		later := f.input("Two firms, later", f.BSOA, f.A.ID)
		later.StartsOn, later.EndsOn = "2024-09-10", "2024-09-11"
		later.Attendees = &[]AttendeeInput{{OrganisationID: f.FirmJAM}, {OrganisationID: f.FirmTTO}}
		e2 := mustCreate(t, f.S, admin, later)
		alone := f.input("One firm", f.BSOB, f.B.ID)
		alone.Attendees = &[]AttendeeInput{{OrganisationID: f.FirmTTO}}
		mustCreate(t, f.S, admin, alone)

		pairs, err := f.S.CoAttendance(ctx, admin, "2024-01-01", "2024-12-31")
		if err != nil {
			t.Fatal(err)
		}
		lo, hi := min(f.FirmJAM, f.Firm2), max(f.FirmJAM, f.Firm2)
		want := []Pair{
			{OrgA: f.BSOA, OrgB: f.FirmJAM, EventID: e1.ID, Date: "2024-05-02"},
			{OrgA: f.BSOA, OrgB: f.Firm2, EventID: e1.ID, Date: "2024-05-02"},
			{OrgA: lo, OrgB: hi, EventID: e1.ID, Date: "2024-05-02"},
			{OrgA: min(f.FirmJAM, f.FirmTTO), OrgB: max(f.FirmJAM, f.FirmTTO), EventID: e2.ID, Date: "2024-09-10"},
		}
		var got []Pair
		for _, p := range pairs {
			if p.OrgAName == "" || p.OrgBName == "" || p.EventTitle == "" {
				t.Errorf("pair without names: %+v", p)
			}
			got = append(got, Pair{OrgA: p.OrgA, OrgB: p.OrgB, EventID: p.EventID, Date: p.Date})
		}
		if !slices.Equal(got, want) {
			t.Errorf("pairs = %+v\nwant %+v", got, want)
		}
		// The period bounds the events by their first day.
		if pairs, _ := f.S.CoAttendance(ctx, admin, "2024-06-01", "2024-12-31"); len(pairs) != 1 || pairs[0].EventID != e2.ID {
			t.Errorf("second half of 2024: %+v", pairs)
		}
		// Scope applies: cluster B's manager sees no pair.
		if pairs, _ := f.S.CoAttendance(ctx, actor(user.ClusterManager, user.ScopeCluster, f.B.ID), "2024-01-01", "2024-12-31"); len(pairs) != 0 {
			t.Errorf("manager B sees %+v", pairs)
		}
		// Archived events are no evidence.
		if _, err := f.S.ArchiveEvent(ctx, admin, e2.ID); err != nil {
			t.Fatal(err)
		}
		if pairs, _ := f.S.CoAttendance(ctx, admin, "2024-01-01", "2024-12-31"); len(pairs) != 3 {
			t.Errorf("with e2 archived: %d pairs, want 3", len(pairs))
		}
		_, err = f.S.CoAttendance(ctx, admin, "2024", "2024-12-31")
		wantProblem(t, err, problem.Invalid, "from")
	})
}

func TestImportAttendance(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := NewFixture(t, d)
		e := mustCreate(t, f.S, admin, f.input("Workshop", f.BSOA, f.A.ID))
		InsertOrg(t, d, "firm", "Kingston Spice Co.", "TTO") // a second "Kingston Spice"
		bsoA := actor(user.BSOStaff, user.ScopeBSO, f.BSOA)

		bad := "organisation,participants,women,men,youth\n" +
			"Blue Mountain Chocolate,4,3,1,2\n" +
			"Unknown Firm,1,1,0,0\n" +
			"Blue Mountain Chocolate,1,1,0,0\n" +
			"Kingston Spice,2,1,1,3\n" +
			"Old Mill,1,0,1,0\n"
		_, err := f.S.ImportAttendance(ctx, admin, e.ID, "att.csv", []byte(bad), true)
		p := problem.As(err)
		if p == nil || p.Kind != problem.Invalid {
			t.Fatalf("bad file: %v", err)
		}
		var rows []int
		for _, dt := range p.Details {
			rows = append(rows, dt.Row)
			if dt.File != "att.csv" {
				t.Errorf("detail without the file: %+v", dt)
			}
		}
		// Row 3 unknown, row 4 a repeat, row 5 more youth than participants
		// and a name two organisations share, row 6 archived.
		for _, want := range []int{3, 4, 5, 6} {
			if !slices.Contains(rows, want) {
				t.Errorf("problems %+v lack row %d", p.Details, want)
			}
		}
		if slices.Contains(rows, 2) {
			t.Errorf("a good row reported: %+v", p.Details)
		}
		if AttendeeRows(t, d, e.ID) != 0 || AuditCount(t, d, e.ID, "attendance") != 0 {
			t.Fatal("something was stored from a bad file")
		}

		// BSO A's staff upload a good file, by name and by ID, with
		// semicolons; the totals follow the file.
		good := "Organisation;Organisation_ID;Participants;Women;Men;Youth\n" +
			"Blue Mountain Chocolate Limited;;4;3;1;2\n" +
			";" + fmt.Sprint(f.Firm2) + ";3;1;1;1\n"
		got, err := f.S.ImportAttendance(ctx, bsoA, e.ID, "good.csv", []byte(good), true)
		if err != nil {
			t.Fatal(err)
		}
		if got.AttendeeCount != 2 || got.Counts != (Counts{Participants: 7, Women: 4, Men: 2, Other: 1, Youth: 3}) {
			t.Errorf("after upload: %+v", got)
		}
		if AuditCount(t, d, e.ID, "attendance") != 1 {
			t.Error("upload not audited")
		}
		// Without setting the totals, a file over them is refused.
		over := "organisation,participants,women,men\nBlue Mountain Chocolate,9,5,4\n"
		_, err = f.S.ImportAttendance(ctx, bsoA, e.ID, "over.csv", []byte(over), false)
		wantProblem(t, err, problem.Invalid, "participants")
		if AttendeeRows(t, d, e.ID) != 2 {
			t.Error("the refused file changed the list")
		}
		// Another BSO's staff cannot upload to the event.
		_, err = f.S.ImportAttendance(ctx, actor(user.BSOStaff, user.ScopeBSO, f.BSOB), e.ID, "x.csv", []byte(good), true)
		wantProblem(t, err, problem.NotFound, "")
	})
}
