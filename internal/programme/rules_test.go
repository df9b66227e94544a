package programme

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/problem"
)

var testEnv = Env{Currency: "USD", ProgrammeCountries: []string{"BRB", "JAM", "TTO"},
	CountryName: func(c string) string {
		return map[string]string{"BRB": "Barbados", "JAM": "Jamaica", "TTO": "Trinidad and Tobago", "USA": "United States"}[c]
	}}

// eligible are the facts of an application that meets every rule of the
// first call: four firms in Jamaica, two years old, with a budget of
// 400,000 of which 300,000 grant, 60,000 cash and 40,000 in kind.
func eligible() Facts {
	return Facts{PrivateFirms: 4, Country: "JAM", MonthsOperating: 24, FormallyRegistered: true, DeclaresNoTaxDebt: true,
		Documents: []string{"Certificate of incorporation", " counterpart  commitment letter "},
		Grant:     300_000_00, CounterpartCash: 60_000_00, CounterpartInKind: 40_000_00, CommitsToMonitoring: true}
}

func TestEvaluateRules(t *testing.T) {
	en := i18n.For("en")
	co := Cofinancing{MaxGrantShare: 0.8, MinCounterpartShare: 0.2, InKindRule: InKindMax, InKindShare: 0.5}
	cash := Cofinancing{MaxGrantShare: 0.8, MinCounterpartShare: 0.2, InKindRule: InKindCash, InKindShare: 0.5}
	tests := []struct {
		name   string
		rule   Rule
		facts  func(*Facts)
		pass   bool
		reason string
	}{
		{"enough firms", NewRule(RuleMinPrivateFirms, MinPrivateFirms{N: 3}), nil, true, "4 private firms take part"},
		{"too few firms", NewRule(RuleMinPrivateFirms, MinPrivateFirms{N: 3}), func(f *Facts) { f.PrivateFirms = 2 }, false,
			"Only 2 private firms take part; at least 3 are needed."},
		{"country of the programme", NewRule(RuleEligibleCountries, EligibleCountries{}), nil, true, "located in Jamaica"},
		{"country outside a subset", NewRule(RuleEligibleCountries, EligibleCountries{Countries: []string{"BRB", "TTO"}}), nil, false,
			"located in Jamaica, which is not eligible (Barbados, Trinidad and Tobago)"},
		{"country not given", NewRule(RuleEligibleCountries, EligibleCountries{}), func(f *Facts) { f.Country = "" }, false, "does not say where"},
		{"old enough", NewRule(RuleMinMonthsOperating, MinMonthsOperating{Months: 12}), nil, true, "operating for 24 months"},
		{"too young", NewRule(RuleMinMonthsOperating, MinMonthsOperating{Months: 12}), func(f *Facts) { f.MonthsOperating = 11 }, false,
			"only 11 months; at least 12"},
		{"registered", NewRule(RuleFormallyRegistered, nil), nil, true, "is formally registered"},
		{"not registered", NewRule(RuleFormallyRegistered, nil), func(f *Facts) { f.FormallyRegistered = false }, false, "not shown to be formally registered"},
		{"tax declared", NewRule(RuleNoTaxDebt, nil), nil, true, "no enforceable tax debt"},
		{"tax not declared", NewRule(RuleNoTaxDebt, nil), func(f *Facts) { f.DeclaresNoTaxDebt = false }, false, "declaration"},
		{"monitoring", NewRule(RuleMonitoringCommitment, nil), func(f *Facts) { f.CommitsToMonitoring = false }, false, "commitment"},
		{"documents, spacing and case ignored", NewRule(RuleRequiredDocuments, RequiredDocuments{Documents: []string{"Certificate of Incorporation", "Counterpart commitment letter"}}),
			nil, true, "Every required document"},
		{"a document missing", NewRule(RuleRequiredDocuments, RequiredDocuments{Documents: []string{"Certificate of incorporation", "Tax compliance certificate"}}),
			nil, false, "Missing documents: Tax compliance certificate."},
		{"co-financing met", NewRule(RuleCofinancing, co), nil, true, "75.0% of the budget and the cluster 25.0%"},
		{"grant share exactly at the limit", NewRule(RuleCofinancing, co), func(f *Facts) { f.Grant, f.CounterpartCash, f.CounterpartInKind = 80, 10, 10 }, true, ""},
		{"grant share too high", NewRule(RuleCofinancing, co), func(f *Facts) { f.Grant = 500_000_00 }, false,
			"The grant would cover 83.3% of the budget; at most 80% is allowed."},
		{"counterpart too low", NewRule(RuleCofinancing, Cofinancing{MaxGrantShare: 0.9, MinCounterpartShare: 0.3}), nil, false,
			"The cluster contributes 25.0% of the budget; at least 30% is needed."},
		{"too much in kind", NewRule(RuleCofinancing, co), func(f *Facts) { f.CounterpartCash, f.CounterpartInKind = 40_000_00, 60_000_00 }, false,
			"60.0% of the cluster's contribution is in kind; at most 50% may be."},
		{"half in cash is enough", NewRule(RuleCofinancing, cash), func(f *Facts) { f.CounterpartCash, f.CounterpartInKind = 50_000_00, 50_000_00 }, true, ""},
		{"too little cash", NewRule(RuleCofinancing, cash), func(f *Facts) { f.CounterpartCash, f.CounterpartInKind = 30_000_00, 70_000_00 }, false,
			"30.0% of the cluster's contribution is in cash; at least 50% must be."},
		{"no budget", NewRule(RuleCofinancing, co), func(f *Facts) { f.Grant, f.CounterpartCash, f.CounterpartInKind = 0, 0, 0 }, false, "no budget"},
		{"within the ceiling", NewRule(RuleGrantCeiling, GrantCeiling{Amount: 300_000_00}), nil, true, "300,000\u00a0USD, is within the ceiling of 300,000\u00a0USD"},
		{"above the ceiling", NewRule(RuleGrantCeiling, GrantCeiling{Amount: 250_000_00}), nil, false, "above the ceiling of 250,000\u00a0USD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			facts := eligible()
			if tt.facts != nil {
				tt.facts(&facts)
			}
			got := Evaluate(tt.rule, testEnv, facts, en)
			if got.Pass != tt.pass {
				t.Errorf("pass = %v, want %v (%s)", got.Pass, tt.pass, got.Reason)
			}
			if !strings.Contains(got.Reason, tt.reason) || strings.Contains(got.Reason, "programme.") {
				t.Errorf("reason = %q, want it to contain %q", got.Reason, tt.reason)
			}
		})
	}
}

