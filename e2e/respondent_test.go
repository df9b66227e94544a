package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/clusterobservatory/observatory/internal/web"
)

// respondentServer serves a respondent page for the firm survey, the
// static files, the service worker and a submissions endpoint that records
// what it receives (201 for a new instance ID, 200 for one it has).
type respondentServer struct {
	*httptest.Server
	mu    sync.Mutex
	posts []map[string]any
	seen  map[string]bool
	pages int  // GET of the page that reached the server
	down  bool // drop every connection, as an unreachable server
}

// setDown makes the server unreachable (or reachable again): DevTools'
// offline emulation covers the tab but not always its service worker.
func (s *respondentServer) setDown(down bool) {
	s.mu.Lock()
	s.down = down
	s.mu.Unlock()
}

func (s *respondentServer) pageLoads() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pages
}

func (s *respondentServer) received() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]map[string]any(nil), s.posts...)
}

var respondentPage = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Annual firm results survey</title>
<link rel="stylesheet" href="{{.CSS}}">
</head>
<body>
<main id="respondent" data-submit-url="/r/{{.Token}}/submissions" data-token-key="{{.Token}}" data-lang="en"
      data-version-id="7" data-sw-url="/r/sw.js" data-sw-scope="/r/">
<noscript><p>This survey needs JavaScript.</p></noscript>
</main>
<script type="application/json" id="form-definition">{{.Definition}}</script>
<script src="{{.JS}}" defer></script>
</body>
</html>
`))

func startRespondentServer(t *testing.T, token string) *respondentServer {
	t.Helper()
	def, err := os.ReadFile(filepath.Join("..", "internal", "form", "testdata", "firm_results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var check map[string]any
	if err := json.Unmarshal(def, &check); err != nil {
		t.Fatal(err)
	}
	s := &respondentServer{seen: map[string]bool{}}
	mux := http.NewServeMux()
	mux.Handle("GET /static/", web.Static())
	mux.Handle("GET /r/sw.js", web.RespondentServiceWorker())
	mux.HandleFunc("GET /r/{token}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("token") != token {
			http.NotFound(w, r)
			return
		}
		s.mu.Lock()
		s.pages++
		s.mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'")
		// The definition goes into a <script> element: JSON made HTML-safe
		// by encoding/json (<, > and & escaped) cannot close it.
		respondentPage.Execute(w, map[string]any{
			"Token": token, "CSS": web.AssetURL("dist/respondent.css"), "JS": web.AssetURL("dist/respondent.js"),
			"Definition": template.JS(mustCompact(t, def)),
		})
	})
	mux.HandleFunc("POST /r/{token}/submissions", func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusUnprocessableEntity)
			fmt.Fprintf(w, `{"title":"Bad submission","status":422,"detail":%q}`, err.Error())
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		s.posts = append(s.posts, body)
		id, _ := body["instance_id"].(string)
		if s.seen[id] {
			w.WriteHeader(http.StatusOK)
			return
		}
		s.seen[id] = true
		w.WriteHeader(http.StatusCreated)
	})
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		down := s.down
		s.mu.Unlock()
		if down {
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close()
					return
				}
			}
			panic(http.ErrAbortHandler)
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func mustCompact(t *testing.T, b []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// networkOffline cuts (or restores) the tab's network, its service
// worker's, and what navigator.onLine says (with the offline and online
// events).
func networkOffline(off bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		sw := off
		if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			EmulateOfflineServiceWorker: &sw,
			MatchedNetworkConditions:    []*network.Conditions{{Offline: off, DownloadThroughput: -1, UploadThroughput: -1}},
		}); err != nil {
			return err
		}
		_, err := chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{
			Offline: off, DownloadThroughput: -1, UploadThroughput: -1,
		})
		return err
	})
}

// typeInto replaces an input's text as typing would, then leaves it.
func typeInto(sel, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const e = document.querySelector(%s);
		e.focus(); e.value = %s; e.dispatchEvent(new Event("input", {bubbles: true})); e.blur(); })()`, jsString(sel), jsString(value)))
}

