package main

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/mapping"
	"github.com/clusterobservatory/observatory/internal/refdata"
)

// The shape of the generated dataset: 1,000 areas × 419 ISIC classes × 12
// years gives 5,028,000 possible cells, of which about one in twenty is
// absent (an area without any establishment of a class) and about one in
// twenty of the rest suppressed.
const (
	years     = 12
	firstYear = 2014
)

// isicClass is one ISIC Rev.4 class with its division's title.
type isicClass struct{ code, division, divisionTitle string }

// isicClasses reads the 419 classes from the reference data the product
// ships, in code order, with the title of each class's division.
func isicClasses() ([]isicClass, error) {
	rows, err := refdata.CSV("isic_rev4.csv")
	if err != nil {
		return nil, err
	}
	titles := map[string]string{}
	var out []isicClass
	for _, r := range rows[1:] {
		switch r[1] {
		case "division":
			titles[r[0]] = r[3]
		case "class":
			out = append(out, isicClass{code: r[0], division: r[0][:2]})
		}
	}
	for i := range out {
		out[i].divisionTitle = titles[out[i].division]
	}
	if len(out) != 419 {
		return nil, fmt.Errorf("isic_rev4.csv holds %d classes, want 419", len(out))
	}
	return out, nil
}

// generator draws the cells of the benchmark dataset deterministically from
// its seed: area sizes and industry weights are log-normal (a few large
// cities and industries, many small ones), each area specialises in a few
// clusters, and employment trends up or down year by year.
type generator struct {
	areas   int
	classes []isicClass
	seed    uint64
}

// cellsPerArea is about how many cells one area has: 419 classes × 12
// years less the absent ones.
const cellsPerArea = 5000

// areasFor sizes the dataset for about the given number of cells: 1,000
// areas for five million.
func areasFor(cells int) int {
	return max(2, (cells+cellsPerArea/2)/cellsPerArea)
}

const len419 = 419

func areaCode(a int) string { return fmt.Sprintf("A%04d", a+1) }

// cell is one generated row; an absent cell is never produced.
type cell struct {
	year                  int
	area, industry        string
	employment, est       int64
	wages                 float64
	suppressed            bool
	areaIndex, classIndex int
}

