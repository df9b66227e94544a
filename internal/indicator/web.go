package indicator

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/web"
)

// section is the main-navigation entry the indicator pages highlight.
const section = "indicators"

func indicatorPath(id int64) string { return "/indicators/" + strconv.FormatInt(id, 10) }

// targetsPath is the targets page of a subject.
func targetsPath(s Subject) string {
	return "/indicators/targets?subject=" + url.QueryEscape(s.String())
}

// TargetsURL is the targets page of a subject, for links from pages.
func (s Subject) TargetsURL() string { return targetsPath(s) }

// pathID reads a record ID from the URL path; a malformed one is not found.
func pathID(r *http.Request, name string) (int64, error) {
	return web.ParseID(r.PathValue(name))
}

// listCrumbs is the trail Region → Indicators, with more steps after it.
func listCrumbs(loc *i18n.Localizer, more ...web.Crumb) []web.Crumb {
	url := ""
	if len(more) > 0 {
		url = "/indicators"
	}
	return append([]web.Crumb{{Label: loc.T("common.region"), URL: "/"}, {Label: loc.T("indicator.list_title"), URL: url}}, more...)
}

// parseFilter reads an indicator list's filters from a query string. Values
// that are not valid are dropped from the filter and reported, so pages can
// ignore them while the API refuses them.
func parseFilter(q url.Values, p web.ListParams) (Filter, error) {
	var fs problem.Fields
	f := Filter{Query: p.Query, Limit: p.PerPage, Offset: p.Offset()}
	if v := Level(q.Get("level")); v != "" {
		if v.Valid() {
			f.Level = v
		} else {
			fs.Add("level", "Unknown level %q: use %s.", v, valuesText(Levels))
		}
	}
	switch v := q.Get("kind"); v {
	case "":
	case "standard", "custom":
		std := v == "standard"
		f.Standard = &std
	default:
		fs.Add("kind", "Use kind=standard or kind=custom.")
	}
	switch v := q.Get("archived"); v {
	case "", "false", "0":
	case "true", "1", "on":
		f.IncludeArchived = true
	default:
		fs.Add("archived", "Use archived=true or archived=false.")
	}
	return f, fs.Err()
}

// KindFilter is the list's standard/custom filter as the form shows it.
func (f Filter) KindFilter() string {
	switch {
	case f.Standard == nil:
		return ""
	case *f.Standard:
		return "standard"
	}
	return "custom"
}

// parseValue reads a number typed in a form, accepting a comma as the
// decimal separator and spaces or non-breaking spaces between thousands.
// Text that is not a number gives nil, which validation reports.
func parseValue(s string) *float64 {
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(strings.TrimSpace(s))
	if s == "" {
		return nil
	}
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	} else {
		s = strings.ReplaceAll(s, ",", "")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil
	}
	return &v
}
