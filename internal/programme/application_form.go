package programme

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/internal/problem"
)

// minMemberRows is how many datasheet rows the form offers at least.
const minMemberRows = 5

// MemberRow is one datasheet row as typed.
type MemberRow struct {
	Index          int
	OrganisationID string
	Role           string
}

// NewMemberRow is one row of the datasheet's new organisations as typed.
type NewMemberRow struct {
	Index                     int
	Name, Kind, Country, Role string
}

func (r NewMemberRow) empty() bool {
	return r.Name == "" && r.Kind == "" && r.Country == "" && r.Role == ""
}

// ApplicationForm is the concept-note form as typed, so that whatever was
// entered is shown again with its problem.
type ApplicationForm struct {
	Title, Summary, LeadOrgID, ClusterID            string
	Grant, CounterpartCash, CounterpartInKind       string // major units
	MonthsOperating                                 string
	FormallyRegistered, NoTaxDebt, MonitoringCommit bool
	Documents                                       []string
	Members                                         []MemberRow
	NewMembers                                      []NewMemberRow
	AddMembers                                      bool // the person asked for more rows
	AddNewMembers                                   bool // the person asked for more new-organisation rows
	// Base is the draft's updated_at when the form was opened (RFC 3339),
	// so that a save on top of someone else's is refused, not lost.
	Base string
}

// HasDocument reports whether the form says document d is provided.
func (f ApplicationForm) HasDocument(d string) bool {
	for _, x := range f.Documents {
		if strings.EqualFold(x, d) {
			return true
		}
	}
	return false
}

// padRows gives the datasheet at least minMemberRows rows and n empty
// ones, and the new organisations at least two rows and m empty ones.
func (f *ApplicationForm) padRows(n, m int) {
	want := max(minMemberRows, len(f.Members)+n)
	for len(f.Members) < want {
		f.Members = append(f.Members, MemberRow{Index: len(f.Members)})
	}
	want = max(2, len(f.NewMembers)+m)
	for len(f.NewMembers) < want {
		f.NewMembers = append(f.NewMembers, NewMemberRow{Index: len(f.NewMembers)})
	}
}

// applicationFormOf fills the form from an application's input.
func applicationFormOf(in ApplicationInput, cur string) ApplicationForm {
	f := ApplicationForm{Title: in.Title, Summary: in.Summary, Grant: FormatAmount(in.Grant, cur),
		CounterpartCash: FormatAmount(in.CounterpartCash, cur), CounterpartInKind: FormatAmount(in.CounterpartInKind, cur),
		MonthsOperating: strconv.Itoa(in.MonthsOperating), FormallyRegistered: in.FormallyRegistered, NoTaxDebt: in.NoTaxDebt,
		MonitoringCommit: in.MonitoringCommitment, Documents: in.Documents}
	if in.LeadOrgID > 0 {
		f.LeadOrgID = strconv.FormatInt(in.LeadOrgID, 10)
	}
	if in.ClusterID != nil {
		f.ClusterID = strconv.FormatInt(*in.ClusterID, 10)
	}
	for i, m := range in.Members {
		f.Members = append(f.Members, MemberRow{Index: i, OrganisationID: strconv.FormatInt(m.OrganisationID, 10), Role: string(m.Role)})
	}
	for i, m := range in.NewMembers {
		f.NewMembers = append(f.NewMembers, NewMemberRow{Index: i, Name: m.Name, Kind: m.Kind, Country: m.Country, Role: string(m.Role)})
	}
	f.padRows(2, 1)
	return f
}

