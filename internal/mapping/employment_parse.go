package mapping

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/clusterobservatory/observatory/internal/problem"
)

// EmploymentColumns are the columns of an employment file, in the order the
// template writes them. The first four are required; names are matched
// ignoring case, spaces and hyphens, in any order.
var EmploymentColumns = []string{"year", "area", "industry", "employment", "area_name", "establishments", "wages", "suppressed"}

const (
	colYear = iota
	colArea
	colIndustry
	colEmployment
	colAreaName
	colEstablishments
	colWages
	colSuppressed
	requiredColumns = colAreaName
)

// Limits of an employment file's values.
const (
	maxAreaCode = 40
	maxAreaName = 200
	// progressEvery is how many rows pass between two progress calls.
	progressEvery = 50_000
)

// EmploymentReadOptions say how to read and check an employment file.
type EmploymentReadOptions struct {
	// File names the file in problems.
	File string
	// Classification is the industry codes' classification (isic4 or
	// naics2012).
	Classification string
	// Industries are the valid codes of the classification; nil accepts any
	// code of the right form.
	Industries map[string]bool
	// Progress, when set, is told every so often how many rows were read.
	Progress func(rows int64)
}

// EmploymentSummary describes a valid employment file.
type EmploymentSummary struct {
	File, Format, Sheet, Encoding, Delimiter string
	// Cells is the number of data rows (blank rows are not counted);
	// Suppressed how many of them are suppressed.
	Cells, Suppressed   int64
	FirstYear, LastYear int
	Industries          int
	// Areas are the file's areas in the order they first appear.
	Areas []EmploymentArea
}

// EmploymentArea is an area code of a file, with the name its rows give it
// (empty when none does) and the row it first appears in.
type EmploymentArea struct {
	Code, Name string
	Row        int
}

// ReadEmployment reads an employment file (CSV or XLSX) row by row with the
// columns year, area, industry and employment, and optionally area_name,
// establishments, wages and suppressed. Each valid cell is handed to each
// (which may be nil) with its row; an error from each stops the reading and
// is returned as it is. Every problem of the file is collected (the first
// 1,000 listed, the rest counted) and returned together as one invalid
// problem located by file, row and column; when there is any, the summary
// is nil and the caller must discard what each received.
func ReadEmployment(r io.Reader, opt EmploymentReadOptions, each func(row int, c *Cell) error) (*EmploymentSummary, error) {
	p := &employmentParser{opt: opt, sum: &EmploymentSummary{File: opt.File}, areaIdx: map[string]uint32{},
		indIdx: map[string]uint32{}, yearIdx: map[int]uint32{}, seen: map[uint64]uint64{}}
	src, err := openEmploymentSource(r, p.sum)
	if err != nil {
		return nil, p.fileProblem(0, "", err.Error())
	}
	defer src.close()
	for {
		row, cells, err := src.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			p.add(row, "", capitalise(err.Error())+".")
			break
		}
		if p.col == nil {
			if !p.header(row, cells) {
				break
			}
			continue
		}
		c, ok := p.parseRow(row, cells)
		if !ok {
			continue
		}
		if p.sum.Cells > maxEmploymentRows {
			p.add(row, "", fmt.Sprintf("The file has more than %d rows; split it into several datasets.", maxEmploymentRows))
			break
		}
		if each != nil && len(p.problems) == 0 {
			if err := each(row, c); err != nil {
				return nil, err
			}
		}
		if opt.Progress != nil && p.sum.Cells%progressEvery == 0 {
			opt.Progress(p.sum.Cells)
		}
	}
	return p.finish()
}

