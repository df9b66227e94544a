package e2e

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/clusterobservatory/observatory/internal/form"
)

// The demo's BSO officer in Jamaica (internal/demo/accounts.go): the demo
// prints one account per role, and there are two BSO officers.
const (
	bsoOfficerEmail    = "bso.jamaica@demo.example.org"
	bsoOfficerPassword = "demo-bso-2026"
)

// The form version the officer uploads: the standard firm survey under a
// version of its own, so that it is new whatever forms the demo holds.
const monitoringFormVersion = "2026.1-e2e"

// respondentAnswers is what one firm reports in the journey.
type respondentAnswers struct {
	Firm    string
	Jobs    int
	Revenue int
}

// invitationRow is one respondent of the campaign as its page lists it.
type invitationRow struct {
	Invitation int64  `json:"inv"`
	OrgID      int64  `json:"org"`
	Name       string `json:"name"`
	Country    string `json:"country"`
	Cluster    string `json:"cluster"`
}

// yearFigures is one year of a results table: the actual and the target,
// nil when the page says there is none.
type yearFigures struct {
	Actual, Target *float64
	Percent        string
}

// switchProxy stands between the respondent's phone and the server, so
// that the test can make the server unreachable: DevTools' offline
// emulation covers the tab but not always its service worker.
type switchProxy struct {
	*httptest.Server
	mu   sync.Mutex
	down bool
}

func startSwitchProxy(t *testing.T, target string) *switchProxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(u)
	p := &switchProxy{}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		down := p.down
		p.mu.Unlock()
		if down {
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close()
					return
				}
			}
			panic(http.ErrAbortHandler)
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(p.Close)
	return p
}

func (p *switchProxy) setDown(down bool) {
	p.mu.Lock()
	p.down = down
	p.mu.Unlock()
}

