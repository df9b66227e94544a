package app_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/campaign"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/demo"
	"github.com/clusterobservatory/observatory/internal/event"
	"github.com/clusterobservatory/observatory/internal/form"
	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/implementation"
	"github.com/clusterobservatory/observatory/internal/indicator"
	"github.com/clusterobservatory/observatory/internal/plan"
	"github.com/clusterobservatory/observatory/internal/programme"
	"github.com/clusterobservatory/observatory/internal/user"
)

// rawKey finds message keys that leaked into a page untranslated.
var rawKey = regexp.MustCompile(`(?:^|[^@\w.-])(common|nav|auth|pick|account|admin|audit|org|cluster|region|geo|import|footer|demo|job|mapexplore|mapping|mappingdef|programme|indicator|indicatorvalue|indicatorresults|indicatorquality|indicatorexcel|indicatorreview|event|eventplan|plan|planpdf|planindicator|form|programmereview|implementation|campaign|campaignexcel|campaignfiles|campaignquality|indicatoroverlap|portfolio|openrosa)\.[a-z_]+(\.[a-z0-9_]+)*\b`)

// TestEveryPageInEveryLanguage signs in as an admin on the demo region and
// visits the main pages in each language: each must answer 200, have one h1,
// the right lang attribute, a label for every input, and no untranslated key.
func TestEveryPageInEveryLanguage(t *testing.T) {
	d := dbtest.SQLite(t)
	ctx := context.Background()
	if _, err := demo.Generate(ctx, d, 1); err != nil {
		t.Fatal(err)
	}
	e := apptest.New(t, d)
	e.App.RefreshDemoFlag(ctx)
	admin := e.CreateUser(user.Admin, "")
	var clusterID, orgID, bsoID string
	d.Read().QueryRowContext(ctx, `SELECT CAST(MIN(id) AS TEXT) FROM clusters`).Scan(&clusterID)
	d.Read().QueryRowContext(ctx, `SELECT CAST(MIN(organisation_id) AS TEXT) FROM memberships`).Scan(&orgID)
	d.Read().QueryRowContext(ctx, `SELECT CAST(MIN(id) AS TEXT) FROM organisations WHERE kind = 'bso'`).Scan(&bsoID)
	var datasetID, setID, areaCode, clusterCode string
	d.Read().QueryRowContext(ctx, `SELECT CAST(MIN(id) AS TEXT) FROM employment_datasets`).Scan(&datasetID)
	d.Read().QueryRowContext(ctx, `SELECT CAST(id AS TEXT) FROM definition_sets WHERE name = $1`, demo.DerivedSetName).Scan(&setID)
	d.Read().QueryRowContext(ctx, `SELECT MIN(code) FROM dataset_areas`).Scan(&areaCode)
	d.Read().QueryRowContext(ctx, `SELECT MIN(code) FROM definition_clusters WHERE set_id = CAST($1 AS BIGINT)`, setID).Scan(&clusterCode)
	var funderID int64
	d.Read().QueryRowContext(ctx, `SELECT MIN(id) FROM organisations WHERE kind = 'funder'`).Scan(&funderID)
	prog, err := programme.NewStore(d).CreateProgramme(ctx, user.System, programme.ProgrammeInput{Name: "Cluster programme", FunderID: funderID,
		Currency: "USD", Countries: []string{"JAM", "TTO"}})
	if err != nil {
		t.Fatal(err)
	}
	opens := time.Date(2025, 3, 1, 13, 0, 0, 0, time.UTC)
	call, err := programme.NewStore(d).CreateCall(ctx, user.System, programme.CallInput{ProgrammeID: prog.ID, Number: "2025-1", Title: "Cluster proposals",
		OpensAt: opens, ClosesAt: opens.AddDate(0, 2, 0), Published: true, GrantCeiling: 300_000_00, MaxGrantShare: 0.8, MinCounterpartShare: 0.2,
		InKindRule: programme.InKindMax, InKindShare: 0.5,
		Rules:    []programme.Rule{programme.NewRule(programme.RuleMinPrivateFirms, programme.MinPrivateFirms{N: 3})},
		Criteria: []programme.Criterion{{Name: "Employment", Weight: 100, Levels: []programme.Level{{Score: 1, Descriptor: "Weak"}, {Score: 5, Descriptor: "Strong"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	// An open call with a draft application, for the applicant's pages.
	now := time.Now().UTC()
	open, err := programme.NewStore(d).CreateCall(ctx, user.System, programme.CallInput{ProgrammeID: prog.ID, Number: "open", Title: "Open call",
		OpensAt: now.AddDate(0, -1, 0), ClosesAt: now.AddDate(0, 1, 0), Published: true, GrantCeiling: 400_000_00, MaxGrantShare: 0.8,
		MinCounterpartShare: 0.2, InKindRule: programme.InKindMax, InKindShare: 0.5,
		Rules:    []programme.Rule{programme.NewRule(programme.RuleMinPrivateFirms, programme.MinPrivateFirms{N: 3})},
		Criteria: []programme.Criterion{{Name: "Employment", Weight: 100, Levels: []programme.Level{{Score: 1, Descriptor: "Weak"}, {Score: 5, Descriptor: "Strong"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	bsoNum, _ := strconv.ParseInt(bsoID, 10, 64)
	application, err := programme.NewStore(d).CreateApplication(ctx, user.System, programme.ApplicationInput{CallID: open.ID, Title: "Spice cluster",
		Summary: "Processors and growers", LeadOrgID: bsoNum, Grant: 100_000_00, CounterpartCash: 30_000_00})
	if err != nil {
		t.Fatal(err)
	}
	var indicatorID string
	d.Read().QueryRowContext(ctx, `SELECT CAST(MIN(id) AS TEXT) FROM indicators`).Scan(&indicatorID)
	clusterNum, _ := strconv.ParseInt(clusterID, 10, 64)
	orgNum, _ := strconv.ParseInt(orgID, 10, 64)
	ev, err := event.NewStore(d).CreateEvent(ctx, user.System, event.Input{Title: "Buyers' matchmaking", Type: event.TypeMatchmaking,
		OrganiserID: bsoNum, ClusterIDs: []int64{clusterNum}, StartsOn: "2025-02-10", EndsOn: "2025-02-11", Place: "Kingston",
		Country: "JAM", Participants: 12, Women: 7, Men: 5, Youth: 4,
		Attendees: &[]event.AttendeeInput{{OrganisationID: orgNum, Counts: event.Counts{Participants: 2, Women: 1, Men: 1}}}})
	if err != nil {
		t.Fatal(err)
	}
	eventPage := fmt.Sprintf("/events/%d", ev.ID)
	// A shortlisted application with its plan, for the plan pages.
	shortlisted, err := programme.NewStore(d).CreateApplication(ctx, user.System, programme.ApplicationInput{CallID: open.ID, Title: "Cocoa cluster",
		LeadOrgID: bsoNum, Grant: 80_000_00, CounterpartCash: 20_000_00})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.SQL().ExecContext(ctx, `UPDATE applications SET status = 'shortlisted' WHERE id = $1`, shortlisted.ID); err != nil {
		t.Fatal(err)
	}
	pl, _, err := plan.NewStore(d).OpenPlan(ctx, user.System, shortlisted.ID)
	if err != nil {
		t.Fatal(err)
	}
	planPage := fmt.Sprintf("/plans/%d", pl.ID)
	implPage := approvedPlanWithImplementation(t, d, open.ID, bsoNum)
	progPage, callPage := fmt.Sprintf("/programmes/%d", prog.ID), fmt.Sprintf("/programmes/%d/calls/%d", prog.ID, call.ID)
	tpl, _ := form.StandardByName("firm_results")
	wb, err := tpl.Workbook()
	if err != nil {
		t.Fatal(err)
	}
	imported, err := form.NewStore(d, indicator.NewStore(d)).Import(ctx, user.System, wb, "firm_results.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	formPage := fmt.Sprintf("/forms/%d", imported.Form.ID)
	// An open campaign of the form with one submission, for the campaign pages.
	cs := campaign.NewStore(d, campaign.Options{BaseURL: "http://example.test"})
	if _, err := form.NewStore(d, indicator.NewStore(d)).SetPublished(ctx, user.System, imported.Version.ID, true); err != nil {
		t.Fatal(err)
	}
	camp, err := cs.CreateCampaign(ctx, user.System, campaign.Input{Title: "Firm results", VersionID: imported.Version.ID, Period: "2025",
		OpensOn: now.AddDate(0, 0, -1).Format("2006-01-02"), ClosesOn: now.AddDate(0, 0, 30).Format("2006-01-02"),
		Deadline: now.AddDate(0, 0, 20).Format("2006-01-02"), ClusterIDs: []int64{clusterNum}, OrganisationIDs: []int64{orgNum}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cs.OpenCampaign(ctx, user.System, camp.ID); err != nil {
		t.Fatal(err)
	}
	invs, err := cs.FindInvitations(ctx, user.System, camp.ID, campaign.InvitationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	link, err := cs.RegenerateLink(ctx, user.System, invs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	sub, _, err := cs.Submit(ctx, campaign.SubmissionInput{Token: link.Token, FormVersionID: imported.Version.ID, InstanceID: campaign.NewInstanceID(),
		Channel: campaign.ChannelWeb, Answers: []byte(`{"firm_name":"Test firm","employees_total":4,"partners":[{"partner_name":"Acme","partner_type":"firm"}]}`)})
	if err != nil {
		t.Fatal(err)
	}
	campPage, subPage := fmt.Sprintf("/campaigns/%d", camp.ID), fmt.Sprintf("/submissions/%d", sub.ID)
	pages := []string{
		"/forms", "/forms/new", formPage, formPage + "/versions/2026.1", formPage + "/versions/2026.1/mappings",
		"/", "/countries/JAM", "/countries/DOM", "/countries/KNA",
		"/clusters", "/clusters?sector=tourism&sort=-members", "/clusters/" + clusterID, "/clusters/new", "/clusters/" + clusterID + "/edit",
		"/organisations", "/organisations?kind=bso&country=TTO", "/organisations/" + orgID, "/organisations/" + bsoID,
		"/organisations/new", "/organisations/" + orgID + "/edit",
		"/admin", "/admin/users", "/admin/users/new", "/admin/audit", "/account", "/import", "/jobs",
		"/mapping", "/mapping?reference=region&traded=true&sort=-cagr", "/mapping/explore/detail?area=" + areaCode + "&cluster=" + clusterCode,
		"/mapping/datasets", "/mapping/datasets/new", "/mapping/datasets/" + datasetID,
		"/mapping/definitions", "/mapping/definitions/import", "/mapping/definitions/" + setID,
		"/programmes", "/programmes/new", progPage, progPage + "/edit", progPage + "/calls/new", callPage, callPage + "/edit",
		fmt.Sprintf("/calls/%d", call.ID),
		"/indicators", "/indicators/new", "/indicators/" + indicatorID, "/indicators/" + indicatorID + "/edit",
		"/indicators/targets", "/indicators/targets?subject=cluster:" + clusterID,
		"/indicators/values", "/indicators/values?subject=cluster:" + clusterID + "&period=2025",
		"/indicators/values/excel", "/indicators/values/excel?subjects=country:JAM&period_type=year&from=2024&to=2025",
		"/results", "/results/countries/JAM", "/results/clusters/" + clusterID,
		"/indicators/rules", "/indicators/rules/new", "/indicators/rules/1/edit", "/indicators/quality", "/indicators/quality?period=2024&country=JAM",
		"/indicators/quality/overlaps", "/indicators/quality/overlaps?country=JAM&period=2024&values=all&verdict=likely",
		fmt.Sprintf("/calls/%d/apply", open.ID), "/applications", fmt.Sprintf("/applications/%d", application.ID),
		"/events", "/events?type=matchmaking&year=2025", "/events/new", eventPage, eventPage + "/edit", eventPage + "/attendance",
		fmt.Sprintf("/applications/%d/edit", application.ID), fmt.Sprintf("/programmes/%d/calls/%d/applications", prog.ID, open.ID),
		callPage + "/review", callPage + "/review/reviewers", "/reviews", fmt.Sprintf("/applications/%d/panel", application.ID),
		fmt.Sprintf("/applications/%d", shortlisted.ID), "/plans", planPage, planPage + "/edit", planPage + "/versions", planPage + "/print",
		"/campaigns", "/campaigns/new", campPage, campPage + "/app-users", campPage + "?missing=1", campPage + "/submissions", subPage, subPage + "/edit",
		campPage + "/answers/upload",
		"/r/" + link.Token, "/r/" + link.Token + "/thanks",
		progPage + "/portfolio", "/portfolio",
		implPage, implPage + "/implementation", implPage + "/spending", implPage + "/milestones", implPage + "/timeline", implPage + "/reports",
	}
	for _, lang := range []string{"en", "es", "fr", "nl"} {
		c := e.Browser(admin)
		c.Jar.SetCookies(mustURL(e.Server.URL), []*http.Cookie{{Name: "lang", Value: lang, Path: "/"}})
		for _, p := range pages {
			r := e.Get(c, p)
			if r.StatusCode != 200 {
				t.Errorf("%s %s: status %d", lang, p, r.StatusCode)
				continue
			}
			checkPage(t, lang+" "+p, lang, r.Body)
		}
	}
	// The sign-in page, anonymously.
	r := e.Get(e.Anonymous(), "/login")
	checkPage(t, "en /login", "en", r.Body)
}

func checkPage(t *testing.T, where, lang, body string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Errorf("%s: not HTML: %v", where, err)
		return
	}
	labels := map[string]bool{}
	var inputs []*html.Node
	h1 := 0
	var text strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "html":
				if attr(n, "lang") != lang {
					t.Errorf("%s: html lang=%q", where, attr(n, "lang"))
				}
			case "h1":
				h1++
			case "label":
				if f := attr(n, "for"); f != "" {
					labels[f] = true
				}
			case "input", "select", "textarea":
				inputs = append(inputs, n)
			case "script", "style":
				return
			}
		}
		if n.Type == html.TextNode {
			text.WriteString(n.Data)
			text.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if h1 != 1 {
		t.Errorf("%s: %d h1 elements, want 1", where, h1)
	}
	for _, in := range inputs {
		switch attr(in, "type") {
		case "hidden", "submit", "button", "reset":
			continue
		}
		if attr(in, "aria-label") != "" || attr(in, "aria-labelledby") != "" {
			continue
		}
		id := attr(in, "id")
		if id == "" || !labels[id] {
			t.Errorf("%s: %s name=%q has no label", where, in.Data, attr(in, "name"))
		}
	}
	if m := rawKey.FindString(text.String()); m != "" {
		t.Errorf("%s: untranslated key %q on the page", where, m)
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// approvedPlanWithImplementation approves a plan of a new shortlisted
// application of the call and records spending, progress and a report on
// it, for the implementation pages; it returns the plan's address.
func approvedPlanWithImplementation(t *testing.T, d *db.DB, callID, bsoID int64) string {
	t.Helper()
	ctx, now := context.Background(), time.Now().UTC()
	day := func(n int) string { return now.AddDate(0, 0, n).Format(time.DateOnly) }
	a, err := programme.NewStore(d).CreateApplication(ctx, user.System, programme.ApplicationInput{CallID: callID, Title: "Cassava cluster",
		LeadOrgID: bsoID, Grant: 80_000_00, CounterpartCash: 20_000_00})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.SQL().ExecContext(ctx, `UPDATE applications SET status = 'shortlisted' WHERE id = $1`, a.ID); err != nil {
		t.Fatal(err)
	}
	ps := plan.NewStore(d)
	p, _, err := ps.OpenPlan(ctx, user.System, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	c := &plan.Content{Vision: "Cassava flour for the region", StartsOn: day(-200), EndsOn: day(365), Objectives: []plan.Objective{{Title: "Exports"}},
		Projects:   []plan.Project{{Title: "Drying plant", LeadOrgID: bsoID, StartsOn: day(-180), EndsOn: day(180)}},
		Milestones: []plan.Task{{Project: 1, Title: "Plant opens", Due: day(-10)}, {Project: 1, Title: "Mid-term review", Due: day(60)}},
		Budget:     []plan.BudgetLine{{Project: 1, Category: "equipment", Description: "Dryers", Grant: 80_000_00, Cash: 15_000_00, InKind: 5_000_00}}}
	if _, err := ps.SavePlan(ctx, user.System, p.ID, plan.SaveInput{BaseVersion: p.Version, Content: c}); err != nil {
		t.Fatal(err)
	}
	if _, err := ps.Submit(ctx, user.System, p.ID, i18n.For("en")); err != nil {
		t.Fatal(err)
	}
	if _, err := ps.Approve(ctx, user.System, p.ID); err != nil {
		t.Fatal(err)
	}
	s := implementation.NewStore(d)
	if _, err := s.RecordSpending(ctx, user.System, p.ID, implementation.EntryInput{Line: 1, Source: implementation.Grant, SpentOn: day(-3),
		Amount: "90,000", Description: "Dryer"}, now); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordProgress(ctx, user.System, p.ID, 2, implementation.ProgressInput{Status: implementation.InProgress, Note: "Terms agreed"}, now); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SubmitReport(ctx, user.System, p.ID, implementation.ReportInput{Period: implementation.PeriodOf(now).String(),
		Narrative: "The dryer is bought."}, now); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("/plans/%d", p.ID)
}
