package programme

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/internal/problem"
)

// AppStatus is where an application stands. Drafts are the applicant's to
// edit; submission freezes the concept note and records its eligibility.
type AppStatus string

// The statuses of an application. After submission the panel's decision
// moves it to shortlisted (a plan may then be written) or rejected.
const (
	AppDraft       AppStatus = "draft"
	AppSubmitted   AppStatus = "submitted"
	AppShortlisted AppStatus = "shortlisted"
	AppRejected    AppStatus = "rejected"
)

// Key is the message key of the status's label.
func (s AppStatus) Key() string { return "programme.application.status." + string(s) }

// MemberRole is what a member organisation is in the cluster datasheet.
type MemberRole string

// The roles of the cluster datasheet.
const (
	RoleLeadFirm   MemberRole = "lead_firm"
	RoleMemberFirm MemberRole = "member_firm"
	RoleBSO        MemberRole = "bso"
	RoleResearch   MemberRole = "research"
	RoleGovernment MemberRole = "government"
	RoleOther      MemberRole = "other"
)

// MemberRoles lists the roles in the order the form offers them.
var MemberRoles = []MemberRole{RoleLeadFirm, RoleMemberFirm, RoleBSO, RoleResearch, RoleGovernment, RoleOther}

// Key is the message key of the role's label.
func (r MemberRole) Key() string { return "programme.application.role." + string(r) }

// Firm reports whether the role is a private firm's.
func (r MemberRole) Firm() bool { return r == RoleLeadFirm || r == RoleMemberFirm }

// Member is one organisation of the cluster datasheet.
type Member struct {
	OrganisationID int64      `json:"organisation_id"`
	Name           string     `json:"name"`    // read only
	Country        string     `json:"country"` // read only, ISO3
	Kind           string     `json:"kind"`    // read only, the registry's kind
	Role           MemberRole `json:"role"`
}

// NewMember is an organisation of the datasheet that is not in the
// registry yet; it joins the registry when the application is submitted.
type NewMember struct {
	Name    string     `json:"name"`
	Kind    string     `json:"kind"`    // the registry kind it will have: firm, research, ngo…
	Country string     `json:"country"` // ISO3
	Role    MemberRole `json:"role"`
}

// newMemberKinds are the kinds a new datasheet organisation may have (a
// funder is not a cluster member).
var newMemberKinds = []string{"firm", "bso", "cluster_org", "research", "government", "ngo"}

// NewMemberKinds lists them for forms.
func NewMemberKinds() []string { return slices.Clone(newMemberKinds) }

// Result is the stored outcome of one eligibility rule at submission.
type Result struct {
	Kind   RuleKind `json:"kind"`
	Pass   bool     `json:"pass"`
	Reason string   `json:"reason"`
}

// Application is a concept note to a call with its cluster datasheet and
// budget request (minor units of the programme's currency).
type Application struct {
	ID                   int64       `json:"id"`
	CallID               int64       `json:"call_id"`
	CallNumber           string      `json:"call_number"`
	CallTitle            string      `json:"call_title"`
	ProgrammeID          int64       `json:"programme_id"`
	Currency             string      `json:"currency"`
	Status               AppStatus   `json:"status"`
	Title                string      `json:"title"`
	Summary              string      `json:"summary"`
	LeadOrgID            int64       `json:"lead_org_id"`
	LeadOrgName          string      `json:"lead_org_name"`
	LeadOrgCountry       string      `json:"lead_org_country"`
	BSOID                *int64      `json:"bso_id"`
	ClusterID            *int64      `json:"cluster_id"`
	ClusterName          string      `json:"cluster_name"`
	Grant                int64       `json:"grant_request"`
	CounterpartCash      int64       `json:"counterpart_cash"`
	CounterpartInKind    int64       `json:"counterpart_in_kind"`
	FormallyRegistered   bool        `json:"formally_registered"`
	NoTaxDebt            bool        `json:"no_tax_debt"`
	MonitoringCommitment bool        `json:"monitoring_commitment"`
	MonthsOperating      int         `json:"months_operating"`
	Documents            []string    `json:"documents"`
	Members              []Member    `json:"members"`
	NewMembers           []NewMember `json:"new_members"`
	Eligible             *bool       `json:"eligible"` // nil until submitted
	Results              []Result    `json:"results"`
	CreatedBy            *int64      `json:"created_by"`
	CreatedAt            time.Time   `json:"created_at"`
	UpdatedAt            time.Time   `json:"updated_at"`
	SubmittedAt          *time.Time  `json:"submitted_at"`
}

// Total is the project budget: the grant and the counterpart.
func (a *Application) Total() int64 { return a.Grant + a.CounterpartCash + a.CounterpartInKind }

