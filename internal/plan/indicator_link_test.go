package plan_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"testing"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/indicator"
	"github.com/clusterobservatory/observatory/internal/plan"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

var indicatorAdmin = user.Actor{Name: "Admin", Role: user.Admin}

// monitoring gives the fixture's plan a cluster led by its BSO and two
// indicators of the results framework: SJOBS, with a 2027 target of 40 and
// an approved 2025 value of 12 for the cluster, and SEXPORTS, with no data.
func monitoring(t *testing.T, f *fixture, planID int64) int64 {
	t.Helper()
	ctx := context.Background()
	var cluster int64
	err := f.d.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO clusters (name, name_norm, sector, stage, lead_bso_id, created_at, updated_at)
			VALUES ('Spice cluster', 'spice cluster', 'agrifood', 'implementing', $1, $2, $2) RETURNING id`, f.bso.ID, db.Now()).Scan(&cluster)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO cluster_countries (cluster_id, country_iso3) VALUES ($1, 'BRB')`, cluster); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE plans SET cluster_id = $1 WHERE id = $2`, cluster, planID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	s := indicator.NewStore(f.d)
	var ids []int64
	for _, code := range []string{"SJOBS", "SEXPORTS"} {
		ind, err := s.CreateIndicator(ctx, indicatorAdmin, indicator.Input{Code: code, Name: "Indicator " + code, Definition: "What " + code + " counts.",
			Unit: "firms", Level: indicator.LevelOutcome, Calculation: indicator.CalcNumeric, Direction: indicator.DirIncrease,
			SubjectAggregation: indicator.AggSum, TimeAggregation: indicator.AggSum, MeansOfVerification: "Survey.",
			Frequency: indicator.FreqYearly, ResponsibleRole: user.ClusterManager})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, ind.ID)
	}
	subject := fmt.Sprint("cluster:", cluster)
	forty, twelve := 40.0, 12.0
	if _, _, err := s.SetTarget(ctx, user.System, indicator.TargetInput{IndicatorID: ids[0], Subject: subject, Kind: indicator.KindTarget,
		Period: "2027", Value: &forty}); err != nil {
		t.Fatal(err)
	}
	res, err := s.SaveValues(ctx, user.System, []indicator.ValueInput{{IndicatorID: ids[0], Subject: subject, Period: "2025", Value: &twelve,
		Source: indicator.SourceEntry}})
	if err != nil || len(res.Saved) != 1 {
		t.Fatalf("save value: %v %+v", err, res)
	}
	if _, err := s.ReviewValue(ctx, indicatorAdmin, res.Saved[0].ID, indicator.DecideApprove, ""); err != nil {
		t.Fatal(err)
	}
	return cluster
}

func ptrFloat(v float64) *float64 { return &v }

func TestPlanIndicatorLinks(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		f.shortlist(t)
		s := plan.NewStore(d)
		p, _, err := s.OpenPlan(ctx, f.staff, f.app.ID)
		if err != nil {
			t.Fatal(err)
		}
		monitoring(t, f, p.ID)

		c := f.content()
		c.Objectives[0].Indicators = []plan.IndicatorLink{{Code: " sjobs ", Target: ptrFloat(50), Year: 2027}}
		c.Projects[0].Indicators = []plan.IndicatorLink{{Code: "SEXPORTS"}}
		saved, err := s.SavePlan(ctx, f.staff, p.ID, plan.SaveInput{BaseVersion: 1, Content: c})
		if err != nil {
			t.Fatal(err)
		}
		got := saved.Content.Objectives[0].Indicators
		if len(got) != 1 || got[0].Code != "SJOBS" || got[0].Name != "Indicator SJOBS" || *got[0].Target != 50 || got[0].Year != 2027 {
			t.Fatalf("objective indicators %+v", got)
		}
		if pi := saved.Content.Projects[0].Indicators; len(pi) != 1 || pi[0].Code != "SEXPORTS" || pi[0].Target != nil {
			t.Fatalf("project indicators %+v", pi)
		}
		if len(saved.Content.Objectives[1].Indicators) != 0 || saved.Content.Objectives[1].Indicators == nil {
			t.Fatalf("objective without indicators: %#v", saved.Content.Objectives[1].Indicators)
		}

		bad := f.content()
		bad.Objectives[1].Indicators = []plan.IndicatorLink{{Code: "NOPE"}}
		bad.Projects[0].Indicators = []plan.IndicatorLink{{Code: "SJOBS", Year: 2031}, {Code: "sjobs"}}
		_, err = s.SavePlan(ctx, f.staff, p.ID, plan.SaveInput{BaseVersion: 2, Content: bad})
		pr := problem.As(err)
		if pr == nil || pr.Kind != problem.Invalid {
			t.Fatalf("unknown code saved: %v", err)
		}
		for _, field := range []string{"objectives[1].indicators", "projects[0].indicators", "projects[0].indicators[0].year"} {
			if !problem.Fields(pr.Details).Has(field) {
				t.Errorf("no problem with %s: %v", field, pr)
			}
		}

		c2 := f.content()
		c2.Objectives[0].Indicators = []plan.IndicatorLink{{Code: "SJOBS", Target: ptrFloat(60), Year: 2027}}
		c2.Projects[0].Indicators = []plan.IndicatorLink{{Code: "SEXPORTS"}}
		if _, err := s.SavePlan(ctx, f.staff, p.ID, plan.SaveInput{BaseVersion: 2, Content: c2}); err != nil {
			t.Fatal(err)
		}
		_, a, _ := s.FindVersion(ctx, f.staff, p.ID, 2)
		_, b, _ := s.FindVersion(ctx, f.staff, p.ID, 3)
		changes := plan.Diff(a, b, "USD")
		if len(changes) != 1 || changes[0].Section != "objectives" || changes[0].Op != plan.Changed ||
			changes[0].Fields[0] != (plan.FieldChange{Field: "indicators", Old: "SJOBS: 50 (2027)", New: "SJOBS: 60 (2027)"}) {
			t.Fatalf("diff %+v", changes)
		}
	})
}

func TestPlanIndicatorPages(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)
		f := newFixture(t, d)
		f.shortlist(t)
		p, _, err := plan.NewStore(d).OpenPlan(context.Background(), f.staff, f.app.ID)
		if err != nil {
			t.Fatal(err)
		}
		cluster := monitoring(t, f, p.ID)
		staff := e.CreateUser(user.BSOStaff, fmt.Sprint("bso:", f.bso.ID))
		c := e.Browser(staff)
		page := plan.Path(p.ID)

		r := e.Get(c, page+"/edit")
		wantStatus(t, "edit", r, 200)
		checkPage(t, "edit", "en", r.Body)
		wantBody(t, "edit", r, true, `name="objectives[0].indicators_rows" value="2"`, `<option value="SJOBS" >SJOBS · Indicator SJOBS</option>`,
			`name="projects[0].indicators[1].year"`)

		form := planForm(f, 1, "80000")
		form.Set("objectives[0].indicators_rows", "2")
		form.Set("objectives[0].indicators[1].code", "SJOBS")
		form.Set("objectives[0].indicators[1].target", "50")
		form.Set("objectives[0].indicators[1].year", "2027")
		form.Set("projects[1].indicators_rows", "1")
		form.Set("projects[1].indicators[0].code", "SEXPORTS")
		form.Set("objectives[2].indicators_rows", "1")
		form.Set("objectives[2].indicators[0].code", "NOPE")
		r = e.PostForm(c, page, form)
		wantStatus(t, "unknown code", r, http.StatusUnprocessableEntity)
		checkPage(t, "unknown code", "en", r.Body)
		wantBody(t, "unknown code", r, true, "Objective 2: there is no indicator NOPE in the results framework.",
			`<option value="NOPE" selected>NOPE · NOPE</option>`, `name="objectives[0].indicators[0].target" type="text" inputmode="decimal" value="50"`)

		form.Del("objectives[2].indicators[0].code")
		wantStatus(t, "save", e.PostForm(c, page, form), http.StatusSeeOther)
		r = e.Get(c, page)
		wantStatus(t, "plan", r, 200)
		checkPage(t, "plan", "en", r.Body)
		wantBody(t, "plan", r, true, "Results indicators", "Objective 1: Exports", "Project 1: Shared lab", "Indicator SJOBS",
			`<td class="num">50</td>`, `12 <span class="muted">(2025)</span>`, `<td class="num">40</td>`,
			fmt.Sprintf(`href="/results/clusters/%d"`, cluster))
		es := e.Get(c, page+"?lang=es")
		checkPage(t, "plan es", "es", es.Body)
		wantBody(t, "plan es", es, true, "Indicadores de resultados")

		form = planForm(f, 2, "80000")
		form.Set("objectives[0].indicators_rows", "1")
		form.Set("objectives[0].indicators[0].code", "SJOBS")
		form.Set("objectives[0].indicators[0].target", "55")
		form.Set("objectives[0].indicators[0].year", "2027")
		form.Set("projects[1].indicators_rows", "1")
		form.Set("projects[1].indicators[0].code", "SEXPORTS")
		wantStatus(t, "save again", e.PostForm(c, page, form), http.StatusSeeOther)
		r = e.Get(c, page+"/versions?from=2&to=3")
		wantStatus(t, "versions", r, 200)
		checkPage(t, "versions", "en", r.Body)
		wantBody(t, "versions", r, true, "Indicators: <del>SJOBS: 50 (2027)</del> → <ins>SJOBS: 55 (2027)</ins>")

		token := e.Token(staff)
		var got plan.Plan
		r = e.API("GET", "/api/v1/plans/"+fmt.Sprint(p.ID), token, nil)
		wantStatus(t, "api get", r, 200)
		r.JSON(t, &got)
		if l := got.Content.Objectives[0].Indicators; len(l) != 1 || l[0].Code != "SJOBS" || *l[0].Target != 55 || l[0].Year != 2027 {
			t.Fatalf("api indicators %+v", l)
		}
		body := got.Content
		body.Objectives[1].Indicators = []plan.IndicatorLink{{Code: "NOPE"}}
		r = e.API("PUT", "/api/v1/plans/"+fmt.Sprint(p.ID), token, plan.SaveInput{BaseVersion: 3, Content: body})
		wantProblem(t, "api unknown code", r, http.StatusUnprocessableEntity, "objectives[1].indicators")
	})
}
