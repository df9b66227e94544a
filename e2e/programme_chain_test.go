package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// person is one signed-in user with a browser context of their own
// (cookies apart from everyone else's), so that the officer, the applicant
// and the reviewers work side by side as they would on their own machines.
type person struct {
	t    *testing.T
	ctx  context.Context
	base string
	who  string

	mu      sync.Mutex
	dialogs []string // the confirmation questions the browser asked, accepted
}

// newPerson opens a fresh browser context on root and signs in.
func newPerson(t *testing.T, root context.Context, base, who string, acc account) *person {
	t.Helper()
	ctx, cancel := chromedp.NewContext(root, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	p := &person{t: t, ctx: ctx, base: base, who: who}
	// A form with data-confirm asks before it submits; the person says yes.
	events := chromedp.Events(ctx, cdppage.JavascriptDialogOpening)
	go func() {
		for ev, err := range events {
			if err != nil {
				return
			}
			p.mu.Lock()
			p.dialogs = append(p.dialogs, ev.Message)
			p.mu.Unlock()
			chromedp.Call(ctx, cdppage.HandleJavaScriptDialog, cdppage.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
	p.step(who+" signs in",
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(css("#f-email")),
		chromedp.SendKeys(css("#f-email"), acc.Email),
		chromedp.SendKeys(css("#f-password"), acc.Password),
	)
	p.follow(who+" signs in", `form[action="/login"] button[type="submit"]`, `nav.mainnav`)
	if loc := p.location(); strings.Contains(loc, "/login") {
		t.Fatalf("%s could not sign in: %.500s", who, p.text("main"))
	}
	return p
}

// stepTimeout bounds one step, so that a missing element fails the test
// with the page it is missing from rather than at the browser's deadline.
const stepTimeout = 30 * time.Second

// step runs actions and fails the test with the page's text when one fails.
func (p *person) step(name string, steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		shot(p.ctx, p.t, "failed-"+strings.ReplaceAll(name, " ", "-"))
		loc, _ := chromedp.Run(p.ctx, chromedp.Location())
		body, _ := chromedp.Run(p.ctx, chromedp.Text(chromedp.CSS("main")))
		p.t.Fatalf("%s: %v\nat %s\n%.3000s", name, err, loc, body)
	}
}

// open goes to a path and waits for the selector.
func (p *person) open(path, wait string) {
	p.t.Helper()
	p.step(p.who+" opens "+path, chromedp.Navigate(p.base+path), chromedp.WaitVisible(css(wait)))
}

// follow clicks what leads to another page and waits until the new page
// has loaded and shows the selector.
func (p *person) follow(name, sel, wait string) {
	p.t.Helper()
	p.step(name, chromedp.Evaluate[chromedp.Void](`window.__e2eOld = 1`), chromedp.Click(css(sel)))
	deadline := time.Now().Add(20 * time.Second)
	for {
		// The old page's scripts vanish with it; errors while the new page
		// loads only mean "not yet".
		loaded, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`!window.__e2eOld && document.readyState === "complete"`))
		if err == nil && loaded {
			break
		}
		if time.Now().After(deadline) {
			p.step(name+": no new page", chromedp.Evaluate[chromedp.Void](`(() => { throw new Error("still on the same page") })()`))
		}
		time.Sleep(40 * time.Millisecond)
	}
	p.step(name, chromedp.WaitVisible(css(wait)))
}

// fill sets form fields by id: text, select (a value, or several separated
// by "|" for a multiple select), and checkboxes or radios ("true" checks).
// It fails on a field the page lacks, as a person would notice.
func (p *person) fill(name string, fields map[string]string) {
	p.t.Helper()
	js := `((fields) => {
		for (const [id, v] of Object.entries(fields)) {
			const el = document.getElementById(id);
			if (!el) throw new Error("the page has no field " + id);
			if (el.type === "checkbox" || el.type === "radio") {
				el.checked = v === "true";
			} else if (el.multiple) {
				const want = v.split("|");
				for (const o of el.options) o.selected = want.includes(o.value);
			} else {
				el.value = v;
				if (el.tagName === "SELECT" && el.value !== v) throw new Error(id + " has no option " + v);
			}
			el.dispatchEvent(new Event("input", {bubbles: true}));
			el.dispatchEvent(new Event("change", {bubbles: true}));
		}
	})(` + jsonOf(fields) + `)`
	p.step(name, chromedp.Evaluate[chromedp.Void](js))
}

func (p *person) text(sel string) string {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(css(sel)))
	if err != nil {
		shot(p.ctx, p.t, "failed-text")
		ctx, cancel := context.WithTimeout(p.ctx, 5*time.Second)
		defer cancel()
		body, _ := chromedp.Run(ctx, chromedp.Text(css("main")))
		p.t.Fatalf("%s at %s: text of %s: %v\n%.3000s", p.who, p.location(), sel, err, body)
	}
	return strings.Join(strings.Fields(s), " ")
}