// employmentParser checks rows one at a time. Codes are interned to dense
// indices, and the cells seen are kept as one 64-bit mask of years per
// area × industry pair, so that a file of five million cells is checked for
// duplicates in a few megabytes rather than a map of strings.
type employmentParser struct {
	opt      EmploymentReadOptions
	sum      *EmploymentSummary
	col      []int // EmploymentColumns index → cell index, -1 when absent
	width    int   // cells in the header
	problems []problem.Detail
	more     int

	areaIdx, indIdx map[string]uint32
	areaNames       []string // by area index
	indCodes        []string // by industry index
	yearIdx         map[int]uint32
	seen            map[uint64]uint64   // area<<32|industry → bit per year index < 64
	seenLate        map[uint64]struct{} // pair and year for year indices ≥ 64
	lastArea        string
	lastAreaI       uint32
	lastInd         string
	lastIndI        uint32
	cell            Cell
}

func (p *employmentParser) add(row int, field, msg string) {
	if len(p.problems) >= maxFileProblems {
		p.more++
		return
	}
	p.problems = append(p.problems, problem.Detail{File: p.opt.File, Sheet: p.sum.Sheet, Row: row, Field: field, Message: msg})
}

// fileProblem is a problem with the whole file, reported alone.
func (p *employmentParser) fileProblem(row int, field, msg string) error {
	msg = capitalise(msg)
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return &problem.Error{Kind: problem.Invalid, Message: fmt.Sprintf("%s cannot be read: %s", p.opt.File, msg),
		Details: []problem.Detail{{File: p.opt.File, Sheet: p.sum.Sheet, Row: row, Field: field, Message: msg}}}
}

