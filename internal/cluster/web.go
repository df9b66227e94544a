package cluster

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// section is the main-navigation entry the cluster pages highlight.
const section = "clusters"

// orgKindLabel names an organisation kind in the page's language. Kinds
// belong to the org domain; one this catalogue does not know is shown as is
// rather than as a raw message key.
func orgKindLabel(loc *i18n.Localizer, kind string) string {
	key := "cluster.org_kind." + kind
	if !i18n.Has(key) {
		return kind
	}
	return loc.T(key)
}

// countryNames maps ISO3 codes to country names.
func (s *Store) countryNames(ctx context.Context) ([]Country, map[string]string, error) {
	cs, err := s.Countries(ctx)
	if err != nil {
		return nil, nil, err
	}
	names := make(map[string]string, len(cs))
	for _, c := range cs {
		names[c.ISO3] = c.Name
	}
	return cs, names, nil
}

// clusterCrumbs is the trail Region → home country → cluster, with more
// steps after it when given.
func clusterCrumbs(loc *i18n.Localizer, c *Cluster, names map[string]string, more ...web.Crumb) []web.Crumb {
	crumbs := []web.Crumb{{Label: loc.T("common.region"), URL: "/"}}
	if len(c.Countries) > 0 {
		iso := c.Countries[0]
		label := names[iso]
		if label == "" {
			label = iso
		}
		crumbs = append(crumbs, web.Crumb{Label: label, URL: "/countries/" + iso})
	}
	url := ""
	if len(more) > 0 {
		url = clusterPath(c.ID)
	}
	crumbs = append(crumbs, web.Crumb{Label: c.Name, URL: url})
	return append(crumbs, more...)
}

func clusterPath(id int64) string { return "/clusters/" + strconv.FormatInt(id, 10) }

// pathID reads a record ID from the URL path; a malformed one is not found.
func pathID(r *http.Request, name string) (int64, error) {
	return web.ParseID(r.PathValue(name))
}

// CanWrite reports whether the actor may change cluster id and its members.
func (s *Store) CanWrite(ctx context.Context, actor user.Actor, id int64) (bool, error) {
	var w where
	w.add("c.id = $%d", id)
	w.scope(user.ClusterWriteFilter, actor, "c")
	var n int
	err := s.db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM clusters c `+w.String(), w.args...).Scan(&n)
	return n > 0, err
}

// parseFilter reads a cluster list's filters from a query string. Values
// that are not valid are dropped from the filter and reported, so pages can
// ignore them while the API refuses them.
func parseFilter(q url.Values, p web.ListParams) (Filter, error) {
	var fs problem.Fields
	f := Filter{Query: p.Query, Sort: p.Sort, Limit: p.PerPage, Offset: p.Offset()}
	if c := strings.ToUpper(strings.TrimSpace(q.Get("country"))); c != "" {
		if isoCode.MatchString(c) {
			f.Country = c
		} else {
			fs.Add("country", "%q is not an ISO 3166-1 alpha-3 country code.", c)
		}
	}
	if v := Sector(q.Get("sector")); v != "" {
		if v.Valid() {
			f.Sector = v
		} else {
			fs.Add("sector", "Unknown sector %q: use %s.", v, valuesText(Sectors))
		}
	}
	if v := Stage(q.Get("stage")); v != "" {
		if v.Valid() {
			f.Stage = v
		} else {
			fs.Add("stage", "Unknown stage %q: use %s.", v, valuesText(Stages))
		}
	}
	if v := strings.TrimSpace(q.Get("isic")); v != "" {
		if len(v) <= 4 && strings.Trim(v, "0123456789") == "" {
			f.ISIC = v
		} else {
			fs.Add("isic", "%q is not the start of an ISIC Rev.4 code: use 1 to 4 digits.", v)
		}
	}
	if v := q.Get("lead_bso"); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 {
			f.LeadBSO = n
		} else {
			fs.Add("lead_bso", "%q is not an organisation ID.", v)
		}
	}
	switch v := q.Get("archived"); v {
	case "", "false", "0":
	case "true", "1", "on":
		f.IncludeArchived = true
	default:
		fs.Add("archived", "Use archived=true or archived=false.")
	}
	if key := strings.TrimPrefix(f.Sort, "-"); !oneOf(key, SortKeys) {
		fs.Add("sort", "Sort by %s (prefix - for descending).", valuesText(SortKeys))
		f.Sort = "name"
	}
	return f, fs.Err()
}