func TestEvaluateAllAndTranslatedReasons(t *testing.T) {
	rules := []Rule{NewRule(RuleMinPrivateFirms, MinPrivateFirms{N: 3}), NewRule(RuleNoTaxDebt, nil)}
	out, all := EvaluateAll(rules, testEnv, eligible(), i18n.For("en"))
	if !all || len(out) != 2 {
		t.Fatalf("all = %v, outcomes %+v", all, out)
	}
	f := eligible()
	f.PrivateFirms = 1
	out, all = EvaluateAll(rules, testEnv, f, i18n.For("es"))
	if all || out[0].Pass || !strings.Contains(out[0].Reason, "Solo participan 1 empresas privadas") {
		t.Errorf("Spanish outcome %+v", out[0])
	}
}

func TestCheckRules(t *testing.T) {
	raw := func(kind RuleKind, params string) Rule { return Rule{Kind: kind, Params: json.RawMessage(params)} }
	tests := []struct {
		name  string
		rules []Rule
		field string
		msg   string
	}{
		{"unknown kind", []Rule{raw("min_turnover", `{}`)}, "rules[0]", `Unknown rule kind "min_turnover"`},
		{"unknown parameter", []Rule{raw(RuleMinPrivateFirms, `{"firms": 3}`)}, "rules[0].params", `unknown field "firms"`},
		{"wrong type", []Rule{raw(RuleMinPrivateFirms, `{"n": "three"}`)}, "rules[0].params", `expected {"n": 3}`},
		{"zero firms", []Rule{raw(RuleMinPrivateFirms, `{"n": 0}`)}, "rules[0].params.n", "between 1 and 1000"},
		{"declaration with parameters", []Rule{raw(RuleNoTaxDebt, `{"years": 2}`)}, "rules[0].params", "takes no parameters"},
		{"country outside the programme", []Rule{raw(RuleEligibleCountries, `{"countries": ["jam", "USA"]}`)}, "rules[0].params.countries",
			"USA is not one of the programme's eligible countries"},
		{"no documents", []Rule{raw(RuleRequiredDocuments, `{"documents": ["  "]}`)}, "rules[0].params.documents", "at least one"},
		{"twice", []Rule{raw(RuleNoTaxDebt, ``), raw(RuleNoTaxDebt, `{}`)}, "rules[1]", "given twice"},
		{"bad shares", []Rule{raw(RuleCofinancing, `{"max_grant_share": 1.2, "min_counterpart_share": 0.2}`)}, "rules[0].params.max_grant_share", "at most 1"},
		{"bad in-kind rule", []Rule{raw(RuleCofinancing, `{"max_grant_share": 0.8, "in_kind_rule": "some"}`)}, "rules[0].params.in_kind_rule", "Unknown in-kind rule"},
		{"in-kind limit missing", []Rule{raw(RuleCofinancing, `{"max_grant_share": 0.8, "in_kind_rule": "min_cash"}`)}, "rules[0].params.in_kind_share", "in-kind limit"},
		{"ceiling zero", []Rule{raw(RuleGrantCeiling, `{"amount": 0}`)}, "rules[0].params.amount", "more than zero"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f problem.Fields
			CheckRules(tt.rules, testEnv, &f)
			found := false
			for _, d := range f {
				found = found || (d.Field == tt.field && strings.Contains(d.Message, tt.msg))
			}
			if !found {
				t.Errorf("want %s: …%s…, got %+v", tt.field, tt.msg, f)
			}
		})
	}
	// Good rules come back in canonical form.
	var f problem.Fields
	out := CheckRules([]Rule{raw(RuleEligibleCountries, `{"countries": [" tto", "JAM"]}`), raw(RuleFormallyRegistered, "")}, testEnv, &f)
	empty := CheckRules([]Rule{NewRule(RuleEligibleCountries, EligibleCountries{})}, testEnv, &f)
	if len(f) != 0 || string(empty[0].Params) != `{"countries":[]}` {
		t.Errorf("all the programme's countries: %v %s", f, empty[0].Params)
	}
	if len(f) != 0 || len(out) != 2 || string(out[0].Params) != `{"countries":["JAM","TTO"]}` || string(out[1].Params) != `{}` {
		t.Errorf("canonical rules: %v %s %s", f, out[0].Params, out[1].Params)
	}
}

