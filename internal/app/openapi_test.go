package app_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/app"
	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
)

// TestOpenAPIDescribesEveryRoute checks both directions: every API route the
// server registers is in the document, and every documented operation is served.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	e := apptest.New(t, dbtest.SQLite(t))
	r := e.API("GET", "/api/v1/openapi.json", "", nil)
	if r.StatusCode != 200 {
		t.Fatalf("openapi.json: %d %s", r.StatusCode, r.Body)
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	r.JSON(t, &doc)
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	registered := map[string]bool{}
	for _, pattern := range e.App.APIPaths() {
		method, path, ok := strings.Cut(pattern, " ")
		if !ok {
			t.Errorf("API route %q has no method", pattern)
			continue
		}
		registered[strings.ToLower(method)+" "+path] = true
		if _, ok := doc.Paths[path][strings.ToLower(method)]; !ok {
			t.Errorf("%s is served but not described in the OpenAPI document", pattern)
		}
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			if path == "/api/v1/openapi.json" || method == "parameters" {
				continue
			}
			if !registered[method+" "+path] {
				t.Errorf("%s %s is described but not served", strings.ToUpper(method), path)
			}
		}
	}
}

func TestOpenAPIDocumentBuilds(t *testing.T) {
	doc, err := app.OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(doc)
	// Every $ref must point at a component that exists.
	var all map[string]any
	json.Unmarshal(b, &all)
	comps := all["components"].(map[string]any)
	for _, ref := range findRefs(all) {
		parts := strings.Split(strings.TrimPrefix(ref, "#/components/"), "/")
		group, _ := comps[parts[0]].(map[string]any)
		if len(parts) != 2 || group == nil || group[parts[1]] == nil {
			t.Errorf("dangling $ref %s", ref)
		}
	}
}

func findRefs(v any) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if s, ok := val.(string); ok && k == "$ref" {
				out = append(out, s)
			}
			out = append(out, findRefs(val)...)
		}
	case []any:
		for _, val := range x {
			out = append(out, findRefs(val)...)
		}
	}
	return out
}