func (p *person) eval(js string) string {
	p.t.Helper()
	s, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		p.t.Fatalf("%s: evaluate %s: %v", p.who, js, err)
	}
	return s
}

func (p *person) count(sel string) int {
	p.t.Helper()
	n, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+jsString(sel)+`).length`))
	if err != nil {
		p.t.Fatalf("%s: count %s: %v", p.who, sel, err)
	}
	return n
}

func (p *person) location() string {
	loc, _ := chromedp.Run(p.ctx, chromedp.Location())
	return loc
}

// sees fails unless the element's text has every one of the texts.
func (p *person) sees(sel string, texts ...string) {
	p.t.Helper()
	got := p.text(sel)
	for _, want := range texts {
		if !strings.Contains(got, want) {
			shot(p.ctx, p.t, "failed-sees")
			p.t.Fatalf("%s at %s: %s should show %q:\n%.3000s", p.who, p.location(), sel, want, got)
		}
	}
}

// idIn is the number after prefix in the page's address.
func (p *person) idIn(prefix string) string {
	p.t.Helper()
	m := regexp.MustCompile(regexp.QuoteMeta(prefix) + `(\d+)`).FindStringSubmatch(p.location())
	if m == nil {
		p.t.Fatalf("%s: no %s<id> in %s", p.who, prefix, p.location())
	}
	return m[1]
}

func (p *person) asked() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.dialogs...)
}

// jsonOf writes the fields as a JavaScript object literal.
func jsonOf(m map[string]string) string {
	b, _ := json.Marshal(m)
	return string(b)
}

