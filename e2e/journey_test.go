package e2e

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// page drives one browser tab and fails the test with the page's text when a
// step fails.
type page struct {
	t   *testing.T
	ctx context.Context
}

func (p page) do(name string, steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, steps...); err != nil {
		shot(p.ctx, p.t, "failed-"+name)
		loc, _ := chromedp.Run(p.ctx, chromedp.Location())
		body, _ := chromedp.Run(p.ctx, chromedp.Text(chromedp.CSS("body")))
		p.t.Fatalf("%s: %v\nat %s\n%.2000s", name, err, loc, body)
	}
	shot(p.ctx, p.t, name)
}

func (p page) text(sel string) string {
	p.t.Helper()
	s, err := chromedp.Run(p.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		p.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func css(s string) chromedp.CSS { return chromedp.CSS(s) }

// TestRegionToOrganisationJourney signs in with a printed demo account,
// walks Region → Country → Cluster initiative → Organisation, switches to
// Spanish, and submits a form first with an error and then without.
func TestRegionToOrganisationJourney(t *testing.T) {
	p := page{t: t, ctx: browser(t)}
	srv := startDemo(t, "sqlite:"+filepath.Join(t.TempDir(), "e2e.db"))
	admin, ok := srv.Accounts["admin"]
	if !ok {
		t.Fatalf("the demo did not print an admin account: %v", srv.Accounts)
	}

	p.do("01-sign-in",
		chromedp.Navigate(srv.URL+"/login"),
		chromedp.WaitVisible(css("#f-email")),
		chromedp.SendKeys(css("#f-email"), admin.Email),
		chromedp.SendKeys(css("#f-password"), admin.Password),
		chromedp.Submit(css("#f-password")),
		chromedp.WaitVisible(css(`nav.mainnav a[href="/clusters"]`)),
	)

	p.do("02-region",
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(css(`#country-figures a[href="/countries/JAM"]`)),
		chromedp.WaitVisible(css(`.region-map svg, .region-map canvas`)),
		chromedp.Click(css(`#country-figures a[href="/countries/JAM"]`)),
		chromedp.WaitVisible(css(`main a[href^="/clusters/"]`)),
	)
	if h := p.text("h1"); !strings.Contains(h, "Jamaica") {
		t.Fatalf("country page heading = %q", h)
	}

	p.do("03-country-to-cluster",
		chromedp.Click(css(`main a[href^="/clusters/"]`)),
		chromedp.WaitVisible(css(`main table a[href^="/organisations/"]`)),
	)
	clusterName := strings.TrimSpace(p.text("h1"))

	p.do("04-cluster-to-organisation",
		chromedp.Click(css(`main table a[href^="/organisations/"]`)),
		chromedp.WaitVisible(css("dl.props")),
	)
	if main := p.text("main"); !strings.Contains(main, clusterName) {
		t.Errorf("the organisation page should list its cluster %q", clusterName)
	}

	p.do("05-spanish",
		chromedp.Click(css(`details.lang summary`)),
		chromedp.Click(css(`details.lang a[lang="es"]`)),
		chromedp.WaitVisible(css(`html[lang="es"] nav.mainnav`)),
	)
	if nav := p.text("nav.mainnav"); !strings.Contains(nav, "Organizaciones") || !strings.Contains(nav, "Clústeres") {
		t.Fatalf("navigation not in Spanish: %q", nav)
	}

	p.do("06-form-with-error",
		chromedp.Navigate(srv.URL+"/clusters/new"),
		chromedp.WaitVisible(css("#f-name")),
		chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("[required]").forEach(e => e.removeAttribute("required"))`),
		chromedp.SetValue(css("#f-industries"), "9999"),
		chromedp.Submit(css("#f-name")),
		chromedp.WaitVisible(css(".errors")),
	)
	if msg := p.text(".errors"); strings.TrimSpace(msg) == "" {
		t.Fatal("the error summary is empty")
	}

	name := "Blue Mountain Coffee Test Cluster " + time.Now().Format("150405")
	p.do("07-form-fixed",
		chromedp.SetValue(css("#f-industries"), "1079"),
		chromedp.SendKeys(css("#f-name"), name),
		chromedp.Click(css("#f-country-JAM")),
		chromedp.SetValue(css("#f-sector"), "agro_processing"),
		chromedp.SetValue(css("#f-stage"), "identified"),
		chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector("#f-lead_bso_id"); for (const o of s.options) { if (o.textContent.includes("Jamaica")) { s.value = o.value; break } } })()`),
		chromedp.Submit(css("#f-name")),
		chromedp.WaitVisible(css("dl.props")),
	)
	if h := p.text("h1"); !strings.Contains(h, name) {
		t.Fatalf("after saving, the profile heading is %q", h)
	}

	// The add-member list loads when its panel comes into view, and narrows
	// as a name is typed.
	p.do("08-member-candidates",
		chromedp.ScrollIntoView(css("#add-member")),
		chromedp.WaitReady(css(`#f-organisation_id option:nth-child(2)`)),
	)
	first, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.querySelector("#f-organisation_id").options[1].textContent`))
	if err != nil || len(strings.Fields(first)) == 0 {
		t.Fatalf("first candidate %q: %v", first, err)
	}
	word := strings.Fields(first)[0]
	p.do("09-member-search",
		chromedp.SendKeys(css("#f-member_q"), word),
		chromedp.Poll[chromedp.Void](`(() => { const o = [...document.querySelectorAll("#f-organisation_id option")].slice(1);
			return o.length > 0 && o.every(x => x.disabled || x.textContent.toLowerCase().includes(`+jsString(strings.ToLower(word))+`)) })()`, chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector("#f-organisation_id"); s.value = s.options[1].value })()`),
		chromedp.Click(css(`#add-member button.primary`)),
		chromedp.WaitVisible(css(`#members table a[href^="/organisations/"]`)),
	)
	if members := p.text("#members"); !strings.Contains(members, word) {
		t.Errorf("the new member (a name with %q) is not listed: %q", word, members)
	}

	// Cluster mapping: the portfolio chart draws from the table, choosing a
	// cluster maps it by country, and a row opens its detail page, from
	// which a cluster initiative can be started.
	p.do("10-mapping",
		chromedp.Navigate(srv.URL+"/mapping"),
		chromedp.WaitVisible(css(`#candidates tbody tr`)),
		chromedp.WaitVisible(css(`.chart[data-chart="bubble"] svg, .chart[data-chart="bubble"] canvas`)),
		chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector("#f-cluster"); s.value = s.options[1].value })()`),
		chromedp.Submit(css("#f-cluster")),
		chromedp.WaitVisible(css(`#by-country tbody tr`)),
		chromedp.WaitVisible(css(`.region-map svg, .region-map canvas`)),
		chromedp.Click(css(`#candidates tbody td a`)),
		chromedp.WaitVisible(css(`main a.button[href^="/clusters/new?"]`)),
	)
	if loc, _ := chromedp.Run(p.ctx, chromedp.Location()); !strings.Contains(loc, "/mapping/explore/detail?") {
		t.Errorf("the candidate's link led to %s", loc)
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
