package demo

import (
	"time"

	"github.com/clusterobservatory/observatory/internal/programme"
)

// The demo programme and its two calls. The closed call is modelled on the
// region's real call for cluster proposals: a grant of up to US$400,000
// covering at most 80 % of the project, a counterpart of at least 20 % of
// which at most half may be in kind, and the real call's eligibility rules
// and scoring criteria.

const (
	programmeName     = "Caribbean Cluster Competitiveness Programme"
	programmeCurrency = "USD"
	closedCallNumber  = "2024-1"
	openCallNumber    = "2026-1"
	// Document names, as the required_documents rule lists them.
	docIncorporation = "Certificate of incorporation"
	docCommitment    = "Counterpart commitment letter"
)

// callZone is the calls' time zone (UTC−4, no daylight saving time).
var callZone = func() *time.Location {
	loc, err := time.LoadLocation(programme.DefaultTimeZone)
	if err != nil {
		return time.FixedZone("AST", -4*3600)
	}
	return loc
}()

// The closed call's real dates, in the call's zone. The call is created
// open (see createApplications) and moved to these dates afterwards.
var (
	closedOpens    = time.Date(2024, 3, 4, 9, 0, 0, 0, callZone)
	closedCloses   = time.Date(2024, 5, 31, 16, 0, 0, 0, callZone)
	closedPlansDue = time.Date(2024, 10, 31, 16, 0, 0, 0, callZone)
)

// rubric builds five levels from the descriptors of scores 1 to 5.
func rubric(d1, d2, d3, d4, d5 string) []programme.Level {
	return []programme.Level{{Score: 1, Descriptor: d1}, {Score: 2, Descriptor: d2}, {Score: 3, Descriptor: d3},
		{Score: 4, Descriptor: d4}, {Score: 5, Descriptor: d5}}
}

// baseRules are the eligibility rules both calls share; co-financing and
// the grant ceiling are derived from the calls' own fields.
func baseRules() []programme.Rule {
	return []programme.Rule{
		programme.NewRule(programme.RuleMinPrivateFirms, programme.MinPrivateFirms{N: 3}),
		programme.NewRule(programme.RuleEligibleCountries, programme.EligibleCountries{Countries: []string{}}),
		programme.NewRule(programme.RuleMinMonthsOperating, programme.MinMonthsOperating{Months: 12}),
		programme.NewRule(programme.RuleFormallyRegistered, nil),
		programme.NewRule(programme.RuleNoTaxDebt, nil),
		programme.NewRule(programme.RuleRequiredDocuments, programme.RequiredDocuments{Documents: []string{docIncorporation, docCommitment}}),
		programme.NewRule(programme.RuleMonitoringCommitment, nil),
	}
}

// closedCriteria are the real call's criteria; the position of each is
// what reviewers' scores refer to.
var closedCriteria = []programme.Criterion{
	{Name: "Potential impact on employment", Weight: 25,
		Description: "New and better jobs in the cluster's firms, including for women, young people and marginalised groups.",
		Levels: rubric("No credible employment effect; inclusion not addressed.",
			"A few jobs, loosely estimated; inclusion mentioned only in passing.",
			"Jobs estimated for the main firms, with some attention to women or young people.",
			"Clear, well-founded job targets with specific measures for women and marginalised groups.",
			"Substantial, well-evidenced job creation with targets and measures for women, young people and marginalised groups.")},
	{Name: "Potential impact on revenue and foreign exchange", Weight: 25,
		Description: "Growth of the firms' sales and of export or tourism earnings in foreign exchange.",
		Levels: rubric("No effect on sales or foreign exchange can be seen.",
			"Some local sales growth; exports or foreign earnings unlikely.",
			"Plausible sales growth and some new export or visitor earnings.",
			"Well-founded sales growth with identified export markets or visitor segments.",
			"Strong, quantified growth in sales and foreign exchange earnings, backed by buyers' commitments.")},
	{Name: "Quality of the cluster's collaboration", Weight: 20,
		Description: "How far the firms and institutions already work together, and the governance of the initiative.",
		Levels: rubric("Firms listed but no joint work or governance.",
			"Occasional contact between a few members; no agreed governance.",
			"Regular meetings and some joint activities; basic governance.",
			"Active joint projects, a working committee and clear roles for the support institutions.",
			"A trusted, well-governed collaboration with a track record of joint investment.")},
	{Name: "Feasibility and budget", Weight: 15,
		Description: "Whether the activities, timetable and budget are realistic and the counterpart is secured.",
		Levels: rubric("Activities unclear; budget does not match them.",
			"Activities listed but timetable or costs unrealistic.",
			"A workable plan with some gaps in costing or counterpart.",
			"A realistic plan and budget with the counterpart committed.",
			"A detailed, realistic plan, well-costed, with the counterpart committed in writing.")},
	{Name: "Sustainability", Weight: 15,
		Description: "Whether the cluster's work and its results continue after the grant ends.",
		Levels: rubric("Everything stops when the grant ends.",
			"Continuation depends on further grants.",
			"Some activities continue through members' fees or services.",
			"A credible plan to fund the cluster's coordination after the grant.",
			"Self-financing services and commitments that secure the cluster's future.")},
}