// Facts are what the eligibility rules judge of the application: private
// firms are the datasheet's members in a firm role, the location is the
// lead organisation's country.
func (a *Application) Facts() Facts {
	n := 0
	for _, m := range a.Members {
		if m.Role.Firm() {
			n++
		}
	}
	for _, m := range a.NewMembers {
		if m.Role.Firm() {
			n++
		}
	}
	return Facts{PrivateFirms: n, Country: a.LeadOrgCountry, MonthsOperating: a.MonthsOperating,
		FormallyRegistered: a.FormallyRegistered, DeclaresNoTaxDebt: a.NoTaxDebt, Documents: a.Documents,
		Grant: a.Grant, CounterpartCash: a.CounterpartCash, CounterpartInKind: a.CounterpartInKind,
		CommitsToMonitoring: a.MonitoringCommitment}
}

// MemberInput is one row of the datasheet as given.
type MemberInput struct {
	OrganisationID int64      `json:"organisation_id"`
	Role           MemberRole `json:"role"`
}

// ApplicationInput is what drafting or replacing a concept note takes.
type ApplicationInput struct {
	CallID               int64         `json:"call_id"`
	Title                string        `json:"title"`
	Summary              string        `json:"summary"`
	LeadOrgID            int64         `json:"lead_org_id"`
	ClusterID            *int64        `json:"cluster_id"`
	Grant                int64         `json:"grant_request"`
	CounterpartCash      int64         `json:"counterpart_cash"`
	CounterpartInKind    int64         `json:"counterpart_in_kind"`
	FormallyRegistered   bool          `json:"formally_registered"`
	NoTaxDebt            bool          `json:"no_tax_debt"`
	MonitoringCommitment bool          `json:"monitoring_commitment"`
	MonthsOperating      int           `json:"months_operating"`
	Documents            []string      `json:"documents"`
	Members              []MemberInput `json:"members"`
	NewMembers           []NewMember   `json:"new_members"`
	// BaseUpdatedAt, when set, is the updated_at of the draft the edit
	// started from: a save on top of a later change is refused.
	BaseUpdatedAt *time.Time `json:"base_updated_at,omitempty"`
}

// ApplicationPatch changes the fields it sets; members and documents, when
// given, replace the whole list. The call of an application never changes.
type ApplicationPatch struct {
	Title                *string        `json:"title"`
	Summary              *string        `json:"summary"`
	LeadOrgID            *int64         `json:"lead_org_id"`
	ClusterID            *int64         `json:"cluster_id"`
	Grant                *int64         `json:"grant_request"`
	CounterpartCash      *int64         `json:"counterpart_cash"`
	CounterpartInKind    *int64         `json:"counterpart_in_kind"`
	FormallyRegistered   *bool          `json:"formally_registered"`
	NoTaxDebt            *bool          `json:"no_tax_debt"`
	MonitoringCommitment *bool          `json:"monitoring_commitment"`
	MonthsOperating      *int           `json:"months_operating"`
	Documents            *[]string      `json:"documents"`
	Members              *[]MemberInput `json:"members"`
	NewMembers           *[]NewMember   `json:"new_members"`
}

// ApplicationInputOf is the input that would store a as it is.
func ApplicationInputOf(a *Application) ApplicationInput {
	in := ApplicationInput{CallID: a.CallID, Title: a.Title, Summary: a.Summary, LeadOrgID: a.LeadOrgID, ClusterID: a.ClusterID,
		Grant: a.Grant, CounterpartCash: a.CounterpartCash, CounterpartInKind: a.CounterpartInKind,
		FormallyRegistered: a.FormallyRegistered, NoTaxDebt: a.NoTaxDebt, MonitoringCommitment: a.MonitoringCommitment,
		MonthsOperating: a.MonthsOperating, Documents: slices.Clone(a.Documents)}
	for _, m := range a.Members {
		in.Members = append(in.Members, MemberInput{OrganisationID: m.OrganisationID, Role: m.Role})
	}
	in.NewMembers = slices.Clone(a.NewMembers)
	return in
}

// Apply returns in with the patch's fields set.
func (p ApplicationPatch) Apply(in ApplicationInput) ApplicationInput {
	set(&in.Title, p.Title)
	set(&in.Summary, p.Summary)
	set(&in.LeadOrgID, p.LeadOrgID)
	if p.ClusterID != nil {
		in.ClusterID = p.ClusterID
		if *p.ClusterID == 0 {
			in.ClusterID = nil
		}
	}
	set(&in.Grant, p.Grant)
	set(&in.CounterpartCash, p.CounterpartCash)
	set(&in.CounterpartInKind, p.CounterpartInKind)
	set(&in.FormallyRegistered, p.FormallyRegistered)
	set(&in.NoTaxDebt, p.NoTaxDebt)
	set(&in.MonitoringCommitment, p.MonitoringCommitment)
	set(&in.MonthsOperating, p.MonthsOperating)
	set(&in.Documents, p.Documents)
	set(&in.Members, p.Members)
	set(&in.NewMembers, p.NewMembers)
	return in
}

