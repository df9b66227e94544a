package programme

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/internal/problem"
)

// localLayout is how a datetime-local input writes a moment.
const localLayout = "2006-01-02T15:04"

// levelScores are the rubric scores the form offers for every criterion.
var levelScores = []int{1, 2, 3, 4, 5}

// CriterionRow is one criterion of the form as typed.
type CriterionRow struct {
	Index       int
	Name        string
	Description string
	Weight      string
	Levels      []LevelRow
}

// LevelRow is one rubric level of a criterion row.
type LevelRow struct {
	Score      int
	Descriptor string
}

// CallForm is the call form as typed: texts, so that whatever was entered
// is shown again with its problem.
type CallForm struct {
	Number, Title, Description, TimeZone string
	OpensAt, ClosesAt, FullPlanDueAt     string // datetime-local, in TimeZone
	Published                            bool
	GrantCeiling                         string // major units
	MaxGrantPct, MinCounterpartPct       string // percentages
	InKindRule                           string
	InKindPct                            string
	// Rule settings: which kinds are on and their parameters.
	RuleOn       map[RuleKind]bool
	MinFirms     string
	MinMonths    string
	RuleCountry  []string
	Documents    string // one per line
	Criteria     []CriterionRow
	AddCriterion bool   // the person asked for another criterion row
	Margin       string // the disagreement margin, in points
}

// pct writes a share as a percentage for a form field.
func pct(share float64) string {
	return strconv.FormatFloat(share*100, 'f', -1, 64)
}

// callFormOf fills the form from a call's input, in the call's zone.
func callFormOf(in CallInput, currency string) CallForm {
	f := CallForm{Number: in.Number, Title: in.Title, Description: in.Description, TimeZone: in.TimeZone,
		Published: in.Published, InKindRule: string(in.InKindRule), RuleOn: map[RuleKind]bool{}}
	if f.TimeZone == "" {
		f.TimeZone = DefaultTimeZone
	}
	zone, err := time.LoadLocation(f.TimeZone)
	if err != nil {
		zone = time.UTC
	}
	local := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(zone).Format(localLayout)
	}
	f.OpensAt, f.ClosesAt = local(in.OpensAt), local(in.ClosesAt)
	if in.FullPlanDueAt != nil {
		f.FullPlanDueAt = local(*in.FullPlanDueAt)
	}
	if in.GrantCeiling > 0 {
		f.GrantCeiling = FormatAmount(in.GrantCeiling, currency)
	}
	f.MaxGrantPct, f.MinCounterpartPct = pct(in.MaxGrantShare), pct(in.MinCounterpartShare)
	if in.InKindRule != InKindNone {
		f.InKindPct = pct(in.InKindShare)
	}
	for _, r := range in.Rules {
		c, err := decodeParams(r.Kind, r.Params)
		if err != nil || r.Kind.Derived() {
			continue
		}
		f.RuleOn[r.Kind] = true
		switch p := c.(type) {
		case *MinPrivateFirms:
			f.MinFirms = strconv.Itoa(p.N)
		case *MinMonthsOperating:
			f.MinMonths = strconv.Itoa(p.Months)
		case *EligibleCountries:
			f.RuleCountry = p.Countries
		case *RequiredDocuments:
			f.Documents = strings.Join(p.Documents, "\n")
		}
	}
	if in.DisagreementMargin > 0 {
		f.Margin = strconv.FormatFloat(in.DisagreementMargin, 'f', -1, 64)
	}
	for i, c := range in.Criteria {
		row := CriterionRow{Index: i, Name: c.Name, Description: c.Description, Weight: strconv.Itoa(c.Weight)}
		row.Levels = levelRows(c.Levels)
		f.Criteria = append(f.Criteria, row)
	}
	return f
}

// levelRows is a row per offered score plus any other score the criterion
// has (the API may set scores outside 1–5).
func levelRows(levels []Level) []LevelRow {
	scores := append([]int(nil), levelScores...)
	text := map[int]string{}
	for _, l := range levels {
		text[l.Score] = l.Descriptor
		if !slices.Contains(scores, l.Score) {
			scores = append(scores, l.Score)
		}
	}
	slices.Sort(scores)
	out := make([]LevelRow, len(scores))
	for i, s := range scores {
		out[i] = LevelRow{Score: s, Descriptor: text[s]}
	}
	return out
}

