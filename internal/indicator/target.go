package indicator

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/clusterobservatory/observatory/internal/problem"
)

// SubjectKind is what a baseline or target is set for.
type SubjectKind string

// The subject kinds.
const (
	SubjectCluster      SubjectKind = "cluster"
	SubjectOrganisation SubjectKind = "organisation"
	SubjectCountry      SubjectKind = "country"
)

// SubjectKinds lists the subject kinds.
var SubjectKinds = []SubjectKind{SubjectCluster, SubjectOrganisation, SubjectCountry}

// Key is the message key of the subject kind's label.
func (k SubjectKind) Key() string { return "indicator.subject." + string(k) }

// Subject is a cluster initiative or organisation (by ID) or a country (by
// ISO3), written "cluster:12", "organisation:5" or "country:JAM".
type Subject struct {
	Kind SubjectKind `json:"kind"`
	ID   int64       `json:"id,omitempty"`
	ISO3 string      `json:"iso3,omitempty"`
}

// String is the subject's "kind:id" form.
func (s Subject) String() string {
	if s.Kind == SubjectCountry {
		return "country:" + s.ISO3
	}
	return string(s.Kind) + ":" + strconv.FormatInt(s.ID, 10)
}

// IsZero reports whether no subject is set.
func (s Subject) IsZero() bool { return s.Kind == "" }

var iso3Re = regexp.MustCompile(`^[A-Z]{3}$`)

// ParseSubject reads "cluster:12", "organisation:5" or "country:JAM".
func ParseSubject(s string) (Subject, error) {
	kind, id, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || id == "" {
		return Subject{}, fmt.Errorf("%q is not a subject: write cluster:ID, organisation:ID or country:ISO3", s)
	}
	sub := Subject{Kind: SubjectKind(strings.ToLower(kind))}
	switch sub.Kind {
	case SubjectCluster, SubjectOrganisation:
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil || n <= 0 {
			return Subject{}, fmt.Errorf("%q: the ID of a %s is a positive number", s, sub.Kind)
		}
		sub.ID = n
	case SubjectCountry:
		sub.ISO3 = strings.ToUpper(id)
		if !iso3Re.MatchString(sub.ISO3) {
			return Subject{}, fmt.Errorf("%q: a country is its ISO 3166-1 alpha-3 code, such as JAM", s)
		}
	default:
		return Subject{}, fmt.Errorf("%q: the subject is a cluster, an organisation or a country", s)
	}
	return sub, nil
}

// TargetKind says whether a value is the baseline or a target.
type TargetKind string

// The target kinds.
const (
	KindBaseline TargetKind = "baseline"
	KindTarget   TargetKind = "target"
)

// TargetKinds lists the target kinds.
var TargetKinds = []TargetKind{KindBaseline, KindTarget}

// Valid reports whether k is a known kind.
func (k TargetKind) Valid() bool { return oneOf(k, TargetKinds) }

// Key is the message key of the kind's label.
func (k TargetKind) Key() string { return "indicator.kind." + string(k) }

// Target is a baseline or target value of an indicator for one subject,
// period and category.
type Target struct {
	ID            int64      `json:"id"`
	IndicatorID   int64      `json:"indicator_id"`
	IndicatorCode string     `json:"indicator_code"`
	IndicatorName string     `json:"indicator_name"`
	Unit          string     `json:"unit"`
	Subject       Subject    `json:"subject"`
	SubjectName   string     `json:"subject_name"`
	Kind          TargetKind `json:"kind"`
	PeriodType    PeriodType `json:"period_type"`
	Period        string     `json:"period"`
	Category      Category   `json:"category"`
	Value         float64    `json:"value"`
	Note          string     `json:"note"`
	Revision      int        `json:"revision"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
}

// Revision is one value a target has had, with who set it and why.
type Revision struct {
	Revision      int       `json:"revision"`
	Value         float64   `json:"value"`
	PreviousValue *float64  `json:"previous_value"`
	Note          string    `json:"note"`
	Reason        string    `json:"reason"`
	Actor         string    `json:"actor"`
	At            time.Time `json:"at"`
}

// TargetInput sets a baseline or target. Setting one that exists revises it
// and needs a reason.
type TargetInput struct {
	IndicatorID int64      `json:"indicator_id"`
	Subject     string     `json:"subject"`
	Kind        TargetKind `json:"kind"`
	Period      string     `json:"period"`
	// Category is "dimension:category" ("sex:women"), or empty for the total.
	Category string   `json:"category"`
	Value    *float64 `json:"value"`
	Note     string   `json:"note"`
	Reason   string   `json:"reason"`
}

// maxNote is the longest note on a target, in characters.
const maxNote = 1000

// checked is a target input after the checks that need no database.
type checked struct {
	subject  Subject
	period   Period
	category Category
}

func (in *TargetInput) check() (checked, problem.Fields) {
	var f problem.Fields
	var c checked
	in.Note = strings.TrimSpace(in.Note)
	in.Reason = strings.TrimSpace(in.Reason)
	if in.IndicatorID <= 0 {
		f.Add("indicator_id", "Choose the indicator.")
	}
	sub, err := ParseSubject(in.Subject)
	if err != nil {
		f.Add("subject", "%s.", err)
	}
	c.subject = sub
	in.Subject = sub.String()
	if !in.Kind.Valid() {
		f.Add("kind", "Choose baseline or target.")
	}
	p, err := ParsePeriod(in.Period)
	if err != nil {
		f.Add("period", "%s.", upperFirst(err.Error()))
	} else {
		in.Period = p.Key()
	}
	c.period = p
	if cat := strings.TrimSpace(in.Category); cat != "" && cat != "total" {
		dim, code, _ := strings.Cut(cat, ":")
		d, ok := DimensionByCode(dim)
		if !ok || !oneOf(code, d.Categories) {
			f.Add("category", "%q is not a disaggregation category: write dimension:category, such as sex:women.", cat)
		}
		c.category = Category{Dimension: dim, Code: code}
	}
	in.Category = c.category.String()
	switch {
	case in.Value == nil:
		f.Add("value", "Enter the value.")
	case math.IsNaN(*in.Value) || math.IsInf(*in.Value, 0) || math.Abs(*in.Value) > 1e15:
		f.Add("value", "Enter a number of at most 15 digits.")
	}
	if n := utf8.RuneCountInString(in.Note); n > maxNote {
		f.Add("note", "Use at most %d characters (this has %d).", maxNote, n)
	}
	if n := utf8.RuneCountInString(in.Reason); n > maxReason {
		f.Add("reason", "Use at most %d characters (this has %d).", maxReason, n)
	}
	return c, f
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(r)) + s[n:]
}

// TargetFilter narrows a list of baselines and targets.
type TargetFilter struct {
	IndicatorID int64
	Subject     Subject // zero: every subject the actor may read
	Kind        TargetKind
	Limit       int // at most 1000; 0 means 200
	Offset      int
}

// decimals is how many decimals show a value: none for whole numbers.
func decimals(v float64) int {
	if v == math.Trunc(v) {
		return 0
	}
	return 2
}

// Decimals is how many decimals the page shows for the value.
func (t *Target) Decimals() int { return decimals(t.Value) }

// Decimals is how many decimals the page shows for the value.
func (r *Revision) Decimals() int { return decimals(r.Value) }

// PreviousDecimals is how many decimals the page shows for the earlier value.
func (r *Revision) PreviousDecimals() int {
	if r.PreviousValue == nil {
		return 0
	}
	return decimals(*r.PreviousValue)
}
