package demo

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
)

// streamEmployment is the random stream of the employment dataset, apart
// from the region's phases so that adding it changed none of their draws.
const streamEmployment uint64 = 50

// The employment dataset's label. The source says plainly that the figures
// are invented, wherever the dataset is listed or exported.
const (
	employmentName        = "Demonstration employment by area and industry (ISIC Rev.4)"
	employmentSource      = "Generated demonstration data: invented by the Cluster Observatory demo generator, not official statistics."
	employmentDescription = "Employees, establishments and annual wages (US dollars) by first-level area and ISIC Rev.4 class, 2020–2025, " +
		"for the programme countries. Cells with fewer than 3 establishments are suppressed, as statistical offices do. " +
		"The demo's cluster initiatives sit where their industries concentrate."
)

// The dataset covers the six full years of the demo history.
const (
	employmentFirstYear = 2020
	employmentLastYear  = 2025
)

// economy is a country's employment covered by establishment statistics
// (formal employees, thousands, at scale 1) and its average annual wage in
// US dollars: rough orders of magnitude of the region's labour statistics.
type economy struct{ jobs, wage float64 }

var economies = map[string]economy{
	"ATG": {40, 17000}, "BHS": {190, 30000}, "BRB": {115, 19000}, "BLZ": {150, 7000}, "DMA": {28, 9000},
	"DOM": {2100, 7500}, "GRD": {45, 10000}, "GUY": {260, 7500}, "HTI": {900, 2200}, "JAM": {950, 7500},
	"KNA": {24, 17000}, "LCA": {75, 11000}, "VCT": {42, 8500}, "SUR": {170, 6500}, "TTO": {560, 16000},
}

// section is what the generator knows of an ISIC section: its share of a
// typical Caribbean economy's employment (per cent), the average size of
// its establishments and its wage relative to the country's average.
type section struct{ share, size, wage float64 }

// sections lists the sections establishment statistics cover; households as
// employers (T) and extraterritorial bodies (U) are outside them.
var sections = map[byte]section{
	'A': {9, 3.5, 0.55}, 'B': {0.5, 25, 1.8}, 'C': {7, 12, 0.95}, 'D': {0.8, 60, 1.7}, 'E': {0.7, 20, 0.9},
	'F': {7, 7, 0.9}, 'G': {18, 5, 0.75}, 'H': {5, 9, 1.0}, 'I': {9, 10, 0.7}, 'J': {1.5, 10, 1.5},
	'K': {2, 18, 1.8}, 'L': {0.6, 4, 1.1}, 'M': {2.5, 5, 1.4}, 'N': {4, 15, 0.85}, 'O': {7, 60, 1.2},
	'P': {7, 25, 1.0}, 'Q': {5, 12, 1.15}, 'R': {2, 7, 0.8}, 'S': {4, 4, 0.6},
}

// divisionStarts maps the first division of each ISIC Rev.4 section to it.
var divisionStarts = []struct {
	from    int
	section byte
}{
	{1, 'A'}, {5, 'B'}, {10, 'C'}, {35, 'D'}, {36, 'E'}, {41, 'F'}, {45, 'G'}, {49, 'H'}, {55, 'I'}, {58, 'J'},
	{64, 'K'}, {68, 'L'}, {69, 'M'}, {77, 'N'}, {84, 'O'}, {85, 'P'}, {86, 'Q'}, {90, 'R'}, {94, 'S'}, {97, 'T'}, {99, 'U'},
}

// sectionOf returns the ISIC section of a four-digit class.
func sectionOf(class string) byte {
	div, _ := strconv.Atoi(class[:2])
	s := byte('A')
	for _, d := range divisionStarts {
		if div >= d.from {
			s = d.section
		}
	}
	return s
}

// empArea is one area of the dataset.
type empArea struct {
	code, name string
	id         int64
	country    *country
	jobs       float64 // employment in the first year, before the draws
	urban      float64 // the area's weight against the country's largest, 0–1
}

// empCell is one area × class × year; a suppressed cell keeps its figures
// here only to decide the suppression, and is written without them.
type empCell struct {
	area, class int32
	year        int16
	emp, est    int32
	wageCents   int64
	suppressed  bool
}