// newCallForm is the form of a call not yet made: the region's zone,
// the programme's usual shares and the rules most calls use.
func newCallForm() CallForm {
	f := CallForm{TimeZone: DefaultTimeZone, MaxGrantPct: "80", MinCounterpartPct: "20", MinFirms: "3", MinMonths: "12", Margin: "20",
		RuleOn: map[RuleKind]bool{RuleMinPrivateFirms: true, RuleEligibleCountries: true, RuleMinMonthsOperating: true,
			RuleFormallyRegistered: true, RuleNoTaxDebt: true, RuleMonitoringCommitment: true}}
	f.Criteria = []CriterionRow{{Index: 0, Levels: levelRows(nil)}}
	return f
}

// parseCallForm reads the posted call form.
func parseCallForm(r *http.Request) CallForm {
	_ = r.ParseForm() // a malformed body leaves the form empty, which validation reports
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	f := CallForm{Number: v("number"), Title: v("title"), Description: r.PostFormValue("description"), TimeZone: v("time_zone"),
		OpensAt: v("opens_at"), ClosesAt: v("closes_at"), FullPlanDueAt: v("full_plan_due_at"), Published: v("published") != "",
		GrantCeiling: v("grant_ceiling"), MaxGrantPct: v("max_grant_share"), MinCounterpartPct: v("min_counterpart_share"),
		InKindRule: v("in_kind_rule"), InKindPct: v("in_kind_share"), MinFirms: v("rule_min_private_firms_n"),
		MinMonths: v("rule_min_months_operating_months"), RuleCountry: r.PostForm["rule_eligible_countries_countries"],
		Documents: r.PostFormValue("rule_required_documents_documents"), RuleOn: map[RuleKind]bool{},
		AddCriterion: r.PostFormValue("add_criterion") != "", Margin: v("disagreement_margin")}
	for _, k := range RuleKinds {
		if !k.Derived() && r.PostFormValue("rule_"+string(k)) != "" {
			f.RuleOn[k] = true
		}
	}
	rows, _ := strconv.Atoi(r.PostFormValue("criteria_rows"))
	for i := 0; i < min(rows, 50); i++ {
		p := fmt.Sprintf("criteria[%d].", i)
		row := CriterionRow{Name: v(p + "name"), Description: r.PostFormValue(p + "description"), Weight: v(p + "weight")}
		var levels []Level
		blank := row.Name == "" && strings.TrimSpace(row.Description) == "" && row.Weight == ""
		for key, vals := range r.PostForm {
			rest, ok := strings.CutPrefix(key, p+"level.")
			if !ok || len(vals) == 0 {
				continue
			}
			if score, err := strconv.Atoi(rest); err == nil {
				levels = append(levels, Level{Score: score, Descriptor: vals[0]})
				blank = blank && strings.TrimSpace(vals[0]) == ""
			}
		}
		if blank {
			continue // an empty row is no criterion
		}
		row.Index = len(f.Criteria)
		row.Levels = levelRows(levels)
		f.Criteria = append(f.Criteria, row)
	}
	if len(f.Criteria) == 0 || f.AddCriterion {
		f.Criteria = append(f.Criteria, CriterionRow{Index: len(f.Criteria), Levels: levelRows(nil)})
	}
	return f
}

// parseShare reads a percentage as a share; a text that is not a number
// becomes NaN, which validation reports as out of range.
func parseShare(s string) float64 {
	if s == "" {
		return 0
	}
	x, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(strings.ReplaceAll(s, ",", ".")), "%"), 64)
	if err != nil {
		return -1
	}
	return x / 100
}

