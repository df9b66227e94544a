package programme

import (
	"slices"
	"strings"

	"github.com/clusterobservatory/observatory/internal/problem"
)

// The checks of the library, one kind after another: what each validates
// in its parameters, how it reads in plain language, and how it judges an
// application's facts. Pure logic, like rules.go.

func (p *MinPrivateFirms) validate(_ Env, f *problem.Fields, field string) {
	if p.N < 1 || p.N > 1000 {
		f.Add(field+".n", "The minimum number of private firms must be between 1 and 1000.")
	}
}

func (p *MinPrivateFirms) describe(_ Env, sp Speaker) string {
	return sp.T("programme.rule.min_private_firms.text", "n", p.N)
}

func (p *MinPrivateFirms) evaluate(_ Env, x Facts, sp Speaker) (bool, string) {
	if x.PrivateFirms >= p.N {
		return true, sp.T("programme.rule.min_private_firms.pass", "count", x.PrivateFirms, "n", p.N)
	}
	return false, sp.T("programme.rule.min_private_firms.fail", "count", x.PrivateFirms, "n", p.N)
}

// countries is the rule's list, or the programme's when the rule names none.
func (p *EligibleCountries) countries(env Env) []string {
	if len(p.Countries) == 0 {
		return env.ProgrammeCountries
	}
	return p.Countries
}

func (p *EligibleCountries) validate(env Env, f *problem.Fields, field string) {
	if p.Countries == nil {
		p.Countries = []string{} // stored as [], "all the programme's countries"
	}
	seen := map[string]bool{}
	for i, c := range p.Countries {
		c = strings.ToUpper(strings.TrimSpace(c))
		p.Countries[i] = c
		switch {
		case seen[c]:
			f.Add(field+".countries", "%s is listed twice.", c)
		case !slices.Contains(env.ProgrammeCountries, c):
			f.Add(field+".countries", "%s is not one of the programme's eligible countries.", c)
		}
		seen[c] = true
	}
	if len(p.countries(env)) == 0 {
		f.Add(field+".countries", "The programme lists no eligible countries; add them to the programme first.")
	}
	slices.Sort(p.Countries)
}

func (p *EligibleCountries) names(env Env) string {
	cs := p.countries(env)
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = env.country(c)
	}
	return strings.Join(names, ", ")
}

func (p *EligibleCountries) describe(env Env, sp Speaker) string {
	return sp.T("programme.rule.eligible_countries.text", "countries", p.names(env))
}

func (p *EligibleCountries) evaluate(env Env, x Facts, sp Speaker) (bool, string) {
	c := strings.ToUpper(strings.TrimSpace(x.Country))
	if c == "" {
		return false, sp.T("programme.rule.eligible_countries.unknown")
	}
	if slices.Contains(p.countries(env), c) {
		return true, sp.T("programme.rule.eligible_countries.pass", "country", env.country(c))
	}
	return false, sp.T("programme.rule.eligible_countries.fail", "country", env.country(c), "countries", p.names(env))
}

func (p *MinMonthsOperating) validate(_ Env, f *problem.Fields, field string) {
	if p.Months < 1 || p.Months > 600 {
		f.Add(field+".months", "The minimum time operating must be between 1 and 600 months.")
	}
}

func (p *MinMonthsOperating) describe(_ Env, sp Speaker) string {
	return sp.T("programme.rule.min_months_operating.text", "months", p.Months)
}

func (p *MinMonthsOperating) evaluate(_ Env, x Facts, sp Speaker) (bool, string) {
	if x.MonthsOperating >= p.Months {
		return true, sp.T("programme.rule.min_months_operating.pass", "count", x.MonthsOperating, "months", p.Months)
	}
	return false, sp.T("programme.rule.min_months_operating.fail", "count", x.MonthsOperating, "months", p.Months)
}

// declarationOf is a rule the applicant meets by declaring or showing one
// thing: formal registration, no enforceable tax debt, or the commitment
// to provide monitoring, evaluation and audit information.
type declarationOf struct {
	kind   RuleKind
	params declaration
}

func (d *declarationOf) validate(Env, *problem.Fields, string) {}

// key is the message key of one of the declaration's texts.
func (d *declarationOf) key(part string) string {
	return "programme.rule." + string(d.kind) + "." + part
}

func (d *declarationOf) describe(_ Env, sp Speaker) string {
	return sp.T(d.key("text"))
}

func (d *declarationOf) evaluate(_ Env, x Facts, sp Speaker) (bool, string) {
	ok := map[RuleKind]bool{
		RuleFormallyRegistered:   x.FormallyRegistered,
		RuleNoTaxDebt:            x.DeclaresNoTaxDebt,
		RuleMonitoringCommitment: x.CommitsToMonitoring,
	}[d.kind]
	if ok {
		return true, sp.T(d.key("pass"))
	}
	return false, sp.T(d.key("fail"))
}

func (p *RequiredDocuments) validate(_ Env, f *problem.Fields, field string) {
	var docs []string
	seen := map[string]bool{}
	for _, d := range p.Documents {
		d = strings.Join(strings.Fields(d), " ")
		if d == "" {
			continue
		}
		if len([]rune(d)) > 200 {
			f.Add(field+".documents", "A document name has at most 200 characters: %.40s…", d)
			continue
		}
		if seen[strings.ToLower(d)] {
			f.Add(field+".documents", "%q is listed twice.", d)
			continue
		}
		seen[strings.ToLower(d)] = true
		docs = append(docs, d)
	}
	p.Documents = docs
	if len(docs) == 0 {
		f.Add(field+".documents", "Name at least one required document.")
	}
}