// TestMonitoringCampaignJourney follows a BSO officer through a data
// collection round: the firm survey uploaded as an XLSForm and mapped to
// indicators, a campaign to the members of three clusters, answers from
// phone links (one given offline and sent later), from ODK Collect and
// from the campaign's Excel workbook, their approval, the programme
// officer's approval of the indicator values they became, and the figures
// as actuals against the targets of the cluster, the country and the
// region.
func TestMonitoringCampaignJourney(t *testing.T) {
	start := time.Now()
	srv := startDemo(t, "sqlite:"+filepath.Join(t.TempDir(), "monitoring.db"))
	p := page{t: t, ctx: browser(t)}
	t.Logf("server with the demo running after %s", time.Since(start).Round(time.Second))

	p.do("m01-sign-in",
		chromedp.Navigate(srv.URL+"/login"),
		chromedp.WaitVisible(css("#f-email")),
		chromedp.SendKeys(css("#f-email"), bsoOfficerEmail),
		chromedp.SendKeys(css("#f-password"), bsoOfficerPassword),
		chromedp.Submit(css("#f-password")),
		chromedp.WaitReady(css(`form[action="/logout"]`)),
	)

	// The three clusters: those of the officer's BSO with a 2025 jobs
	// target, as the new-campaign form offers them.
	p.do("m02-cluster-options",
		chromedp.Navigate(srv.URL+"/campaigns/new"),
		chromedp.WaitVisible(css("#f-cluster_ids")),
	)
	var options []struct {
		ID    int64  `json:"id"`
		Label string `json:"label"`
	}
	p.evalJSON(`[...document.querySelectorAll("#f-cluster_ids option")].map(o => ({id: +o.value, label: o.textContent.trim()}))`, &options)
	var clusterIDs []int64
	var clusterNames []string
	for _, o := range options {
		figs := p.fetchResults(fmt.Sprintf("/results/clusters/%d?indicator=JOBS_CREATED", o.ID), "res-jobs_created", "2025")
		if figs.Target != nil {
			clusterIDs = append(clusterIDs, o.ID)
			clusterNames = append(clusterNames, o.Label)
		}
		if len(clusterIDs) == 3 {
			break
		}
	}
	if len(clusterIDs) < 3 {
		t.Fatalf("the officer's BSO has %d clusters with a 2025 jobs target, want 3 (options %v)", len(clusterIDs), options)
	}
	mainCluster := clusterIDs[0]
	clusterURL := fmt.Sprintf("%s/results/clusters/%d?indicator=JOBS_CREATED&indicator=REVENUE", srv.URL, mainCluster)
	countryURL := srv.URL + "/results/countries/JAM?indicator=JOBS_CREATED"
	regionURL := srv.URL + "/results?indicator=JOBS_CREATED"
	before := map[string]yearFigures{
		"cluster": p.fetchResults(clusterURL, "res-jobs_created", "2025"),
		"country": p.fetchResults(countryURL, "res-jobs_created", "2025"),
		"region":  p.fetchResults(regionURL, "res-jobs_created", "2025"),
	}
	revenueBefore := p.fetchResults(clusterURL, "res-revenue", "2025")
	receivedBefore := p.fetchResults(clusterURL+"&values=all", "res-jobs_created", "2025")

	// The form: the standard firm survey, uploaded as an XLSForm workbook.
	tpl, ok := form.StandardByName("firm_results")
	if !ok {
		t.Fatal("no standard firm survey")
	}
	def := tpl.Definition()
	def.Version = monitoringFormVersion
	workbook, err := form.WriteXLSForm(def)
	if err != nil {
		t.Fatal(err)
	}
	xlsx := filepath.Join(t.TempDir(), "firm_results.xlsx")
	if err := os.WriteFile(xlsx, workbook, 0o644); err != nil {
		t.Fatal(err)
	}
	p.do("m03-upload-form",
		chromedp.Navigate(srv.URL+"/forms/new"),
		chromedp.WaitVisible(css("#f-file")),
		chromedp.SetUploadFiles(css("#f-file"), []string{xlsx}),
		chromedp.Submit(css("#f-file")),
		chromedp.WaitVisible(css(`form[action$="/publish"] button`)),
	)
	if h := p.text("h1"); !strings.Contains(h, "Annual firm results survey") {
		t.Fatalf("after the upload the heading is %q", h)
	}
	if f := p.text(".flash"); !strings.Contains(f, monitoringFormVersion) {
		t.Errorf("upload message %q", f)
	}
	if fields := p.text("main"); !strings.Contains(fields, "jobs_created") || !strings.Contains(fields, "employees_total") {
		t.Error("the form's fields are not listed")
	}
	p.do("m04-publish",
		chromedp.Click(css(`form[action$="/publish"] button`)),
		chromedp.WaitVisible(css(`form[action$="/unpublish"] button`)),
	)

	// Fields to indicators: jobs created and revenue.
	p.do("m05-mappings",
		chromedp.Click(css(`a[href$="/mappings"]`)),
		chromedp.WaitVisible(css("#f-indicator_jobs_created")),
		selectByText("#f-indicator_jobs_created", "JOBS_CREATED —"),
		selectByText("#f-indicator_revenue", "REVENUE —"),
		chromedp.Submit(css("#f-indicator_jobs_created")),
		chromedp.WaitVisible(css(".flash")),
	)
	if f := p.text(".flash"); !strings.Contains(f, "mapping is saved") {
		t.Fatalf("mapping message %q", f)
	}
	if v := p.eval(`[document.querySelector("#f-indicator_jobs_created"), document.querySelector("#f-indicator_revenue")].map(s => s.options[s.selectedIndex].textContent.split(" ")[0]).join(",")`); v != "JOBS_CREATED,REVENUE" {
		t.Fatalf("the saved mappings read %q", v)
	}

	t.Logf("form uploaded and mapped after %s", time.Since(start).Round(time.Second))

	// The campaign, to the members of the three clusters.
	today := time.Now().UTC()
	p.do("m06-new-campaign",
		chromedp.Navigate(srv.URL+"/campaigns/new"),
		chromedp.WaitVisible(css("#f-title")),
		chromedp.SendKeys(css("#f-title"), "Firm results 2025 — Jamaica"),
		selectByText("#f-version_id", "("+monitoringFormVersion+")"),
		chromedp.SendKeys(css("#f-period"), "2025"),
		chromedp.SetValue(css("#f-opens_on"), today.Format("2006-01-02")),
		chromedp.SetValue(css("#f-closes_on"), today.AddDate(0, 0, 30).Format("2006-01-02")),
		chromedp.SetValue(css("#f-deadline"), today.AddDate(0, 0, 20).Format("2006-01-02")),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const ids = %s; for (const o of document.querySelector("#f-cluster_ids").options) o.selected = ids.includes(+o.value) })()`, mustJSON(clusterIDs))),
		chromedp.Submit(css("#f-title")),
		chromedp.WaitVisible(css(`form[action$="/open"] button`)),
	)
	campaignPath := p.path()
	if !regexp.MustCompile(`^/campaigns/\d+$`).MatchString(campaignPath) {
		t.Fatalf("after creating, the page is %s", campaignPath)
	}
	if f := p.text(".flash"); !strings.Contains(f, "respondent(s)") {
		t.Errorf("creation message %q", f)
	}
	rates := p.text(`section[aria-labelledby="h-rates"]`)
	for _, name := range clusterNames {
		if !strings.Contains(rates, name) {
			t.Errorf("the response table lacks the cluster %q", name)
		}
	}

	p.do("m07-open",
		chromedp.Click(css(`form[action$="/open"] button`)),
		chromedp.WaitVisible(css(".notice")),
	)
	if lead := p.text("p.lead"); !strings.Contains(lead, "The campaign is open") {
		t.Errorf("after opening: %q", lead)
	}

	p.do("m08-campaign-page",
		chromedp.Navigate(srv.URL+campaignPath),
		chromedp.WaitVisible(css(`section[aria-labelledby="h-respondents"] tbody tr`)),
	)
	var rows []invitationRow
	p.evalJSON(`[...document.querySelectorAll('section[aria-labelledby="h-respondents"] tbody tr')].map(r => {
		const a = r.querySelector('a[href^="/organisations/"]'), f = r.querySelector('form[action$="/link"]');
		return {inv: f ? +f.action.match(/invitations\/(\d+)\/link/)[1] : 0, org: +a.getAttribute("href").split("/").pop(),
			name: a.textContent.trim(), country: (r.querySelector(".muted") || {textContent: ""}).textContent.trim(),
			cluster: r.cells[2].textContent.trim()} })`, &rows)
	// The respondents: members of the first cluster with no 2025 figures
	// yet, so that theirs add to the actuals rather than replace others.
	var picked []invitationRow
	for _, r := range rows {
		if r.Cluster != clusterNames[0] || r.Invitation == 0 {
			continue
		}
		var none bool
		p.evalJSON(fmt.Sprintf(`fetch("/indicators/values?subject=organisation:%d&period=2025").then(r => r.text()).then(t =>
			!!new DOMParser().parseFromString(t, "text/html").querySelector('section[aria-labelledby="h-review"] .empty'))`, r.OrgID), &none)
		if none {
			picked = append(picked, r)
		}
		if len(picked) == 4 {
			break
		}
	}
	if len(picked) < 4 {
		t.Fatalf("%d respondents in %s without 2025 figures, want at least 4: %v", len(picked), clusterNames[0], rows)
	}
	clustersListed := map[string]bool{}
	for _, r := range rows {
		clustersListed[r.Cluster] = true
	}
	if len(clustersListed) != 3 {
		t.Errorf("the respondents come from %d clusters, want 3", len(clustersListed))
	}
	online, offline, collect, sheet := picked[0], picked[1], picked[2], picked[3]
	answers := map[int64]respondentAnswers{
		online.OrgID:  {Firm: online.Name, Jobs: 7, Revenue: 410000},
		offline.OrgID: {Firm: offline.Name, Jobs: 5, Revenue: 260000},
		collect.OrgID: {Firm: collect.Name, Jobs: 3, Revenue: 120000},
		sheet.OrgID:   {Firm: sheet.Name, Jobs: 4, Revenue: 95000},
	}

	// Each phone link is made on the campaign page and shown once.
	linkFor := func(step string, r invitationRow) string {
		p.do(step,
			chromedp.Navigate(srv.URL+campaignPath),
			chromedp.WaitVisible(css(fmt.Sprintf(`form[action$="/invitations/%d/link"] button`, r.Invitation))),
			chromedp.Click(css(fmt.Sprintf(`form[action$="/invitations/%d/link"] button`, r.Invitation))),
			chromedp.WaitVisible(css(".link-card a")),
		)
		if h := p.text(".link-card h2"); h != r.Name {
			t.Errorf("the link card names %q, want %q", h, r.Name)
		}
		link := p.eval(`document.querySelector(".link-card a").href`)
		u, err := url.Parse(link)
		if err != nil || !strings.HasPrefix(u.Path, "/r/") {
			t.Fatalf("link %q", link)
		}
		if msg := p.eval(`document.querySelector(".link-card textarea").value`); !strings.Contains(msg, link) {
			t.Errorf("the message to copy lacks the link: %q", msg)
		}
		return u.Path
	}
	onlinePath := linkFor("m09-link-online", online)
	offlinePath := linkFor("m10-link-offline", offline)

	t.Logf("campaign open after %s", time.Since(start).Round(time.Second))

	// The respondents answer on their phones, through a connection the
	// test can cut.
	proxy := startSwitchProxy(t, srv.URL)
	phoneCtx, closePhone := chromedp.NewContext(p.ctx, chromedp.WithNewBrowserContext())
	defer closePhone()
	phone := page{t: t, ctx: phoneCtx}

	phone.do("m11-phone-online",
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(proxy.URL+onlinePath),
		chromedp.WaitVisible(css("#r-submit")),
		chromedp.WaitVisible(css("#q-firm_name")),
	)
	if h := phone.text("h1"); !strings.Contains(h, "Annual firm results survey") {
		t.Errorf("respondent page heading %q", h)
	}
	phone.do("m12-phone-online-answer", append(fillFirmSurvey(answers[online.OrgID]),
		chromedp.Click(css("#r-submit")),
		chromedp.Poll[chromedp.Void](`document.body.textContent.includes("Your answers have been sent")`, chromedp.WithPollingTimeout(20*time.Second)),
	)...)

	phone.do("m13-phone-offline-open",
		chromedp.Navigate(proxy.URL+offlinePath),
		chromedp.WaitVisible(css("#q-firm_name")),
		chromedp.Poll[chromedp.Void](`!!navigator.serviceWorker.controller`, chromedp.WithPollingTimeout(20*time.Second)),
	)
	proxy.setDown(true)
	phone.do("m14-phone-offline-answer", append([]chromedp.Action[chromedp.Void]{networkOffline(true)},
		append(fillFirmSurvey(answers[offline.OrgID]),
			chromedp.Click(css("#r-submit")),
			chromedp.Poll[chromedp.Void](`observatoryRespondent.outbox.items().then(x => x.length === 1 && x[0].attempts >= 1)`,
				chromedp.WithPollingTimeout(15*time.Second)),
		)...)...)
	if s := phone.text("#r-status"); !strings.Contains(s, "will be sent when the connection returns") {
		t.Errorf("status while offline %q", s)
	}

	// Meanwhile the officer sees one answer arrived.
	p.do("m15-one-arrived",
		chromedp.Navigate(srv.URL+campaignPath+"/submissions"),
		chromedp.WaitVisible(css("main table tbody tr")),
	)
	if n := p.count("main table tbody tr"); n != 1 {
		t.Fatalf("%d submissions while the second phone is offline, want 1", n)
	}

	proxy.setDown(false)
	phone.do("m16-phone-back-online",
		networkOffline(false),
		chromedp.Poll[chromedp.Void](`document.body.textContent.includes("Your answers have been sent")`, chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.Poll[chromedp.Void](`observatoryRespondent.outbox.items().then(x => x.length === 0)`, chromedp.WithPollingTimeout(5*time.Second)),
	)

	p.do("m17-two-arrived",
		chromedp.Navigate(srv.URL+campaignPath+"/submissions"),
		chromedp.WaitVisible(css("main table tbody tr")),
	)
	subs := p.submissions()
	if len(subs) != 2 {
		t.Fatalf("submissions after the phones: %v", subs)
	}
	for _, s := range subs {
		if s.Channel != "Web page" || s.State != "Received" {
			t.Errorf("submission %+v: want channel Web page, state Received", s)
		}
	}
	if names := subs[0].Org + "|" + subs[1].Org; !strings.Contains(names, online.Name) || !strings.Contains(names, offline.Name) {
		t.Errorf("the submissions are of %s, want %s and %s", names, online.Name, offline.Name)
	}

	t.Logf("phone answers arrived after %s", time.Since(start).Round(time.Second))

	// ODK Collect: an app user made on the campaign page.
	p.do("m18-app-user",
		chromedp.Navigate(srv.URL+campaignPath),
		chromedp.Click(css(fmt.Sprintf(`a[href="%s/app-users"]`, campaignPath))),
		chromedp.WaitVisible(css("#f-name")),
		chromedp.SendKeys(css("#f-name"), "Field officer Kingston"),
		chromedp.Submit(css("#f-name")),
		chromedp.WaitVisible(css("#h-created")),
	)
	var creds []string
	p.evalJSON(`[...document.querySelectorAll("section.flash dl.props dd code")].map(c => c.textContent.trim())`, &creds)
	if len(creds) != 3 || creds[1] != "Field officer Kingston" || len(creds[2]) < 32 {
		t.Fatalf("the new app user's details: %q", creds)
	}
	serverURL, secret := creds[0], creds[2]
	if !strings.HasPrefix(serverURL, srv.URL+"/openrosa/") {
		t.Errorf("OpenRosa server URL %q", serverURL)
	}
	p.do("m19-secret-once",
		chromedp.Navigate(srv.URL+campaignPath+"/app-users"),
		chromedp.WaitVisible(css("#h-users")),
	)
	if body := p.text("main"); strings.Contains(body, secret) || !strings.Contains(body, "Field officer Kingston") {
		t.Error("the app user list shows the secret again, or not the user")
	}
	collectSubmit(t, serverURL, "Field officer Kingston", secret, collect, answers[collect.OrgID])

	// Excel: answers typed into the campaign's workbook, checked, then stored.
	excelAnswers(t, p, srv.URL, campaignPath, sheet, answers[sheet.OrgID])
	subs = p.submissions()
	channels := map[string]int{}
	for _, s := range subs {
		channels[s.Channel]++
	}
	if len(subs) != 4 || channels["Web page"] != 2 || channels["ODK Collect"] != 1 || channels["Excel upload"] != 1 {
		t.Fatalf("submissions after ODK Collect and Excel: %v", subs)
	}

	// Review: each submission shows its answers and is approved.
	for i, s := range subs {
		want, ok := answers[s.OrgID]
		if !ok {
			t.Fatalf("a submission of an organisation nobody answered for: %+v", s)
		}
		p.do(fmt.Sprintf("m21-review-%d", i+1),
			chromedp.Navigate(srv.URL+"/submissions/"+strconv.FormatInt(s.ID, 10)),
			chromedp.WaitVisible(css("#f-decision")),
		)
		shown := p.text(`section[aria-labelledby="h-answers"]`)
		if !strings.Contains(shown, want.Firm) || !regexp.MustCompile(`jobs_created\s+`+strconv.Itoa(want.Jobs)+`\b`).MatchString(shown) {
			t.Errorf("submission %d shows %q, want the firm %q and %d jobs", s.ID, shown, want.Firm, want.Jobs)
		}
		p.do(fmt.Sprintf("m22-approve-%d", i+1),
			chromedp.SetValue(css("#f-decision"), "approve"),
			chromedp.Submit(css("#f-decision")),
			chromedp.WaitVisible(css(".flash")),
		)
		if f := p.text(".flash"); !strings.Contains(f, "Approved; 2 indicator value(s)") {
			t.Errorf("approving submission %d: %q", s.ID, f)
		}
		if facts := p.text("dl.facts"); !strings.Contains(facts, "Approved") {
			t.Errorf("submission %d is not shown approved: %q", s.ID, facts)
		}
	}
	p.do("m23-all-approved",
		chromedp.Navigate(srv.URL+campaignPath+"/submissions?state=approved"),
		chromedp.WaitVisible(css("main table tbody tr")),
	)
	if n := p.count("main table tbody tr"); n != 4 {
		t.Errorf("%d approved submissions, want 4", n)
	}

	t.Logf("ODK Collect and Excel answers arrived, all approved after %s", time.Since(start).Round(time.Second))

	// The approved answers are indicator values waiting for the programme's
	// review: the officer sees them among all values received.
	jobs, revenue := 0, 0
	for _, a := range answers {
		jobs += a.Jobs
		revenue += a.Revenue
	}
	if got := p.fetchResults(clusterURL+"&values=all", "res-jobs_created", "2025"); orZero(got.Actual) != orZero(receivedBefore.Actual)+float64(jobs) {
		t.Errorf("cluster, all values: 2025 jobs actual %v, want %v plus the %d approved", orZero(got.Actual), orZero(receivedBefore.Actual), jobs)
	}

	// The programme officer approves the values, by organisation.
	po, ok := srv.Accounts["programme_officer"]
	if !ok {
		t.Fatalf("the demo printed no programme officer: %v", srv.Accounts)
	}
	poCtx, closePO := chromedp.NewContext(p.ctx, chromedp.WithNewBrowserContext())
	defer closePO()
	officer := page{t: t, ctx: poCtx}
	officer.do("m24-programme-officer",
		chromedp.Navigate(srv.URL+"/login"),
		chromedp.WaitVisible(css("#f-email")),
		chromedp.SendKeys(css("#f-email"), po.Email),
		chromedp.SendKeys(css("#f-password"), po.Password),
		chromedp.Submit(css("#f-password")),
		chromedp.WaitReady(css(`form[action="/logout"]`)),
	)
	received := `section[aria-labelledby="h-review"] tr:has(.state-received)`
	for _, org := range []int64{online.OrgID, offline.OrgID, collect.OrgID, sheet.OrgID} {
		officer.do(fmt.Sprintf("m25-values-%d", org),
			chromedp.Navigate(fmt.Sprintf("%s/indicators/values?subject=organisation:%d&period=2025", srv.URL, org)),
			chromedp.WaitVisible(css("#h-review")),
		)
		if n := officer.count(received); n != 2 {
			t.Fatalf("organisation %d has %d values waiting for review, want 2 (jobs and revenue): %s", org, n, officer.text(`section[aria-labelledby="h-review"]`))
		}
		if rows := officer.text(`section[aria-labelledby="h-review"]`); !strings.Contains(rows, "JOBS_CREATED") || !strings.Contains(rows, strconv.Itoa(answers[org].Jobs)) {
			t.Errorf("organisation %d: values %q", org, rows)
		}
		for i := 0; i < 2; i++ {
			officer.do(fmt.Sprintf("m26-approve-%d-%d", org, i),
				chromedp.Evaluate[chromedp.Void](`document.querySelectorAll(".flash").forEach(e => e.remove())`),
				chromedp.Click(css(received+` button[value="approve"]`)),
				chromedp.WaitVisible(css(".flash")),
			)
		}
		if n := officer.count(received); n != 0 {
			t.Errorf("organisation %d still has %d values waiting", org, n)
		}
	}
	t.Logf("values approved after %s", time.Since(start).Round(time.Second))

	// Results: the approved answers are actuals for 2025 next to targets.
	check := func(step, scope, pageURL string) {
		t.Helper()
		after := p.results(pageURL, "res-jobs_created", "2025")
		shot(p.ctx, t, step)
		if got, want := orZero(after.Actual), orZero(before[scope].Actual)+float64(jobs); got != want {
			t.Errorf("%s: 2025 jobs actual %v, want %v (before %v plus the %d approved)", scope, got, want, orZero(before[scope].Actual), jobs)
		}
		if after.Target == nil || orZero(after.Target) != orZero(before[scope].Target) {
			t.Errorf("%s: 2025 jobs target %v, want %v", scope, after.Target, before[scope].Target)
		}
		if !strings.HasSuffix(after.Percent, "%") {
			t.Errorf("%s: 2025 percent of target %q", scope, after.Percent)
		}
		p.do(step+"-chart",
			chromedp.Poll[chromedp.Void](`!!document.querySelector('.chart[data-table="res-jobs_created"] svg path[stroke-dasharray]')`,
				chromedp.WithPollingTimeout(10*time.Second)),
		)
	}
	check("m27-results-cluster", "cluster", clusterURL)
	if h := p.text("h1"); !strings.Contains(h, clusterNames[0]) {
		t.Errorf("cluster dashboard heading %q, want %q", h, clusterNames[0])
	}
	if rev := p.readResults(clusterURL, "document", "res-revenue", "2025"); orZero(rev.Actual) != orZero(revenueBefore.Actual)+float64(revenue) {
		t.Errorf("cluster: 2025 revenue actual %v, want %v plus %d", orZero(rev.Actual), orZero(revenueBefore.Actual), revenue)
	}
	check("m28-results-country", "country", countryURL)
	check("m29-results-region", "region", regionURL)
	t.Logf("results checked after %s", time.Since(start).Round(time.Second))
}

// excelAnswers acts as an officer typing one respondent's answers from a
// paper form: the campaign's workbook downloaded with the browser's
// session, one row filled, uploaded through the page, checked and stored.
func excelAnswers(t *testing.T, p page, base, campaignPath string, r invitationRow, a respondentAnswers) {
	t.Helper()
	p.do("m20-excel-page",
		chromedp.Navigate(base+campaignPath),
		chromedp.WaitVisible(css("#h-excel")),
		chromedp.Click(css(`#h-excel ~ p a[href$="/answers/upload"]`)),
		chromedp.WaitVisible(css("#f-file")),
	)
	if href := p.eval(`document.querySelector('a[href$="/answers.xlsx"]').getAttribute("href")`); href != campaignPath+"/answers.xlsx" {
		t.Fatalf("the template link is %q", href)
	}
	cookies, err := chromedp.Call(p.ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{base}})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, base+campaignPath+"/answers.xlsx", nil)
	for _, c := range cookies.Cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	res, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !bytes.HasPrefix(raw, []byte("PK")) {
		t.Fatalf("template download: %d %s (%.200s)", res.StatusCode, res.Header.Get("Content-Type"), raw)
	}
	wb, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("the template is not a workbook: %v", err)
	}
	rows, err := wb.GetRows("Answers")
	if err != nil || len(rows) < 3 {
		t.Fatalf("the template's Answers sheet: %v (%d rows)", err, len(rows))
	}
	columns := map[string]int{}
	for i, name := range rows[1] {
		columns[name] = i + 1
	}
	line := 0
	for i, row := range rows[2:] {
		if len(row) > 1 && row[0] == strconv.FormatInt(r.Invitation, 10) {
			line = i + 3
			if row[1] != r.Name {
				t.Errorf("row %d of the template names %q, want %q", line, row[1], r.Name)
			}
		}
	}
	if line == 0 {
		t.Fatalf("the template has no row for invitation %d (%s)", r.Invitation, r.Name)
	}
	for name, v := range map[string]any{"firm_name": a.Firm, "year": 2025, "employees_total": 6, "employees_women": 3,
		"employees_youth": 2, "jobs_created": a.Jobs, "revenue": a.Revenue, "exports": 0} {
		col, ok := columns[name]
		if !ok {
			t.Fatalf("the template has no column %s: %v", name, rows[1])
		}
		cell, _ := excelize.CoordinatesToCellName(col, line)
		if err := wb.SetCellValue("Answers", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	filled := filepath.Join(t.TempDir(), "answers.xlsx")
	if err := wb.SaveAs(filled); err != nil {
		t.Fatal(err)
	}
	p.do("m20-excel-preview",
		chromedp.SetUploadFiles(css("#f-file"), []string{filled}),
		chromedp.Submit(css("#f-file")),
		chromedp.WaitVisible(css(`form[action$="/answers/commit"] button`)),
	)
	var counts []string
	p.evalJSON(`[...document.querySelectorAll('section[aria-labelledby="h-counts"] dd')].map(d => d.textContent.trim())`, &counts)
	if len(counts) != 3 || counts[0] != "1" || counts[1] != "0" {
		t.Errorf("the preview counts new, edited, unchanged as %v, want 1 new and no edit", counts)
	}
	if changes := p.text(`section[aria-labelledby="h-changes"] tbody`); !strings.Contains(changes, r.Name) || !strings.Contains(changes, "jobs_created") {
		t.Errorf("the preview's rows: %q", changes)
	}
	p.do("m20-excel-commit",
		chromedp.Click(css(`form[action$="/answers/commit"] button`)),
		chromedp.WaitVisible(css(".flash")),
		chromedp.WaitVisible(css("main table tbody tr")),
	)
	if f := p.text(".flash"); !strings.Contains(f, "1 new") {
		t.Errorf("after storing: %q", f)
	}
}

// fillFirmSurvey answers the firm survey on the respondent page.
func fillFirmSurvey(a respondentAnswers) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		typeInto("#q-firm_name", a.Firm),
		typeInto("#q-year", "2025"),
		typeInto("#q-employees_total", "12"),
		typeInto("#q-employees_women", "5"),
		typeInto("#q-employees_youth", "4"),
		typeInto("#q-jobs_created", strconv.Itoa(a.Jobs)),
		typeInto("#q-revenue", strconv.Itoa(a.Revenue)),
		typeInto("#q-exports", "0"),
		chromedp.Click(css(`[data-key="new_products_markets-new_product"]`)),
		typeInto("#q-partner_name_0", "JBDC"),
		chromedp.Click(css(`[data-key="partner_type#0-bso"]`)),
		chromedp.Click(css(`[data-key="cooperation_kind#0-supply"]`)),
	}
}