// openCriteria are the 2026 call's criteria: green innovation, climate
// resilience and inclusion.
var openCriteria = []programme.Criterion{
	{Name: "Green innovation", Weight: 30,
		Description: "New products, processes or business models that cut emissions, waste, energy or water use.",
		Levels: rubric("No green element.",
			"Minor efficiency gains in one firm.",
			"Green improvements adopted by several members.",
			"A cluster-wide green innovation with measurable savings.",
			"A green innovation that changes the value chain, with targets and monitoring.")},
	{Name: "Climate resilience", Weight: 30,
		Description: "How the cluster prepares its members for hurricanes, drought, flooding and sea-level rise.",
		Levels: rubric("Climate risks not considered.",
			"Risks named but no measures.",
			"Some measures for the most exposed members.",
			"A risk assessment with measures for most members.",
			"A cluster-wide resilience plan with insurance, continuity and recovery arrangements.")},
	{Name: "Inclusion", Weight: 25,
		Description: "Opportunities for women, young people, rural producers and marginalised groups.",
		Levels: rubric("Not addressed.",
			"Mentioned without measures.",
			"Measures for one group.",
			"Measures and targets for several groups.",
			"Inclusion is central, with targets, measures and people from these groups in the cluster's governance.")},
	{Name: "Feasibility and budget", Weight: 15,
		Description: "Whether the activities, timetable and budget are realistic and the counterpart is secured.",
		Levels: rubric("Activities unclear; budget does not match them.",
			"Activities listed but timetable or costs unrealistic.",
			"A workable plan with some gaps in costing or counterpart.",
			"A realistic plan and budget with the counterpart committed.",
			"A detailed, realistic plan, well-costed, with the counterpart committed in writing.")},
}

// closedCallInput is the 2024 call, open at the moment now so that the
// applications can be submitted through the store; see createApplications.
func closedCallInput(programmeID int64, now time.Time) programme.CallInput {
	return programme.CallInput{ProgrammeID: programmeID, Number: closedCallNumber,
		Title: "Call for cluster proposals 2024",
		Description: "The programme invites cluster initiatives of the region to propose a cluster competitiveness improvement plan. " +
			"Applicants send a concept note with the cluster's datasheet and budget request; the clusters the panel shortlists write " +
			"their full plan with a facilitator. Grants of up to US$400,000 cover at most 80 % of the project; the cluster contributes " +
			"at least 20 %, of which at most half in kind.",
		TimeZone: programme.DefaultTimeZone, OpensAt: now.Add(-time.Hour), ClosesAt: now.AddDate(0, 0, 30), Published: true,
		GrantCeiling: 400_000_00, MaxGrantShare: 0.8, MinCounterpartShare: 0.2, InKindRule: programme.InKindMax, InKindShare: 0.5,
		Rules: baseRules(), Criteria: closedCriteria}
}

// openCallInput is the 2026 call: it opened six weeks before the demo was
// generated and closes two months after, so that it stays open for a while
// whenever the demo is started.
func openCallInput(programmeID int64, now time.Time) programme.CallInput {
	local := now.In(callZone)
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, callZone)
	opens := day.AddDate(0, 0, -42).Add(9 * time.Hour)
	closes := day.AddDate(0, 0, 60).Add(16 * time.Hour)
	due := closes.AddDate(0, 4, 0)
	return programme.CallInput{ProgrammeID: programmeID, Number: openCallNumber,
		Title: "Green and inclusive cluster growth 2026",
		Description: "The second call funds cluster initiatives that make their value chains greener and more resilient to climate " +
			"shocks while opening opportunities to women, young people and rural producers. Grants of up to US$250,000 cover at most " +
			"80 % of the project.",
		TimeZone: programme.DefaultTimeZone, OpensAt: opens, ClosesAt: closes, FullPlanDueAt: &due, Published: true,
		GrantCeiling: 250_000_00, MaxGrantShare: 0.8, MinCounterpartShare: 0.2, InKindRule: programme.InKindMax, InKindShare: 0.5,
		Rules: baseRules(), Criteria: openCriteria}
}