// TestProgrammeChain walks a cluster programme from a call for proposals to
// a funded cluster at work, through the pages its people use: the officer
// starts a programme and publishes a call, a BSO applies with a co-applicant,
// three reviewers score it, the officer shortlists it, the BSO writes the
// improvement plan (first breaking a co-financing rule), the officer
// approves it, and the BSO records spending, a milestone's progress and an
// event; the programme's portfolio then shows the cluster implementing.
func TestProgrammeChain(t *testing.T) {
	start := time.Now()
	if os.Getenv("OBSERVATORY_E2E_SHOTS") == "" {
		t.Setenv("OBSERVATORY_E2E_SHOTS", filepath.Join(t.TempDir(), "shots"))
	}
	srv := startDemo(t, "sqlite:"+filepath.Join(t.TempDir(), "e2e.db"))
	root := browser(t)
	if err := chromedp.Do(root, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	for _, role := range []string{"programme_officer", "bso_staff", "reviewer"} {
		if _, ok := srv.Accounts[role]; !ok {
			t.Fatalf("the demo printed no %s account: %v", role, srv.Accounts)
		}
	}
	t.Logf("demo running after %s; screenshots in %s", time.Since(start).Round(time.Millisecond), os.Getenv("OBSERVATORY_E2E_SHOTS"))

	now := time.Now().UTC()
	day := func(d int) string { return now.AddDate(0, 0, d).Format(time.DateOnly) }
	stamp := now.Format("150405")

	// 1. The officer starts a programme for Jamaica and Saint Lucia and
	// publishes a call with eligibility rules and two scoring criteria.
	officer := newPerson(t, root, srv.URL, "officer", srv.Accounts["programme_officer"])
	progName := "Caribbean Cluster Competitiveness Facility " + stamp
	officer.open("/programmes", `main a[href="/programmes/new"]`)
	officer.follow("officer starts a programme", `main a[href="/programmes/new"]`, "#f-name")
	funder := officer.eval(`[...document.querySelectorAll("#f-funder_id option")].find(o => o.value).value`)
	officer.fill("programme form", map[string]string{
		"f-name": progName, "f-funder_id": funder, "f-currency": "USD",
		"f-starts_on": day(-120), "f-ends_on": day(900),
		"f-country-JAM": "true", "f-country-LCA": "true",
		"f-description": "Grants for cluster initiatives' improvement plans.",
	})
	officer.follow("officer saves the programme", `main form .form-actions button.primary`, `main a[href$="/calls/new"]`)
	officer.sees("h1", progName)
	progID := officer.idIn("/programmes/")

	officer.follow("officer adds a call", `main a[href$="/calls/new"]`, "#f-number")
	callTitle := "Improvement plans for export clusters " + stamp
	opens := now.Add(-48 * time.Hour).Add(-4 * time.Hour).Format("2006-01-02T15:04") // the call's zone is UTC−4
	closes := now.Add(30 * 24 * time.Hour).Add(-4 * time.Hour).Format("2006-01-02T15:04")
	officer.fill("call form", map[string]string{
		"f-number": "CFP-" + stamp, "f-title": callTitle, "f-published": "true",
		"f-description": "Co-financing for the first year of a cluster's improvement plan.",
		"f-time_zone":   "America/Port_of_Spain", "f-opens_at": opens, "f-closes_at": closes,
		"f-grant_ceiling": "100000", "f-max_grant_share": "80", "f-min_counterpart_share": "20",
		"f-in_kind_rule": "max_in_kind", "f-in_kind_share": "50",
		"f-rule_min_private_firms": "true", "f-rule_min_private_firms_n": "3",
		"f-rule_eligible_countries": "true", "f-rule_country-JAM": "true", "f-rule_country-LCA": "true",
		"f-rule_min_months_operating": "true", "f-rule_min_months_operating_months": "12",
		"f-rule_required_documents": "true", "f-rule_required_documents_documents": "Certificate of incorporation",
		"f-disagreement_margin": "20",
		"f-criteria[0].name":    "Strength of the cluster strategy", "f-criteria[0].weight": "60",
		"f-criteria[0].level.1": "No strategy", "f-criteria[0].level.2": "A list of wishes",
		"f-criteria[0].level.3": "A strategy without priorities", "f-criteria[0].level.4": "A prioritised strategy",
		"f-criteria[0].level.5": "A prioritised strategy the members own",
	})
	officer.follow("officer asks for a second criterion", `button[name="add_criterion"]`, `[id="f-criteria[1].name"]`)
	if v := officer.eval(`document.getElementById("f-criteria[0].name").value`); v != "Strength of the cluster strategy" {
		t.Fatalf("adding a criterion lost the first one: %q", v)
	}
	officer.fill("second criterion", map[string]string{
		"f-criteria[1].name": "Commitment of the member firms", "f-criteria[1].weight": "40",
		"f-criteria[1].level.1": "None", "f-criteria[1].level.2": "Letters of support",
		"f-criteria[1].level.3": "Some cash", "f-criteria[1].level.4": "Cash from most firms",
		"f-criteria[1].level.5": "Cash and staff from every firm",
	})
	officer.follow("officer publishes the call", `main form .form-actions button.primary`, `#h-eligibility`)
	callID := officer.idIn("/calls/")
	officer.sees(".page-head", callTitle, "Open")
	officer.sees("#h-publication + p", "This call is published")
	rules := officer.count("ol.rules li")
	officer.sees("ol.rules", "Location", "Jamaica", "Certificate of incorporation")
	if rules < 7 {
		t.Fatalf("the call lists %d eligibility rules, want at least 7: %s", rules, officer.text("ol.rules"))
	}
	officer.sees("main", "Strength of the cluster strategy", "Commitment of the member firms")
	shot(officer.ctx, t, "01-call-published")

	// 2. The Jamaican BSO applies: it finds the call, names its cluster and
	// three member firms from the registry, saves, lets autosave keep an
	// edit, shares the draft with a Saint Lucian partner, and submits.
	// The demo prints one account per role; its two BSO accounts share a
	// password: the Jamaican BSO applies, the Saint Lucian one is partner.
	bsoPassword := srv.Accounts["bso_staff"].Password
	bso := newPerson(t, root, srv.URL, "applicant", account{Email: "bso.jamaica@demo.example.org", Password: bsoPassword})
	bso.open("/programmes", `main a[href="/programmes/`+progID+`"]`)
	bso.follow("applicant opens the programme", `main a[href="/programmes/`+progID+`"]`, `main a[href$="/calls/`+callID+`"]`)
	bso.follow("applicant opens the call", `main a[href$="/calls/`+callID+`"]`, `main a[href="/calls/`+callID+`/apply"]`)
	bso.follow("applicant applies", `main a[href="/calls/`+callID+`/apply"]`, "#f-title")
	leadID := bso.eval(`document.getElementById("f-lead_org_id").value`)
	if leadID == "" {
		t.Fatal("the application form does not offer the BSO as lead organisation")
	}
	// Where the IDs come from: the BSO's registry page lists its cluster
	// initiatives, and the initiative's page its member firms.
	bso.open("/organisations/"+leadID, `main a[href^="/clusters/"]`)
	clusterID := strings.TrimPrefix(bso.eval(`document.querySelector('main a[href^="/clusters/"]').getAttribute("href")`), "/clusters/")
	bso.open("/clusters/"+clusterID, `#members table a[href^="/organisations/"]`)
	clusterName := bso.text("h1")
	firms := strings.Fields(bso.eval(`[...document.querySelectorAll("#members tbody tr")]
		.filter(tr => tr.cells.length > 5 && tr.cells[1].textContent.trim() === "Firm" && tr.cells[5].textContent.trim() === "")
		.map(tr => tr.querySelector('a[href^="/organisations/"]').getAttribute("href").split("/").pop()).slice(0, 3).join(" ")`))
	if len(firms) < 3 {
		t.Fatalf("cluster %s lists fewer than three current member firms: %v", clusterID, firms)
	}
	bso.open("/calls/"+callID+"/apply", "#f-title")
	appTitle := "Export readiness for " + clusterName
	bso.fill("application form", map[string]string{
		"f-title": appTitle, "f-summary": "Shared testing and export training for the cluster's firms.",
		"f-cluster_id":                 clusterID,
		"f-members[0].organisation_id": firms[0], "f-members[0].role": "lead_firm",
		"f-members[1].organisation_id": firms[1], "f-members[1].role": "member_firm",
		"f-members[2].organisation_id": firms[2], "f-members[2].role": "member_firm",
		"f-new_members[0].name": "Port Royal Testing Lab " + stamp,
		"f-new_members[0].kind": "firm", "f-new_members[0].country": "JAM", "f-new_members[0].role": "member_firm",
		"f-grant_request": "60000", "f-counterpart_cash": "20000", "f-counterpart_in_kind": "0",
		"f-months_operating": "48", "f-formally_registered": "true", "f-no_tax_debt": "true",
		"f-monitoring_commitment": "true", "f-document-0": "true",
	})
	bso.follow("applicant saves the draft", `main form .form-actions button.primary`, `#h-submission`)
	appID := bso.idIn("/applications/")
	bso.sees(".page-head", appTitle, "Draft")
	bso.sees("#h-datasheet + div, #h-datasheet ~ .table-wrap", "Lead firm", "Port Royal Testing Lab")

	// Autosave: typing in the draft saves it a few seconds later.
	bso.open("/applications/"+appID+"/edit", "#f-summary")
	bso.step("applicant types; autosave saves",
		chromedp.Evaluate[chromedp.Void](`(() => { const e = document.getElementById("f-summary"); e.focus(); e.setSelectionRange(e.value.length, e.value.length) })()`),
		chromedp.SendKeys(css("#f-summary"), " Three firms already export to Miami."),
		chromedp.Poll[chromedp.Void](`document.getElementById("autosave-status").textContent.includes("saved")`, chromedp.WithPollingTimeout(15*time.Second)),
	)
	bso.sees("#autosave-status", "Draft saved at")
	bso.open("/applications/"+appID, "#h-note")
	bso.sees("#h-note ~ p.prewrap, main", "Three firms already export to Miami.")

	coAcc := account{Email: "bso.saintlucia@demo.example.org", Password: bsoPassword}
	bso.fill("applicant names a co-applicant", map[string]string{"f-share-email": coAcc.Email})
	bso.follow("applicant shares the draft", `form[action$="/sharing"] button`, `#h-sharing`)
	bso.sees("#h-sharing ~ ul", coAcc.Email)
	co := newPerson(t, root, srv.URL, "co-applicant", coAcc)
	co.open("/applications", `main a[href="/applications/`+appID+`"]`)
	co.follow("co-applicant opens the shared draft", `main a[href="/applications/`+appID+`"]`, "#h-submission")
	co.sees("#h-submission ~ p, main", "You are a co-applicant")
	if co.count(`form[action$="/submit"]`) != 0 {
		t.Error("a co-applicant is offered to submit the application")
	}

	bso.follow("applicant submits", `form[action="/applications/`+appID+`/submit"] button`, `#h-eligibility`)
	if q := bso.asked(); len(q) == 0 || !strings.Contains(q[len(q)-1], "Submit this application") {
		t.Errorf("submitting did not ask for confirmation: %q", q)
	}
	shot(bso.ctx, t, "02-application-submitted")

	// 3. The eligibility checks ran at submission and are shown with reasons.
	bso.sees(".page-head", "Submitted")
	bso.sees("#h-eligibility ~ p", "Meets every eligibility rule")
	checks := bso.count(`#h-eligibility ~ .table-wrap tbody tr`)
	passes := bso.eval(`String([...document.querySelectorAll("#h-eligibility ~ .table-wrap tbody tr")].filter(tr => tr.cells[1].textContent.trim() === "Met").length)`)
	if checks < rules || passes != strconv.Itoa(checks) {
		t.Fatalf("eligibility: %s of %d checks pass, the call has %d rules:\n%s", passes, checks, rules, bso.text("#h-eligibility ~ .table-wrap"))
	}
	bso.sees("#h-eligibility ~ .table-wrap", "4 private firms", "Jamaica")

	// 4. The officer assigns the three reviewers; each declares no conflict
	// and scores both criteria with comments.
	officer.open("/programmes/"+progID+"/calls/"+callID, `main a[href$="/review"]`)
	officer.follow("officer opens the panel review", `main a[href$="/review"]`, `main a[href$="/review/reviewers"]`)
	officer.follow("officer opens the reviewers", `main a[href$="/review/reviewers"]`, `#f-reviewer_ids`)
	reviewerEmails := regexp.MustCompile(`\(([^()\s]+@[^()\s]+)\)`).FindAllStringSubmatch(officer.text("#f-reviewer_ids"), -1)
	if len(reviewerEmails) < 3 {
		t.Fatalf("the officer is offered %d reviewers, want 3: %s", len(reviewerEmails), officer.text("#f-reviewer_ids"))
	}
	officer.step("officer chooses three reviewers", chromedp.Evaluate[chromedp.Void](
		`(() => { const s = document.getElementById("f-reviewer_ids"); [...s.options].forEach((o, i) => o.selected = i < 3) })()`))
	officer.follow("officer assigns them", `form[action$="/review/reviewers"] .form-actions button`, `#app-`+appID)
	if n := officer.count(`#app-` + appID + ` ul li`); n != 3 {
		t.Fatalf("application %s has %d reviewers, want 3: %s", appID, n, officer.text("#app-"+appID))
	}
	shot(officer.ctx, t, "03-reviewers-assigned")

	scores := [][2]int{{4, 3}, {5, 4}, {3, 3}}
	for i, m := range reviewerEmails[:3] {
		r := newPerson(t, root, srv.URL, fmt.Sprintf("reviewer %d", i+1), account{Email: m[1], Password: srv.Accounts["reviewer"].Password})
		r.open("/reviews", `main a[href="/reviews/`+appID+`"]`)
		r.follow(r.who+" opens the review", `main a[href="/reviews/`+appID+`"]`, "#f-conflict-no")
		r.fill(r.who+" declares no conflict", map[string]string{"f-conflict-no": "true"})
		r.follow(r.who+" confirms", `form[action$="/conflict"] .form-actions button`, "#f-score-0-1")
		r.fill(r.who+" scores", map[string]string{
			fmt.Sprintf("f-score-0-%d", scores[i][0]): "true", fmt.Sprintf("f-score-1-%d", scores[i][1]): "true",
			"f-comment-0": fmt.Sprintf("Strategy: reviewer %d's view.", i+1), "f-comment-1": "Firms' letters attached.",
			"f-comment": "A credible cluster.",
		})
		r.follow(r.who+" submits the scores", `button[name="action"][value="submit"]`, "#h-mine")
		r.sees("#h-mine ~ .table-wrap", "Strength of the cluster strategy", "Firms' letters attached.")
		if i == 0 {
			r.sees("#h-others ~ p", "No other reviewer has submitted yet.") // blind until then
			shot(r.ctx, t, "04-review-submitted")
		}
	}

	// The ranking: weighted totals 72, 92 and 60 make a mean of 74.67 and a
	// spread of 32 points, over the call's margin of 20.
	officer.open("/programmes/"+progID+"/calls/"+callID+"/review", "main table.data")
	officer.sees("main table.data tbody", appTitle, "3 of 3", "74.67", "Not decided")
	if officer.count(`main table.data tbody .badge.warning`) != 1 {
		t.Errorf("the 32-point spread between reviewers is not flagged: %s", officer.text("main table.data tbody"))
	}
	shot(officer.ctx, t, "05-ranking")
	officer.follow("officer opens the application's panel", `main table.data a[href="/applications/`+appID+`/panel"]`, "#f-decision-shortlisted")
	officer.fill("officer shortlists", map[string]string{"f-decision-shortlisted": "true", "f-reason": "A strong, owned strategy."})
	officer.follow("officer records the decision", `form[action$="/decision"] .form-actions button`, "#h-decision")
	officer.sees("#h-decision ~ dl", "Shortlisted")
	officer.open("/programmes/"+progID+"/calls/"+callID+"/review", "main table.data")
	officer.sees("main table.data tbody", "Shortlisted")

	// 5. The applicant writes the improvement plan: a budget line that pays
	// everything from the grant breaks the co-financing rules and is named.
	bso.open("/applications/"+appID, ".page-head")
	bso.sees(".page-head", "Shortlisted")
	bso.follow("applicant opens the plan", `form[action="/applications/`+appID+`/plan"] button`, `main a[href$="/edit"]`)
	planID := bso.idIn("/plans/")
	bso.follow("applicant edits the plan", `main a[href="/plans/`+planID+`/edit"]`, "#f-vision")
	facilitator := bso.eval(`[...document.querySelectorAll("#f-facilitator_id option")].find(o => o.value)?.value || ""`)
	plan1 := map[string]string{
		"f-vision":    "The cluster's firms sell tested, certified products abroad.",
		"f-starts_on": day(-90), "f-ends_on": day(365),
		"f-objectives[0].title": "Certify the products of ten firms", "f-objectives[0].description": "Testing and certification.",
		"f-projects[0].title": "Shared testing lab", "f-projects[0].lead_org_id": leadID,
		"f-projects[0].partner_ids": firms[0] + ", " + firms[1], "f-projects[0].starts_on": day(-60), "f-projects[0].ends_on": day(300),
		"f-budget[0].category": "training", "f-budget[0].description": "Export readiness training",
		"f-budget[0].grant": "40000", "f-budget[0].counterpart_cash": "10000",
		"f-budget[1].category": "equipment", "f-budget[1].description": "Testing equipment",
		"f-budget[1].grant": "20000",
	}
	if facilitator != "" {
		plan1["f-facilitator_id"] = facilitator
	}
	bso.fill("plan, first draft", plan1)
	bso.follow("applicant saves the plan", `main form .form-actions button.primary`, "#h-checks")
	bso.sees("#h-checks ~ .table-wrap", "Fail", "Budget lines that break the rule on their own: 2.")
	bso.sees("#h-checks ~ p", "cannot be submitted")
	if bso.count(`#h-budget ~ .table-wrap tr.check-fail`) != 1 {
		t.Errorf("the budget table does not mark line 2 alone: %s", bso.text("#h-budget ~ .table-wrap"))
	}
	shot(bso.ctx, t, "06-plan-breaks-cofinancing")
	bso.follow("applicant tries to submit the broken plan", `form[action="/plans/`+planID+`/submit"] button`, ".errors")
	bso.sees(".errors", "Grant share of the budget", "Counterpart share of the budget")
	bso.sees(".page-head", "Draft")

	// Fixed: the equipment gets counterpart cash, and a milestone is added.
	bso.follow("applicant edits the plan again", `main a[href="/plans/`+planID+`/edit"]`, "#f-vision")
	bso.fill("plan, fixed", map[string]string{
		"f-budget[0].project": "1", "f-budget[1].project": "1", "f-budget[1].counterpart_cash": "10000",
		"f-milestones[0].project": "1", "f-milestones[0].title": "Lab commissioned", "f-milestones[0].due": day(60),
		"f-activities[0].project": "1", "f-activities[0].title": "Buy the spectrometer", "f-activities[0].due": day(30),
	})
	bso.follow("applicant saves the fixed plan", `main form .form-actions button.primary`, "#h-checks")
	bso.sees("#h-checks ~ p", "meets every co-financing rule")
	bso.follow("applicant submits the plan", `form[action="/plans/`+planID+`/submit"] button`, "#h-checks")
	bso.sees(".page-head", "Submitted")
	shot(bso.ctx, t, "07-plan-submitted")

	officer.open("/plans/"+planID, `form[action="/plans/`+planID+`/approve"] button`)
	officer.follow("officer approves the plan", `form[action="/plans/`+planID+`/approve"] button`, "#h-about")
	officer.sees(".page-head", "Approved")
	officer.sees("#h-about ~ dl", "Baseline")

	// 6. Implementation: spending on the baseline's first line, progress on
	// the milestone, and an event of the cluster.
	bso.open("/plans/"+planID, `main a[href="/plans/`+planID+`/implementation"]`)
	bso.follow("applicant opens the implementation", `main a[href="/plans/`+planID+`/implementation"]`, "nav.tabs")
	bso.follow("applicant opens the spending", `nav.tabs a[href="/plans/`+planID+`/spending"]`, "#f-line")
	bso.fill("spending entry", map[string]string{
		"f-line": "1", "f-source": "grant", "f-spent_on": day(-1), "f-amount": "12500",
		"f-description": "Trainer's fees, first export readiness course",
	})
	bso.follow("applicant records the spending", `form[action$="/spending"] .form-actions button`, "#h-entries")
	bso.sees("#h-entries", "Entries (1)")
	bso.sees("#h-entries ~ .table-wrap", "Export readiness training", "12,500", "Trainer's fees")
	shot(bso.ctx, t, "08-spending")

	bso.follow("applicant opens the milestones", `nav.tabs a[href="/plans/`+planID+`/milestones"]`, "#f-status-1")
	bso.fill("milestone progress", map[string]string{"f-status-1": "in_progress", "f-note-1": "Equipment ordered."})
	bso.follow("applicant saves the progress", `form[action="/plans/`+planID+`/milestones/1"] .form-actions button`, "#m-1")
	bso.sees("#m-1", "Lab commissioned", "In progress")

	bso.open("/events", `main a[href="/events/new"]`)
	bso.follow("applicant starts an event", `main a[href="/events/new"]`, "#f-title")
	eventTitle := "Export readiness workshop " + stamp
	bso.fill("event form", map[string]string{
		"f-title": eventTitle, "f-type": "workshop", "f-organiser_id": leadID, "f-cluster_ids": clusterID,
		"f-starts_on": day(-2), "f-ends_on": day(-2), "f-place": "Kingston", "f-country": "JAM",
		"f-participants": "25", "f-women": "14", "f-men": "11", "f-youth": "9",
	})
	bso.follow("applicant records the event", `main form .form-actions button.primary`, "h1")
	bso.sees("h1", eventTitle)
	bso.sees("main", clusterName, "25")
	shot(bso.ctx, t, "09-event")

	// 7. The programme's portfolio: one application through every stage,
	// the committed budget and the grant disbursed in Jamaica.
	officer.open("/programmes/"+progID, `main a[href="/programmes/`+progID+`/portfolio"]`)
	officer.follow("officer opens the portfolio", `main a[href="/programmes/`+progID+`/portfolio"]`, "#pipeline")
	stages := officer.eval(`[...document.querySelectorAll("#pipeline tbody tr")].map(tr => tr.cells[0].textContent.trim() + "=" + tr.cells[1].textContent.trim()).join(";")`)
	for _, st := range []string{"Submitted", "Eligible", "Shortlisted", "Plan approved", "Implementing"} {
		if !strings.Contains(";"+stages+";", ";"+st+"=1;") {
			t.Errorf("portfolio pipeline: want %s=1, got %s", st, stages)
		}
	}
	officer.sees("#money tbody", "Jamaica", "60,000", "20,000", "12,500")
	// The chart draws from the table; give it its width before the picture.
	chromedp.Run(officer.ctx, chromedp.Poll[bool](`(document.querySelector('.chart[data-table="pipeline"] svg')?.getBoundingClientRect().width || 0) > 300`,
		chromedp.WithPollingTimeout(5*time.Second)))
	shot(officer.ctx, t, "10-portfolio")

	// The BSO's own portfolio: the application, its approved plan, the
	// committed grant and what has been disbursed, and the plan's project.
	bso.open("/portfolio", "main table.data")
	row := bso.eval(`(() => { const tr = [...document.querySelectorAll("main table.data tbody tr")].find(tr => tr.querySelector('a[href="/applications/` + appID + `"]'));
		return tr ? tr.textContent.replace(/\s+/g, " ") : "" })()`)
	for _, want := range []string{"Shortlisted", "Approved", "60,000", "12,500", "Shared testing lab"} {
		if !strings.Contains(row, want) {
			t.Errorf("the applicant's portfolio row should show %q: %q", want, row)
		}
	}
	t.Logf("the chain took %s", time.Since(start).Round(time.Millisecond))
}