func (p *RequiredDocuments) describe(_ Env, sp Speaker) string {
	return sp.T("programme.rule.required_documents.text", "documents", strings.Join(p.Documents, "; "))
}

func (p *RequiredDocuments) evaluate(_ Env, x Facts, sp Speaker) (bool, string) {
	have := map[string]bool{}
	for _, d := range x.Documents {
		have[strings.ToLower(strings.Join(strings.Fields(d), " "))] = true
	}
	var missing []string
	for _, d := range p.Documents {
		if !have[strings.ToLower(d)] {
			missing = append(missing, d)
		}
	}
	if len(missing) == 0 {
		return true, sp.T("programme.rule.required_documents.pass")
	}
	return false, sp.T("programme.rule.required_documents.fail", "documents", strings.Join(missing, "; "))
}

// CheckShares validates co-financing settings, naming the fields with
// prefix (the call's own fields, or a cofinancing rule's parameters).
func (p *Cofinancing) CheckShares(f *problem.Fields, prefix string) {
	if !(p.MaxGrantShare > 0 && p.MaxGrantShare <= 1) {
		f.Add(prefix+"max_grant_share", "The maximum grant share must be more than 0 and at most 1 (100 %%); 0.8 is 80 %%.")
	}
	if !(p.MinCounterpartShare >= 0 && p.MinCounterpartShare < 1) {
		f.Add(prefix+"min_counterpart_share", "The minimum counterpart share must be between 0 and 1 (100 %%), less than 1; 0.2 is 20 %%.")
	}
	switch p.InKindRule {
	case InKindNone:
		p.InKindShare = 0
	case InKindMax, InKindCash:
		if !(p.InKindShare > 0 && p.InKindShare <= 1) {
			f.Add(prefix+"in_kind_share", "The in-kind limit must be a share more than 0 and at most 1 (100 %%); 0.5 is half.")
		}
	default:
		f.Add(prefix+"in_kind_rule", "Unknown in-kind rule %q: use max_in_kind, min_cash or leave it empty.", p.InKindRule)
	}
}

func (p *Cofinancing) validate(_ Env, f *problem.Fields, field string) { p.CheckShares(f, field+".") }

func (p *Cofinancing) describe(_ Env, sp Speaker) string {
	s := sp.T("programme.rule.cofinancing.text", "grant", sp.Percent(p.MaxGrantShare, 0), "counterpart", sp.Percent(p.MinCounterpartShare, 0))
	switch p.InKindRule {
	case InKindMax:
		s += " " + sp.T("programme.rule.cofinancing.max_in_kind", "share", sp.Percent(p.InKindShare, 0))
	case InKindCash:
		s += " " + sp.T("programme.rule.cofinancing.min_cash", "share", sp.Percent(p.InKindShare, 0))
	}
	return s
}

// within is a comparison of shares that forgives rounding in the last digits.
const within = 1e-9

func (p *Cofinancing) evaluate(env Env, x Facts, sp Speaker) (bool, string) {
	counterpart := x.CounterpartCash + x.CounterpartInKind
	total := x.Grant + counterpart
	if total <= 0 || x.Grant < 0 || x.CounterpartCash < 0 || x.CounterpartInKind < 0 {
		return false, sp.T("programme.rule.cofinancing.no_budget")
	}
	grantShare := float64(x.Grant) / float64(total)
	cpShare := float64(counterpart) / float64(total)
	if grantShare > p.MaxGrantShare+within {
		return false, sp.T("programme.rule.cofinancing.grant_too_high", "share", sp.Percent(grantShare, 1), "max", sp.Percent(p.MaxGrantShare, 0))
	}
	if cpShare+within < p.MinCounterpartShare {
		return false, sp.T("programme.rule.cofinancing.counterpart_too_low", "share", sp.Percent(cpShare, 1), "min", sp.Percent(p.MinCounterpartShare, 0))
	}
	if counterpart > 0 {
		inKind := float64(x.CounterpartInKind) / float64(counterpart)
		switch {
		case p.InKindRule == InKindMax && inKind > p.InKindShare+within:
			return false, sp.T("programme.rule.cofinancing.in_kind_too_high", "share", sp.Percent(inKind, 1), "max", sp.Percent(p.InKindShare, 0))
		case p.InKindRule == InKindCash && 1-inKind+within < p.InKindShare:
			return false, sp.T("programme.rule.cofinancing.cash_too_low", "share", sp.Percent(1-inKind, 1), "min", sp.Percent(p.InKindShare, 0))
		}
	}
	return true, sp.T("programme.rule.cofinancing.pass", "grant", sp.Percent(grantShare, 1), "counterpart", sp.Percent(cpShare, 1))
}

func (p *GrantCeiling) validate(_ Env, f *problem.Fields, field string) {
	if p.Amount <= 0 {
		f.Add(field+".amount", "The grant ceiling must be more than zero.")
	}
}

func (p *GrantCeiling) describe(env Env, sp Speaker) string {
	return sp.T("programme.rule.grant_ceiling.text", "amount", Money(sp, p.Amount, env.Currency))
}

func (p *GrantCeiling) evaluate(env Env, x Facts, sp Speaker) (bool, string) {
	if x.Grant <= p.Amount {
		return true, sp.T("programme.rule.grant_ceiling.pass", "amount", Money(sp, x.Grant, env.Currency), "max", Money(sp, p.Amount, env.Currency))
	}
	return false, sp.T("programme.rule.grant_ceiling.fail", "amount", Money(sp, x.Grant, env.Currency), "max", Money(sp, p.Amount, env.Currency))
}
