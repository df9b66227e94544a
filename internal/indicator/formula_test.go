package indicator

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestParseFormula(t *testing.T) {
	for _, tc := range []struct {
		src, tidy string
		codes     []string
	}{
		{"exports / revenue * 100", "EXPORTS / REVENUE * 100", []string{"EXPORTS", "REVENUE"}},
		{"(A - B) / B", "(A - B) / B", []string{"A", "B"}},
		{"A - (B - C)", "A - (B - C)", []string{"A", "B", "C"}},
		{"A - B - C", "A - B - C", []string{"A", "B", "C"}},
		{"A / (B * C)", "A / (B * C)", []string{"A", "B", "C"}},
		{"(A * B) / C", "A * B / C", []string{"A", "B", "C"}},
		{"-A + 2.5", "-A + 2.5", []string{"A"}},
		{"-(A + B)", "-(A + B)", []string{"A", "B"}},
		{" JOBS_CREATED.W+JOBS_CREATED.W ", "JOBS_CREATED.W + JOBS_CREATED.W", []string{"JOBS_CREATED.W"}},
		{".5 * X1", "0.5 * X1", []string{"X1"}},
		{"42", "42", []string{}},
	} {
		e, err := ParseFormula(tc.src)
		if err != nil {
			t.Errorf("%q: %v", tc.src, err)
			continue
		}
		if got := e.String(); got != tc.tidy {
			t.Errorf("%q reads back as %q, want %q", tc.src, got, tc.tidy)
		}
		if got := strings.Join(e.Codes(), ","); got != strings.Join(tc.codes, ",") {
			t.Errorf("%q uses %q, want %v", tc.src, got, tc.codes)
		}
		// The tidy form parses to itself.
		again, err := ParseFormula(e.String())
		if err != nil || again.String() != e.String() {
			t.Errorf("%q: tidy form does not round-trip: %v", tc.src, err)
		}
	}
}

func TestParseFormulaErrors(t *testing.T) {
	for _, tc := range []struct {
		src  string
		pos  int
		text string
	}{
		{"", 1, "empty"},
		{"A +", 4, "ends"},
		{"A + * B", 5, `instead of "*"`},
		{"(A + B", 1, "never closed"},
		{"A + B)", 6, "no opening"},
		{"A B", 3, "operator"},
		{"A % B", 3, `"%" is not allowed`},
		{"2A", 2, "cannot run into letters"},
		{"A + ()", 6, `instead of ")"`},
		{"1.2.3", 4, "one decimal point"},
		{"ÉTÉ + 1", 1, "not allowed"},
		{strings.Repeat("A+", 300) + "A", MaxFormula + 1, "too long"},
	} {
		_, err := ParseFormula(tc.src)
		var fe *FormulaError
		if !errors.As(err, &fe) {
			t.Errorf("%q: want a formula error, got %v", tc.src, err)
			continue
		}
		if fe.Pos != tc.pos || !strings.Contains(fe.Msg, tc.text) {
			t.Errorf("%q: error at %d %q, want at %d containing %q", tc.src, fe.Pos, fe.Msg, tc.pos, tc.text)
		}
	}
}

