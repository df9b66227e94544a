package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/clusterobservatory/observatory/internal/db"
)

// discoverTargets builds the selected targets' paths. The cluster page uses
// the cluster with the most members, the heaviest profile in the region.
func discoverTargets(ctx context.Context, hc *http.Client, c *credentials, o *options, dbURL string, log io.Writer) []target {
	all := map[string]target{
		"region":            {Name: "region", Path: "/"},
		"country":           {Name: "country", Path: "/countries/" + o.country},
		"orgs-api":          {Name: "orgs-api", Path: "/api/v1/organisations?per_page=50", Kind: apiKind},
		"healthz":           {Name: "healthz", Path: "/healthz", Kind: publicKind},
		"login":             {Name: "login", Path: "/login", Kind: publicKind},
		"orgs-api-filtered": {Name: "orgs-api-filtered", Path: "/api/v1/organisations?per_page=50&country=" + o.country + "&kind=firm", Kind: apiKind},
	}
	var out []target
	for _, name := range o.targets {
		t, ok := all[name]
		if name == "cluster" {
			t = target{Name: name}
			id, how, err := largestCluster(ctx, hc, c, dbURL)
			if err != nil {
				fmt.Fprintf(log, "cluster: no cluster found: %v\n", err)
			} else {
				t.Path = fmt.Sprintf("/clusters/%d", id)
				fmt.Fprintf(log, "cluster: using cluster %d (%s)\n", id, how)
			}
			ok = true
		}
		if ok {
			out = append(out, t)
		}
	}
	return out
}

// largestCluster finds the cluster with the most members: through the API
// when it can sort by members, else straight from the database, else the
// first cluster the API lists.
func largestCluster(ctx context.Context, hc *http.Client, c *credentials, dbURL string) (int64, string, error) {
	if id, err := firstAPIItem(ctx, hc, c, "/api/v1/clusters?per_page=1&sort=-members"); err == nil {
		return id, "most members, from the clusters API", nil
	}
	id, dbErr := largestClusterFromDB(ctx, dbURL)
	if dbErr == nil {
		return id, "most members, from the database", nil
	}
	id, err := firstAPIItem(ctx, hc, c, "/api/v1/clusters?per_page=1")
	if err == nil {
		return id, "first listed by the clusters API", nil
	}
	return 0, "", fmt.Errorf("clusters API: %v; database: %v", err, dbErr)
}

// firstAPIItem returns the id of the first item of an API list.
func firstAPIItem(ctx context.Context, hc *http.Client, c *credentials, path string) (int64, error) {
	p, body, err := fetch(ctx, hc, c, target{Path: path, Kind: apiKind})
	if err != nil {
		return 0, err
	}
	if p.Status != http.StatusOK {
		return 0, fmt.Errorf("%s: status %d", path, p.Status)
	}
	var list struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	if len(list.Items) == 0 || list.Items[0].ID == 0 {
		return 0, fmt.Errorf("%s: no items", path)
	}
	return list.Items[0].ID, nil
}

// largestClusterFromDB reads the cluster with the most current members with
// a read-only query, beside the running server.
func largestClusterFromDB(ctx context.Context, dbURL string) (int64, error) {
	d, err := db.Open(ctx, dbURL)
	if err != nil {
		return 0, err
	}
	defer d.Close()
	var id int64
	err = d.Read().QueryRowContext(ctx, `
		SELECT m.cluster_id FROM memberships m JOIN clusters c ON c.id = m.cluster_id
		WHERE c.archived_at IS NULL AND m.left_on IS NULL
		GROUP BY m.cluster_id ORDER BY COUNT(*) DESC, m.cluster_id LIMIT 1`).Scan(&id)
	return id, err
}