// header reads the header row; a header that cannot be used is a single
// file-level problem and stops the reading (rows cannot be read against it).
func (p *employmentParser) header(row int, cells []string) bool {
	want := strings.Join(EmploymentColumns[:requiredColumns], ", ")
	if len(cells) == 1 {
		if sep := strangeSeparator(cells[0]); sep != "" {
			p.add(row, "", fmt.Sprintf("The header has a single column %q: the columns seem to be separated by %q. Save the file with commas (or semicolons or tabs) between the columns %s.", cells[0], sep, want))
			return false
		}
	}
	p.col = make([]int, len(EmploymentColumns))
	for i := range p.col {
		p.col[i] = -1
	}
	index := map[string]int{}
	for i, c := range EmploymentColumns {
		index[c] = i
	}
	for i, c := range cells {
		key := columnKey(c)
		if key == "" {
			if i < len(cells)-1 {
				p.add(row, fmt.Sprintf("column %d", i+1), fmt.Sprintf("The column has no name; the columns are %s.", strings.Join(EmploymentColumns, ", ")))
			}
			continue
		}
		k, ok := index[key]
		switch {
		case !ok:
			p.add(row, strings.TrimSpace(c), fmt.Sprintf("Unknown column %q; the columns are %s (the last four optional).", strings.TrimSpace(c), strings.Join(EmploymentColumns, ", ")))
		case p.col[k] >= 0:
			p.add(row, key, fmt.Sprintf("The column %q appears twice.", key))
		default:
			p.col[k] = i
		}
		p.width = i + 1
	}
	var missing []string
	for _, name := range EmploymentColumns[:requiredColumns] {
		if p.col[index[name]] < 0 {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		p.add(row, missing[0], fmt.Sprintf("The header lacks the column(s) %s; the first row must name the columns %s (and optionally %s), in any order.",
			strings.Join(missing, ", "), want, strings.Join(EmploymentColumns[requiredColumns:], ", ")))
	}
	return len(p.problems) == 0
}

// get returns the trimmed value of column k of a row ("" when absent).
func (p *employmentParser) get(cells []string, k int) string {
	i := p.col[k]
	if i < 0 || i >= len(cells) {
		return ""
	}
	return strings.TrimSpace(cells[i])
}

// parseRow checks one data row; blank rows are skipped.
func (p *employmentParser) parseRow(row int, cells []string) (*Cell, bool) {
	blank := true
	for _, v := range cells {
		if strings.TrimSpace(v) != "" {
			blank = false
			break
		}
	}
	if blank {
		return nil, false
	}
	p.sum.Cells++
	before := len(p.problems) + p.more
	for i := p.width; i < len(cells); i++ {
		if strings.TrimSpace(cells[i]) != "" {
			p.add(row, fmt.Sprintf("column %d", i+1), fmt.Sprintf("The row has %d cells but the header names only %d columns; remove the extra cells or name their column.", len(cells), p.width))
			break
		}
	}
	c := &p.cell
	*c = Cell{}
	yearText := p.get(cells, colYear)
	if yearText == "" {
		p.add(row, "year", "The year is missing.")
	} else if y, ok := wholeNumber(yearText); !ok || y < MinYear || y > MaxYear {
		p.add(row, "year", fmt.Sprintf("%q is not a year between %d and %d.", yearText, MinYear, MaxYear))
	} else {
		c.Year = int(y)
	}
	area := p.get(cells, colArea)
	switch {
	case area == "":
		p.add(row, "area", "The area code is missing.")
	case utf8.RuneCountInString(area) > maxAreaCode:
		p.add(row, "area", fmt.Sprintf("The area code is longer than %d characters.", maxAreaCode))
	}
	ind := normaliseIndustry(p.get(cells, colIndustry), p.opt.Classification)
	switch {
	case ind == "":
		p.add(row, "industry", "The industry code is missing.")
	case !industryFormatOK(ind, p.opt.Classification) || (p.opt.Industries != nil && !p.opt.Industries[ind]):
		p.add(row, "industry", fmt.Sprintf("%q is not %s.", ind, industryFormat(p.opt.Classification)))
		ind = ""
	}
	suppressedText := p.get(cells, colSuppressed)
	sup, ok := parseSuppressed(suppressedText)
	if !ok {
		p.add(row, "suppressed", fmt.Sprintf("%q is not yes or no; mark a suppressed cell with yes, true, 1 or x, and leave the others empty.", suppressedText))
	}
	c.Suppressed = sup
	emp, est, wages := p.get(cells, colEmployment), p.get(cells, colEstablishments), p.get(cells, colWages)
	if sup {
		for _, v := range []struct{ name, text string }{{"employment", emp}, {"establishments", est}, {"wages", wages}} {
			if v.text != "" {
				p.add(row, v.name, fmt.Sprintf("The cell is suppressed, so it may not carry a value (%s is %q); leave %s empty or the cell unsuppressed.", v.name, v.text, v.name))
			}
		}
	} else {
		if emp == "" {
			p.add(row, "employment", "Employment is missing; give a whole number, or mark the cell suppressed when the figure was withheld.")
		} else if n, msg := count(emp); msg != "" {
			p.add(row, "employment", "Employment "+msg)
		} else {
			c.Employment = n
		}
		if est != "" {
			if n, msg := count(est); msg != "" {
				p.add(row, "establishments", "Establishments "+msg)
			} else {
				c.Establishments, c.HasEstablishments = n, true
			}
		}
		if wages != "" {
			if w, msg := p.amount(wages); msg != "" {
				p.add(row, "wages", "Wages "+msg)
			} else {
				c.Wages, c.HasWages = w, true
			}
		}
	}
	name := p.get(cells, colAreaName)
	switch {
	case utf8.RuneCountInString(name) > maxAreaName:
		p.add(row, "area_name", fmt.Sprintf("The area name is longer than %d characters.", maxAreaName))
		name = ""
	case looksLikeFormula(name):
		p.add(row, "area_name", fmt.Sprintf("%q would act as a formula when the data is opened in a spreadsheet; remove the leading %q.", name, name[:1]))
		name = ""
	}
	if area != "" && utf8.RuneCountInString(area) <= maxAreaCode {
		c.Area = p.internArea(row, area, name)
	}
	if ind != "" {
		c.Industry = p.internIndustry(ind)
	}
	if c.Year != 0 && c.Area != "" && c.Industry != "" {
		p.checkDuplicate(row, c)
	}
	if len(p.problems)+p.more != before {
		return nil, false
	}
	if sup {
		p.sum.Suppressed++
	}
	if p.sum.FirstYear == 0 || c.Year < p.sum.FirstYear {
		p.sum.FirstYear = c.Year
	}
	p.sum.LastYear = max(p.sum.LastYear, c.Year)
	return c, true
}

// internArea returns the area's one copy of its code, recording it and its
// name on first sight; a second, different name for a code is a problem.
func (p *employmentParser) internArea(row int, code, name string) string {
	if code == p.lastArea && (name == "" || name == p.areaNames[p.lastAreaI]) {
		return p.sum.Areas[p.lastAreaI].Code
	}
	i, ok := p.areaIdx[code]
	if !ok {
		code = strings.Clone(code)
		i = uint32(len(p.sum.Areas))
		p.areaIdx[code] = i
		p.sum.Areas = append(p.sum.Areas, EmploymentArea{Code: code, Name: strings.Clone(name), Row: row})
		p.areaNames = append(p.areaNames, p.sum.Areas[i].Name)
	}
	a := &p.sum.Areas[i]
	switch {
	case name == "" || name == a.Name:
	case a.Name == "":
		a.Name = strings.Clone(name)
		p.areaNames[i] = a.Name
	default:
		p.add(row, "area_name", fmt.Sprintf("Area %q is named %q here but %q in an earlier row; give one area one name.", a.Code, name, a.Name))
	}
	p.lastArea, p.lastAreaI = a.Code, i
	return a.Code
}

func (p *employmentParser) internIndustry(code string) string {
	if code == p.lastInd {
		return p.lastInd
	}
	i, ok := p.indIdx[code]
	if !ok {
		code = strings.Clone(code)
		i = uint32(len(p.indCodes))
		p.indIdx[code] = i
		p.indCodes = append(p.indCodes, code)
	}
	p.lastInd, p.lastIndI = p.indCodes[i], i
	return p.lastInd
}

// checkDuplicate refuses a second cell for the same area, industry and
// year.
func (p *employmentParser) checkDuplicate(row int, c *Cell) {
	yi, ok := p.yearIdx[c.Year]
	if !ok {
		yi = uint32(len(p.yearIdx))
		p.yearIdx[c.Year] = yi
	}
	pair := uint64(p.lastAreaI)<<32 | uint64(p.lastIndI)
	dup := false
	if yi < 64 {
		m := p.seen[pair]
		dup = m&(1<<yi) != 0
		p.seen[pair] = m | 1<<yi
	} else {
		if p.seenLate == nil {
			p.seenLate = map[uint64]struct{}{}
		}
		// Years are at most 401 (MinYear to MaxYear): 9 bits beside an
		// area index below 2^35 and an industry index below 2^20.
		key := uint64(p.lastAreaI)<<29 | uint64(p.lastIndI)<<9 | uint64(c.Year-MinYear)
		_, dup = p.seenLate[key]
		p.seenLate[key] = struct{}{}
	}
	if dup {
		p.add(row, "industry", fmt.Sprintf("Year %d, area %q, industry %q appears in an earlier row too; a dataset has one figure per area, industry and year.", c.Year, c.Area, c.Industry))
	}
}

// finish returns the summary, or every problem found.
func (p *employmentParser) finish() (*EmploymentSummary, error) {
	if p.col == nil && len(p.problems) == 0 {
		p.add(0, "", "The file is empty: it needs a header row (year, area, industry, employment) and one row per cell.")
	} else if len(p.problems) == 0 && p.sum.Cells == 0 {
		p.add(2, "", "The file has a header but no data rows.")
	}
	if n := len(p.problems) + p.more; n > 0 {
		details := p.problems
		if p.more > 0 {
			details = append(details, problem.Detail{File: p.opt.File, Sheet: p.sum.Sheet, Message: fmt.Sprintf("%d more problems are not listed.", p.more)})
		}
		msg := fmt.Sprintf("%s has %d problems; nothing was imported.", p.opt.File, n)
		if n == 1 {
			msg = fmt.Sprintf("%s has a problem; nothing was imported.", p.opt.File)
		}
		return nil, &problem.Error{Kind: problem.Invalid, Message: msg, Details: details}
	}
	p.sum.Industries = len(p.indIdx)
	return p.sum, nil
}
