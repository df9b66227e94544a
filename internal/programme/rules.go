package programme

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/clusterobservatory/observatory/internal/problem"
)

// This file is the library of eligibility checks a call may use. It knows
// neither SQL nor HTTP: it validates a rule's parameters, describes the
// rule in plain language and, for applications, evaluates it against the
// facts an applicant gives.

// RuleKind names one check of the library.
type RuleKind string

// The kinds of eligibility rule.
const (
	RuleMinPrivateFirms      RuleKind = "min_private_firms"
	RuleEligibleCountries    RuleKind = "eligible_countries"
	RuleMinMonthsOperating   RuleKind = "min_months_operating"
	RuleFormallyRegistered   RuleKind = "formally_registered"
	RuleNoTaxDebt            RuleKind = "no_tax_debt"
	RuleRequiredDocuments    RuleKind = "required_documents"
	RuleCofinancing          RuleKind = "cofinancing"
	RuleGrantCeiling         RuleKind = "grant_ceiling"
	RuleMonitoringCommitment RuleKind = "monitoring_commitment"
)

// RuleKinds lists the library in the order a call's form shows it.
var RuleKinds = []RuleKind{RuleMinPrivateFirms, RuleEligibleCountries, RuleMinMonthsOperating, RuleFormallyRegistered,
	RuleNoTaxDebt, RuleRequiredDocuments, RuleMonitoringCommitment, RuleCofinancing, RuleGrantCeiling}

// Derived reports whether the call's own co-financing fields set the rule,
// so that nobody edits it as a rule.
func (k RuleKind) Derived() bool { return k == RuleCofinancing || k == RuleGrantCeiling }

// Valid reports whether k is in the library.
func (k RuleKind) Valid() bool { return slices.Contains(RuleKinds, k) }

// Key is the message key of the kind's name.
func (k RuleKind) Key() string { return "programme.rule." + string(k) + ".name" }

// Rule is one eligibility rule of a call: a kind and its parameters as JSON.
type Rule struct {
	Kind   RuleKind        `json:"kind"`
	Params json.RawMessage `json:"params"`
}

// InKindRule limits how the cluster's counterpart is made up.
type InKindRule string

// The in-kind rules.
const (
	InKindNone InKindRule = ""            // no limit
	InKindMax  InKindRule = "max_in_kind" // at most a share of the counterpart in kind
	InKindCash InKindRule = "min_cash"    // at least a share of the counterpart in cash
)

// The parameters of each kind. Declarations (formally_registered,
// no_tax_debt, monitoring_commitment) take none.
type (
	// MinPrivateFirms asks for at least N private firms collaborating.
	MinPrivateFirms struct {
		N int `json:"n"`
	}
	// EligibleCountries lists where applicants may be located: a subset of
	// the programme's countries, or all of them when empty.
	EligibleCountries struct {
		Countries []string `json:"countries"`
	}
	// MinMonthsOperating asks for at least Months of operation.
	MinMonthsOperating struct {
		Months int `json:"months"`
	}
	// RequiredDocuments names documents the application must include.
	RequiredDocuments struct {
		Documents []string `json:"documents"`
	}
	// Cofinancing bounds the grant's share of the project budget and the
	// cluster's counterpart, and how much of the counterpart may be in kind.
	Cofinancing struct {
		MaxGrantShare       float64    `json:"max_grant_share"`
		MinCounterpartShare float64    `json:"min_counterpart_share"`
		InKindRule          InKindRule `json:"in_kind_rule"`
		InKindShare         float64    `json:"in_kind_share"`
	}
	// GrantCeiling caps the grant, in minor units of the programme's currency.
	GrantCeiling struct {
		Amount int64 `json:"amount"`
	}
	declaration struct{}
)

// Env is what rules need to know of their call: the programme's currency
// and countries, and how to name a country in the reader's language.
type Env struct {
	Currency           string
	ProgrammeCountries []string
	CountryName        func(iso3 string) string // nil: the code itself
}

func (e Env) country(iso3 string) string {
	if e.CountryName == nil {
		return iso3
	}
	return e.CountryName(iso3)
}

// Speaker translates and formats numbers in one language (an
// *i18n.Localizer is one).
type Speaker interface {
	T(key string, args ...any) string
	Float(f float64, decimals int) string
	Percent(share float64, decimals int) string
}

// Facts are what an application states, as evaluation needs them. Amounts
// are in minor units of the programme's currency.
type Facts struct {
	PrivateFirms        int
	Country             string // ISO3 of where the applicant is located
	MonthsOperating     int
	FormallyRegistered  bool
	DeclaresNoTaxDebt   bool
	Documents           []string // names of the documents included
	Grant               int64    // grant requested
	CounterpartCash     int64
	CounterpartInKind   int64
	CommitsToMonitoring bool
}

// Outcome is the result of evaluating one rule: pass or fail, and why.
type Outcome struct {
	Kind   RuleKind `json:"kind"`
	Pass   bool     `json:"pass"`
	Reason string   `json:"reason"`
}

// check is what every kind's parameters do.
type check interface {
	validate(env Env, f *problem.Fields, field string)
	describe(env Env, sp Speaker) string
	evaluate(env Env, facts Facts, sp Speaker) (bool, string)
}

