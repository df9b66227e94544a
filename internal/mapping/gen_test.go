package mapping

import (
	"fmt"
	"math/rand/v2"
)

// synthetic describes a generated dataset: areas × industries × years cells
// with employment drawn from a skewed distribution, about 3 % suppressed and
// a few cells absent, and a definition set of clusters over about 70 % of
// the industries (a third of them local).
type synthetic struct {
	areas, industries, years, clusters int
	seed                               uint64
}

func (g synthetic) areaCode(a int) string     { return fmt.Sprintf("AR%04d", a) }
func (g synthetic) industryCode(i int) string { return fmt.Sprintf("%04d", 100+i*23) }

// each calls f for every cell, in a fixed order.
func (g synthetic) each(f func(Cell) error) error {
	r := rand.New(rand.NewPCG(g.seed, 99))
	// Codes are made once, as a reader holding one row at a time would
	// share them, so the generator itself allocates nothing per cell.
	areas := make([]string, g.areas)
	for a := range areas {
		areas[a] = g.areaCode(a)
	}
	inds := make([]string, g.industries)
	for i := range inds {
		inds[i] = g.industryCode(i)
	}
	for y := 0; y < g.years; y++ {
		for a := 0; a < g.areas; a++ {
			size := 1 + r.IntN(40)
			for i := 0; i < g.industries; i++ {
				u := r.Float64()
				c := Cell{Year: 2010 + y, Area: areas[a], Industry: inds[i]}
				switch {
				case u < 0.01:
					continue // no cell at all
				case u < 0.04:
					c.Suppressed = true
				default:
					c.Employment = int64(float64(size) * (1 + 200*r.Float64()*r.Float64()*r.Float64()))
					c.Establishments = 1 + c.Employment/(3+int64(r.IntN(20)))
					c.Wages = float64(c.Employment) * (15000 + 20000*r.Float64())
					c.HasEstablishments, c.HasWages = true, true
				}
				if err := f(c); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (g synthetic) set() *DefinitionSet {
	s := &DefinitionSet{Name: "synthetic", Classification: "isic4"}
	for c := 0; c < g.clusters; c++ {
		t := Traded
		if c%3 == 2 {
			t = Local
		}
		s.Clusters = append(s.Clusters, Cluster{Code: fmt.Sprintf("C%02d", c), Name: fmt.Sprintf("Cluster %d", c), Type: t})
	}
	for i := 0; i < g.industries; i++ {
		if i%10 < 7 {
			c := &s.Clusters[(i*7)%g.clusters]
			c.Industries = append(c.Industries, g.industryCode(i))
		}
	}
	return s
}

func (g synthetic) dataset() (*Dataset, error) {
	b := NewBuilder(g.areas * g.industries * g.years)
	if err := g.each(b.Add); err != nil {
		return nil, err
	}
	return b.Build()
}
