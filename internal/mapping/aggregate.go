package mapping

// clusterAgg sums one area × cluster × year.
type clusterAgg struct {
	emp, est, wage      int64
	cells, supp         int32
	estMissing, wageMis int32
}

// areaAgg sums one area × year, indexed by type: 0 all, Traded, Local.
type areaAgg struct {
	emp   [3]int64
	supp  [3]int32
	cells int32
}

// plan is a dataset joined to a definition set through dense indices.
type plan struct {
	d          *Dataset
	clusters   []ClusterInfo
	clusterOf  []int32 // per industry: cluster index, or -1
	typeOf     []uint8 // per industry: 0 (no cluster), Traded or Local
	inRef      []bool  // per area
	nY, nA, nC int
	z          float64 // normal quantile of the interval level

	byCluster []clusterAgg // (year·A + area)·C + cluster
	byArea    []areaAgg    // year·A + area
	refArea   []areaAgg    // per year: the reference's totals
	refAreas  []int        // per year: reference areas with data
	refClus   []clusterAgg // year·C + cluster: the reference's cluster sums
}

// aggregate makes the one pass over the cells. Sums are integers, so the
// order of the cells does not change them.
func (p *plan) aggregate() {
	d := p.d
	nA, nC := p.nA, p.nC
	p.byCluster = make([]clusterAgg, p.nY*nA*nC)
	p.byArea = make([]areaAgg, p.nY*nA)
	for i := range d.year {
		ya := int(d.year[i])*nA + int(d.area[i])
		ind := d.industry[i]
		t := p.typeOf[ind]
		fl := d.flags[i]
		at := &p.byArea[ya]
		at.cells++
		var g *clusterAgg
		if c := p.clusterOf[ind]; c >= 0 {
			g = &p.byCluster[ya*nC+int(c)]
			g.cells++
		}
		if fl&flagSuppressed != 0 {
			at.supp[0]++
			if t != 0 {
				at.supp[t]++
			}
			if g != nil {
				g.supp++
			}
			continue
		}
		e := int64(d.emp[i])
		at.emp[0] += e
		if t != 0 {
			at.emp[t] += e
		}
		if g == nil {
			continue
		}
		g.emp += e
		if fl&flagHasEst != 0 {
			g.est += int64(d.est[i])
		} else {
			g.estMissing++
		}
		if fl&flagHasWages != 0 {
			g.wage += d.wage[i]
		} else {
			g.wageMis++
		}
	}
	p.sumReference()
}

// sumReference adds up the reference's areas with data, year by year.
func (p *plan) sumReference() {
	nA, nC := p.nA, p.nC
	p.refArea = make([]areaAgg, p.nY)
	p.refAreas = make([]int, p.nY)
	p.refClus = make([]clusterAgg, p.nY*nC)
	for y := 0; y < p.nY; y++ {
		rt := &p.refArea[y]
		for a := 0; a < nA; a++ {
			at := &p.byArea[y*nA+a]
			if !p.inRef[a] || at.cells == 0 {
				continue
			}
			p.refAreas[y]++
			rt.cells += at.cells
			for t := range at.emp {
				rt.emp[t] += at.emp[t]
				rt.supp[t] += at.supp[t]
			}
			src := p.byCluster[(y*nA+a)*nC : (y*nA+a+1)*nC]
			dst := p.refClus[y*nC : (y+1)*nC]
			for c := range src {
				dst[c].emp += src[c].emp
				dst[c].est += src[c].est
				dst[c].wage += src[c].wage
				dst[c].cells += src[c].cells
				dst[c].supp += src[c].supp
				dst[c].estMissing += src[c].estMissing
				dst[c].wageMis += src[c].wageMis
			}
		}
	}
}

// totals converts internal sums to the exported shape.
func totals(a *areaAgg) Totals {
	return Totals{
		All: a.emp[0], Traded: a.emp[Traded], Local: a.emp[Local],
		Cells: a.cells, Suppressed: a.supp[0],
		SuppressedTraded: a.supp[Traded], SuppressedLocal: a.supp[Local],
	}
}
