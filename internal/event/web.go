package event

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/web"
)

// section is the main-navigation entry the event pages highlight.
const section = "events"

// perPage is how many events a list page shows.
const perPage = 50

// pathID reads a record ID from the URL path; a malformed one is not found.
func pathID(r *http.Request, name string) (int64, error) { return web.ParseID(r.PathValue(name)) }

// listCrumbs is the trail Region → Events, with more steps after it.
func listCrumbs(loc *i18n.Localizer, more ...web.Crumb) []web.Crumb {
	crumbs := []web.Crumb{{Label: loc.T("common.region"), URL: "/"}, {Label: loc.T("event.list_title"), URL: "/events"}}
	if len(more) == 0 {
		crumbs[1].URL = ""
	}
	return append(crumbs, more...)
}

// eventCrumbs is the trail Region → Events → event, with more steps.
func eventCrumbs(loc *i18n.Localizer, e *Event, more ...web.Crumb) []web.Crumb {
	url := ""
	if len(more) > 0 {
		url = eventPath(e.ID)
	}
	return append(listCrumbs(loc, web.Crumb{Label: e.Title, URL: url}), more...)
}

// parseFilter reads an event list's filters from a query string. Values
// that are not valid are dropped from the filter and reported, so pages
// can ignore them while the API refuses them.
func parseFilter(q url.Values, p web.ListParams) (Filter, error) {
	var fs problem.Fields
	f := Filter{Query: p.Query, Sort: p.Sort, Limit: p.PerPage, Offset: p.Offset()}
	positive := func(name string) int64 {
		v := strings.TrimSpace(q.Get(name))
		if v == "" {
			return 0
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			fs.Add(name, "%q is not an ID.", v)
			return 0
		}
		return n
	}
	f.ClusterID = positive("cluster")
	f.OrganiserID = positive("organiser")
	f.PlanID = positive("plan")
	f.Project = int(positive("project"))
	if f.Project != 0 && f.PlanID == 0 {
		fs.Add("project", "Give the plan too (plan=ID): projects are numbered within their plan.")
		f.Project = 0
	}
	if c := strings.ToUpper(strings.TrimSpace(q.Get("country"))); c != "" {
		if isoCode.MatchString(c) {
			f.Country = c
		} else {
			fs.Add("country", "%q is not an ISO 3166-1 alpha-3 country code.", c)
		}
	}
	if v := Type(q.Get("type")); v != "" {
		if v.Valid() {
			f.Type = v
		} else {
			fs.Add("type", "Unknown type %q: use %s.", v, typesText())
		}
	}
	if v := strings.TrimSpace(q.Get("year")); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n >= minYear && n <= 9999 {
			f.Year = n
		} else {
			fs.Add("year", "%q is not a year from %d on.", v, minYear)
		}
	}
	switch v := q.Get("archived"); v {
	case "", "false", "0":
	case "true", "1", "on":
		f.IncludeArchived = true
	default:
		fs.Add("archived", "Use archived=true or archived=false.")
	}
	if key := strings.TrimPrefix(f.Sort, "-"); !slices.Contains(SortKeys, key) {
		fs.Add("sort", "Sort by date, title, type or participants (prefix - for descending).")
		f.Sort = "-date"
	}
	return f, fs.Err()
}
