package app_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
)

// pageBudget is the most a first visit may download, compressed, assets and
// map outlines included: many users are on slow mobile connections.
const pageBudget = 300 * 1024

var assetRef = regexp.MustCompile(`(?:href|src|data-geojson)="(/[^"]+)"`)

// TestFirstLoadWeight fetches the region page as a new browser would —
// gzip accepted, nothing cached — with every stylesheet, script and the map
// outlines it refers to, and checks the total against the budget.
func TestFirstLoadWeight(t *testing.T) {
	e := apptest.New(t, dbtest.SQLite(t))
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	fetch := func(path string) (int, string) {
		req, _ := http.NewRequest("GET", e.Server.URL+path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: status %d", path, resp.StatusCode)
		}
		body := raw
		if resp.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(strings.NewReader(string(raw)))
			if err != nil {
				t.Fatal(err)
			}
			body, _ = io.ReadAll(zr)
		} else if len(raw) > 1024 {
			t.Errorf("%s (%d bytes) was sent uncompressed", path, len(raw))
		}
		return len(raw), string(body)
	}
	total, html := fetch("/")
	seen := map[string]bool{}
	for _, m := range assetRef.FindAllStringSubmatch(html, -1) {
		ref := m[1]
		if seen[ref] || !(strings.HasPrefix(ref, "/static/") || strings.HasPrefix(ref, "/geo/")) {
			continue
		}
		seen[ref] = true
		n, _ := fetch(ref)
		t.Logf("%-45s %7d bytes", ref, n)
		total += n
	}
	t.Logf("first load of / : %d bytes compressed (budget %d)", total, pageBudget)
	if total > pageBudget {
		t.Errorf("first load is %d bytes compressed, over the %d budget", total, pageBudget)
	}
	if len(seen) < 2 {
		t.Errorf("expected the page to reference its stylesheet and script, found %v", seen)
	}
}