func TestEvaluate(t *testing.T) {
	values := map[string]float64{"EXPORTS": 250, "REVENUE": 1000, "ZERO": 0, "BASE": 80, "NOW": 100}
	for _, tc := range []struct {
		src  string
		want float64
		why  string // non-empty: not defined, for this reason
	}{
		{"EXPORTS / REVENUE * 100", 25, ""},
		{"(NOW - BASE) / BASE * 100", 25, ""},
		{"NOW - BASE", 20, ""},
		{"2 + 3 * 4", 14, ""},
		{"(2 + 3) * 4", 20, ""},
		{"10 - 4 - 3", 3, ""},
		{"64 / 4 / 2", 8, ""},
		{"-NOW + 1", -99, ""},
		{"EXPORTS / ZERO", 0, "division by zero"},
		{"ZERO / ZERO", 0, "division by zero"},
		{"NOW / (BASE - 80)", 0, "division by zero"},
		{"EXPORTS / MISSING", 0, "no value for MISSING"},
		{"ZERO / NOW", 0, ""},
	} {
		e, err := ParseFormula(tc.src)
		if err != nil {
			t.Fatalf("%q: %v", tc.src, err)
		}
		got := e.Evaluate(values)
		if tc.why != "" {
			if got.Defined || got.Why != tc.why {
				t.Errorf("%q = %+v, want not defined (%s)", tc.src, got, tc.why)
			}
			continue
		}
		if !got.Defined || math.Abs(got.Value-tc.want) > 1e-9 || math.IsNaN(got.Value) {
			t.Errorf("%q = %+v, want %v", tc.src, got, tc.want)
		}
	}
	e, _ := ParseFormula("A * B")
	if r := e.Evaluate(map[string]float64{"A": 1e308, "B": 10}); r.Defined {
		t.Errorf("an overflow must not be defined, got %v", r.Value)
	}
	if r := e.Evaluate(map[string]float64{"A": math.NaN(), "B": 1}); r.Defined {
		t.Error("a NaN input must not give a defined result")
	}
}

func TestFindCycle(t *testing.T) {
	for _, tc := range []struct {
		name string
		code string
		deps map[string][]string
		want string
	}{
		{"no formula", "A", map[string][]string{}, ""},
		{"direct", "A", map[string][]string{"A": {"A"}}, "A → A"},
		{"two steps", "A", map[string][]string{"A": {"B"}, "B": {"A"}}, "A → B → A"},
		{"three steps", "A", map[string][]string{"A": {"X", "B"}, "B": {"C"}, "C": {"A"}}, "A → B → C → A"},
		{"diamond without cycle", "A", map[string][]string{"A": {"B", "C"}, "B": {"D"}, "C": {"D"}}, ""},
		{"a cycle elsewhere is not A's", "A", map[string][]string{"A": {"B"}, "B": {"C"}, "C": {"B"}}, ""},
	} {
		got := strings.Join(FindCycle(tc.code, tc.deps), " → ")
		if got != tc.want {
			t.Errorf("%s: cycle %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestPeriods(t *testing.T) {
	for _, tc := range []struct {
		in, key, start string
		typ            PeriodType
	}{
		{"2025", "2025", "2025-01-01", PeriodYear},
		{"2025-Q3", "2025-Q3", "2025-07-01", PeriodQuarter},
		{"2025q4", "2025-Q4", "2025-10-01", PeriodQuarter},
		{"2025-07", "2025-07", "2025-07-01", PeriodMonth},
		{" 2025-7 ", "2025-07", "2025-07-01", PeriodMonth},
	} {
		p, err := ParsePeriod(tc.in)
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if p.Key() != tc.key || p.Start() != tc.start || p.Type != tc.typ {
			t.Errorf("%q = %s %s %s", tc.in, p.Key(), p.Start(), p.Type)
		}
	}
	for _, bad := range []string{"", "25", "2025-13", "2025-Q5", "1800", "2025/07", "July 2025"} {
		if _, err := ParsePeriod(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
	y, _ := ParsePeriod("2025")
	m, _ := ParsePeriod("2025-07")
	if !y.FitsFrequency(FreqMonthly) || !y.FitsFrequency(FreqYearly) || m.FitsFrequency(FreqQuarterly) || !m.FitsFrequency(FreqMonthly) {
		t.Error("a period must be at least as long as the collection frequency")
	}
}

func TestSubjects(t *testing.T) {
	for in, want := range map[string]string{"cluster:12": "cluster:12", "Organisation:5": "organisation:5", "country:jam": "country:JAM"} {
		s, err := ParseSubject(in)
		if err != nil || s.String() != want {
			t.Errorf("%q = %v, %v", in, s, err)
		}
	}
	for _, bad := range []string{"", "cluster", "cluster:x", "cluster:-1", "country:JA", "firm:3"} {
		if _, err := ParseSubject(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}
