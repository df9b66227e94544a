package indicator

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// PeriodType is the length of a period a baseline or target is set for.
type PeriodType string

// The period types, from shortest to longest.
const (
	PeriodMonth   PeriodType = "month"
	PeriodQuarter PeriodType = "quarter"
	PeriodYear    PeriodType = "year"
)

// PeriodTypes lists the period types from shortest to longest.
var PeriodTypes = []PeriodType{PeriodMonth, PeriodQuarter, PeriodYear}

// Valid reports whether t is a known period type.
func (t PeriodType) Valid() bool { return oneOf(t, PeriodTypes) }

// Key is the message key of the period type's label.
func (t PeriodType) Key() string { return "indicator.period." + string(t) }

// rank orders period types by length (month 1, quarter 2, year 3).
func (t PeriodType) rank() int {
	for i, x := range PeriodTypes {
		if x == t {
			return i + 1
		}
	}
	return 0
}

// Period is a calendar month, quarter or year, written canonically as
// 2025-07, 2025-Q3 or 2025.
type Period struct {
	Type PeriodType
	Year int
	// N is the month (1–12) or quarter (1–4); 0 for a year.
	N int
}

// Key is the canonical text of the period.
func (p Period) Key() string {
	switch p.Type {
	case PeriodMonth:
		return fmt.Sprintf("%04d-%02d", p.Year, p.N)
	case PeriodQuarter:
		return fmt.Sprintf("%04d-Q%d", p.Year, p.N)
	}
	return fmt.Sprintf("%04d", p.Year)
}

// Start is the first day of the period (YYYY-MM-DD), for ordering periods
// of different lengths.
func (p Period) Start() string {
	m := 1
	switch p.Type {
	case PeriodMonth:
		m = p.N
	case PeriodQuarter:
		m = 3*(p.N-1) + 1
	}
	return fmt.Sprintf("%04d-%02d-01", p.Year, m)
}

// End is the last day of the period (YYYY-MM-DD).
func (p Period) End() string { return p.lastDay().Format("2006-01-02") }

// lastDay is the last day of the period, at midnight UTC.
func (p Period) lastDay() time.Time {
	start, _ := time.Parse("2006-01-02", p.Start())
	switch p.Type {
	case PeriodMonth:
		return start.AddDate(0, 1, -1)
	case PeriodQuarter:
		return start.AddDate(0, 3, -1)
	}
	return start.AddDate(1, 0, -1)
}

var (
	yearRe    = regexp.MustCompile(`^(\d{4})$`)
	quarterRe = regexp.MustCompile(`^(\d{4})-?Q([1-4])$`)
	monthRe   = regexp.MustCompile(`^(\d{4})-(\d{1,2})$`)
)

// Years accepted for baselines and targets.
const (
	MinYear = 1990
	MaxYear = 2100
)

// ParsePeriod reads a period written as 2025, 2025-Q3 (or 2025Q3, q3) or
// 2025-07 (or 2025-7).
func ParsePeriod(s string) (Period, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	var p Period
	switch {
	case yearRe.MatchString(s):
		p.Type = PeriodYear
		p.Year, _ = strconv.Atoi(s)
	case quarterRe.MatchString(s):
		m := quarterRe.FindStringSubmatch(s)
		p.Type = PeriodQuarter
		p.Year, _ = strconv.Atoi(m[1])
		p.N, _ = strconv.Atoi(m[2])
	case monthRe.MatchString(s):
		m := monthRe.FindStringSubmatch(s)
		p.Type = PeriodMonth
		p.Year, _ = strconv.Atoi(m[1])
		p.N, _ = strconv.Atoi(m[2])
		if p.N < 1 || p.N > 12 {
			return Period{}, fmt.Errorf("%q: the month must be from 01 to 12", s)
		}
	case s == "":
		return Period{}, fmt.Errorf("enter a period: a year (2025), a quarter (2025-Q3) or a month (2025-07)")
	default:
		return Period{}, fmt.Errorf("%q is not a period: write a year (2025), a quarter (2025-Q3) or a month (2025-07)", s)
	}
	if p.Year < MinYear || p.Year > MaxYear {
		return Period{}, fmt.Errorf("%q: the year must be from %d to %d", s, MinYear, MaxYear)
	}
	return p, nil
}

// FitsFrequency reports whether a period is at least as long as the
// indicator's collection frequency: a yearly indicator has no monthly targets.
func (p Period) FitsFrequency(f Frequency) bool {
	return p.Type.rank() >= f.periodType().rank()
}