// each calls f for every cell, area by area, class by class, year by year.
func (g *generator) each(f func(*cell) error) error {
	r := rand.New(rand.NewPCG(g.seed, 7))
	nI := len(g.classes)
	weight := make([]float64, nI)
	size := make([]float64, nI)
	wage := make([]float64, nI)
	for i := range weight {
		weight[i] = math.Exp(1.3 * r.NormFloat64())
		size[i] = 2 + 8*math.Exp(0.6*r.NormFloat64())
		wage[i] = 25000 + 30000*math.Exp(0.4*r.NormFloat64())
	}
	divisions := divisionList(g.classes)
	c := &cell{}
	codes := make([]string, nI)
	for i, cl := range g.classes {
		codes[i] = cl.code
	}
	for a := 0; a < g.areas; a++ {
		jobs := 20000 * math.Exp(1.2*r.NormFloat64())
		// Each area concentrates in two to four divisions.
		special := map[string]float64{}
		for range 2 + r.IntN(3) {
			special[divisions[r.IntN(len(divisions))]] = 3 + 4*r.Float64()
		}
		code := areaCode(a)
		for i := range nI {
			share := weight[i] * math.Exp(0.8*r.NormFloat64()) / float64(nI)
			if f, ok := special[g.classes[i].division]; ok {
				share *= f
			}
			expected := jobs * share / 2.2
			trend := 0.04 * r.NormFloat64()
			if expected < 2 && r.Float64() < 0.75 {
				continue // no establishment of the class in the area
			}
			for y := range years {
				emp := int64(math.Round(max(expected, 1) * math.Exp(trend*float64(y)+0.05*r.NormFloat64())))
				*c = cell{year: firstYear + y, area: code, industry: codes[i], areaIndex: a, classIndex: i}
				c.employment = max(emp, 1)
				c.est = min(c.employment, max(1, int64(math.Round(float64(c.employment)/size[i]))))
				if c.est < 3 && r.Float64() < 0.15 {
					c.suppressed, c.employment, c.est = true, 0, 0
				} else {
					c.wages = math.Round(float64(c.employment)*wage[i]*math.Pow(1.025, float64(y))*100) / 100
				}
				if err := f(c); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// divisionList lists the divisions of the classes, in order.
func divisionList(classes []isicClass) []string {
	var out []string
	for _, c := range classes {
		if len(out) == 0 || out[len(out)-1] != c.division {
			out = append(out, c.division)
		}
	}
	return out
}

// cellHeader is the import format of an employment table.
const cellHeader = "year,area,industry,employment,establishments,wages,suppressed\n"

// writeCells writes the dataset as CSV in the import format and returns the
// number of cells and of suppressed cells.
func (g *generator) writeCells(path string) (n, suppressed int, err error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, 0, err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString(cellHeader)
	buf := make([]byte, 0, 128)
	err = g.each(func(c *cell) error {
		n++
		buf = strconv.AppendInt(buf[:0], int64(c.year), 10)
		buf = append(buf, ',')
		buf = append(buf, c.area...)
		buf = append(buf, ',')
		buf = append(buf, c.industry...)
		if c.suppressed {
			suppressed++
			buf = append(buf, ",,,,true\n"...)
		} else {
			buf = append(buf, ',')
			buf = strconv.AppendInt(buf, c.employment, 10)
			buf = append(buf, ',')
			buf = strconv.AppendInt(buf, c.est, 10)
			buf = append(buf, ',')
			buf = strconv.AppendFloat(buf, c.wages, 'f', 2, 64)
			buf = append(buf, ",false\n"...)
		}
		_, err := w.Write(buf)
		return err
	})
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return n, suppressed, err
}

// mappingCell converts a generated cell for a Builder.
func (c *cell) mappingCell() mapping.Cell {
	if c.suppressed {
		return mapping.Cell{Year: c.year, Area: c.area, Industry: c.industry, Suppressed: true}
	}
	return mapping.Cell{Year: c.year, Area: c.area, Industry: c.industry, Employment: c.employment,
		Establishments: c.est, HasEstablishments: true, Wages: c.wages, HasWages: true}
}

// localDivisions are the ISIC divisions whose industries mostly serve the
// local market (utilities, construction, trade, land transport, food
// service, real estate, administrative services, government, education,
// health, personal services, households); the others are traded, as the
// U.S. Cluster Mapping Project splits the economy.
var localDivisions = map[string]bool{
	"35": true, "36": true, "37": true, "38": true, "39": true, "41": true, "42": true, "43": true, "45": true, "47": true,
	"49": true, "56": true, "68": true, "77": true, "78": true, "80": true, "81": true, "82": true, "84": true, "85": true,
	"86": true, "87": true, "88": true, "94": true, "95": true, "96": true, "97": true, "98": true, "99": true,
}

// definitionSet groups the classes into clusters by division: a division
// with at least 3 classes is a cluster of its own; smaller ones join the
// next divisions of the same type until the group has 3 classes (a group
// stays smaller where the type changes). That gives
// 69 clusters (45 traded) covering every class.
func definitionSet(classes []isicClass) *mapping.DefinitionSet {
	set := &mapping.DefinitionSet{Name: "Benchmark ISIC Rev.4 clusters by division", Classification: "isic4"}
	var cur *mapping.Cluster
	var divs, titles []string
	flush := func() {
		if cur == nil {
			return
		}
		cur.Code = "D" + divs[0]
		if len(divs) > 1 {
			cur.Code += "-" + divs[len(divs)-1]
		}
		cur.Name = strings.Join(titles, "; ")
		set.Clusters = append(set.Clusters, *cur)
		cur, divs, titles = nil, nil, nil
	}
	for i := 0; i < len(classes); {
		d := classes[i].division
		t := mapping.Traded
		if localDivisions[d] {
			t = mapping.Local
		}
		if cur != nil && cur.Type != t {
			flush()
		}
		if cur == nil {
			cur = &mapping.Cluster{Type: t}
		}
		divs, titles = append(divs, d), append(titles, classes[i].divisionTitle)
		for ; i < len(classes) && classes[i].division == d; i++ {
			cur.Industries = append(cur.Industries, classes[i].code)
		}
		if len(cur.Industries) >= 3 {
			flush()
		}
	}
	flush()
	return set
}

// writeDefinitions writes the set as CSV in the definitions import format.
func writeDefinitions(path string, set *mapping.DefinitionSet) error {
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write([]string{"cluster_code", "cluster_name", "type", "industry"})
	for _, c := range set.Clusters {
		for _, ind := range c.Industries {
			w.Write([]string{c.Code, c.Name, c.Type.String(), ind})
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}
