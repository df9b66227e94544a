package main

import (
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
)

// answers are one firm's answers to the shipped firm survey, varied from a
// seed so that submissions differ as real ones do.
type answers struct {
	FirmName                               string
	Year, Total, Women, Youth, JobsCreated int
	Revenue, Exports                       float64
	Partners                               []string
}

func newAnswers(r *rand.Rand, firm int) answers {
	total := 1 + r.IntN(250)
	revenue := float64(10000+r.IntN(5_000_000)) + 0.5
	a := answers{FirmName: fmt.Sprintf("Ingest Firm %06d", firm+1), Year: 2025, Total: total, Women: r.IntN(total + 1),
		Youth: r.IntN(total + 1), JobsCreated: r.IntN(20), Revenue: revenue, Exports: float64(r.IntN(int(revenue)))}
	for range r.IntN(3) {
		a.Partners = append(a.Partners, fmt.Sprintf("Partner %d", r.IntN(1000)))
	}
	return a
}

// JSON is the answers as the respondent page's script sends them.
func (a answers) JSON() json.RawMessage {
	m := map[string]any{"firm_name": a.FirmName, "year": a.Year, "employees_total": a.Total, "employees_women": a.Women,
		"employees_youth": a.Youth, "jobs_created": a.JobsCreated, "revenue": a.Revenue, "exports": a.Exports,
		"new_products_markets": "new_product"}
	var rows []map[string]any
	for _, p := range a.Partners {
		rows = append(rows, map[string]any{"partner_name": p, "partner_type": "firm", "cooperation_kind": "supply joint_project"})
	}
	if rows != nil {
		m["partners"] = rows
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(err) // only plain values above
	}
	return b
}

// pageBody is the body of POST /r/{token}/submissions.
func pageBody(instanceID string, versionID int64, a answers) []byte {
	b, err := json.Marshal(struct {
		InstanceID string          `json:"instance_id"`
		VersionID  int64           `json:"version_id"`
		Answers    json.RawMessage `json:"answers"`
	}{instanceID, versionID, a.JSON()})
	if err != nil {
		panic(err)
	}
	return b
}

// instanceXML is the instance ODK Collect sends for the campaign's form:
// the respondent question first, then the survey's groups and repeat.
func instanceXML(formKey, version, respondent, instanceID string, a answers) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version='1.0' ?><%s id="%s" version="%s" xmlns:orx="http://openrosa.org/xforms">`, formKey, formKey, version)
	fmt.Fprintf(&b, "<respondent_ref>%s</respondent_ref><firm_name>%s</firm_name><year>%d</year>", respondent, a.FirmName, a.Year)
	fmt.Fprintf(&b, "<employment><employees_total>%d</employees_total><employees_women>%d</employees_women>"+
		"<employees_youth>%d</employees_youth><jobs_created>%d</jobs_created></employment>", a.Total, a.Women, a.Youth, a.JobsCreated)
	fmt.Fprintf(&b, "<finance><revenue>%s</revenue><exports>%s</exports></finance><new_products_markets>new_product</new_products_markets>",
		strconv.FormatFloat(a.Revenue, 'f', -1, 64), strconv.FormatFloat(a.Exports, 'f', -1, 64))
	for _, p := range a.Partners {
		fmt.Fprintf(&b, "<partners><partner_name>%s</partner_name><partner_type>firm</partner_type>"+
			"<cooperation_kind>supply joint_project</cooperation_kind></partners>", p)
	}
	fmt.Fprintf(&b, "<orx:meta><orx:instanceID>%s</orx:instanceID></orx:meta></%s>", instanceID, formKey)
	return []byte(b.String())
}

// randomSecret is a throwaway password for the benchmark's admin account.
func randomSecret() string {
	b := make([]byte, 18)
	if _, err := crand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}