// parseApplicationForm reads the posted form.
func parseApplicationForm(r *http.Request) ApplicationForm {
	_ = r.ParseForm()
	v := r.PostForm
	get := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	f := ApplicationForm{Title: get("title"), Summary: v.Get("summary"), LeadOrgID: get("lead_org_id"), ClusterID: get("cluster_id"),
		Grant: get("grant_request"), CounterpartCash: get("counterpart_cash"), CounterpartInKind: get("counterpart_in_kind"),
		MonthsOperating: get("months_operating"), FormallyRegistered: v.Get("formally_registered") != "",
		NoTaxDebt: v.Get("no_tax_debt") != "", MonitoringCommit: v.Get("monitoring_commitment") != "",
		Documents: v["documents"], AddMembers: v.Get("add_members") != "", AddNewMembers: v.Get("add_new_members") != "",
		Base: get("base")}
	rows, _ := strconv.Atoi(v.Get("members_rows"))
	rows = min(max(rows, 0), 500)
	for i := 0; i < rows; i++ {
		p := fmt.Sprintf("members[%d].", i)
		f.Members = append(f.Members, MemberRow{Index: i, OrganisationID: get(p + "organisation_id"), Role: get(p + "role")})
	}
	rows, _ = strconv.Atoi(v.Get("new_members_rows"))
	rows = min(max(rows, 0), 500)
	for i := 0; i < rows; i++ {
		p := fmt.Sprintf("new_members[%d].", i)
		f.NewMembers = append(f.NewMembers, NewMemberRow{Index: i, Name: get(p + "name"), Kind: get(p + "kind"),
			Country: get(p + "country"), Role: get(p + "role")})
	}
	return f
}

// input turns the form into an input for the call, with the problems of
// the fields that are not numbers; empty datasheet rows are left out.
func (f ApplicationForm) input(callID int64, cur string) (ApplicationInput, problem.Fields) {
	var bad problem.Fields
	in := ApplicationInput{CallID: callID, Title: f.Title, Summary: f.Summary, FormallyRegistered: f.FormallyRegistered,
		NoTaxDebt: f.NoTaxDebt, MonitoringCommitment: f.MonitoringCommit, Documents: f.Documents}
	id := func(field, s string) int64 {
		if s == "" {
			return 0
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			bad.Add(field, "%q is not a registry ID (a whole number).", s)
		}
		return n
	}
	in.LeadOrgID = id("lead_org_id", f.LeadOrgID)
	if f.ClusterID != "" {
		c := id("cluster_id", f.ClusterID)
		in.ClusterID = &c
	}
	amount := func(field, s string) int64 {
		if s == "" {
			return 0
		}
		if strings.HasPrefix(s, "-") {
			bad.Add(field, "An amount cannot be negative.")
			return 0
		}
		n, err := ParseAmount(s, cur)
		if err != nil {
			bad.Add(field, "%q is not an amount in %s (for example 150,000.00).", s, cur)
		}
		return n
	}
	if f.Base != "" {
		if t, err := time.Parse(time.RFC3339Nano, f.Base); err == nil {
			in.BaseUpdatedAt = &t
		}
	}
	in.Grant = amount("grant_request", f.Grant)
	in.CounterpartCash = amount("counterpart_cash", f.CounterpartCash)
	in.CounterpartInKind = amount("counterpart_in_kind", f.CounterpartInKind)
	if f.MonthsOperating != "" {
		n, err := strconv.Atoi(f.MonthsOperating)
		if err != nil {
			bad.Add("months_operating", "%q is not a whole number of months.", f.MonthsOperating)
		}
		in.MonthsOperating = n
	}
	for _, m := range f.Members {
		if m.OrganisationID == "" && m.Role == "" {
			continue
		}
		field := fmt.Sprintf("members[%d].organisation_id", len(in.Members))
		in.Members = append(in.Members, MemberInput{OrganisationID: id(field, m.OrganisationID), Role: MemberRole(m.Role)})
	}
	for _, m := range f.NewMembers {
		if !m.empty() {
			in.NewMembers = append(in.NewMembers, NewMember{Name: m.Name, Kind: m.Kind, Country: m.Country, Role: MemberRole(m.Role)})
		}
	}
	return in, bad
}

// compact drops empty datasheet rows and numbers the others as input
// numbers them, so that problems name the rows shown.
func (f *ApplicationForm) compact() {
	var rows []MemberRow
	for _, m := range f.Members {
		if m.OrganisationID != "" || m.Role != "" {
			m.Index = len(rows)
			rows = append(rows, m)
		}
	}
	f.Members = rows
	var news []NewMemberRow
	for _, m := range f.NewMembers {
		if !m.empty() {
			m.Index = len(news)
			news = append(news, m)
		}
	}
	f.NewMembers = news
}

// newCountries are the countries the new-organisation rows name, so that
// the country list keeps them even when they are outside the region.
func (f ApplicationForm) newCountries() []string {
	var out []string
	for _, m := range f.NewMembers {
		if m.Country != "" {
			out = append(out, m.Country)
		}
	}
	return out
}
