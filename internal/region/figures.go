package region

import (
	"slices"
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/internal/geo"
)

// Totals are the headline counts: records that are not archived, and
// current memberships of initiatives that are not archived.
type Totals struct {
	Countries int // programme countries
	BSOs      int
	Clusters  int // each initiative once, cross-border or not
	Firms     int
	Members   int // current memberships
}

// CountryFigures are one country's counts; a cross-border initiative and its
// memberships count in each of its countries.
type CountryFigures struct {
	ISO3     string
	Name     string // English name as stored; pages translate it
	BSOs     int
	Clusters int
	Firms    int
	Members  int
}

// Count is the number of initiatives with one value of a field (a sector or
// a lifecycle stage).
type Count struct {
	Key string
	N   int
}

// RegionFigures are the published aggregates of the region home page. They
// hold codes and numbers only, so one copy serves every language.
type RegionFigures struct {
	Totals      Totals
	Countries   []CountryFigures // the programme countries, by English name
	Sectors     []Count          // most initiatives first
	Stages      []Count          // in lifecycle order
	CrossBorder int              // initiatives in more than one country
	At          time.Time        // when the figures were computed
}

// AreaFigures is one area of a country with its firm counts.
type AreaFigures struct {
	*geo.Area
	Firms int // firms recorded in this very area
	Total int // firms in the area and the areas inside it
}

// CountryPage are the published aggregates of a country page.
type CountryPage struct {
	Country  *geo.Country
	Figures  CountryFigures
	Areas    []AreaFigures // hierarchy order
	NoArea   int           // firms with no area recorded
	Sectors  []Count
	Stages   []Count
	Members  map[int64]int // current memberships per initiative of the country
	Clusters []ClusterItem // the country's initiatives by name, for the lists of signed-in readers
	BSOs     []BSOItem     // the country's BSOs by name, likewise
	Nested   bool          // whether any area lies inside another (regions and their provinces)
	At       time.Time
}

// stageOrder is the lifecycle of a cluster initiative, as the cluster
// domain defines it; stages it does not list sort after these.
var stageOrder = []string{"identified", "applying", "diagnosed", "plan_approved", "implementing", "sustaining", "closed"}

// sectorsAndStages folds counts per (sector, stage) pair into counts per
// sector, most first, and per stage, in lifecycle order.
func sectorsAndStages(pairs []pairCount) (sectors, stages []Count, total int) {
	bySector, byStage := map[string]int{}, map[string]int{}
	for _, p := range pairs {
		bySector[p.a] += p.n
		byStage[p.b] += p.n
		total += p.n
	}
	for k, n := range bySector {
		sectors = append(sectors, Count{k, n})
	}
	slices.SortFunc(sectors, func(x, y Count) int {
		if x.N != y.N {
			return y.N - x.N
		}
		return strings.Compare(x.Key, y.Key)
	})
	for k, n := range byStage {
		stages = append(stages, Count{k, n})
	}
	rank := func(s string) int {
		if i := slices.Index(stageOrder, s); i >= 0 {
			return i
		}
		return len(stageOrder)
	}
	slices.SortFunc(stages, func(x, y Count) int {
		if d := rank(x.Key) - rank(y.Key); d != 0 {
			return d
		}
		return strings.Compare(x.Key, y.Key)
	})
	return sectors, stages, total
}

// pairCount is a row of a GROUP BY over two columns.
type pairCount struct {
	a, b string
	n    int
}

// areaFigures attaches firm counts to areas in hierarchy order; an area's
// total includes the areas inside it (a Dominican region's provinces).
func areaFigures(areas []*geo.Area, firms map[int64]int) ([]AreaFigures, bool) {
	out := make([]AreaFigures, len(areas))
	nested := false
	for i, a := range areas {
		out[i] = AreaFigures{Area: a, Firms: firms[a.ID], Total: firms[a.ID]}
		nested = nested || a.Depth > 0
	}
	// Arrange puts every area right after its parent, so walking backwards
	// and adding each total to the nearest shallower area above it sums
	// whole subtrees.
	for i := len(out) - 1; i >= 0; i-- {
		for j := i - 1; j >= 0; j-- {
			if out[j].Depth < out[i].Depth {
				out[j].Total += out[i].Total
				break
			}
		}
	}
	return out, nested
}
