package app

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"sort"

	"github.com/clusterobservatory/observatory/internal/db"
)

// The OpenAPI document is assembled from one fragment per domain
// (openapi/<domain>.json, each with "paths" and "components"), so that the
// description lives beside the routes that a domain adds.
//
//go:embed openapi/*.json
var openAPIFragments embed.FS

func latestVersion() int { return db.LatestVersion() }

// OpenAPIDocument builds the merged OpenAPI 3.1 document.
func OpenAPIDocument() (map[string]any, error) {
	doc := map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":       "Cluster Observatory API",
			"version":     "1",
			"description": "Countries, areas, organisations, cluster initiatives and memberships of the region. Send a bearer token (observatory token create) in the Authorization header. Errors are RFC 9457 problem details. Lists carry total, page and per_page.",
		},
		"servers":  []any{map[string]any{"url": "/"}},
		"security": []any{map[string]any{"bearer": []any{}}, map[string]any{"session": []any{}}},
	}
	paths := map[string]any{}
	schemas := map[string]any{}
	components := map[string]any{
		"securitySchemes": map[string]any{
			"bearer":  map[string]any{"type": "http", "scheme": "bearer"},
			"session": map[string]any{"type": "apiKey", "in": "cookie", "name": "session"},
		},
		"schemas": schemas,
	}
	files, _ := fs.Glob(openAPIFragments, "openapi/*.json")
	sort.Strings(files)
	for _, f := range files {
		b, _ := openAPIFragments.ReadFile(f)
		var frag struct {
			Paths      map[string]map[string]any `json:"paths"`
			Components struct {
				Schemas    map[string]any `json:"schemas"`
				Parameters map[string]any `json:"parameters"`
				Responses  map[string]any `json:"responses"`
			} `json:"components"`
		}
		if err := json.Unmarshal(b, &frag); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		for p, ops := range frag.Paths {
			existing, _ := paths[p].(map[string]any)
			if existing == nil {
				existing = map[string]any{}
			}
			for m, op := range ops {
				if _, dup := existing[m]; dup {
					return nil, fmt.Errorf("%s: %s %s described twice", f, m, p)
				}
				existing[m] = op
			}
			paths[p] = existing
		}
		for k, v := range frag.Components.Schemas {
			schemas[k] = v
		}
		for _, kind := range []struct {
			name string
			m    map[string]any
		}{{"parameters", frag.Components.Parameters}, {"responses", frag.Components.Responses}} {
			if len(kind.m) == 0 {
				continue
			}
			dst, _ := components[kind.name].(map[string]any)
			if dst == nil {
				dst = map[string]any{}
				components[kind.name] = dst
			}
			for k, v := range kind.m {
				dst[k] = v
			}
		}
	}
	doc["paths"] = paths
	doc["components"] = components
	return doc, nil
}

func (a *App) openAPI() http.Handler {
	doc, err := OpenAPIDocument()
	body, _ := json.MarshalIndent(doc, "", "  ")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	})
}
