package portfolio_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/org"
	"github.com/clusterobservatory/observatory/internal/portfolio"
	"github.com/clusterobservatory/observatory/internal/programme"
	"github.com/clusterobservatory/observatory/internal/user"
)

// world is a programme with applications at every stage, written straight
// into the tables (the stores that make them are tested in their packages).
type world struct {
	programme, otherProgramme int64
	jamBSO, ttoBSO            int64
}

func newWorld(t *testing.T, d *db.DB) *world {
	t.Helper()
	ctx := context.Background()
	exec := func(q string, args ...any) int64 {
		t.Helper()
		var id int64
		if strings.Contains(q, "RETURNING") {
			if err := d.WriteSQL().QueryRowContext(ctx, q, args...).Scan(&id); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			return id
		}
		if _, err := d.WriteSQL().ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return 0
	}
	orgs := org.NewStore(d)
	mk := func(kind org.Kind, name, country string) int64 {
		o, err := orgs.CreateOrganisation(ctx, user.System, org.Input{Kind: kind, Name: name, Country: country})
		if err != nil {
			t.Fatal(err)
		}
		return o.ID
	}
	w := &world{jamBSO: mk(org.KindBSO, "Jamaica BSO", "JAM"), ttoBSO: mk(org.KindBSO, "Trinidad BSO", "TTO")}
	funder := mk(org.KindFunder, "Facility", "BRB")
	ps := programme.NewStore(d)
	for i, id := range []*int64{&w.programme, &w.otherProgramme} {
		p, err := ps.CreateProgramme(ctx, user.System, programme.ProgrammeInput{Name: fmt.Sprint("Programme ", i), FunderID: funder,
			Currency: "USD", Countries: []string{"JAM", "TTO"}})
		if err != nil {
			t.Fatal(err)
		}
		*id = p.ID
	}
	now := db.Now()
	call := func(programmeID int64, number string) int64 {
		return exec(`INSERT INTO calls (programme_id, number, title, time_zone, opens_at, closes_at, grant_ceiling, max_grant_share,
			min_counterpart_share, created_at, updated_at) VALUES ($1, $2, 'Call', 'UTC', $3, $3, 100000000, 0.8, 0.2, $3, $3) RETURNING id`,
			programmeID, number, now)
	}
	c, other := call(w.programme, "1"), call(w.otherProgramme, "1")
	cluster := exec(`INSERT INTO clusters (name, name_norm, sector, stage, lead_bso_id, created_at, updated_at)
		VALUES ('Tourism JA', 'tourism ja', 'tourism', 'emerging', $1, $2, $2) RETURNING id`, w.jamBSO, now)
	application := func(callID, lead int64, status string, eligible any, clusterID any) int64 {
		return exec(`INSERT INTO applications (call_id, status, title, lead_org_id, bso_id, cluster_id, eligible, created_at, updated_at)
			VALUES ($1, $2, 'A', $3, $3, $4, $5, $6, $6) RETURNING id`, callID, status, lead, clusterID, eligible, now)
	}
	application(c, w.jamBSO, "draft", nil, nil)            // not counted
	application(c, w.jamBSO, "rejected", false, nil)       // submitted only
	application(c, w.ttoBSO, "rejected", true, nil)        // eligible
	application(c, w.ttoBSO, "shortlisted", true, cluster) // shortlisted, no plan
	approved := application(c, w.jamBSO, "shortlisted", true, cluster)
	implementing := application(c, w.ttoBSO, "shortlisted", true, nil)
	application(other, w.jamBSO, "submitted", true, nil) // another programme
	plan := func(appID int64, content string) int64 {
		id := exec(`INSERT INTO plans (application_id, call_id, programme_id, title, status, version, baseline_version, created_at, updated_at)
			VALUES ($1, $2, $3, 'Plan', 'approved', 1, 1, $4, $4) RETURNING id`, appID, c, w.programme, now)
		exec(`INSERT INTO plan_versions (plan_id, version, content, saved_at) VALUES ($1, 1, $2, $3)`, id, content, now)
		return id
	}
	plan(approved, `{"budget":[{"grant":8000000,"counterpart_cash":1000000,"counterpart_in_kind":1000000},{"grant":2000000}]}`)
	p2 := plan(implementing, `{"budget":[{"grant":4000000,"counterpart_cash":500000,"counterpart_in_kind":500000}]}`)
	for _, s := range []struct {
		source string
		amount int64
	}{{"grant", 1000000}, {"grant", 500000}, {"cash", 200000}, {"in_kind", 100000}} {
		exec(`INSERT INTO plan_spending (plan_id, baseline_version, line, source, spent_on, amount, description, created_at)
			VALUES ($1, 1, 1, $2, '2025-06-01', $3, 'x', $4)`, p2, s.source, s.amount, now)
	}
	return w
}

