package mapping

import "slices"

// scratch holds one worker's reusable buffers, so classifying does not
// allocate per cluster.
type scratch struct {
	lq, emp, est, share []float64
}

func newScratch(n int) *scratch {
	return &scratch{
		lq: make([]float64, 0, n), emp: make([]float64, 0, n),
		est: make([]float64, 0, n), share: make([]float64, 0, n),
	}
}

// pick returns the LQ a rule reads.
func pick(m *Metric, v LQVariant) Value {
	if v == LQClusterMapping {
		return m.LQClusterMapping.Value
	}
	return m.LQ.Value
}

// classify applies the strong-cluster rule and the star rating to every
// cluster of one year; block holds the year's rows in area then cluster
// order.
func (p *plan) classify(y int, block []Metric, th []Thresholds, opt *Options, sc *scratch) {
	nC := p.nC
	for c := 0; c < nC; c++ {
		th[c] = Thresholds{Year: p.d.years[y], Cluster: p.clusters[c].Code}
		traded := p.clusters[c].Type == Traded
		p.strength(block, c, &th[c], &opt.Strength, traded, sc)
		p.stars(block, c, &th[c], &opt.Stars, traded, sc)
	}
}

// strength applies the U.S. Cluster Mapping rule to cluster c. The peers are
// the reference's reliable areas with employment in the cluster; an area is
// qualifying when its LQ exceeds the 25th percentile, significant when it
// exceeds the median, strong when it reaches the 75th percentile and strong-10
// when it reaches the 90th (both also need LQ ≥ 1), each provided its
// employment and establishments exceed their 25th percentiles.
func (p *plan) strength(block []Metric, c int, th *Thresholds, r *StrengthRule, traded bool, sc *scratch) {
	nC := p.nC
	if r.TradedOnly && !traded {
		for i := c; i < len(block); i += nC {
			block[i].Strength.Status = NotApplicable
		}
		return
	}
	sc.lq, sc.emp, sc.est = sc.lq[:0], sc.emp[:0], sc.est[:0]
	for i := c; i < len(block); i += nC {
		m := &block[i]
		lq, okL := pick(m, r.LQ).Get()
		est, okE := m.Establishments.Get()
		if m.InReference && m.Reliable && m.Employment > 0 && okL && okE {
			sc.lq = append(sc.lq, lq)
			sc.emp = append(sc.emp, float64(m.Employment))
			sc.est = append(sc.est, est)
		}
	}
	// Four quantiles of the LQ: one sort; one each of employment and
	// establishments: a selection.
	slices.Sort(sc.lq)
	th.StrengthPeers = len(sc.lq)
	th.LQQualifying = Quantile(sc.lq, r.QualifyingLQ)
	th.LQSignificant = Quantile(sc.lq, r.SignificantLQ)
	th.LQStrong = Quantile(sc.lq, r.StrongLQ)
	th.LQStrong10 = Quantile(sc.lq, r.Strong10LQ)
	th.Employment = quantile(sc.emp, r.Size)
	th.Establishments = quantile(sc.est, r.Size)
	for i := c; i < len(block); i += nC {
		m := &block[i]
		s := &m.Strength
		lq, okL := pick(m, r.LQ).Get()
		est, okE := m.Establishments.Get()
		switch {
		case !m.InReference:
			s.Status = OutsideReference
			continue
		case !m.Reliable:
			s.Status = Unreliable
			continue
		case !okL || !okE || th.StrengthPeers == 0:
			s.Status = NoData
			continue
		}
		big := float64(m.Employment) > th.Employment.float() && est > th.Establishments.float()
		s.Qualifying = big && lq > th.LQQualifying.float()
		s.Significant = big && lq > th.LQSignificant.float()
		s.Strong = big && lq >= th.LQStrong.float() && lq >= r.MinLQ
		s.Strong10 = big && lq >= th.LQStrong10.float() && lq >= r.MinLQ
	}
}

// stars applies the European Cluster Observatory rating to cluster c: one
// star for employment in the top share of the reference's reliable areas
// with employment in the cluster, one for an LQ at or above the
// specialisation threshold, one for a share of the area's employment in the
// top share.
func (p *plan) stars(block []Metric, c int, th *Thresholds, r *StarRule, traded bool, sc *scratch) {
	nC := p.nC
	if r.TradedOnly && !traded {
		for i := c; i < len(block); i += nC {
			block[i].Stars.Status = NotApplicable
		}
		return
	}
	sc.emp, sc.share = sc.emp[:0], sc.share[:0]
	for i := c; i < len(block); i += nC {
		m := &block[i]
		if m.InReference && m.Reliable && m.Employment > 0 {
			sc.emp = append(sc.emp, float64(m.Employment))
			sc.share = append(sc.share, m.ShareOfArea.float())
		}
	}
	th.StarPeers = len(sc.emp)
	th.Size = TopThreshold(sc.emp, r.SizeTop)
	th.Focus = TopThreshold(sc.share, r.FocusTop)
	for i := c; i < len(block); i += nC {
		m := &block[i]
		s := &m.Stars
		switch {
		case !m.InReference:
			s.Status = OutsideReference
			continue
		case !m.Reliable:
			s.Status = Unreliable
			continue
		}
		if lq, ok := pick(m, r.LQ).Get(); ok {
			s.Specialisation = lq >= r.SpecialisationLQ
		}
		if m.Employment > 0 && th.StarPeers > 0 {
			s.Size = float64(m.Employment) >= th.Size.float()
			s.Focus = m.ShareOfArea.float() >= th.Focus.float()
		}
	}
}
