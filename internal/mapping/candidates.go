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
	var out []Candidate
	lo, _ := slices.BinarySearchFunc(res.Metrics, q.Year, func(m Metric, y int) int { return cmp.Compare(m.Year, y) })
	for i := lo; i < len(res.Metrics) && res.Metrics[i].Year == q.Year; i++ {
		m := &res.Metrics[i]
		if !q.keeps(m) {
			continue
		}
		c := Candidate{Metric: *m, Growth: growth[[2]string{m.Area, m.Cluster}]}
		if q.Quadrant != NoQuadrant && (c.Growth == nil || c.Growth.Quadrant != q.Quadrant) {
			continue
		}
		out = append(out, c)
	}
	sortCandidates(out, q.Sort)
	total := len(out)
	if q.Offset > 0 {
		out = out[min(q.Offset, len(out)):]
	}
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, total
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
func sortValue(c *Candidate, key string) (float64, bool) {
	g := c.Growth
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
		return map[string]Value{"cagr": g.CAGR, "job_creation": g.JobCreation, "lq_change": g.LQChange}[key].Get()
	}
	return 0, false
}

// DefaultSort lists the strongest clusters first: by strong-cluster level,
// then by location quotient, as the U.S. Cluster Mapping Project ranks
// them. Sorting by LQ alone would put the tiny cells of small areas on top.
const DefaultSort = "-strength"

func sortCandidates(rows []Candidate, sort string) {
	if sort == "" {
		sort = DefaultSort
	}
	key, desc := strings.TrimPrefix(sort, "-"), strings.HasPrefix(sort, "-")
	slices.SortStableFunc(rows, func(a, b Candidate) int {
		var c int
		switch key {
		case "area":
			c = cmp.Compare(a.Area, b.Area)
		case "cluster":
			c = cmp.Compare(a.Cluster, b.Cluster)
		default:
			va, oka := sortValue(&a, key)
			vb, okb := sortValue(&b, key)
			switch {
			case oka && !okb:
				return -1
			case !oka && okb:
				return 1
			case oka && okb:
				c = cmp.Compare(va, vb)
			}
			if c == 0 && (key == "strength" || key == "stars") {
				// Within a level or a star count, the more specialised first.
				c = cmp.Compare(a.LQ.Value.Or(0), b.LQ.Value.Or(0))
			}
		}
		if desc {
			c = -c
		}
		if c != 0 {
			return c
		}
		if c = cmp.Compare(a.Area, b.Area); c != 0 {
			return c
		}
		return cmp.Compare(a.Cluster, b.Cluster)
	})
}