// input turns the form into a call's input, with problems for the texts
// that are not numbers or moments.
func (f CallForm) input(programmeID int64, currency string) (CallInput, problem.Fields) {
	var fs problem.Fields
	in := CallInput{ProgrammeID: programmeID, Number: f.Number, Title: f.Title, Description: f.Description, TimeZone: f.TimeZone,
		Published: f.Published, MaxGrantShare: parseShare(f.MaxGrantPct), MinCounterpartShare: parseShare(f.MinCounterpartPct),
		InKindRule: InKindRule(f.InKindRule), InKindShare: parseShare(f.InKindPct)}
	zone, err := time.LoadLocation(f.TimeZone)
	if err != nil || f.TimeZone == "" {
		zone = time.UTC
	}
	at := func(field, s string) time.Time {
		if s == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation(localLayout, s, zone)
		if err != nil {
			fs.Add(field, "%q is not a date and time: use YYYY-MM-DDTHH:MM.", s)
		}
		return t
	}
	in.OpensAt = at("opens_at", f.OpensAt)
	in.ClosesAt = at("closes_at", f.ClosesAt)
	if t := at("full_plan_due_at", f.FullPlanDueAt); !t.IsZero() {
		in.FullPlanDueAt = &t
	}
	if f.GrantCeiling != "" {
		n, err := ParseAmount(f.GrantCeiling, currency)
		if err != nil {
			fs.Add("grant_ceiling", "%q is not an amount in %s with at most %d decimals.", f.GrantCeiling, currency, MinorDigits(currency))
		}
		in.GrantCeiling = n
	}
	num := func(field, s string) int {
		n, err := strconv.Atoi(s)
		if err != nil {
			fs.Add(field, "%q is not a whole number.", s)
		}
		return n
	}
	for _, k := range RuleKinds {
		if !f.RuleOn[k] {
			continue
		}
		switch k {
		case RuleMinPrivateFirms:
			in.Rules = append(in.Rules, NewRule(k, MinPrivateFirms{N: num("rule_min_private_firms_n", f.MinFirms)}))
		case RuleMinMonthsOperating:
			in.Rules = append(in.Rules, NewRule(k, MinMonthsOperating{Months: num("rule_min_months_operating_months", f.MinMonths)}))
		case RuleEligibleCountries:
			in.Rules = append(in.Rules, NewRule(k, EligibleCountries{Countries: append([]string{}, f.RuleCountry...)}))
		case RuleRequiredDocuments:
			in.Rules = append(in.Rules, NewRule(k, RequiredDocuments{Documents: strings.Split(f.Documents, "\n")}))
		default:
			in.Rules = append(in.Rules, NewRule(k, nil))
		}
	}
	if f.Margin != "" {
		m, err := strconv.ParseFloat(strings.ReplaceAll(f.Margin, ",", "."), 64)
		if err != nil {
			fs.Add("disagreement_margin", "%q is not a number of points.", f.Margin)
		}
		in.DisagreementMargin = m
	}
	for _, row := range f.Criteria {
		if row.Name == "" && row.Weight == "" && strings.TrimSpace(row.Description) == "" && !hasLevels(row) {
			continue
		}
		c := Criterion{Name: row.Name, Description: row.Description}
		field := fmt.Sprintf("criteria[%d].weight", row.Index)
		if row.Weight == "" {
			fs.Add(field, "Give criterion %d a weight.", row.Index+1)
		} else {
			c.Weight = num(field, row.Weight)
		}
		for _, l := range row.Levels {
			c.Levels = append(c.Levels, Level{Score: l.Score, Descriptor: l.Descriptor})
		}
		in.Criteria = append(in.Criteria, c)
	}
	return in, fs
}

func hasLevels(row CriterionRow) bool {
	for _, l := range row.Levels {
		if strings.TrimSpace(l.Descriptor) != "" {
			return true
		}
	}
	return false
}

// ruleField maps a problem's field to the form's: rules[i].params.x names
// the i-th rule switched on, which the form knows by kind.
func ruleField(field string, on []RuleKind) string {
	rest, ok := strings.CutPrefix(field, "rules[")
	if !ok {
		return field
	}
	idx, tail, ok := strings.Cut(rest, "]")
	i, err := strconv.Atoi(idx)
	if !ok || err != nil || i < 0 || i >= len(on) {
		return field
	}
	tail = strings.TrimPrefix(strings.TrimPrefix(tail, ".params"), ".")
	if tail == "" {
		return "rule_" + string(on[i])
	}
	return "rule_" + string(on[i]) + "_" + tail
}
