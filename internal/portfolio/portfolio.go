package portfolio

import "github.com/clusterobservatory/observatory/internal/plan"

// Stage is a step of the pipeline.
type Stage int

// The stages, in order; each is a subset of the one before.
const (
	Submitted Stage = iota
	Eligible
	Shortlisted
	Approved
	Implementing
	stageCount
)

// Stages lists the stages in order.
var Stages = []Stage{Submitted, Eligible, Shortlisted, Approved, Implementing}

var stageKeys = [...]string{"submitted", "eligible", "shortlisted", "approved", "implementing"}

// Key is the message key of the stage's name.
func (s Stage) Key() string { return "portfolio.stage." + stageKeys[s] }

// Counts are how many applications reached each stage.
type Counts [stageCount]int

// At is the count at stage s.
func (c Counts) At(s Stage) int { return c[s] }

// Group is the pipeline of one country or sector.
type Group struct {
	Key    string // ISO3 or sector code ("" when not given)
	Name   string
	Counts Counts
}

// Money is what was committed and spent, in minor units of the
// programme's currency.
type Money struct {
	Grant, Cash, InKind              int64 // committed: the approved baselines' budgets
	SpentGrant, SpentCash, SpentKind int64 // disbursed grant and delivered counterpart
	Plans                            int   // approved plans counted
}

// Committed is the whole committed budget.
func (m Money) Committed() int64 { return m.Grant + m.Cash + m.InKind }

// Counterpart is the committed counterpart.
func (m Money) Counterpart() int64 { return m.Cash + m.InKind }

// SpentCounterpart is the delivered counterpart.
func (m Money) SpentCounterpart() int64 { return m.SpentCash + m.SpentKind }

// GrantShareDisbursed is the disbursed share of the committed grant (0 to
// 1 or more), or -1 when nothing is committed.
func (m Money) GrantShareDisbursed() float64 {
	if m.Grant == 0 {
		return -1
	}
	return float64(m.SpentGrant) / float64(m.Grant)
}

// addBudget adds an approved baseline's budget lines to the committed money.
func (m *Money) addBudget(lines []plan.BudgetLine) {
	m.Plans++
	for _, l := range lines {
		m.Grant += l.Grant
		m.Cash += l.Cash
		m.InKind += l.InKind
	}
}

// addSpent adds spending of one funding source (as plan_spending names it).
func (m *Money) addSpent(source string, sum int64) {
	switch source {
	case "grant":
		m.SpentGrant += sum
	case "cash":
		m.SpentCash += sum
	case "in_kind":
		m.SpentKind += sum
	}
}

func (m *Money) add(o Money) {
	m.Grant += o.Grant
	m.Cash += o.Cash
	m.InKind += o.InKind
	m.SpentGrant += o.SpentGrant
	m.SpentCash += o.SpentCash
	m.SpentKind += o.SpentKind
	m.Plans += o.Plans
}

// CountryMoney is the money of one country's approved plans.
type CountryMoney struct {
	ISO3, Name string
	Money
}

// Programme is a programme's portfolio.
type Programme struct {
	ProgrammeID   int64
	ProgrammeName string
	Currency      string
	Total         Counts
	ByCountry     []Group
	BySector      []Group
	Money         []CountryMoney
	MoneyTotal    Money
	// Country, when set, limits every figure to one country (a country
	// coordinator's view).
	Country string
}

// app is one application as the pipeline sees it.
type app struct {
	country, sector string
	stage           Stage // the furthest stage reached
}

// tally counts applications into the total and their groups.
func tally(apps []app, countryName, sectorName func(string) string) (Counts, []Group, []Group) {
	var total Counts
	byCountry, bySector := map[string]*Group{}, map[string]*Group{}
	group := func(m map[string]*Group, key string, name func(string) string) *Group {
		g, ok := m[key]
		if !ok {
			g = &Group{Key: key, Name: name(key)}
			m[key] = g
		}
		return g
	}
	for _, a := range apps {
		c, s := group(byCountry, a.country, countryName), group(bySector, a.sector, sectorName)
		for st := Submitted; st <= a.stage; st++ {
			total[st]++
			c.Counts[st]++
			s.Counts[st]++
		}
	}
	return total, sorted(byCountry), sorted(bySector)
}

// sorted orders groups by submissions, most first, then by name.
func sorted(m map[string]*Group) []Group {
	out := make([]Group, 0, len(m))
	for _, g := range m {
		out = append(out, *g)
	}
	sortGroups(out)
	return out
}