// employment is the generated dataset, areas sorted by code and cells by
// area, class and year: the order of the table's primary key.
type employment struct {
	areas      []empArea
	classes    []string
	cells      []empCell
	suppressed int
}

// employment generates the dataset from the region already built: the
// countries' areas and weights, and the cluster initiatives with their lead
// BSOs and members. Only the areas' ISO 3166-2 codes are read here.
func (g *gen) employment(ctx context.Context, tx *sql.Tx) (*employment, error) {
	codes := map[int64]string{}
	rows, err := tx.QueryContext(ctx, `SELECT id, code FROM areas`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			rows.Close()
			return nil, err
		}
		codes[id] = code
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	e := &employment{}
	for code := range g.classes {
		if s := sectionOf(code); sections[s].share > 0 {
			e.classes = append(e.classes, code)
		}
	}
	sort.Strings(e.classes)
	for _, c := range g.countries {
		eco, ok := economies[c.iso3]
		if !ok {
			eco = economy{jobs: c.weight * 40, wage: 10000}
		}
		total := 0.0
		for _, w := range c.areaW {
			total += w
		}
		top := slices.Max(c.areaW)
		for i, a := range c.areas {
			code := codes[a.id]
			if code == "" {
				code = fmt.Sprintf("%s-%d", c.iso3, a.id)
			}
			e.areas = append(e.areas, empArea{code: code, name: a.name, id: a.id, country: c,
				jobs: eco.jobs * 1000 * c.areaW[i] / total, urban: c.areaW[i] / top})
		}
	}
	slices.SortFunc(e.areas, func(a, b empArea) int { return compareText(a.code, b.code) })
	g.fillEmployment(e)
	return e, nil
}