// maxAmount bounds every amount (a thousand billion major units in cents).
const maxAmount = 100_000_000_000_000

// CheckApplication normalises the input and reports every problem that
// needs no database; whether organisations exist is the store's check. The
// grant ceiling and co-financing are eligibility rules judged at
// submission, not form errors.
func (in *ApplicationInput) CheckApplication() problem.Fields {
	var f problem.Fields
	in.Title = strings.Join(strings.Fields(in.Title), " ")
	in.Summary = strings.TrimSpace(in.Summary)
	switch n := len([]rune(in.Title)); {
	case n == 0:
		f.Add("title", "Enter the concept note's title.")
	case n > 300:
		f.Add("title", "The title has at most 300 characters; it has %d.", n)
	}
	if n := len([]rune(in.Summary)); n > 20000 {
		f.Add("summary", "The summary has at most 20,000 characters; it has %d.", n)
	}
	if in.LeadOrgID <= 0 {
		f.Add("lead_org_id", "Choose the lead organisation from the registry by its ID.")
	}
	if in.ClusterID != nil && *in.ClusterID <= 0 {
		f.Add("cluster_id", "A cluster initiative is named by its positive ID, or left empty.")
	}
	for _, a := range []struct {
		field string
		v     int64
	}{{"grant_request", in.Grant}, {"counterpart_cash", in.CounterpartCash}, {"counterpart_in_kind", in.CounterpartInKind}} {
		switch {
		case a.v < 0:
			f.Add(a.field, "An amount cannot be negative.")
		case a.v > maxAmount:
			f.Add(a.field, "This amount is too large.")
		}
	}
	if in.MonthsOperating < 0 || in.MonthsOperating > 1200 {
		f.Add("months_operating", "Months operating must be between 0 and 1200.")
	}
	var docs []string
	for _, d := range in.Documents {
		d = strings.Join(strings.Fields(d), " ")
		if d != "" && !slices.ContainsFunc(docs, func(x string) bool { return strings.EqualFold(x, d) }) {
			docs = append(docs, d)
		}
	}
	in.Documents = docs
	if len(in.Members) > 500 {
		f.Add("members", "A datasheet lists at most 500 organisations.")
	}
	seen := map[int64]int{}
	for i, m := range in.Members {
		field := "members[" + itoa(i) + "]"
		if m.OrganisationID <= 0 {
			f.Add(field+".organisation_id", "Row %d: give the organisation's registry ID.", i+1)
		} else if j, dup := seen[m.OrganisationID]; dup {
			f.Add(field+".organisation_id", "Row %d: organisation #%d is already listed in row %d.", i+1, m.OrganisationID, j+1)
		} else {
			seen[m.OrganisationID] = i
		}
		if !slices.Contains(MemberRoles, m.Role) {
			f.Add(field+".role", "Row %d: choose a role (lead_firm, member_firm, bso, research, government or other).", i+1)
		}
	}
	in.checkNewMembers(&f)
	return f
}

// checkNewMembers normalises and checks the organisations the datasheet
// adds to the registry; whether they are there already is the store's.
func (in *ApplicationInput) checkNewMembers(f *problem.Fields) {
	if len(in.Members)+len(in.NewMembers) > 500 {
		f.Add("new_members", "A datasheet lists at most 500 organisations.")
		return
	}
	seen := map[string]int{}
	for i := range in.NewMembers {
		m := &in.NewMembers[i]
		field := "new_members[" + itoa(i) + "]"
		m.Name = strings.Join(strings.Fields(m.Name), " ")
		m.Kind = strings.ToLower(strings.TrimSpace(m.Kind))
		m.Country = strings.ToUpper(strings.TrimSpace(m.Country))
		switch n := len([]rune(m.Name)); {
		case n == 0:
			f.Add(field+".name", "New organisation %d: enter its name.", i+1)
		case n > 200:
			f.Add(field+".name", "New organisation %d: the name has at most 200 characters.", i+1)
		default:
			key := strings.ToLower(m.Name) + "|" + m.Country
			if j, dup := seen[key]; dup {
				f.Add(field+".name", "New organisation %d: %s is already new organisation %d.", i+1, m.Name, j+1)
			}
			seen[key] = i
		}
		if !slices.Contains(newMemberKinds, m.Kind) {
			f.Add(field+".kind", "New organisation %d: choose what it is (%s).", i+1, strings.Join(newMemberKinds, ", "))
		}
		if len(m.Country) != 3 {
			f.Add(field+".country", "New organisation %d: choose its country.", i+1)
		}
		if !slices.Contains(MemberRoles, m.Role) {
			f.Add(field+".role", "New organisation %d: choose its role in the cluster.", i+1)
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
