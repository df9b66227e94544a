package mapping_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/mapping"
	"github.com/clusterobservatory/observatory/internal/refdata"
	"github.com/clusterobservatory/observatory/internal/user"
)

// upload posts a definitions file through the import form, as a browser on
// the same origin would.
func upload(e *apptest.Env, c *http.Client, fields map[string]string, file, content string) *apptest.Response {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", file)
	fw.Write([]byte(content))
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, e.Server.URL+"/mapping/definitions/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", e.Server.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return e.Do(c, req)
}

func TestDefinitionPages(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)
		staff := e.CreateUser(user.BSOStaff, "bso:1")
		c := e.Browser(staff)
		bench, err := mapping.NewStore(d).FindDefinitionSetByName(context.Background(), refdata.BuiltinSetName)
		if err != nil {
			t.Fatal(err)
		}

		if r := e.Get(e.Anonymous(), "/mapping/definitions"); r.StatusCode != http.StatusSeeOther {
			t.Errorf("anonymous list: %d", r.StatusCode)
		}
		r := e.Get(c, "/mapping/definitions")
		if r.StatusCode != 200 || !strings.Contains(r.Body, refdata.BuiltinSetName) || !strings.Contains(r.Body, "Built in") {
			t.Fatalf("list: %d\n%s", r.StatusCode, r.Body)
		}
		r = e.Get(c, fmt.Sprintf("/mapping/definitions/%d", bench.ID))
		if r.StatusCode != 200 || !strings.Contains(r.Body, "Aerospace Vehicles and Defense") || !strings.Contains(r.Body, "Aircraft Manufacturing") ||
			!strings.Contains(r.Body, `action="/mapping/definitions/`+fmt.Sprint(bench.ID)+`/derive"`) {
			t.Fatalf("show: %d", r.StatusCode)
		}
		r = e.Get(c, fmt.Sprintf("/mapping/definitions/%d.csv", bench.ID))
		if r.StatusCode != 200 || !strings.HasPrefix(r.Body, "cluster_code,cluster_name,type,industry,subcluster_code,subcluster_name\n1,Aerospace Vehicles and Defense,traded,334511,3,Search and Navigation Equipment\n") ||
			strings.Count(r.Body, "\n") != 979 {
			t.Fatalf("csv: %d\n%.300s", r.StatusCode, r.Body)
		}
		if r := e.Get(c, "/mapping/definitions/999999"); r.StatusCode != 404 {
			t.Errorf("missing set: %d", r.StatusCode)
		}

		// Problems are shown by row and column, and nothing is stored.
		bad := "cluster_code,cluster_name,type,industry\n1,Cocoa,traded,0127\n1,Cocoa,traded,9999\n2,Shops,local,0127\n"
		r = upload(e, c, map[string]string{"name": "Cocoa", "classification": "isic4"}, "cocoa.csv", bad)
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `Industry &#34;0127&#34; is in cluster &#34;1&#34; in row 2 and in cluster &#34;2&#34; in row 4`) {
			t.Fatalf("bad file: %d\n%s", r.StatusCode, r.Body)
		}
		// Unknown codes are found by the store and located in the file.
		r = upload(e, c, map[string]string{"name": "Cocoa", "classification": "isic4"}, "cocoa.csv", bad[:strings.LastIndex(bad[:len(bad)-1], "\n")+1])
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `<td class="num">3</td>`) || !strings.Contains(r.Body, "is not an ISIC Rev.4 class") {
			t.Fatalf("unknown code: %d\n%s", r.StatusCode, r.Body)
		}
		good := "cluster_code,cluster_name,type,industry,subcluster_code,subcluster_name\n1,Cocoa,traded,0127,1,Growing\n1,Cocoa,traded,1073,,\n"
		r = upload(e, c, map[string]string{"name": "Cocoa", "classification": "isic4", "description": "Ours"}, "cocoa.csv", good)
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("import: %d\n%s", r.StatusCode, r.Body)
		}
		loc := r.Header.Get("Location")
		r = e.Get(c, loc)
		if r.StatusCode != 200 || !strings.Contains(r.Body, "Imported Cocoa: 1 clusters, 2 industry codes.") || !strings.Contains(r.Body, "Manufacture of cocoa") {
			t.Fatalf("after import: %d\n%s", r.StatusCode, r.Body)
		}

		// A reviewer may read but not import.
		rc := e.Browser(e.CreateUser(user.Reviewer, ""))
		if r := e.Get(rc, loc); r.StatusCode != 200 {
			t.Errorf("reviewer read: %d", r.StatusCode)
		}
		if r := e.Get(rc, "/mapping/definitions/import"); r.StatusCode != http.StatusForbidden {
			t.Errorf("reviewer form: %d", r.StatusCode)
		}
		if r := upload(e, rc, map[string]string{"name": "R", "classification": "isic4"}, "r.csv", good); r.StatusCode != http.StatusForbidden {
			t.Errorf("reviewer import: %d", r.StatusCode)
		}
		if r := e.PostForm(rc, loc+"/archive", nil); r.StatusCode != http.StatusForbidden {
			t.Errorf("reviewer archive: %d", r.StatusCode)
		}

		// Derive from the benchmark: a result page with the report; a blank
		// name shows the set's page again with the problem.
		r = e.PostForm(c, fmt.Sprintf("/mapping/definitions/%d/derive", bench.ID), url.Values{"name": {" "}})
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Enter a name for the ISIC Rev.4 set.") {
			t.Fatalf("derive without name: %d", r.StatusCode)
		}
		r = e.PostForm(c, fmt.Sprintf("/mapping/definitions/%d/derive", bench.ID), url.Values{"name": {"Benchmark ISIC"}})
		if r.StatusCode != 200 || !strings.Contains(r.Body, "ISIC classes split between clusters") || !strings.Contains(r.Body, "116 · Local Industrial Products and Services") {
			t.Fatalf("derive: %d\n%s", r.StatusCode, r.Body)
		}

		if r := e.PostForm(c, loc+"/archive", nil); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("archive: %d", r.StatusCode)
		}
		if r := e.Get(c, "/mapping/definitions"); strings.Contains(r.Body, ">Cocoa<") || !strings.Contains(r.Body, "Cocoa was archived.") {
			t.Errorf("archived set still listed:\n%s", r.Body)
		}
		// Archived sets are listed on request, and their page restores them.
		if r := e.Get(c, "/mapping/definitions?archived=1"); !strings.Contains(r.Body, ">Cocoa<") {
			t.Errorf("archived set not listed on request")
		}
		if r := e.Get(c, loc); !strings.Contains(r.Body, loc+"/restore") || strings.Contains(r.Body, loc+"/archive") {
			t.Errorf("archived set's page offers no restore")
		}
		if r := e.PostForm(rc, loc+"/restore", nil); r.StatusCode != http.StatusForbidden {
			t.Errorf("reviewer restore: %d", r.StatusCode)
		}
		if r := e.PostForm(c, loc+"/restore", nil); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != loc {
			t.Fatalf("restore: %d %s", r.StatusCode, r.Header.Get("Location"))
		}
		if r := e.Get(c, "/mapping/definitions"); !strings.Contains(r.Body, ">Cocoa<") {
			t.Errorf("restored set not listed")
		}
	})
}