func compareText(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// count adds the dataset's figures to the generation's counts.
func (e *employment) count(c map[string]int) {
	c["employment_areas"] = len(e.areas)
	c["employment_cells"] = len(e.cells)
	c["employment_suppressed"] = e.suppressed
	seen := make([]bool, len(e.classes))
	for _, x := range e.cells {
		if !seen[x.class] {
			seen[x.class] = true
			c["employment_industries"]++
		}
	}
}

// Tuning of the draws.
const (
	// presentEst is the expected number of establishments below which an
	// area has none of a class (a parish without a brewery): the cell is
	// absent, not zero. Cells above it that come out under 3 are suppressed.
	presentEst = 2.2
	// classesMin and classesMax bound how many classes a country has.
	classesMin, classesMax = 150, 250
	// maxBoost caps the concentration several initiatives add up to.
	maxBoost = 12.0
)

// growingStages are the stages in which an initiative's industries gain
// employment faster than the rest of the area.
var growingStages = map[string]bool{"plan_approved": true, "implementing": true, "sustaining": true}

// tourismYears is how far tourism stood below its normal level in the
// first years, as the region's visitor economies recovered from 2020.
var tourismYears = []float64{0.70, 0.82, 0.95, 1, 1, 1}

// norm returns a standard normal draw.
func (g *rng) norm() float64 { return g.r.NormFloat64() }

// boost is one initiative's extra concentration of a class in an area.
type boost struct {
	base, rate float64
	from, end  int // growth runs from the year after from; decline after end (0: none)
}

func (b boost) at(year int) float64 {
	f := b.base
	if b.rate > 0 && year > b.from {
		f *= math.Pow(1+b.rate, float64(year-b.from))
	}
	if b.end > 0 && year > b.end {
		f *= math.Pow(0.9, float64(year-b.end))
	}
	return f
}

// fillEmployment draws every cell: a base mix of classes per country, the
// area's share of it by how urban the area is, and the initiatives'
// concentrations on top.
func (g *gen) fillEmployment(e *employment) {
	r := newRNG(g.scale, streamEmployment)
	nC := len(e.classes)
	classIdx := make(map[string]int, nC)
	prevalence := make([]float64, nC)
	secTotal := map[byte]float64{}
	for i, code := range e.classes {
		classIdx[code] = i
		prevalence[i] = math.Exp(1.1 * r.norm())
		secTotal[sectionOf(code)] += prevalence[i]
	}
	for i, code := range e.classes {
		s := sectionOf(code)
		prevalence[i] *= sections[s].share / secTotal[s]
	}
	mix := map[*country][]float64{}
	growth := map[*country]float64{}
	for _, c := range g.countries {
		mix[c] = countryMix(r, c, e.classes, classIdx, prevalence)
		growth[c] = 0.01 + 0.025*r.float()
	}
	boosts := g.clusterBoosts(r, e, classIdx)
	years := employmentLastYear - employmentFirstYear + 1
	share := make([]float64, nC*years)
	sizeF, wageF := make([]float64, nC), make([]float64, nC)
	boosted := make([]bool, nC)
	sums := make([]float64, years)
	for ai := range e.areas {
		a := &e.areas[ai]
		cw := mix[a.country]
		clear(sums)
		for i := range nC {
			if cw[i] == 0 {
				continue
			}
			bs := boosts[int64(ai)<<20|int64(i)]
			boosted[i] = len(bs) > 0
			// Where an initiative is, its industry is established: the
			// area's own variation is smaller than elsewhere.
			sigma := 0.7
			if boosted[i] {
				sigma = 0.2
			}
			s0 := cw[i] * spatial(sectionOf(e.classes[i]), a.urban) * math.Exp(sigma*r.norm())
			sizeF[i], wageF[i] = math.Exp(0.3*r.norm()), math.Exp(0.15*r.norm())
			tourism := isTourism(e.classes[i])
			for y := range years {
				// Initiatives sharing an area and class add their extra
				// employment rather than multiply it.
				f := 1.0
				for _, b := range bs {
					f += b.at(employmentFirstYear+y) - 1
				}
				f = min(f, maxBoost)
				if tourism {
					f *= tourismYears[y]
				}
				share[i*years+y] = s0 * f
				sums[y] += s0 * f
			}
		}
		eco := economies[a.country.iso3]
		if eco.wage == 0 {
			eco.wage = 10000
		}
		for i := range nC {
			if cw[i] == 0 {
				continue
			}
			sec := sections[sectionOf(e.classes[i])]
			size := sec.size * sizeF[i]
			mid := a.jobs * share[i*years+2] / sums[2]
			if mid/size < presentEst && !boosted[i] {
				continue
			}
			for y := range years {
				jobs := a.jobs * math.Pow(1+growth[a.country], float64(y))
				emp := max(1, int64(math.Round(jobs*share[i*years+y]/sums[y]*math.Exp(0.05*r.norm()))))
				est := min(emp, max(1, int64(math.Round(float64(emp)/size*math.Exp(0.1*r.norm())))))
				wage := float64(emp) * eco.wage * sec.wage * (0.85 + 0.3*a.urban) * wageF[i] * math.Pow(1.03, float64(y))
				c := empCell{area: int32(ai), class: int32(i), year: int16(employmentFirstYear + y),
					emp: int32(emp), est: int32(est), wageCents: int64(math.Round(wage * 100)), suppressed: est < 3}
				if c.suppressed {
					e.suppressed++
				}
				e.cells = append(e.cells, c)
			}
		}
	}
}

// spatial shifts a section's weight by how urban an area is: farming is
// rural; government, finance and professional services crowd the capital.
func spatial(s byte, urban float64) float64 {
	switch s {
	case 'A':
		return 1.6 - urban
	case 'O', 'K', 'J', 'M':
		return 0.4 + 1.2*urban
	case 'L', 'N', 'Q', 'P':
		return 0.7 + 0.6*urban
	}
	return 1
}

// isTourism reports whether a class lives on visitors: accommodation, food
// service, travel agencies and tour operators.
func isTourism(class string) bool {
	return class[:2] == "55" || class[:2] == "56" || class[:2] == "79"
}

// countryMix chooses the country's classes and their weights: every class
// of its value chains and of its ordinary businesses, then others drawn by
// their regional prevalence, more of them in a larger economy. Classes of
// the value chains weigh more, by the country's emphasis on their sector.
func countryMix(r *rng, c *country, classes []string, classIdx map[string]int, prevalence []float64) []float64 {
	w := make([]float64, len(classes))
	forced := make([]bool, len(classes))
	for _, k := range c.themes {
		t := themeByKey(k)
		e, ok := c.emphasis[t.sector]
		if !ok {
			e = 1
		}
		for _, code := range t.isic {
			if i, ok := classIdx[code]; ok {
				forced[i] = true
				w[i] = max(w[i], 1+e)
			}
		}
	}
	for _, k := range c.clusters {
		// A cross-border initiative's chain may be one the country has no
		// national initiative in.
		for _, code := range k.theme.isic {
			if i, ok := classIdx[code]; ok {
				forced[i] = true
				w[i] = max(w[i], 1.5)
			}
		}
	}
	for _, o := range otherIndustries {
		if i, ok := classIdx[o.isic]; ok {
			forced[i] = true
		}
	}
	eco := economies[c.iso3]
	n := int(math.Round(classesMin + 25*math.Log2(max(eco.jobs, 25)/25)))
	n = max(classesMin, min(classesMax, n))
	type ranked struct {
		i   int
		key float64
	}
	order := make([]ranked, len(classes))
	for i := range classes {
		// Weighted sampling without replacement (Efraimidis and Spirakis):
		// the n largest keys u^(1/w).
		key := math.Log(r.float()+1e-12) / prevalence[i]
		if forced[i] {
			key = math.Inf(1)
		}
		order[i] = ranked{i, key}
	}
	slices.SortStableFunc(order, func(a, b ranked) int {
		switch {
		case a.key > b.key:
			return -1
		case a.key < b.key:
			return 1
		}
		return 0
	})
	agri := math.Sqrt(7500 / max(eco.wage, 1000))
	out := make([]float64, len(classes))
	for k, o := range order {
		if k >= n && !forced[o.i] {
			break
		}
		f := max(w[o.i], 1)
		if sectionOf(classes[o.i]) == 'A' {
			f *= agri
		}
		out[o.i] = prevalence[o.i] * f
	}
	return out
}

// clusterBoosts places each initiative's concentration: its industries in
// the lead BSO's area, the area of the town it is named after, and in each
// of its countries the area where most of its member firms are. Initiatives
// in growing stages concentrate more year by year; closed ones fade. Keys
// are area index << 20 | class index.
func (g *gen) clusterBoosts(r *rng, e *employment, classIdx map[string]int) map[int64][]boost {
	areaIdx := make(map[int64]int, len(e.areas))
	for i, a := range e.areas {
		areaIdx[a.id] = i
	}
	firms := map[*cluster]map[int64]int{}
	for _, m := range g.members {
		if m.org.kind == "firm" && m.org.area.id != 0 {
			if firms[m.cluster] == nil {
				firms[m.cluster] = map[int64]int{}
			}
			firms[m.cluster][m.org.area.id]++
		}
	}
	out := map[int64][]boost{}
	for _, k := range g.clusters {
		b := boost{base: 2.5 + 1.5*r.float(), from: max(k.started, employmentFirstYear)}
		if growingStages[k.stage] {
			b.rate = 0.08 + 0.08*r.float()
		}
		if !k.closed.IsZero() {
			b.end = k.closed.Year()
		}
		var places []int64
		if k.lead != nil && k.lead.area.id != 0 {
			places = append(places, k.lead.area.id)
		}
		if k.town != nil {
			places = append(places, k.countries[0].areaByNm[k.town.area].id)
		}
		for _, c := range k.countries {
			best, most := int64(0), 0
			for _, a := range c.areas {
				if n := firms[k][a.id]; n > most {
					best, most = a.id, n
				}
			}
			if best == 0 {
				// No member firm there: the country's largest area.
				best = c.areas[slices.Index(c.areaW, slices.Max(c.areaW))].id
			}
			places = append(places, best)
		}
		slices.Sort(places)
		for _, id := range slices.Compact(places) {
			ai, ok := areaIdx[id]
			if !ok {
				continue
			}
			for _, code := range k.theme.isic {
				if ci, ok := classIdx[code]; ok {
					key := int64(ai)<<20 | int64(ci)
					out[key] = append(out[key], b)
				}
			}
		}
	}
	return out
}
