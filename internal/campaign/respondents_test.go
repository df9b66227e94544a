package campaign

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/indicator"
)

// TestPeriodSpan checks that a campaign's period has the days the results
// dashboards count memberships by: a membership that begins on the last
// day or ends on the first day overlaps, one a day further does not.
func TestPeriodSpan(t *testing.T) {
	for _, c := range []struct{ key, from, to string }{
		{"2023", "2023-01-01", "2023-12-31"},
		{"2024-Q1", "2024-01-01", "2024-03-31"},
		{"2024-Q4", "2024-10-01", "2024-12-31"},
		{"2024-02", "2024-02-01", "2024-02-29"},
		{"2025-12", "2025-12-01", "2025-12-31"},
	} {
		sp, err := periodSpan(c.key)
		if err != nil || sp.From != c.from || sp.To != c.to {
			t.Errorf("periodSpan(%s) = %+v %v, want %s to %s", c.key, sp, err, c.from, c.to)
		}
		p, _ := indicator.ParsePeriod(c.key)
		shift := func(d string, n int) string {
			t, _ := time.Parse(dateLayout, d)
			return t.AddDate(0, 0, n).Format(dateLayout)
		}
		for _, m := range []struct {
			span indicator.MembershipSpan
			want bool
		}{
			{indicator.MembershipSpan{Cluster: 1, Joined: sp.To}, true},
			{indicator.MembershipSpan{Cluster: 1, Joined: shift(sp.To, 1)}, false},
			{indicator.MembershipSpan{Cluster: 1, Joined: "2000-01-01", Left: sp.From}, true},
			{indicator.MembershipSpan{Cluster: 1, Joined: "2000-01-01", Left: shift(sp.From, -1)}, false},
		} {
			a := indicator.ResultsAttribution{Memberships: map[int64][]indicator.MembershipSpan{7: {m.span}}}
			if got := a.MemberDuring(7, 1, p); got != m.want {
				t.Errorf("%s: the dashboards say %+v is a member: %v; the campaign's span is %+v", c.key, m.span, got, sp)
			}
		}
	}
	if _, err := periodSpan("2025-Q5"); err == nil {
		t.Error("2025-Q5 has a span")
	}
}

// TestRespondentsByPeriod checks that a campaign invites the members of
// its clusters during its period: former members for a past period, not
// the firms that joined after it; each organisation once.
func TestRespondentsByPeriod(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		// left2024 was in cluster A until mid-2024; joined2025 is in A since
		// March 2025. firm4 left A at the end of 2023; firm1 is in A and B.
		left2024 := insertOrg(t, d, "firm", "Old Harbour Fisheries", "JAM", "fish@oldharbour.test")
		joined2025 := insertOrg(t, d, "firm", "New Kingston Studios", "JAM", "hello@nks.test")
		member(t, d, f.clusterA, left2024, "2019-05-01", "2024-06-30")
		member(t, d, f.clusterA, joined2025, "2025-03-01", "")
		thisYear := fmt.Sprint(time.Now().UTC().Year())
		for _, c := range []struct {
			period        string
			want          []int64
			former, later int
		}{
			{"2023", []int64{f.firm1, f.firm2, f.firm3, f.firm4, left2024}, 2, 1},
			{"2024-Q2", []int64{f.firm1, f.firm2, f.firm3, left2024}, 1, 1},
			{"2024-Q3", []int64{f.firm1, f.firm2, f.firm3}, 0, 1},
			{"2025", []int64{f.firm1, f.firm2, f.firm3, joined2025}, 0, 0},
			// The current period: today's members, as before.
			{thisYear, []int64{f.firm1, f.firm2, f.firm3, joined2025}, 0, 0},
		} {
			in := f.input()
			in.Title, in.Period = "Firm results "+c.period, c.period
			reach, err := f.s.FindReach(ctx, admin, in)
			if err != nil {
				t.Fatal(err)
			}
			camp, err := f.s.CreateCampaign(ctx, admin, in)
			if err != nil {
				t.Fatal(err)
			}
			invs, err := f.s.FindInvitations(ctx, admin, camp.ID, InvitationFilter{})
			if err != nil {
				t.Fatal(err)
			}
			var orgs []int64
			for _, i := range invs {
				orgs = append(orgs, i.OrganisationID)
				// firm1 is in both clusters: invited once, through A.
				if i.OrganisationID == f.firm1 && (i.ClusterID == nil || *i.ClusterID != min(f.clusterA, f.clusterB)) {
					t.Errorf("%s: firm1 invited through cluster %v", c.period, i.ClusterID)
				}
			}
			slices.Sort(orgs)
			if !slices.Equal(orgs, c.want) || camp.Respondents != len(c.want) {
				t.Errorf("%s: invited %v (%d), want %v", c.period, orgs, camp.Respondents, c.want)
			}
			if reach.Respondents != camp.Respondents || reach.Former != c.former || reach.Later != c.later {
				t.Errorf("%s: reach %+v, want %d respondents, %d former, %d later", c.period, reach, camp.Respondents, c.former, c.later)
			}
		}
		// A firm chosen by name and through a cluster counts once; a
		// former member chosen by name is not former.
		in := f.input()
		in.Period, in.OrganisationIDs = "2023", []int64{f.firm1, f.firm4, f.firm5}
		reach, err := f.s.FindReach(ctx, admin, in)
		if err != nil {
			t.Fatal(err)
		}
		if reach.Respondents != 6 || reach.Former != 1 || reach.From != "2023-01-01" || reach.To != "2023-12-31" {
			t.Errorf("reach with organisations: %+v", reach)
		}
		in.ClusterIDs = nil
		if reach, err := f.s.FindReach(ctx, admin, in); err != nil || reach.Respondents != 3 {
			t.Errorf("reach of organisations only: %+v %v", reach, err)
		}
		in.OrganisationIDs, in.Period = nil, "2023-Q9"
		if _, err := f.s.FindReach(ctx, admin, in); !hasField(err, "period") || !hasField(err, "cluster_ids") {
			t.Errorf("reach without a period or respondents: %v", err)
		}
		// A cluster with no members during the period.
		in = f.input()
		in.Period, in.ClusterIDs = "2019", []int64{f.clusterB}
		if _, err := f.s.CreateCampaign(ctx, admin, in); !hasField(err, "cluster_ids") {
			t.Errorf("no members in 2019: %v", err)
		}
	})
}

// TestClusterRatesFormerMembers checks that the response rates per cluster
// count the members of the period, former ones included.
func TestClusterRatesFormerMembers(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		joined2025 := insertOrg(t, d, "firm", "New Kingston Studios", "JAM", "hello@nks.test")
		member(t, d, f.clusterA, joined2025, "2025-03-01", "")
		in := f.input()
		in.Period, in.OrganisationIDs = "2023", []int64{joined2025}
		c, err := f.s.CreateCampaign(ctx, admin, in)
		if err != nil {
			t.Fatal(err)
		}
		rates, err := f.s.ClusterRates(ctx, admin, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		// A: firm1, firm3 and firm4 (left at the end of 2023), not the
		// firm chosen by name that joined in 2025; B: firm1 and firm2.
		got := map[int64]int{}
		for _, r := range rates {
			got[r.ClusterID] = r.Respondents
		}
		if len(rates) != 2 || got[f.clusterA] != 3 || got[f.clusterB] != 2 {
			t.Errorf("cluster rates = %+v", rates)
		}
	})
}
