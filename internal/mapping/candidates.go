package mapping

import (
	"cmp"
	"slices"
	"strings"
)

// Candidate is one area × cluster of a year as the explorer lists it: the
// year's figures and, when two years are compared, its growth.
type Candidate struct {
	Metric
	Growth *Growth `json:"growth,omitempty"`
}

// Query chooses candidates from a result: one year, optional filters, a sort
// key (prefix "-" for descending) and a page.
type Query struct {
	Year          int
	Area          string // only this area, when set
	Cluster       string // only this cluster, when set
	MinEmployment int64
	TradedOnly    bool
	ReliableOnly  bool
	// MinLevel keeps rows whose strong-cluster level is at least this one
	// ("qualifying", "significant", "strong", "strong-10").
	MinLevel string
	MinStars int
	Quadrant Quadrant // NoQuadrant keeps all
	Sort     string
	Limit    int // 0: all
	Offset   int
}

// SortKeys are the keys candidates can be sorted by.
var SortKeys = []string{"area", "cluster", "employment", "establishments", "lq", "lq_cm", "share_of_reference",
	"share_of_area", "average_wage", "strength", "stars", "cagr", "job_creation", "lq_change"}

// levelRank orders the strong-cluster levels.
var levelRank = map[string]int{"": 0, "qualifying": 1, "significant": 2, "strong": 3, "strong-10": 4}

// Levels are the strong-cluster levels a filter may ask for, lowest first.
var Levels = []string{"qualifying", "significant", "strong", "strong-10"}

// Candidates filters, sorts and pages the result's rows of q.Year. It
// returns the page and the number of rows that pass the filters. Rows of
// the reference's peers come first in no particular way: the order is the
// sort key's, then area and cluster code, so that a page never repeats a row.
func Candidates(res *Result, q Query) ([]Candidate, int) {
	growth := map[[2]string]*Growth{}
	for i := range res.Growth {
		g := &res.Growth[i]
		growth[[2]string{g.Area, g.Cluster}] = g
	}
	var rows []candidateRow
	lo, _ := slices.BinarySearchFunc(res.Metrics, q.Year, func(m Metric, y int) int { return cmp.Compare(m.Year, y) })
	for i := lo; i < len(res.Metrics) && res.Metrics[i].Year == q.Year; i++ {
		m := &res.Metrics[i]
		if !q.keeps(m) {
			continue
		}
		g := growth[[2]string{m.Area, m.Cluster}]
		if q.Quadrant != NoQuadrant && (g == nil || g.Quadrant != q.Quadrant) {
			continue
		}
		rows = append(rows, candidateRow{m: m, g: g})
	}
	sortCandidates(rows, q.Sort)
	total := len(rows)
	if q.Offset > 0 {
		rows = rows[min(q.Offset, len(rows)):]
	}
	if q.Limit > 0 && len(rows) > q.Limit {
		rows = rows[:q.Limit]
	}
	// Only the page is copied out: a year of a large dataset has tens of
	// thousands of rows, and sorting pointers to them with their keys
	// worked out once is many times faster than sorting the rows.
	out := make([]Candidate, len(rows))
	for i, r := range rows {
		out[i] = Candidate{Metric: *r.m, Growth: r.g}
	}
	return out, total
}

// candidateRow is a row being sorted: the figures, their growth, and the
// sort key worked out once.
type candidateRow struct {
	m     *Metric
	g     *Growth
	v, lq float64
	ok    bool
}

func (q *Query) keeps(m *Metric) bool {
	switch {
	case q.Area != "" && m.Area != q.Area,
		q.Cluster != "" && m.Cluster != q.Cluster,
		m.Employment < q.MinEmployment,
		q.TradedOnly && m.Type != Traded,
		q.ReliableOnly && !m.Reliable,
		q.MinLevel != "" && levelRank[m.Strength.Level()] < levelRank[q.MinLevel],
		q.MinStars > 0 && m.Stars.Count() < q.MinStars:
		return false
	}
	return true
}

// sortValue is the number a row is sorted by; rows without one sort last
// in either direction.
func sortValue(c *Metric, g *Growth, key string) (float64, bool) {
	switch key {
	case "employment":
		return float64(c.Employment), true
	case "establishments":
		return c.Establishments.Get()
	case "lq":
		return c.LQ.Value.Get()
	case "lq_cm":
		return c.LQClusterMapping.Value.Get()
	case "share_of_reference":
		return c.ShareOfReference.Get()
	case "share_of_area":
		return c.ShareOfArea.Get()
	case "average_wage":
		return c.AverageWage.Get()
	case "strength":
		return float64(levelRank[c.Strength.Level()]), c.Strength.Status == Classified
	case "stars":
		return float64(c.Stars.Count()), c.Stars.Status == Classified
	case "cagr", "job_creation", "lq_change":
		if g == nil {
			return 0, false
		}
		switch key {
		case "cagr":
			return g.CAGR.Get()
		case "job_creation":
			return g.JobCreation.Get()
		}
		return g.LQChange.Get()
	}
	return 0, false
}

// DefaultSort lists the strongest clusters first: by strong-cluster level,
// then by location quotient, as the U.S. Cluster Mapping Project ranks
// them. Sorting by LQ alone would put the tiny cells of small areas on top.
const DefaultSort = "-strength"

func sortCandidates(rows []candidateRow, sort string) {
	if sort == "" {
		sort = DefaultSort
	}
	key, desc := strings.TrimPrefix(sort, "-"), strings.HasPrefix(sort, "-")
	for i := range rows {
		r := &rows[i]
		r.v, r.ok = sortValue(r.m, r.g, key)
		r.lq = r.m.LQ.Value.Or(0)
	}
	// Area and cluster make every row's place unique, so an unstable sort
	// gives the one order.
	slices.SortFunc(rows, func(a, b candidateRow) int {
		var c int
		switch key {
		case "area":
			c = cmp.Compare(a.m.Area, b.m.Area)
		case "cluster":
			c = cmp.Compare(a.m.Cluster, b.m.Cluster)
		default:
			switch {
			case a.ok && !b.ok:
				return -1
			case !a.ok && b.ok:
				return 1
			case a.ok && b.ok:
				c = cmp.Compare(a.v, b.v)
			}
			if c == 0 && (key == "strength" || key == "stars") {
				// Within a level or a star count, the more specialised first.
				c = cmp.Compare(a.lq, b.lq)
			}
		}
		if desc {
			c = -c
		}
		if c != 0 {
			return c
		}
		if c = cmp.Compare(a.m.Area, b.m.Area); c != 0 {
			return c
		}
		return cmp.Compare(a.m.Cluster, b.m.Cluster)
	})
}
