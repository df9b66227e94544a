package e2e

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/clusterobservatory/observatory/internal/db/dbtest"
)

// TestPickOrganisationByName opens the concept-note form of the demo's open
// call as a BSO, finds its own organisation by part of the name in the
// finder beside the lead organisation's ID field, chooses it with the
// keyboard, and checks that the ID field holds the organisation's ID.
func TestPickOrganisationByName(t *testing.T) {
	engines := map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "e2e.db") },
		"postgres": func(t *testing.T) string { return dbtest.EmptyPostgresURL(t) },
	}
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			root := browser(t)
			srv := startDemo(t, engines[name](t))
			if err := chromedp.Do(root, chromedp.Navigate("about:blank")); err != nil {
				t.Fatal(err)
			}
			acc, ok := srv.Accounts["bso_staff"]
			if !ok {
				t.Fatalf("the demo printed no bso_staff account: %v", srv.Accounts)
			}
			bso := newPerson(t, root, srv.URL, "applicant", acc)

			// The demo's open call is the one whose form the BSO may fill.
			call := bso.evalAwait(`(async () => {
				for (let i = 1; i <= 20; i++) {
					const r = await fetch("/calls/" + i + "/apply");
					if (r.ok && (await r.text()).includes('id="f-lead_org_id"')) return String(i);
				}
				return "";
			})()`)
			if call == "" {
				t.Fatal("the demo has no call open for applications")
			}
			bso.open("/calls/"+call+"/apply", "#f-lead_org_id-find")
			leadID := bso.eval(`document.getElementById("f-lead_org_id").value`)
			if leadID == "" {
				t.Fatal("the application form does not offer the BSO as lead organisation")
			}
			bso.open("/organisations/"+leadID, "h1")
			orgName := bso.text("h1")
			// A piece from inside the name, in other letters' case.
			words := strings.Fields(orgName)
			part := strings.ToLower(words[len(words)-1])
			if len(part) < 3 {
				part = strings.ToLower(orgName)
			}

			bso.open("/calls/"+call+"/apply", "#f-lead_org_id-find")
			if got := bso.eval(`document.querySelector('label[for="f-lead_org_id-find"]').textContent`); got != "Find by name" {
				t.Fatalf("the finder's label is %q", got)
			}
			option := "f-lead_org_id-opt-" + leadID
			bso.fill("applicant empties the lead organisation", map[string]string{"f-lead_org_id": ""})
			bso.step("applicant types part of the name",
				chromedp.SendKeys(css("#f-lead_org_id-find"), part),
				chromedp.WaitVisible(css(`[id="`+option+`"]`)),
			)
			if got := bso.eval(`document.getElementById("f-lead_org_id-find").getAttribute("aria-expanded")`); got != "true" {
				t.Fatalf("aria-expanded = %q with the options shown", got)
			}
			// Arrow down to the organisation, then Enter.
			n := bso.count(`#f-lead_org_id-results [role="option"]`)
			for i := 0; i < n; i++ {
				bso.step("applicant moves down the options", chromedp.KeyEvent(kb.ArrowDown))
				if bso.eval(`document.getElementById("f-lead_org_id-find").getAttribute("aria-activedescendant") || ""`) == option {
					break
				}
			}
			if got := bso.eval(`document.getElementById("` + option + `").getAttribute("aria-selected")`); got != "true" {
				t.Fatalf("the arrow keys never reached %s (aria-selected %q)", option, got)
			}
			bso.step("applicant chooses with Enter", chromedp.KeyEvent(kb.Enter))
			if loc := bso.location(); !strings.HasSuffix(loc, "/calls/"+call+"/apply") {
				t.Fatalf("choosing with Enter left the form for %s: %.2000s", loc, bso.text("main"))
			}
			if got := bso.eval(`document.getElementById("f-lead_org_id").value`); got != leadID {
				t.Fatalf("the lead organisation's ID field holds %q, want %s", got, leadID)
			}
			bso.sees(`[id="f-lead_org_id-name"]`, orgName, "#"+leadID)
			if got := bso.eval(`String(document.getElementById("f-lead_org_id-results").hidden)`); got != "true" {
				t.Fatal("the options stay open after the choice")
			}

			// Escape closes the options without choosing.
			bso.step("applicant searches again and presses Escape",
				chromedp.SendKeys(css("#f-lead_org_id-find"), part),
				chromedp.WaitVisible(css(`[id="`+option+`"]`)),
				chromedp.KeyEvent(kb.Escape),
			)
			if got := bso.eval(`document.getElementById("f-lead_org_id-find").getAttribute("aria-expanded")`); got != "false" {
				t.Fatalf("aria-expanded = %q after Escape", got)
			}
			t.Logf("%s: %s", name, time.Since(start).Round(time.Millisecond))
		})
	}
}

// evalAwait evaluates an expression whose value is a promise of a string.
func (p *person) evalAwait(js string) string {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("%s: evaluate %s: %v", p.who, js, err)
	}
	return s
}
