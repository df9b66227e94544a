package mapping

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/problem"
)

// ExploreForm is what the explorer, its downloads and the metrics API read
// from the query string.
type ExploreForm struct {
	Dataset   int64
	Set       int64
	Reference string
	Year      int
	From, To  int
	Query     Query
}

// quadrantNames maps the query values of the quadrant filter.
var quadrantNames = map[string]Quadrant{"star": Star, "mature": Mature, "emerging": Emerging, "transforming": Transforming}

// Quadrants are the quadrant filter's values in display order.
var Quadrants = []string{"star", "mature", "emerging", "transforming"}

// ParseExploreForm reads the explorer's parameters. Values that cannot be
// read are reported by field; the caller decides whether to refuse them
// (the API) or show them next to the form (the pages).
func ParseExploreForm(q url.Values) (ExploreForm, error) {
	var f problem.Fields
	var e ExploreForm
	id := func(name string) int64 {
		v := strings.TrimSpace(q.Get(name))
		if v == "" {
			return 0
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			f.Add(name, "%q is not an ID.", v)
			return 0
		}
		return n
	}
	num := func(name string, lo, hi int) int {
		v := strings.TrimSpace(q.Get(name))
		if v == "" {
			return 0
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			f.Add(name, "%q is not a whole number from %d to %d.", v, lo, hi)
			return 0
		}
		return n
	}
	flag := func(name string) bool {
		switch strings.ToLower(q.Get(name)) {
		case "", "0", "false", "off":
			return false
		case "1", "true", "on":
			return true
		}
		f.Add(name, "Use %s=true or %s=false.", name, name)
		return false
	}
	e.Dataset, e.Set = id("dataset"), id("set")
	e.Reference = strings.TrimSpace(q.Get("reference"))
	e.Year = num("year", MinYear, MaxYear)
	e.From, e.To = num("from", MinYear, MaxYear), num("to", MinYear, MaxYear)
	e.Query = Query{
		Year:          e.Year,
		Area:          strings.TrimSpace(q.Get("area")),
		Cluster:       strings.TrimSpace(q.Get("cluster")),
		MinEmployment: int64(num("min_employment", 0, 1<<30)),
		TradedOnly:    flag("traded"),
		ReliableOnly:  flag("reliable"),
		MinStars:      num("stars", 0, 3),
		Sort:          q.Get("sort"),
	}
	if v := q.Get("level"); v != "" {
		if slices.Contains(Levels, v) {
			e.Query.MinLevel = v
		} else {
			f.Add("level", "Unknown level %q: use %s.", v, strings.Join(Levels, ", "))
		}
	}
	if v := q.Get("quadrant"); v != "" {
		if qd, ok := quadrantNames[v]; ok {
			e.Query.Quadrant = qd
		} else {
			f.Add("quadrant", "Unknown quadrant %q: use %s.", v, strings.Join(Quadrants, ", "))
		}
	}
	if key := strings.TrimPrefix(e.Query.Sort, "-"); key != "" && !slices.Contains(SortKeys, key) {
		f.Add("sort", "Sort by %s (prefix - for descending).", strings.Join(SortKeys, ", "))
		e.Query.Sort = ""
	}
	return e, f.Err()
}

// Values writes the form back as a query string, for links and downloads.
func (e ExploreForm) Values() url.Values {
	v := url.Values{}
	set := func(k string, n int64) {
		if n != 0 {
			v.Set(k, strconv.FormatInt(n, 10))
		}
	}
	set("dataset", e.Dataset)
	set("set", e.Set)
	if e.Reference != "" {
		v.Set("reference", e.Reference)
	}
	set("year", int64(e.Year))
	set("from", int64(e.From))
	set("to", int64(e.To))
	q := e.Query
	if q.Area != "" {
		v.Set("area", q.Area)
	}
	if q.Cluster != "" {
		v.Set("cluster", q.Cluster)
	}
	set("min_employment", q.MinEmployment)
	if q.TradedOnly {
		v.Set("traded", "true")
	}
	if q.ReliableOnly {
		v.Set("reliable", "true")
	}
	if q.MinLevel != "" {
		v.Set("level", q.MinLevel)
	}
	set("stars", int64(q.MinStars))
	if q.Quadrant != NoQuadrant {
		v.Set("quadrant", q.Quadrant.String())
	}
	if q.Sort != "" {
		v.Set("sort", q.Sort)
	}
	return v
}
