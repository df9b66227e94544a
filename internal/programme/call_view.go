package programme

import (
	"time"

	"github.com/clusterobservatory/observatory/internal/i18n"
)

// Moment is a time shown in a call's zone: the day in the page's language,
// the clock time, the offset from UTC and the zone's name.
type Moment struct {
	Date     string
	Clock    string
	Offset   string // "UTC−04:00"
	Zone     string // IANA name
	Datetime string // RFC 3339, for <time datetime>
}

// moment shows t in zone.
func moment(loc *i18n.Localizer, t time.Time, zone *time.Location) Moment {
	if t.IsZero() {
		return Moment{}
	}
	in := t.In(zone)
	return Moment{Date: loc.Date(in), Clock: in.Format("15:04"), Offset: FormatOffset(in), Zone: zone.String(),
		Datetime: in.Format(time.RFC3339)}
}

// RuleLine is an eligibility rule in plain language.
type RuleLine struct {
	Kind RuleKind
	Name string
	Text string
}

// CallView is what the staff and public pages show of a call's terms.
type CallView struct {
	Call        *Call
	Programme   *Programme
	Opens       Moment
	Closes      Moment
	FullPlanDue *Moment
	Rules       []RuleLine
	Cofinancing string
	Ceiling     string
	Countries   []string // the programme's, named in the page's language
}

// newCallView prepares a call's terms for reading in loc's language.
func newCallView(loc *i18n.Localizer, c *Call, p *Programme, names map[string]string) *CallView {
	zone := c.Location()
	env := envFor(p, names)
	v := &CallView{Call: c, Programme: p, Opens: moment(loc, c.OpensAt, zone), Closes: moment(loc, c.ClosesAt, zone),
		Ceiling: Money(loc, c.GrantCeiling, p.Currency)}
	if c.FullPlanDueAt != nil {
		m := moment(loc, *c.FullPlanDueAt, zone)
		v.FullPlanDue = &m
	}
	co := c.Cofinancing()
	v.Cofinancing = co.describe(env, loc)
	for _, r := range c.Rules {
		v.Rules = append(v.Rules, RuleLine{Kind: r.Kind, Name: loc.T(r.Kind.Key()), Text: Describe(r, env, loc)})
	}
	for _, iso := range p.Countries {
		v.Countries = append(v.Countries, env.CountryName(iso))
	}
	return v
}

// MaxScore is the highest score of a criterion's rubric (0 without one).
func (c Criterion) MaxScore() int {
	m := 0
	for _, l := range c.Levels {
		m = max(m, l.Score)
	}
	return m
}