// collectSubmit acts as ODK Collect: it lists the campaign's forms,
// downloads the form, checks the server before sending, and sends one
// respondent's answers.
func collectSubmit(t *testing.T, server, name, secret string, r invitationRow, a respondentAnswers) {
	t.Helper()
	client := &http.Client{Timeout: 20 * time.Second}
	do := func(method, u string, body io.Reader, contentType string) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest(method, u, body)
		if err != nil {
			t.Fatal(err)
		}
		req.SetBasicAuth(name, secret)
		req.Header.Set("X-OpenRosa-Version", "1.0")
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, u, err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	res, body := do(http.MethodGet, server+"/formList", nil, "")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "<formID>firm_results</formID>") {
		t.Fatalf("form list: %d\n%s", res.StatusCode, body)
	}
	m := regexp.MustCompile(`<downloadUrl>([^<]+)</downloadUrl>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("the form list has no download URL:\n%s", body)
	}
	res, xform := do(http.MethodGet, m[1], nil, "")
	ref := fmt.Sprintf("i%d", r.Invitation)
	if res.StatusCode != http.StatusOK || !strings.Contains(xform, "<value>"+ref+"</value>") || !strings.Contains(xform, "jobs_created") {
		t.Fatalf("form: %d (want the respondent %s listed)\n%.2000s", res.StatusCode, ref, xform)
	}
	res, _ = do(http.MethodHead, server+"/submission", nil, "")
	if res.StatusCode != http.StatusNoContent {
		t.Fatalf("pre-flight HEAD: %d", res.StatusCode)
	}
	id := make([]byte, 16)
	rand.Read(id)
	h := hex.EncodeToString(id)
	instanceID := fmt.Sprintf("uuid:%s-%s-4%s-a%s-%s", h[:8], h[8:12], h[13:16], h[17:20], h[20:])
	instance := `<?xml version="1.0"?><firm_results xmlns:orx="http://openrosa.org/xforms" id="firm_results" version="` + monitoringFormVersion + `">
<respondent_ref>` + ref + `</respondent_ref><firm_name>` + xmlEscape(a.Firm) + `</firm_name><year>2025</year>
<employment><employees_total>9</employees_total><employees_women>4</employees_women><employees_youth>2</employees_youth><jobs_created>` + strconv.Itoa(a.Jobs) + `</jobs_created></employment>
<finance><revenue>` + strconv.Itoa(a.Revenue) + `</revenue><exports>0</exports></finance><new_products_markets>new_export_market</new_products_markets>
<partners><partner_name>UWI</partner_name><partner_type>research</partner_type><cooperation_kind>supply</cooperation_kind></partners>
<orx:meta><orx:instanceID>` + instanceID + `</orx:instanceID></orx:meta></firm_results>`
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	part, _ := mw.CreateFormFile("xml_submission_file", "instance.xml")
	part.Write([]byte(instance))
	mw.Close()
	res, body = do(http.MethodPost, server+"/submission", &buf, mw.FormDataContentType())
	if res.StatusCode != http.StatusCreated || !strings.Contains(body, r.Name) {
		t.Fatalf("submission: %d, want 201 naming %s\n%s", res.StatusCode, r.Name, body)
	}
}

func xmlEscape(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// submissionRow is one line of a campaign's submissions list.
type submissionRow struct {
	ID      int64  `json:"id"`
	OrgID   int64  `json:"org"`
	Org     string `json:"name"`
	Channel string `json:"channel"`
	State   string `json:"state"`
}

// submissions reads the submissions list on the page, with the
// organisation of each from its submission's page link.
func (p page) submissions() []submissionRow {
	p.t.Helper()
	var out []submissionRow
	p.evalJSON(`[...document.querySelectorAll("main table tbody tr")].map(r => ({id: +r.cells[0].textContent.trim(),
		name: r.cells[1].childNodes[0].textContent.trim(), channel: r.cells[3].textContent.trim(), state: r.cells[4].textContent.trim()}))`, &out)
	for i := range out {
		org := p.orgOfSubmission(out[i].ID)
		out[i].OrgID = org
	}
	return out
}

// orgOfSubmission reads which organisation a submission is of, from its page.
func (p page) orgOfSubmission(id int64) int64 {
	p.t.Helper()
	var org int64
	p.evalJSON(fmt.Sprintf(`fetch("/submissions/%d").then(r => r.text()).then(t => {
		const d = new DOMParser().parseFromString(t, "text/html").querySelector('dl.facts a[href^="/organisations/"]');
		return d ? +d.getAttribute("href").split("/").pop() : 0 })`, id), &org)
	return org
}

// results opens a results dashboard and reads one year of an indicator's table.
func (p page) results(pageURL, table, year string) yearFigures {
	p.t.Helper()
	p.do("results",
		chromedp.Navigate(pageURL),
		chromedp.WaitVisible(css("#"+table)),
	)
	return p.readResults(pageURL, "document", table, year)
}

// fetchResults reads one year of a results dashboard's table without
// showing the page.
func (p page) fetchResults(pageURL, table, year string) yearFigures {
	p.t.Helper()
	doc := fmt.Sprintf(`await fetch(%s).then(r => r.text()).then(t => new DOMParser().parseFromString(t, "text/html"))`, jsString(pageURL))
	return p.readResults(pageURL, doc, table, year)
}

func (p page) readResults(pageURL, doc, table, year string) yearFigures {
	p.t.Helper()
	var raw struct {
		Found          bool
		Actual, Target string
		Percent        string
	}
	p.evalJSON(fmt.Sprintf(`(async () => { const d = %s; const t = d.getElementById(%s); if (!t) return {Found: false};
		for (const r of t.tBodies[0].rows)
		if (r.cells[0].textContent.trim() === %s) return {Found: true, Actual: r.cells[1].dataset.value, Target: r.cells[2].dataset.value, Percent: r.cells[3].textContent.trim()};
		return {Found: false} })()`, doc, jsString(table), jsString(year)), &raw)
	if !raw.Found {
		p.t.Fatalf("%s: no row %s in #%s", pageURL, year, table)
	}
	num := func(s string) *float64 {
		if s == "" {
			return nil
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			p.t.Fatalf("%s: %q is not a number", pageURL, s)
		}
		return &f
	}
	return yearFigures{Actual: num(raw.Actual), Target: num(raw.Target), Percent: raw.Percent}
}

// evalJSON evaluates an expression (awaiting a promise) and decodes its
// value, given as JSON.
func (p page) evalJSON(expr string, dst any) {
	p.t.Helper()
	s := p.eval(fmt.Sprintf(`Promise.resolve(%s).then(v => JSON.stringify(v))`, expr))
	if err := json.Unmarshal([]byte(s), dst); err != nil {
		p.t.Fatalf("%s: %v (%s)", expr, err, s)
	}
}

func (p page) count(sel string) int {
	p.t.Helper()
	n, err := strconv.Atoi(p.eval(fmt.Sprintf(`String(document.querySelectorAll(%s).length)`, jsString(sel))))
	if err != nil {
		p.t.Fatal(err)
	}
	return n
}

// path is the current page's path.
func (p page) path() string {
	p.t.Helper()
	return p.eval(`location.pathname`)
}

// selectByText chooses the first option of a select whose text contains s.
func selectByText(sel, s string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const e = document.querySelector(%s);
		const o = [...e.options].find(o => o.textContent.includes(%s)); if (!o) throw new Error("no option " + %[2]s + " in " + %[1]s);
		e.value = o.value; e.dispatchEvent(new Event("change", {bubbles: true})) })()`, jsString(sel), jsString(s)))
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func orZero(f *float64) float64 {
	if f == nil {
		return 0
	}
	return *f
}