func (p page) eval(expr string) string {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// TestRespondentOffline fills the firm survey on the respondent page: a
// constraint message and a relevance rule show, progress survives a reload
// made offline (the service worker serves the page), a submission made
// offline waits in the outbox and is sent exactly once, with the same
// instance ID, when the connection returns.
func TestRespondentOffline(t *testing.T) {
	p := page{t: t, ctx: browser(t)}
	srv := startRespondentServer(t, "tok-e2e-1")
	url := srv.URL + "/r/tok-e2e-1"

	p.do("r01-open",
		chromedp.Navigate(url),
		chromedp.WaitVisible(css("#r-submit")),
		chromedp.WaitVisible(css("#q-firm_name")),
	)
	if h := p.text("h1"); !strings.Contains(h, "Annual firm results survey") {
		t.Fatalf("heading %q", h)
	}
	if lbl := p.eval(`document.querySelector('label[for="q-firm_name"]').textContent`); !strings.Contains(lbl, "Name of the firm") {
		t.Errorf("firm_name label %q", lbl)
	}

	p.do("r02-constraint",
		chromedp.SendKeys(css("#q-firm_name"), "Blue Mountain Roasters"),
		typeInto("#q-year", "1999"),
		chromedp.WaitVisible(css("#q-year-error")),
	)
	if msg := p.text("#q-year-error"); msg != "Enter a year such as 2025." {
		t.Errorf("year constraint message %q", msg)
	}
	if live := p.eval(`document.querySelector("#q-year-error").getAttribute("aria-live") + " " + document.querySelector("#q-year").getAttribute("aria-invalid") + " " + document.querySelector("#q-year").getAttribute("aria-describedby")`); live != "polite true q-year-error" {
		t.Errorf("year error wiring %q", live)
	}

	hidden := func(id string) string {
		return p.eval(fmt.Sprintf(`String(document.getElementById(%s).closest(".r-field").hidden)`, jsString(id)))
	}
	if hidden("q-certification_names") != "true" {
		t.Error("certification_names is shown before any certification")
	}
	p.do("r03-relevance",
		typeInto("#q-year", "2025"),
		typeInto("#q-certifications", "2"),
		chromedp.WaitVisible(css("#q-certification_names")),
		chromedp.SendKeys(css("#q-certification_names"), "ISO 9001"),
	)
	if msg := p.eval(`document.querySelector("#q-year-error").textContent`); msg != "" {
		t.Errorf("the year error stays after a good year: %q", msg)
	}

	// The service worker has cached the page and its files: a reload made
	// offline shows the page with the answers given so far.
	p.do("r04-cached",
		chromedp.Poll[chromedp.Void](`(async () => { if (!navigator.serviceWorker.controller) return false;
			const c = await caches.open("observatory-respondent-v1");
			const urls = [location.href, ...[...document.querySelectorAll("script[src], link[rel=stylesheet]")].map(e => e.src || e.href)];
			for (const u of urls) if (!(await c.match(u))) return false;
			return true })()`, chromedp.WithPollingTimeout(20*time.Second)),
	)
	loads := srv.pageLoads()
	srv.setDown(true)
	p.do("r05-offline-reload",
		networkOffline(true),
		chromedp.Reload(),
		chromedp.WaitVisible(css("#q-firm_name")),
	)
	if n := srv.pageLoads(); n != loads {
		t.Errorf("the offline reload reached the server (%d page loads, was %d)", n, loads)
	}
	if v := p.eval(`document.querySelector("#q-firm_name").value + "|" + document.querySelector("#q-year").value + "|" + document.querySelector("#q-certification_names").value`); v != "Blue Mountain Roasters|2025|ISO 9001" {
		t.Fatalf("after the reload the answers are %q", v)
	}
	if hidden("q-certification_names") != "false" {
		t.Error("certification_names is hidden after the reload")
	}
	if on := p.eval(`String(navigator.onLine)`); on != "false" {
		t.Fatalf("navigator.onLine = %s while offline", on)
	}

	p.do("r06-fill-offline",
		typeInto("#q-employees_total", "10"),
		typeInto("#q-employees_women", "4"),
		typeInto("#q-employees_youth", "3"),
		typeInto("#q-jobs_created", "1"),
		typeInto("#q-revenue", "250000"),
		typeInto("#q-exports", "50000.5"),
		chromedp.Click(css(`[data-key="new_products_markets-new_product"]`)),
		typeInto("#q-partner_name_0", "JBDC"),
		chromedp.Click(css(`[data-key="partner_type#0-bso"]`)),
		chromedp.Click(css(`[data-key="cooperation_kind#0-supply"]`)),
	)
	instanceID := p.eval(`observatoryRespondent.progress().instance_id`)
	if !strings.HasPrefix(instanceID, "uuid:") || len(instanceID) != 41 {
		t.Fatalf("instance ID %q", instanceID)
	}

	p.do("r07-submit-offline",
		chromedp.Click(css("#r-submit")),
		chromedp.Poll[chromedp.Void](`observatoryRespondent.outbox.items().then(x => x.length === 1 && x[0].attempts >= 1)`,
			chromedp.WithPollingTimeout(15*time.Second)),
	)
	if s := p.text("#r-status"); !strings.Contains(s, "will be sent when the connection returns") {
		t.Errorf("status while offline %q", s)
	}
	if n := len(srv.received()); n != 0 {
		t.Fatalf("the server got %d submissions while the browser was offline", n)
	}

	srv.setDown(false)
	p.do("r08-online",
		networkOffline(false),
		chromedp.Poll[chromedp.Void](`document.body.textContent.includes("Your answers have been sent")`, chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.Poll[chromedp.Void](`observatoryRespondent.outbox.items().then(x => x.length === 0)`, chromedp.WithPollingTimeout(5*time.Second)),
	)
	time.Sleep(3 * time.Second) // a stray retry would arrive by now
	got := srv.received()
	if len(got) != 1 {
		t.Fatalf("the server got %d submissions, want exactly 1", len(got))
	}
	sub := got[0]
	if sub["instance_id"] != instanceID {
		t.Errorf("instance_id %v, want %s", sub["instance_id"], instanceID)
	}
	if sub["version_id"] != float64(7) {
		t.Errorf("version_id %v", sub["version_id"])
	}
	answers, _ := sub["answers"].(map[string]any)
	if answers["firm_name"] != "Blue Mountain Roasters" || answers["year"] != float64(2025) || answers["employees_total"] != float64(10) {
		t.Errorf("answers %v", answers)
	}
	if answers["certification_names"] != "ISO 9001" || answers["partner_count"] != "1" {
		t.Errorf("relevant answers or calculation missing: %v", answers)
	}
	partners, _ := answers["partners"].([]any)
	if len(partners) != 1 {
		t.Fatalf("partners %v", answers["partners"])
	}
	if pt := partners[0].(map[string]any); pt["partner_name"] != "JBDC" || pt["partner_type"] != "bso" || pt["cooperation_kind"] != "supply" {
		t.Errorf("partner %v", pt)
	}
	if _, ok := answers["intro"]; ok {
		t.Error("the note is in the answers")
	}

	// After sending, the page says so, also after a reload.
	p.do("r09-reload-sent",
		chromedp.Reload(),
		chromedp.Poll[chromedp.Void](`document.body.textContent.includes("Your answers have been sent")`, chromedp.WithPollingTimeout(10*time.Second)),
	)
	if len(srv.received()) != 1 {
		t.Errorf("the reload sent the answers again")
	}
}

// TestRespondentRelevanceHidesAnswers checks that an answer whose question
// became irrelevant is left out of the submission, and that a required
// answer missing blocks the submission with a message.
func TestRespondentRelevanceHidesAnswers(t *testing.T) {
	p := page{t: t, ctx: browser(t)}
	srv := startRespondentServer(t, "tok-e2e-2")
	p.do("rr01-open",
		chromedp.Navigate(srv.URL+"/r/tok-e2e-2"),
		chromedp.WaitVisible(css("#r-submit")),
		typeInto("#q-certifications", "1"),
		chromedp.WaitVisible(css("#q-certification_names")),
		typeInto("#q-certification_names", "HACCP"),
		typeInto("#q-certifications", "0"),
		chromedp.WaitNotVisible(css("#q-certification_names")),
		chromedp.Click(css("#r-submit")),
		chromedp.WaitVisible(css("#r-summary")),
	)
	if s := p.text("#r-summary"); !strings.Contains(s, "Please correct") {
		t.Errorf("summary %q", s)
	}
	if f := p.eval(`document.activeElement.id`); f != "q-firm_name" {
		t.Errorf("focus went to %q, want the first wrong answer", f)
	}
	answers := p.eval(`JSON.stringify(observatoryRespondent.form.answers())`)
	if strings.Contains(answers, "HACCP") || strings.Contains(answers, "certification_names") {
		t.Errorf("an irrelevant answer is kept: %s", answers)
	}
	if len(srv.received()) != 0 {
		t.Error("an incomplete form was sent")
	}

	// The respondent switches to Spanish: the form's texts and the page's
	// own words follow, and the choice survives a reload.
	p.do("rr02-spanish",
		chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector("#r-lang"); s.value = "Español (es)"; s.dispatchEvent(new Event("change")) })()`),
		chromedp.WaitVisible(css("#r-submit")),
		chromedp.Reload(),
		chromedp.WaitVisible(css("#r-submit")),
	)
	if lbl := p.eval(`document.querySelector('label[for="q-firm_name"]').textContent + "|" + document.querySelector("#r-submit").textContent + "|" + document.querySelector("#q-firm_name-error").textContent`); lbl != "Nombre de la empresa *|Enviar respuestas|" {
		t.Errorf("in Spanish: %q", lbl)
	}
}
