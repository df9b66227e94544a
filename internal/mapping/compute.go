package mapping

import (
	"runtime"
	"slices"
	"sync"

	"github.com/clusterobservatory/observatory/internal/problem"
)

// Compute joins a dataset to a definition set and computes every metric,
// classification and, when opt.From and opt.To are set, the growth between
// those years. The result is the same whatever the order of the dataset's
// cells or of the set's clusters.
func Compute(d *Dataset, set *DefinitionSet, opt Options) (*Result, error) {
	if d == nil || d.Len() == 0 {
		return nil, problem.New(problem.Invalid, "The dataset has no cells.")
	}
	if err := set.Validate(); err != nil {
		return nil, err
	}
	if err := opt.check(d); err != nil {
		return nil, err
	}
	p, ref, err := newPlan(d, set, opt.Reference)
	if err != nil {
		return nil, err
	}
	p.z = zScore(opt.Confidence)
	p.aggregate()
	res := &Result{Reference: ref, Years: d.Years(), Clusters: p.clusters, Options: opt}
	res.Areas, res.References = p.totals()
	res.Metrics, res.Thresholds = p.metrics(&opt)
	if opt.From != 0 {
		res.Growth = p.growth(res.Metrics, &opt)
	}
	return res, nil
}

// newPlan resolves clusters and the reference to dense indices.
func newPlan(d *Dataset, set *DefinitionSet, r Reference) (*plan, ReferenceInfo, error) {
	p := &plan{d: d, nY: len(d.years), nA: len(d.areas)}
	order := make([]int, len(set.Clusters))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return compareStrings(set.Clusters[a].Code, set.Clusters[b].Code) })
	p.clusterOf = make([]int32, len(d.industries))
	p.typeOf = make([]uint8, len(d.industries))
	for i := range p.clusterOf {
		p.clusterOf[i] = -1
	}
	for ci, si := range order {
		c := &set.Clusters[si]
		p.clusters = append(p.clusters, ClusterInfo{Code: c.Code, Name: c.Name, Type: c.Type, Industries: len(c.Industries)})
		for _, code := range c.Industries {
			if ii, ok := slices.BinarySearch(d.industries, code); ok {
				p.clusterOf[ii] = int32(ci)
				p.typeOf[ii] = uint8(c.Type)
			}
		}
	}
	p.nC = len(p.clusters)

	info := ReferenceInfo{Key: r.Key, Name: r.Name}
	p.inRef = make([]bool, p.nA)
	if len(r.Areas) == 0 {
		for a := range p.inRef {
			p.inRef[a] = true
		}
		info.Areas = d.Areas()
		return p, info, nil
	}
	for _, code := range r.Areas {
		if a, ok := slices.BinarySearch(d.areas, code); ok {
			p.inRef[a] = true
		} else {
			info.Missing = append(info.Missing, code)
		}
	}
	for a, in := range p.inRef {
		if in {
			info.Areas = append(info.Areas, d.areas[a])
		}
	}
	slices.Sort(info.Missing)
	info.Missing = slices.Compact(info.Missing)
	if len(info.Areas) == 0 {
		var f problem.Fields
		f.Add("reference", "None of the areas of reference %q has data in this dataset.", r.Name)
		return nil, info, f.Err()
	}
	return p, info, nil
}

// totals lists area and reference totals per year.
func (p *plan) totals() ([]AreaYear, []ReferenceYear) {
	var areas []AreaYear
	refs := make([]ReferenceYear, p.nY)
	for y := 0; y < p.nY; y++ {
		for a := 0; a < p.nA; a++ {
			at := &p.byArea[y*p.nA+a]
			if at.cells > 0 {
				areas = append(areas, AreaYear{Year: p.d.years[y], Area: p.d.areas[a], InReference: p.inRef[a], Totals: totals(at)})
			}
		}
		refs[y] = ReferenceYear{Year: p.d.years[y], Areas: p.refAreas[y], Totals: totals(&p.refArea[y])}
	}
	return areas, refs
}

// metrics fills one block of rows per year (the areas with data that year ×
// every cluster), years in parallel since they share nothing.
func (p *plan) metrics(opt *Options) ([]Metric, []Thresholds) {
	start := make([]int, p.nY+1)
	for y := 0; y < p.nY; y++ {
		n := 0
		for a := 0; a < p.nA; a++ {
			if p.byArea[y*p.nA+a].cells > 0 {
				n++
			}
		}
		start[y+1] = start[y] + n*p.nC
	}
	rows := make([]Metric, start[p.nY])
	th := make([]Thresholds, p.nY*p.nC)
	years := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), p.nY); w++ {
		wg.Go(func() {
			sc := newScratch(p.nA)
			for y := range years {
				block := rows[start[y]:start[y+1]]
				p.yearRows(y, block, opt)
				p.classify(y, block, th[y*p.nC:(y+1)*p.nC], opt, sc)
			}
		})
	}
	for y := 0; y < p.nY; y++ {
		years <- y
	}
	close(years)
	wg.Wait()
	return rows, th
}
