package mapping

import (
	"fmt"
	"math"
	"slices"

	"github.com/clusterobservatory/observatory/internal/problem"
)

// Cell is one area × industry × year figure of an employment dataset. A
// suppressed cell was withheld by the statistical office: it has no value
// (not zero) and may not carry employment, establishments or wages.
type Cell struct {
	Year              int
	Area              string
	Industry          string
	Employment        int64
	Establishments    int64
	Wages             float64
	HasEstablishments bool
	HasWages          bool
	Suppressed        bool
}

// The limits of a cell's values. Per-cell counts are stored in 32 bits to
// keep five million cells small; totals are summed in 64 bits. Wages are held
// in hundredths of the currency unit so that sums are exact integers and do
// not depend on the order of the input.
const (
	MinYear      = 1800
	MaxYear      = 2200
	maxCellCount = math.MaxInt32
	maxCellWages = 9e15
	wageScale    = 100
)

// Bits of a stored cell's flags.
const (
	flagSuppressed uint8 = 1 << iota
	flagHasEst
	flagHasWages
)

// Dataset is an immutable, validated set of cells held in columns, with
// areas, industries and years replaced by dense indices in sorted order of
// their codes. Build one with a Builder (or NewDataset for small inputs).
type Dataset struct {
	years      []int
	areas      []string
	industries []string

	year     []uint16
	area     []uint32
	industry []uint32
	emp      []int32
	est      []int32
	wage     []int64 // hundredths of the currency unit
	flags    []uint8

	hasEst   bool // some cell carries establishments
	hasWages bool // some cell carries wages
}

// Years lists the years with data, ascending.
func (d *Dataset) Years() []int { return slices.Clone(d.years) }

// Areas lists the area codes, sorted.
func (d *Dataset) Areas() []string { return slices.Clone(d.areas) }

// Industries lists the industry codes, sorted.
func (d *Dataset) Industries() []string { return slices.Clone(d.industries) }

// Len is the number of cells.
func (d *Dataset) Len() int { return len(d.year) }

// HasYear reports whether the dataset has any cell in year y.
func (d *Dataset) HasYear(y int) bool {
	_, ok := slices.BinarySearch(d.years, y)
	return ok
}

// NewDataset builds a dataset from a slice of cells; for millions of cells
// stream them into a Builder instead.
func NewDataset(cells []Cell) (*Dataset, error) {
	b := NewBuilder(len(cells))
	for i := range cells {
		if err := b.Add(cells[i]); err != nil {
			return nil, err
		}
	}
	return b.Build()
}

// Builder collects cells one at a time, interning codes to dense indices as
// they arrive, so a large dataset is never held as a slice of structs with
// strings.
type Builder struct {
	d                  Dataset
	yearIdx            map[int]uint16
	areaIdx, indIdx    map[string]uint32
	lastArea, lastInd  string
	lastAreaI, lastInI uint32
	built              bool
}

// NewBuilder returns a Builder sized for about sizeHint cells.
func NewBuilder(sizeHint int) *Builder {
	b := &Builder{
		yearIdx: make(map[int]uint16),
		areaIdx: make(map[string]uint32),
		indIdx:  make(map[string]uint32),
	}
	if sizeHint > 0 {
		b.d.year = make([]uint16, 0, sizeHint)
		b.d.area = make([]uint32, 0, sizeHint)
		b.d.industry = make([]uint32, 0, sizeHint)
		b.d.emp = make([]int32, 0, sizeHint)
		b.d.est = make([]int32, 0, sizeHint)
		b.d.wage = make([]int64, 0, sizeHint)
		b.d.flags = make([]uint8, 0, sizeHint)
	}
	return b
}

// cellError reports a bad cell, naming the field and the cell.
func cellError(c *Cell, field, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	return &problem.Error{Kind: problem.Invalid, Message: "A cell of the dataset is not valid.",
		Details: []problem.Detail{{Field: field, Message: fmt.Sprintf("year %d, area %q, industry %q: %s", c.Year, c.Area, c.Industry, msg)}}}
}

// check validates one cell on its own.
func (c *Cell) check() error {
	switch {
	case c.Year < MinYear || c.Year > MaxYear:
		return cellError(c, "year", "the year must be between %d and %d", MinYear, MaxYear)
	case c.Area == "":
		return cellError(c, "area", "the area code is empty")
	case c.Industry == "":
		return cellError(c, "industry", "the industry code is empty")
	case c.Suppressed && (c.Employment != 0 || c.HasEstablishments || c.HasWages):
		return cellError(c, "suppressed", "a suppressed cell may not carry a value")
	case c.Employment < 0 || c.Employment > maxCellCount:
		return cellError(c, "employment", "employment must be between 0 and %d", maxCellCount)
	case c.HasEstablishments && (c.Establishments < 0 || c.Establishments > maxCellCount):
		return cellError(c, "establishments", "establishments must be between 0 and %d", maxCellCount)
	case c.HasWages && (math.IsNaN(c.Wages) || c.Wages < 0 || c.Wages > maxCellWages):
		return cellError(c, "wages", "wages must be a number between 0 and %g", maxCellWages)
	}
	return nil
}

// Add validates a cell and appends it.
func (b *Builder) Add(c Cell) error {
	if b.built {
		return fmt.Errorf("mapping: Add after Build")
	}
	if err := c.check(); err != nil {
		return err
	}
	yi, ok := b.yearIdx[c.Year]
	if !ok {
		if len(b.d.years) == math.MaxUint16 {
			return cellError(&c, "year", "too many distinct years")
		}
		yi = uint16(len(b.d.years))
		b.yearIdx[c.Year] = yi
		b.d.years = append(b.d.years, c.Year)
	}
	// Files usually list one area's cells together; the cache skips most map
	// look-ups.
	if c.Area != b.lastArea || len(b.d.areas) == 0 {
		ai, ok := b.areaIdx[c.Area]
		if !ok {
			ai = uint32(len(b.d.areas))
			b.areaIdx[c.Area] = ai
			b.d.areas = append(b.d.areas, c.Area)
		}
		b.lastArea, b.lastAreaI = c.Area, ai
	}
	if c.Industry != b.lastInd || len(b.d.industries) == 0 {
		ii, ok := b.indIdx[c.Industry]
		if !ok {
			ii = uint32(len(b.d.industries))
			b.indIdx[c.Industry] = ii
			b.d.industries = append(b.d.industries, c.Industry)
		}
		b.lastInd, b.lastInI = c.Industry, ii
	}
	var fl uint8
	if c.Suppressed {
		fl |= flagSuppressed
	}
	var est int32
	if c.HasEstablishments {
		fl |= flagHasEst
		est = int32(c.Establishments)
		b.d.hasEst = true
	}
	var wage int64
	if c.HasWages {
		fl |= flagHasWages
		wage = int64(math.Round(c.Wages * wageScale))
		b.d.hasWages = true
	}
	b.d.year = append(b.d.year, yi)
	b.d.area = append(b.d.area, b.lastAreaI)
	b.d.industry = append(b.d.industry, b.lastInI)
	b.d.emp = append(b.d.emp, int32(c.Employment))
	b.d.est = append(b.d.est, est)
	b.d.wage = append(b.d.wage, wage)
	b.d.flags = append(b.d.flags, fl)
	return nil
}
