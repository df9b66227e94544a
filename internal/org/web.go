package org

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/clusterobservatory/observatory/internal/geo"
	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// section is the main-navigation entry the organisation pages highlight.
const section = "organisations"

// perPage is the size of a page of the organisation list.
const perPage = 50

func orgPath(id int64) string { return "/organisations/" + strconv.FormatInt(id, 10) }

// pathID reads the record ID from the URL path; a malformed one is not found.
func pathID(r *http.Request) (int64, error) { return web.ParseID(r.PathValue("id")) }

// Country is a country offered in a select, named in the page's language.
type Country struct {
	ISO3 string
	Name string
}

// countries lists the platform's countries named in loc's language and
// sorted in its collation order, with the names by code.
func (s *Store) countries(ctx context.Context, loc *i18n.Localizer) ([]Country, map[string]string, error) {
	cs, err := geo.NewStore(s.db).FindCountries(ctx, geo.Filter{})
	if err != nil {
		return nil, nil, err
	}
	out := make([]Country, len(cs))
	names := make(map[string]string, len(cs))
	for i, c := range cs {
		out[i] = Country{ISO3: c.ISO3, Name: geo.CountryLabel(loc, c.ISO3, c.Name)}
		names[c.ISO3] = out[i].Name
	}
	col := collate.New(language.Make(loc.Lang), collate.IgnoreCase)
	slices.SortStableFunc(out, func(a, b Country) int { return col.CompareString(a.Name, b.Name) })
	return out, names, nil
}

// crumbs is the trail Region → country → organisation, with more steps
// after it when given.
func crumbs(loc *i18n.Localizer, o *Organisation, countryName string, more ...web.Crumb) []web.Crumb {
	out := []web.Crumb{
		{Label: loc.T("common.region"), URL: "/"},
		{Label: countryName, URL: "/countries/" + o.Country},
	}
	link := ""
	if len(more) > 0 {
		link = orgPath(o.ID)
	}
	out = append(out, web.Crumb{Label: o.Name, URL: link})
	return append(out, more...)
}

// roleLabel names a membership role in the page's language. Roles belong
// to the cluster domain; one its catalogue does not know is shown as is.
func roleLabel(loc *i18n.Localizer, role string) string {
	key := "cluster.role." + role
	if !i18n.Has(key) {
		return role
	}
	return loc.T(key)
}

// mayCreate reports whether the actor's role may register organisations at all.
func mayCreate(a user.Actor) bool { return user.CanCreateOrg(a) }

// parseBool reads a yes/no filter: "" is either.
func parseBool(v string) (*bool, bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "":
		return nil, true
	case "1", "true", "yes", "on":
		t := true
		return &t, true
	case "0", "false", "no", "off":
		f := false
		return &f, true
	}
	return nil, false
}

// parseFilter reads an organisation list's filters from a query string.
// Values that are not valid are dropped from the filter and reported, so
// pages can ignore them while the API refuses them.
func parseFilter(q url.Values, p web.ListParams) (Filter, error) {
	var fs problem.Fields
	f := Filter{Query: p.Query, Sort: p.Sort, Limit: p.PerPage, Offset: p.Offset()}
	if v := Kind(strings.TrimSpace(q.Get("kind"))); v != "" {
		if v.Valid() {
			f.Kind = v
		} else {
			fs.Add("kind", "Unknown kind %q: use %s.", v, valuesText(Kinds))
		}
	}
	if c := strings.ToUpper(strings.TrimSpace(q.Get("country"))); c != "" {
		if isoCode.MatchString(c) {
			f.Country = c
		} else {
			fs.Add("country", "%q is not an ISO 3166-1 alpha-3 country code.", c)
		}
	}
	if v := strings.TrimSpace(q.Get("area")); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 {
			f.Area = n
		} else {
			fs.Add("area", "%q is not an area ID.", v)
		}
	}
	if v := strings.TrimSpace(q.Get("isic")); v != "" {
		digits := strings.Trim(v, "0123456789") == ""
		if isSection(v) || (digits && len(v) >= 2 && len(v) <= 4) {
			f.ISIC = strings.ToUpper(v)
		} else {
			fs.Add("isic", "%q is not an ISIC Rev.4 section letter or the first 2 to 4 digits of a code.", v)
		}
	}
	switch v := SizeBand(strings.TrimSpace(q.Get("size_band"))); {
	case v == "":
	case v == "unknown":
		f.UnknownSize = true
	case v.Valid():
		f.SizeBand = v
	default:
		fs.Add("size_band", "Unknown size band %q: use %s, or unknown.", v, valuesText(SizeBands))
	}
	var ok bool
	if f.WomenLed, ok = parseBool(q.Get("women_led")); !ok {
		fs.Add("women_led", "Use women_led=true or women_led=false.")
	}
	if f.YouthLed, ok = parseBool(q.Get("youth_led")); !ok {
		fs.Add("youth_led", "Use youth_led=true or youth_led=false.")
	}
	if b, ok := parseBool(q.Get("archived")); !ok {
		fs.Add("archived", "Use archived=true or archived=false.")
	} else {
		f.IncludeArchived = b != nil && *b
	}
	if key := strings.TrimPrefix(f.Sort, "-"); !slices.Contains(SortKeys, key) {
		fs.Add("sort", "Sort by %s (prefix - for descending).", strings.Join(SortKeys, ", "))
		f.Sort = "name"
	}
	return f, fs.Err()
}
