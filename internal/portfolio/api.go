package portfolio

// APIProgramme is a programme's portfolio as the API gives it; amounts are
// in minor units of the currency.
type APIProgramme struct {
	ProgrammeID int64         `json:"programme_id"`
	Currency    string        `json:"currency"`
	Country     string        `json:"country,omitempty"` // the view is limited to this country
	Pipeline    APIStages     `json:"pipeline"`
	ByCountry   []APIGroup    `json:"by_country"`
	BySector    []APIGroup    `json:"by_sector"`
	Money       []APIMoney    `json:"money_by_country"`
	MoneyTotal  APIMoneyTotal `json:"money_total"`
}

// APIStages are the applications that reached each stage.
type APIStages struct {
	Submitted    int `json:"submitted"`
	Eligible     int `json:"eligible"`
	Shortlisted  int `json:"shortlisted"`
	Approved     int `json:"plan_approved"`
	Implementing int `json:"implementing"`
}

// APIGroup is the pipeline of one country or sector.
type APIGroup struct {
	Key      string    `json:"key"`
	Name     string    `json:"name"`
	Pipeline APIStages `json:"pipeline"`
}

// APIMoneyTotal is committed and spent money.
type APIMoneyTotal struct {
	Plans           int   `json:"approved_plans"`
	CommittedGrant  int64 `json:"committed_grant"`
	CommittedCash   int64 `json:"committed_counterpart_cash"`
	CommittedInKind int64 `json:"committed_counterpart_in_kind"`
	DisbursedGrant  int64 `json:"disbursed_grant"`
	DeliveredCash   int64 `json:"delivered_counterpart_cash"`
	DeliveredInKind int64 `json:"delivered_counterpart_in_kind"`
}

// APIMoney is one country's money.
type APIMoney struct {
	Country string `json:"country"`
	APIMoneyTotal
}

func apiStages(c Counts) APIStages {
	return APIStages{Submitted: c[Submitted], Eligible: c[Eligible], Shortlisted: c[Shortlisted], Approved: c[Approved], Implementing: c[Implementing]}
}

func apiMoney(m Money) APIMoneyTotal {
	return APIMoneyTotal{Plans: m.Plans, CommittedGrant: m.Grant, CommittedCash: m.Cash, CommittedInKind: m.InKind,
		DisbursedGrant: m.SpentGrant, DeliveredCash: m.SpentCash, DeliveredInKind: m.SpentKind}
}

func apiGroups(gs []Group) []APIGroup {
	out := make([]APIGroup, len(gs))
	for i, g := range gs {
		out[i] = APIGroup{Key: g.Key, Name: g.Name, Pipeline: apiStages(g.Counts)}
	}
	return out
}

func apiProgramme(p *Programme) APIProgramme {
	out := APIProgramme{ProgrammeID: p.ProgrammeID, Currency: p.Currency, Country: p.Country, Pipeline: apiStages(p.Total),
		ByCountry: apiGroups(p.ByCountry), BySector: apiGroups(p.BySector), MoneyTotal: apiMoney(p.MoneyTotal), Money: []APIMoney{}}
	for _, m := range p.Money {
		out.Money = append(out.Money, APIMoney{Country: m.ISO3, APIMoneyTotal: apiMoney(m.Money)})
	}
	return out
}
