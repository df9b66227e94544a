package mapping

import (
	"cmp"
	"slices"
)

// CountryFigure is one cluster's employment in one country, summed over the
// country's areas, with its location quotient against the run's reference.
type CountryFigure struct {
	Country    string
	Employment int64
	Total      int64 // the country's employment in every industry
	Suppressed int32
	LQ         Value
}

// ByCountry sums a cluster's figures of one year by country, for a map of
// the region: the dataset's areas are placed in countries by labels. Areas
// without a country are left out. The LQ compares the country's share of
// the cluster with the reference's, summed over the reference's areas.
func ByCountry(res *Result, l *Labels, year int, cluster string) []CountryFigure {
	byISO := map[string]*CountryFigure{}
	var X int64
	for i := range res.Metrics {
		m := &res.Metrics[i]
		if m.Year != year || m.Cluster != cluster {
			continue
		}
		if m.InReference {
			X += m.Employment
		}
		iso := l.AreaCountry[m.Area]
		if iso == "" {
			continue
		}
		f := byISO[iso]
		if f == nil {
			f = &CountryFigure{Country: iso}
			byISO[iso] = f
		}
		f.Employment += m.Employment
		f.Suppressed += m.Suppressed
	}
	for _, a := range res.Areas {
		if a.Year != year {
			continue
		}
		if f := byISO[l.AreaCountry[a.Area]]; f != nil {
			f.Total += a.All
		}
	}
	var N int64
	for _, r := range res.References {
		if r.Year == year {
			N = r.All
		}
	}
	out := make([]CountryFigure, 0, len(byISO))
	for _, f := range byISO {
		f.LQ = LocationQuotient(f.Employment, f.Total, X, N)
		out = append(out, *f)
	}
	slices.SortFunc(out, func(a, b CountryFigure) int { return cmp.Compare(a.Country, b.Country) })
	return out
}
