package mapping

// yearRows computes the figures of every area with data in year y × every
// cluster into block, in area then cluster order.
func (p *plan) yearRows(y int, block []Metric, opt *Options) {
	d := p.d
	nA, nC := p.nA, p.nC
	rt := &p.refArea[y]
	i := 0
	for a := 0; a < nA; a++ {
		at := &p.byArea[y*nA+a]
		if at.cells == 0 {
			continue
		}
		in := p.inRef[a]
		for c := 0; c < nC; c++ {
			g := &p.byCluster[(y*nA+a)*nC+c]
			rc := &p.refClus[y*nC+c]
			t := p.clusters[c].Type
			m := &block[i]
			i++
			*m = Metric{
				Year: d.years[y], Area: d.areas[a], Cluster: p.clusters[c].Code, Type: t,
				Employment: g.emp, Cells: g.cells, Suppressed: g.supp, InReference: in,
			}
			if d.hasEst && g.estMissing == 0 {
				m.Establishments = Of(float64(g.est))
			}
			if d.hasWages && g.wageMis == 0 {
				m.Wages = Of(float64(g.wage) / wageScale)
			}
			x := float64(g.emp)
			if w, ok := m.Wages.Get(); ok {
				m.AverageWage = Ratio(w, x)
			}
			if e, ok := m.Establishments.Get(); ok {
				m.AverageSize = Ratio(x, e)
			}
			m.ShareOfReference = Ratio(x, float64(rc.emp))
			m.ShareOfArea = Ratio(x, float64(at.emp[0]))
			m.LQ = p.lq(g, at, rt, rc, 0, in, opt)
			m.LQClusterMapping = p.lq(g, at, rt, rc, int(t), in, opt)
			m.Reliable = !opt.MinCell.Enabled() || opt.MinCell.reliable(g.emp, m.Establishments)
		}
	}
}

// lq computes one location quotient with its interval and bound; t is the
// denominator's scope: 0 for all employment, or a cluster type.
func (p *plan) lq(g *clusterAgg, at, rt *areaAgg, rc *clusterAgg, t int, in bool, opt *Options) LQ {
	x, n, X, N := g.emp, at.emp[t], rc.emp, rt.emp[t]
	out := LQ{Value: LocationQuotient(x, n, X, N)}
	if !out.Value.Defined() {
		return out
	}
	out.Low, out.High = lqInterval(x, n, X, N, p.z, opt.Interval, in)
	out.Significance = ExcludesOne(out.Low, out.High)
	s := suppression{own: g.supp, areaOther: at.supp[t] - g.supp, refCluster: rc.supp}
	s.refOther = rt.supp[t] - rc.supp
	if in {
		s.refCluster -= g.supp
		s.refOther -= s.areaOther
	}
	out.Bound = lqBound(x, n, X, N, in, s)
	return out
}