func TestDescribeInPlainLanguage(t *testing.T) {
	en, fr := i18n.For("en"), i18n.For("fr")
	tests := []struct {
		rule Rule
		want string
	}{
		{NewRule(RuleMinPrivateFirms, MinPrivateFirms{N: 3}), "The cluster brings together at least 3 private firms that collaborate."},
		{NewRule(RuleEligibleCountries, EligibleCountries{}), "located in one of these countries: Barbados, Jamaica, Trinidad and Tobago."},
		{NewRule(RuleRequiredDocuments, RequiredDocuments{Documents: []string{"Legal-status documents", "Counterpart commitment letter"}}),
			"these documents: Legal-status documents; Counterpart commitment letter."},
		{NewRule(RuleCofinancing, Cofinancing{MaxGrantShare: 0.8, MinCounterpartShare: 0.2, InKindRule: InKindMax, InKindShare: 0.5}),
			"at most 80% of the project budget; the cluster contributes at least 20%. At most 50% of the cluster's contribution may be in kind."},
		{NewRule(RuleGrantCeiling, GrantCeiling{Amount: 400_000_00}), "at most 400,000\u00a0USD."},
		{NewRule(RuleGrantCeiling, GrantCeiling{Amount: 1_250_50}), "at most 1,250.50\u00a0USD."},
	}
	for _, tt := range tests {
		if got := Describe(tt.rule, testEnv, en); !strings.HasSuffix(got, tt.want) {
			t.Errorf("%s: %q, want …%q", tt.rule.Kind, got, tt.want)
		}
	}
	got := Describe(NewRule(RuleCofinancing, Cofinancing{MaxGrantShare: 0.8, MinCounterpartShare: 0.2, InKindRule: InKindCash, InKindShare: 0.5}), testEnv, fr)
	if !strings.Contains(got, "au plus 80\u00a0% du budget") || !strings.Contains(got, "Au moins 50\u00a0% de l’apport du cluster doit être en numéraire.") {
		t.Errorf("French: %q", got)
	}
}

func TestAmounts(t *testing.T) {
	for _, tt := range []struct {
		in, cur string
		want    int64
		ok      bool
	}{
		{"300000", "USD", 300_000_00, true}, {"300,000.5", "USD", 300_000_50, true}, {"1 250.05", "USD", 1_250_05, true},
		{"5000", "JPY", 5000, true}, {"50.5", "JPY", 0, false}, {"1.234", "USD", 0, false}, {"-3", "USD", 0, false}, {"", "USD", 0, false}, {"abc", "USD", 0, false},
	} {
		got, err := ParseAmount(tt.in, tt.cur)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseAmount(%q, %s) = %d, %v", tt.in, tt.cur, got, err)
		}
	}
	if FormatAmount(300_000_50, "USD") != "300000.50" || FormatAmount(300_000_00, "USD") != "300000" || FormatAmount(5000, "JPY") != "5000" {
		t.Error("FormatAmount")
	}
	if !ValidCurrency("TTD") || !ValidCurrency("XCD") || ValidCurrency("usd") || ValidCurrency("ABC") || ValidCurrency("US") {
		t.Error("ValidCurrency")
	}
}