// decodeParams reads a rule's parameters into its kind's type, refusing
// unknown fields; empty parameters are an empty object.
func decodeParams(kind RuleKind, raw json.RawMessage) (check, error) {
	if len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		raw = json.RawMessage("{}")
	}
	var c check
	switch kind {
	case RuleMinPrivateFirms:
		c = &MinPrivateFirms{}
	case RuleEligibleCountries:
		c = &EligibleCountries{}
	case RuleMinMonthsOperating:
		c = &MinMonthsOperating{}
	case RuleFormallyRegistered, RuleNoTaxDebt, RuleMonitoringCommitment:
		c = &declarationOf{kind: kind}
	case RuleRequiredDocuments:
		c = &RequiredDocuments{}
	case RuleCofinancing:
		c = &Cofinancing{}
	case RuleGrantCeiling:
		c = &GrantCeiling{}
	default:
		return nil, fmt.Errorf("unknown rule kind %q: use %s", kind, kindsText())
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	target := any(c)
	if d, ok := c.(*declarationOf); ok {
		target = &d.params
	}
	if err := dec.Decode(target); err != nil {
		return nil, fmt.Errorf("the parameters of %s are not valid: %s", kind, paramsHint(kind, err))
	}
	return c, nil
}

func kindsText() string {
	s := make([]string, len(RuleKinds))
	for i, k := range RuleKinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

// paramsHint says what the parameters of a kind look like.
func paramsHint(kind RuleKind, err error) string {
	want := map[RuleKind]string{
		RuleMinPrivateFirms:    `{"n": 3}`,
		RuleEligibleCountries:  `{"countries": ["JAM", "TTO"]} (empty for all the programme's countries)`,
		RuleMinMonthsOperating: `{"months": 12}`,
		RuleRequiredDocuments:  `{"documents": ["Certificate of incorporation"]}`,
		RuleCofinancing:        `{"max_grant_share": 0.8, "min_counterpart_share": 0.2, "in_kind_rule": "max_in_kind", "in_kind_share": 0.5}`,
		RuleGrantCeiling:       `{"amount": 30000000} (minor units)`,
	}[kind]
	if want == "" {
		want = "{} (a declaration takes no parameters)"
	}
	return fmt.Sprintf("%v; expected %s", err, want)
}

// CheckRules validates a call's rules, adding a problem per bad rule under
// field "rules[i]" or "rules[i].params", and returns them with their
// parameters in canonical JSON.
func CheckRules(rules []Rule, env Env, f *problem.Fields) []Rule {
	out := make([]Rule, 0, len(rules))
	seen := map[RuleKind]bool{}
	for i, r := range rules {
		field := fmt.Sprintf("rules[%d]", i)
		if !r.Kind.Valid() {
			f.Add(field, "Unknown rule kind %q: use %s.", r.Kind, kindsText())
			continue
		}
		if seen[r.Kind] {
			f.Add(field, "The rule %s is given twice; a call uses each kind once.", r.Kind)
			continue
		}
		seen[r.Kind] = true
		c, err := decodeParams(r.Kind, r.Params)
		if err != nil {
			f.Add(field+".params", "%s.", err.Error())
			continue
		}
		n := len(*f)
		c.validate(env, f, field+".params")
		if len(*f) > n {
			continue
		}
		out = append(out, Rule{Kind: r.Kind, Params: canonical(c)})
	}
	return out
}

func canonical(c check) json.RawMessage {
	var v any = c
	if d, ok := c.(*declarationOf); ok {
		v = d.params
	}
	b, _ := json.Marshal(v)
	return b
}

// NewRule builds a rule from typed parameters (a declaration takes nil).
func NewRule(kind RuleKind, params any) Rule {
	if params == nil {
		return Rule{Kind: kind, Params: json.RawMessage("{}")}
	}
	b, _ := json.Marshal(params)
	return Rule{Kind: kind, Params: b}
}

// Describe says what a rule asks, in plain language; a rule whose
// parameters do not decode (never stored) is named by its kind.
func Describe(r Rule, env Env, sp Speaker) string {
	c, err := decodeParams(r.Kind, r.Params)
	if err != nil {
		return string(r.Kind)
	}
	return c.describe(env, sp)
}

// Evaluate checks one rule against an application's facts.
func Evaluate(r Rule, env Env, facts Facts, sp Speaker) Outcome {
	c, err := decodeParams(r.Kind, r.Params)
	if err != nil {
		return Outcome{Kind: r.Kind, Reason: err.Error()}
	}
	pass, reason := c.evaluate(env, facts, sp)
	return Outcome{Kind: r.Kind, Pass: pass, Reason: reason}
}

// EvaluateAll checks every rule and reports whether all pass.
func EvaluateAll(rules []Rule, env Env, facts Facts, sp Speaker) ([]Outcome, bool) {
	out := make([]Outcome, len(rules))
	all := true
	for i, r := range rules {
		out[i] = Evaluate(r, env, facts, sp)
		all = all && out[i].Pass
	}
	return out, all
}