func names() portfolio.Names {
	return portfolio.Names{Country: func(s string) string { return s }, Sector: func(s string) string { return "sector:" + s }}
}

func TestProgrammePortfolio(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		s := portfolio.NewStore(d)
		p, err := s.ForProgramme(ctx, user.System, w.programme, names())
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(p.Total); got != "[5 4 3 2 1]" {
			t.Errorf("pipeline %s, want [5 4 3 2 1]", got)
		}
		groups := map[string]string{}
		for _, g := range append(p.ByCountry, p.BySector...) {
			groups[g.Name] = fmt.Sprint(g.Counts)
		}
		want := map[string]string{"JAM": "[2 1 1 1 0]", "TTO": "[3 3 2 1 1]", "sector:tourism": "[2 2 2 1 0]", "sector:": "[3 2 1 1 1]"}
		for k, v := range want {
			if groups[k] != v {
				t.Errorf("group %s: %s, want %s", k, groups[k], v)
			}
		}
		m := p.MoneyTotal
		if m.Plans != 2 || m.Grant != 14000000 || m.Counterpart() != 3000000 || m.SpentGrant != 1500000 || m.SpentCounterpart() != 300000 {
			t.Errorf("money total %+v", m)
		}
		if len(p.Money) != 2 || p.Money[0].ISO3 != "JAM" || p.Money[0].Grant != 10000000 || p.Money[1].SpentGrant != 1500000 {
			t.Errorf("money by country %+v", p.Money)
		}

		// A country coordinator sees their country's part; a BSO and an
		// officer of another programme see none.
		cc := user.Actor{Name: "cc", Role: user.CountryCoordinator, Scope: user.Scope{Kind: user.ScopeCountry, ID: "TTO"}}
		p, err = s.ForProgramme(ctx, cc, w.programme, names())
		if err != nil || fmt.Sprint(p.Total) != "[3 3 2 1 1]" || p.MoneyTotal.Grant != 4000000 || len(p.Money) != 1 {
			t.Errorf("coordinator's portfolio %v %+v", err, p)
		}
		bso := user.Actor{Name: "bso", Role: user.BSOStaff, Scope: user.Scope{Kind: user.ScopeBSO, ID: fmt.Sprint(w.jamBSO)}}
		if _, err := s.ForProgramme(ctx, bso, w.programme, names()); err == nil {
			t.Error("BSO staff read a programme's portfolio")
		}
		other := user.Actor{Name: "o", Role: user.ProgrammeOfficer, Scope: user.Scope{Kind: user.ScopeProgramme, ID: fmt.Sprint(w.otherProgramme)}}
		if _, err := s.ForProgramme(ctx, other, w.programme, names()); err == nil {
			t.Error("another programme's officer read the portfolio")
		}

		// The BSO's own portfolio: its applications (and those of the
		// cluster it leads) with plans and money.
		a, err := s.ForApplicant(ctx, bso)
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Lines) != 5 || a.Total.Grant != 10000000 || a.Total.Plans != 1 {
			t.Errorf("applicant portfolio: %d lines, %+v", len(a.Lines), a.Total)
		}
	})
}

func TestPortfolioPages(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		e := apptest.New(t, d)
		admin := e.Browser(e.CreateUser(user.Admin, ""))
		page := fmt.Sprintf("/programmes/%d/portfolio", w.programme)
		r := e.Get(admin, page)
		if r.StatusCode != 200 || !strings.Contains(r.Body, `data-table="pipeline"`) || !strings.Contains(r.Body, "100,000\u00a0USD") ||
			!strings.Contains(r.Body, "Plan approved") || !strings.Contains(r.Body, `data-iso3="TTO"`) {
			t.Fatalf("portfolio page: %d\n%s", r.StatusCode, r.Body)
		}
		if r := e.Get(e.Browser(e.CreateUser(user.Reviewer, "")), page); r.StatusCode != http.StatusForbidden {
			t.Errorf("reviewer: %d", r.StatusCode)
		}
		staff := e.Browser(e.CreateUser(user.BSOStaff, fmt.Sprint("bso:", w.ttoBSO)))
		r = e.Get(staff, "/portfolio")
		if r.StatusCode != 200 || !strings.Contains(r.Body, "Our portfolio") || !strings.Contains(r.Body, "40,000\u00a0USD") {
			t.Fatalf("applicant portfolio: %d\n%s", r.StatusCode, r.Body)
		}
		tok := e.Token(e.CreateUser(user.ProgrammeOfficer, ""))
		r = e.API("GET", fmt.Sprintf("/api/v1/programmes/%d/portfolio", w.programme), tok, nil)
		var got portfolio.APIProgramme
		r.JSON(t, &got)
		if r.StatusCode != 200 || got.Pipeline.Implementing != 1 || got.MoneyTotal.DisbursedGrant != 1500000 || len(got.ByCountry) != 2 {
			t.Errorf("API: %d %+v", r.StatusCode, got)
		}
	})
}
