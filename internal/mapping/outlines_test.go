package mapping_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/mapping"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// square is a GeoJSON feature: a one-degree square at (lon, lat) with the
// given properties.
func square(lon, lat float64, props string) string {
	return fmt.Sprintf(`{"type":"Feature","properties":%s,"geometry":{"type":"Polygon","coordinates":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}}`,
		props, lon, lat, lon+1, lat, lon+1, lat+1, lon, lat+1, lon, lat)
}

func collection(features ...string) string {
	return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
}

func TestParseOutlines(t *testing.T) {
	areas := map[string]string{"D1": "North", "D2": "South", "D3": "East"}
	file := collection(square(-77, 18, `{"NAME":"North","DIST":"d1"}`), square(-76, 18, `{"NAME":"South","DIST":" D2 "}`),
		square(-75, 18, `{"NAME":"Lake","DIST":"X9"}`))
	o, err := mapping.ParseOutlines([]byte(file), "districts.geojson", areas)
	if err != nil {
		t.Fatal(err)
	}
	if o.Property != "DIST" || o.Matched != 2 || strings.Join(o.Missing, ",") != "D3" || strings.Join(o.Unmatched, ",") != "X9" {
		t.Errorf("outlines %+v", o)
	}
	var fc struct {
		Features []struct {
			Properties struct {
				Code, Name, Role string
				Centroid         []float64
			}
		}
	}
	if err := json.Unmarshal(o.GeoJSON, &fc); err != nil {
		t.Fatal(err)
	}
	if len(fc.Features) != 2 {
		t.Fatalf("%d features kept", len(fc.Features))
	}
	// Features in code order, with the dataset's codes and names, and the
	// square's centre as centroid.
	if p := fc.Features[0].Properties; p.Code != "D1" || p.Name != "North" || p.Role != "focus" || len(p.Centroid) != 2 || p.Centroid[0] != -76.5 || p.Centroid[1] != 18.5 {
		t.Errorf("first feature %+v", p)
	}
	again, _ := mapping.ParseOutlines([]byte(file), "districts.geojson", areas)
	if !bytes.Equal(again.GeoJSON, o.GeoJSON) {
		t.Error("the same file gave different outlines")
	}

	for _, c := range []struct{ name, file, want string }{
		{"not JSON", `{"type":`, "not GeoJSON"},
		{"a single feature", square(0, 0, `{"DIST":"D1"}`), `type "Feature"`},
		{"no codes", collection(square(0, 0, `{"DIST":"Q1"}`)), "area codes (such as D1, D2, D3)"},
		{"twice the same area", collection(square(0, 0, `{"DIST":"D1"}`), square(1, 0, `{"DIST":"D1"}`)), "Features 1 and 2"},
		{"a point", collection(`{"type":"Feature","properties":{"DIST":"D1"},"geometry":{"type":"Point","coordinates":[0,0]}}`), "Feature 1 (D1): the geometry is a Point"},
		{"projected metres", collection(square(650000, 2000000, `{"DIST":"D1"}`)), "EPSG:4326"},
		{"open ring", collection(`{"type":"Feature","properties":{"DIST":"D1"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}}`), "at least 4"},
	} {
		_, err := mapping.ParseOutlines([]byte(c.file), "bad.geojson", areas)
		if !problem.Is(err, problem.Invalid) || !strings.Contains(fmt.Sprint(problemDetails(err)), c.want) {
			t.Errorf("%s: %v (details %v), want a problem saying %q", c.name, err, problemDetails(err), c.want)
		}
	}
}

func problemDetails(err error) []string {
	var out []string
	if pe, ok := err.(*problem.Error); ok {
		out = append(out, pe.Message)
		for _, d := range pe.Details {
			out = append(out, d.File+": "+d.Message)
		}
	}
	return out
}

func outlinesUpload(e *apptest.Env, path, file, body string) *http.Request {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("outlines", file)
	fw.Write([]byte(body))
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, e.Server.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", e.Server.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return req
}

// TestOutlinesPages gives a dataset outlines of its areas through its page
// and maps a cluster with them in the explorer.
func TestOutlinesPages(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newExploreFixture(t, d)
		e := apptest.New(t, d)
		admin := e.Browser(e.CreateUser(user.Admin, ""))
		page := fmt.Sprintf("/mapping/datasets/%d", f.dataset)
		if r := e.Get(admin, page); r.StatusCode != 200 || !strings.Contains(r.Body, `id="f-outlines"`) {
			t.Fatalf("dataset page: %d", r.StatusCode)
		}
		// A file without the dataset's codes is refused, and says why.
		r := e.Do(admin, outlinesUpload(e, page+"/outlines", "wrong.geojson", collection(square(-77, 18, `{"id":"Z"}`))))
		if r.StatusCode != 422 || !strings.Contains(r.Body, "JM-01") {
			t.Errorf("wrong outlines: %d", r.StatusCode)
		}
		// Staff who did not import the dataset may not give it outlines.
		staff := e.Browser(e.CreateUser(user.BSOStaff, "bso:1"))
		good := collection(square(-77, 18, `{"code":"JM-01"}`), square(-76, 18, `{"code":"JM-02"}`))
		if r := e.Do(staff, outlinesUpload(e, page+"/outlines", "parishes.geojson", good)); r.StatusCode != 403 {
			t.Errorf("staff gave outlines: %d", r.StatusCode)
		}
		if r := e.Do(admin, outlinesUpload(e, page+"/outlines", "parishes.geojson", good)); r.StatusCode != 303 {
			t.Fatalf("outlines: %d\n%s", r.StatusCode, r.Body)
		}
		if r := e.Get(admin, page); !strings.Contains(r.Body, "Outlines stored for 2 areas.") || !strings.Contains(r.Body, "property “code”") {
			t.Errorf("dataset page after the upload lacks the outlines' summary")
		}
		geo := e.Get(staff, page+"/outlines.geojson")
		if geo.StatusCode != 200 || !strings.Contains(geo.Body, `"code":"JM-02"`) {
			t.Errorf("outlines.geojson: %d %.200s", geo.StatusCode, geo.Body)
		}
		// The explorer maps the chosen cluster area by area.
		r = e.Get(staff, "/mapping?"+f.query("&year=2024&cluster=T"))
		if !strings.Contains(r.Body, `data-key="code"`) || !strings.Contains(r.Body, `<tr data-code="JM-01"`) || !strings.Contains(r.Body, "outlines.geojson?v=") {
			t.Errorf("explorer without the area map")
		}
		if r := e.Get(staff, "/mapping?"+f.query("&year=2024")); strings.Contains(r.Body, `data-key="code"`) {
			t.Errorf("area map shown without a chosen cluster")
		}
		if r := e.PostForm(admin, page+"/outlines/delete", nil); r.StatusCode != 303 {
			t.Errorf("remove: %d", r.StatusCode)
		}
		if r := e.Get(staff, page+"/outlines.geojson"); r.StatusCode != 404 {
			t.Errorf("outlines after removal: %d", r.StatusCode)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'employment_dataset' AND action IN ('outlines', 'remove_outlines')`); n != 2 {
			t.Errorf("%d audit entries for outlines", n)
		}
	})
}
