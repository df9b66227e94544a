package mapping

import "slices"

// GrowthStatus says whether growth could be computed for an area × cluster.
type GrowthStatus uint8

// The growth statuses.
const (
	GrowthComputed   GrowthStatus = iota // both years have data for the area
	MissingFirstYear                     // the area has no data in the first year
	MissingFinalYear                     // the area has no data in the final year
	MissingBothYears                     // the area has data in neither year
)

// String names the status.
func (s GrowthStatus) String() string {
	return [...]string{"computed", "missing-first-year", "missing-final-year", "missing-both-years"}[s]
}

// MarshalText writes the status's name.
func (s GrowthStatus) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Quadrant places an area × cluster on the portfolio chart.
type Quadrant uint8

// The quadrants.
const (
	NoQuadrant   Quadrant = iota // the LQ or its change is not defined
	Star                         // specialised and gaining
	Mature                       // specialised but losing
	Emerging                     // not yet specialised, gaining
	Transforming                 // not specialised and losing
)

// String names the quadrant.
func (q Quadrant) String() string {
	return [...]string{"", "star", "mature", "emerging", "transforming"}[q]
}

// MarshalText writes the quadrant's name.
func (q Quadrant) MarshalText() ([]byte, error) { return []byte(q.String()), nil }

// PlaceQuadrant applies a quadrant rule to an LQ and its change.
func PlaceQuadrant(lq, change Value, r *QuadrantRule) Quadrant {
	l, ok1 := lq.Get()
	ch, ok2 := change.Get()
	if !ok1 || !ok2 {
		return NoQuadrant
	}
	high, gaining := l >= r.LQThreshold, ch > r.ChangeThreshold
	switch {
	case high && gaining:
		return Star
	case high:
		return Mature
	case gaining:
		return Emerging
	}
	return Transforming
}

// Growth compares one area × cluster between two years.
type Growth struct {
	Area           string       `json:"area"`
	Cluster        string       `json:"cluster"`
	Type           ClusterType  `json:"type"`
	From           int          `json:"from"`
	To             int          `json:"to"`
	Status         GrowthStatus `json:"status"`
	EmploymentFrom int64        `json:"employment_from"`
	EmploymentTo   int64        `json:"employment_to"`
	// JobCreation is the absolute change of employment.
	JobCreation Value `json:"job_creation"`
	CAGR        Value `json:"cagr"`
	// ShareChange is the change of the area's share of the reference's
	// employment in the cluster.
	ShareChange Value `json:"share_change"`
	// The shift-share effects; they add up to JobCreation.
	ReferenceEffect   Value    `json:"reference_effect"`
	MixEffect         Value    `json:"mix_effect"`
	CompetitiveEffect Value    `json:"competitive_effect"`
	LQFrom            Value    `json:"lq_from"`
	LQTo              Value    `json:"lq_to"`
	LQChange          Value    `json:"lq_change"`
	Quadrant          Quadrant `json:"quadrant"`
	// Incomplete is true when cells of the cluster are suppressed in either
	// year; Reliable when both years pass the minimum-cell rule.
	Incomplete bool `json:"incomplete"`
	Reliable   bool `json:"reliable"`
}

// growth compares opt.From with opt.To for every area of the dataset ×
// every cluster. rows are the metrics, sorted by year, area and cluster.
func (p *plan) growth(rows []Metric, opt *Options) []Growth {
	yf, _ := slices.BinarySearch(p.d.years, opt.From)
	yt, _ := slices.BinarySearch(p.d.years, opt.To)
	first := p.rowIndex(rows, opt.From)
	final := p.rowIndex(rows, opt.To)
	out := make([]Growth, 0, p.nA*p.nC)
	rf, rtt := &p.refArea[yf], &p.refArea[yt]
	for a := 0; a < p.nA; a++ {
		for c := 0; c < p.nC; c++ {
			g := Growth{Area: p.d.areas[a], Cluster: p.clusters[c].Code, Type: p.clusters[c].Type, From: opt.From, To: opt.To}
			i, j := first[a], final[a]
			switch {
			case i < 0 && j < 0:
				g.Status = MissingBothYears
			case i < 0:
				g.Status = MissingFirstYear
			case j < 0:
				g.Status = MissingFinalYear
			}
			if g.Status != GrowthComputed {
				out = append(out, g)
				continue
			}
			m0, m1 := &rows[i+c], &rows[j+c]
			e0, e1 := m0.Employment, m1.Employment
			g.EmploymentFrom, g.EmploymentTo = e0, e1
			g.JobCreation = Of(float64(e1 - e0))
			g.CAGR = CAGR(e0, e1, opt.To-opt.From)
			if s0, ok := m0.ShareOfReference.Get(); ok {
				if s1, ok := m1.ShareOfReference.Get(); ok {
					g.ShareChange = Of(s1 - s0)
				}
			}
			rc0, rc1 := &p.refClus[yf*p.nC+c], &p.refClus[yt*p.nC+c]
			g.ReferenceEffect, g.MixEffect, g.CompetitiveEffect = ShiftShare(e0, e1, rf.emp[0], rtt.emp[0], rc0.emp, rc1.emp)
			g.LQFrom, g.LQTo = pick(m0, opt.Quadrant.LQ), pick(m1, opt.Quadrant.LQ)
			if l0, ok := g.LQFrom.Get(); ok {
				if l1, ok := g.LQTo.Get(); ok {
					g.LQChange = Of(l1 - l0)
				}
			}
			g.Quadrant = PlaceQuadrant(g.LQTo, g.LQChange, &opt.Quadrant)
			g.Incomplete = m0.Suppressed > 0 || m1.Suppressed > 0
			g.Reliable = m0.Reliable && m1.Reliable
			out = append(out, g)
		}
	}
	return out
}

// rowIndex finds, per area, the index of the area's first row in year y, or
// -1 when the area has no data that year.
func (p *plan) rowIndex(rows []Metric, y int) []int {
	idx := make([]int, p.nA)
	for a := range idx {
		idx[a] = -1
	}
	lo, _ := slices.BinarySearchFunc(rows, y, func(m Metric, y int) int { return m.Year - y })
	for i := lo; i < len(rows) && rows[i].Year == y; i += p.nC {
		a, _ := slices.BinarySearch(p.d.areas, rows[i].Area)
		idx[a] = i
	}
	return idx
}