func TestDefinitionAPI(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)
		tok := e.Token(e.CreateUser(user.CountryCoordinator, "country:JAM"))
		if r := e.API("GET", "/api/v1/definition-sets", "", nil); r.StatusCode != 401 {
			t.Errorf("anonymous: %d", r.StatusCode)
		}
		var list struct {
			Items []mapping.SetInfo `json:"items"`
			Total int               `json:"total"`
		}
		r := e.API("GET", "/api/v1/definition-sets", tok, nil)
		r.JSON(t, &list)
		if r.StatusCode != 200 || list.Total != 1 || !list.Items[0].Builtin || list.Items[0].Industries != 978 {
			t.Fatalf("list: %d %s", r.StatusCode, r.Body)
		}
		benchID := list.Items[0].ID

		body := map[string]any{"name": "Tourism", "classification": "isic4", "description": "Hotels and more",
			"clusters": []map[string]any{{"code": "T", "name": "Tourism", "type": "traded", "industries": []string{"5510", "5520"},
				"subclusters": []map[string]any{{"code": "1", "name": "Stays", "industries": []string{"5510"}}}}}}
		r = e.API("POST", "/api/v1/definition-sets", tok, body)
		if r.StatusCode != 201 {
			t.Fatalf("create: %d %s", r.StatusCode, r.Body)
		}
		var created struct {
			ID       int64        `json:"id"`
			Clusters []apiCluster `json:"clusters"`
		}
		r.JSON(t, &created)
		if len(created.Clusters) != 1 || created.Clusters[0].Type != "traded" || len(created.Clusters[0].Subclusters) != 1 {
			t.Errorf("created: %s", r.Body)
		}
		// The same name again replaces it.
		body["clusters"] = []map[string]any{{"code": "T", "name": "Tourism", "type": "local", "industries": []string{"5510"}}}
		if r := e.API("POST", "/api/v1/definition-sets", tok, body); r.StatusCode != 200 || !strings.Contains(r.Body, `"type":"local"`) {
			t.Errorf("replace: %d %s", r.StatusCode, r.Body)
		}
		// Located problems.
		body["clusters"] = []map[string]any{{"code": "T", "name": "Tourism", "type": "sometimes", "industries": []string{"5510", "551"}}}
		r = e.API("POST", "/api/v1/definition-sets", tok, body)
		var prob struct {
			Errors []struct{ Field, Message string } `json:"errors"`
		}
		r.JSON(t, &prob)
		fields := map[string]bool{}
		for _, p := range prob.Errors {
			fields[p.Field] = true
		}
		if r.StatusCode != 422 || !fields["clusters[0].type"] || !fields["clusters[0].industries[1]"] {
			t.Errorf("problems: %d %s", r.StatusCode, r.Body)
		}
		// Reviewers may read, not write.
		rtok := e.Token(e.CreateUser(user.Reviewer, ""))
		if r := e.API("POST", "/api/v1/definition-sets", rtok, body); r.StatusCode != 403 {
			t.Errorf("reviewer create: %d", r.StatusCode)
		}
		if r := e.API("GET", fmt.Sprintf("/api/v1/definition-sets/%d", created.ID), rtok, nil); r.StatusCode != 200 || !strings.Contains(r.Body, `"5510"`) {
			t.Errorf("reviewer get: %d %s", r.StatusCode, r.Body)
		}
		if r := e.API("GET", "/api/v1/definition-sets/999999", rtok, nil); r.StatusCode != 404 {
			t.Errorf("missing: %d", r.StatusCode)
		}

		r = e.API("POST", fmt.Sprintf("/api/v1/definition-sets/%d/derive-isic", benchID), tok, map[string]string{"name": "Benchmark ISIC"})
		var derived struct {
			Set struct {
				Classification string `json:"classification"`
				DerivedFrom    int64  `json:"derived_from"`
			} `json:"set"`
			Report struct {
				Split []mapping.SplitClass `json:"split"`
			} `json:"report"`
		}
		r.JSON(t, &derived)
		if r.StatusCode != 201 || derived.Set.Classification != "isic4" || derived.Set.DerivedFrom != benchID || len(derived.Report.Split) == 0 {
			t.Errorf("derive: %d %.500s", r.StatusCode, r.Body)
		}
		if r := e.API("POST", fmt.Sprintf("/api/v1/definition-sets/%d/derive-isic", created.ID), tok, map[string]string{"name": "X"}); r.StatusCode != 422 {
			t.Errorf("derive from ISIC: %d", r.StatusCode)
		}
	})
}

// apiCluster is a cluster as the API writes it.
type apiCluster struct {
	Code        string `json:"code"`
	Type        string `json:"type"`
	Subclusters []struct {
		Code string `json:"code"`
	} `json:"subclusters"`
}
