package plan

import (
	"time"
)

// Status is where a plan stands in its approval.
type Status string

// The statuses of a plan.
const (
	StatusDraft     Status = "draft"     // being written; also a revision after approval
	StatusSubmitted Status = "submitted" // waiting for the programme's decision
	StatusApproved  Status = "approved"  // the latest version is the baseline
	StatusReturned  Status = "returned"  // sent back with comments, editable
)

// Statuses lists the statuses in the order of a plan's life.
var Statuses = []Status{StatusDraft, StatusSubmitted, StatusApproved, StatusReturned}

// Key is the message key of the status's label.
func (s Status) Key() string { return "plan.status." + string(s) }

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	for _, x := range Statuses {
		if s == x {
			return true
		}
	}
	return false
}

// Editable reports whether the plan may be saved in this status: not
// while the programme decides on it.
func (s Status) Editable() bool { return s != StatusSubmitted }

// Plan is one application's improvement plan with its latest content.
type Plan struct {
	ID              int64      `json:"id"`
	ApplicationID   int64      `json:"application_id"`
	ApplicationName string     `json:"application_title"`
	CallID          int64      `json:"call_id"`
	CallNumber      string     `json:"call_number"`
	ProgrammeID     int64      `json:"programme_id"`
	Currency        string     `json:"currency"`
	BSOID           *int64     `json:"bso_id"`
	ClusterID       *int64     `json:"cluster_id"`
	ClusterName     string     `json:"cluster_name"`
	FacilitatorID   *int64     `json:"facilitator_id"`
	FacilitatorName string     `json:"facilitator_name"`
	Title           string     `json:"title"`
	Status          Status     `json:"status"`
	Version         int        `json:"version"`
	BaselineVersion *int       `json:"baseline_version"`
	ReviewComment   string     `json:"review_comment"`
	SubmittedAt     *time.Time `json:"submitted_at"`
	ApprovedAt      *time.Time `json:"approved_at"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
	Content         *Content   `json:"content,omitempty"` // nil in lists
}

// Baseline is the approved version's number, 0 before any approval.
func (p *Plan) Baseline() int {
	if p.BaselineVersion == nil {
		return 0
	}
	return *p.BaselineVersion
}

// Revision reports whether the plan was approved once and is changed since.
func (p *Plan) Revision() bool { return p.BaselineVersion != nil && *p.BaselineVersion != p.Version }

// Content is everything a version of a plan holds. Dates are days
// (YYYY-MM-DD); projects are referred to by number, from 1, in the order
// of Projects (0: the plan as a whole).
type Content struct {
	Vision      string       `json:"vision"`
	StartsOn    string       `json:"starts_on"`
	EndsOn      string       `json:"ends_on"`
	Objectives  []Objective  `json:"objectives"`
	ActionLines []ActionLine `json:"action_lines"`
	Projects    []Project    `json:"projects"`
	Activities  []Task       `json:"activities"`
	Milestones  []Task       `json:"milestones"`
	Risks       []Risk       `json:"risks"`
	Budget      []BudgetLine `json:"budget"`
}

// Objective is one strategic objective.
type Objective struct {
	Title       string          `json:"title"`
	Description string          `json:"description"`
	Indicators  []IndicatorLink `json:"indicators"`
}

// ActionLine is a line of action, under an objective (by number; 0 none).
type ActionLine struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Objective   int    `json:"objective"`
}

// Project is one project of the plan, led by an organisation of the
// registry with partners from it. Names are filled in when it is saved.
type Project struct {
	Title        string   `json:"title"`
	LeadOrgID    int64    `json:"lead_org_id"`
	LeadOrgName  string   `json:"lead_org_name"`
	PartnerIDs   []int64  `json:"partner_ids"`
	PartnerNames []string `json:"partner_names"`
	StartsOn     string   `json:"starts_on"`
	EndsOn       string   `json:"ends_on"`
	// Indicators are the results-framework indicators the project reports on.
	Indicators []IndicatorLink `json:"indicators"`
}

// Task is an activity or a milestone of a project (by number), due on a day.
type Task struct {
	Project int    `json:"project"`
	Title   string `json:"title"`
	Due     string `json:"due"`
}

// Level grades a risk's likelihood or impact.
type Level string

// The levels of a risk.
const (
	Low    Level = "low"
	Medium Level = "medium"
	High   Level = "high"
)

// Levels lists the levels from low to high.
var Levels = []Level{Low, Medium, High}

// Key is the message key of the level's label.
func (l Level) Key() string { return "plan.level." + string(l) }

// Risk is one risk with its likelihood, impact and mitigation.
type Risk struct {
	Description string `json:"description"`
	Likelihood  Level  `json:"likelihood"`
	Impact      Level  `json:"impact"`
	Mitigation  string `json:"mitigation"`
}

// Category is what a budget line pays for.
type Category string

// The budget categories.
var Categories = []Category{"personnel", "equipment", "training", "travel", "services", "other"}

// Key is the message key of the category's label.
func (c Category) Key() string { return "plan.category." + string(c) }

// BudgetLine is one line of the budget: what for, in which project, and
// how much each source pays (minor units of the programme's currency).
type BudgetLine struct {
	Project     int      `json:"project"`
	Category    Category `json:"category"`
	Description string   `json:"description"`
	Grant       int64    `json:"grant"`
	Cash        int64    `json:"counterpart_cash"`
	InKind      int64    `json:"counterpart_in_kind"`
}

// Total is the line's amount from every source.
func (b BudgetLine) Total() int64 { return b.Grant + b.Cash + b.InKind }

// Totals adds up the budget by source.
func (c *Content) Totals() BudgetLine {
	var t BudgetLine
	for _, b := range c.Budget {
		t.Grant += b.Grant
		t.Cash += b.Cash
		t.InKind += b.InKind
	}
	return t
}

// ProjectTitle names project n (from 1), or "" for the plan as a whole.
func (c *Content) ProjectTitle(n int) string {
	if n < 1 || n > len(c.Projects) {
		return ""
	}
	return c.Projects[n-1].Title
}

// normalize gives nil lists as empty ones, so JSON shows [].
func (c *Content) normalize() {
	if c.Objectives == nil {
		c.Objectives = []Objective{}
	}
	for i := range c.Objectives {
		if c.Objectives[i].Indicators == nil {
			c.Objectives[i].Indicators = []IndicatorLink{}
		}
	}
	if c.ActionLines == nil {
		c.ActionLines = []ActionLine{}
	}
	if c.Projects == nil {
		c.Projects = []Project{}
	}
	for i := range c.Projects {
		if c.Projects[i].PartnerIDs == nil {
			c.Projects[i].PartnerIDs = []int64{}
		}
		if c.Projects[i].PartnerNames == nil {
			c.Projects[i].PartnerNames = []string{}
		}
		if c.Projects[i].Indicators == nil {
			c.Projects[i].Indicators = []IndicatorLink{}
		}
	}
	if c.Activities == nil {
		c.Activities = []Task{}
	}
	if c.Milestones == nil {
		c.Milestones = []Task{}
	}
	if c.Risks == nil {
		c.Risks = []Risk{}
	}
	if c.Budget == nil {
		c.Budget = []BudgetLine{}
	}
}

// Version is one saved version of a plan.
type Version struct {
	Version  int       `json:"version"`
	SavedBy  string    `json:"saved_by"`
	SavedAt  time.Time `json:"saved_at"`
	Baseline bool      `json:"baseline"`
	Content  *Content  `json:"content,omitempty"`
}
