package cluster

import (
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/clusterobservatory/observatory/internal/problem"
)

// Cluster is a cluster initiative as pages and the API show it.
type Cluster struct {
	ID          int64    `json:"id"`
	Name        string   `json:"name"`
	Countries   []string `json:"countries"` // ISO3 codes, the lead BSO's country first
	Sector      Sector   `json:"sector"`
	ValueChain  string   `json:"value_chain"`
	Industries  []string `json:"industries"` // ISIC Rev.4 classes, sorted
	Description string   `json:"description"`
	Stage       Stage    `json:"stage"`
	LeadBSOID   int64    `json:"lead_bso_id"`
	LeadBSOName string   `json:"lead_bso_name"`
	// LeadBSOCountry is the lead BSO's country, the cluster's home in breadcrumbs.
	LeadBSOCountry string     `json:"lead_bso_country"`
	ClusterOrgID   *int64     `json:"cluster_org_id"`
	ClusterOrgName string     `json:"cluster_org_name"`
	Facilitator    string     `json:"facilitator"`
	StartedYear    *int       `json:"started_year"`
	MemberCount    int        `json:"member_count"` // current members
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
	ArchivedAt     *time.Time `json:"archived_at"`
}

// Archived reports whether the initiative has been archived.
func (c *Cluster) Archived() bool { return c.ArchivedAt != nil }

// Input is what creating or editing a cluster initiative takes. Nil
// pointers mean "none": no cluster organisation, start year unknown.
type Input struct {
	Name         string   `json:"name"`
	Countries    []string `json:"countries"`
	Sector       Sector   `json:"sector"`
	ValueChain   string   `json:"value_chain"`
	Industries   []string `json:"industries"`
	Description  string   `json:"description"`
	Stage        Stage    `json:"stage"`
	LeadBSOID    int64    `json:"lead_bso_id"`
	ClusterOrgID *int64   `json:"cluster_org_id"`
	Facilitator  string   `json:"facilitator"`
	StartedYear  *int     `json:"started_year"`
}

// InputOf returns the input that would store c unchanged, the starting point
// of an edit form or a partial API update.
func InputOf(c *Cluster) Input {
	return Input{
		Name: c.Name, Countries: slices.Clone(c.Countries), Sector: c.Sector, ValueChain: c.ValueChain,
		Industries: slices.Clone(c.Industries), Description: c.Description, Stage: c.Stage,
		LeadBSOID: c.LeadBSOID, ClusterOrgID: c.ClusterOrgID, Facilitator: c.Facilitator, StartedYear: c.StartedYear,
	}
}

// Field limits, in characters.
const (
	maxName        = 200
	maxValueChain  = 300
	maxFacilitator = 200
	maxDescription = 5000
	minStartedYear = 1950
)

var (
	isoCode   = regexp.MustCompile(`^[A-Z]{3}$`)
	isicClass = regexp.MustCompile(`^[0-9]{4}$`)
)

// Validate tidies the input (trims text, upper-cases and de-duplicates
// codes) and checks everything that needs no database; thisYear bounds the
// start year. The store adds the checks against stored records.
func (in *Input) Validate(thisYear int) error { return in.check(thisYear).Err() }

func (in *Input) check(thisYear int) problem.Fields {
	var f problem.Fields
	in.Name = strings.TrimSpace(in.Name)
	in.ValueChain = strings.TrimSpace(in.ValueChain)
	in.Description = strings.TrimSpace(in.Description)
	in.Facilitator = strings.TrimSpace(in.Facilitator)
	switch n := utf8.RuneCountInString(in.Name); {
	case n == 0:
		f.Add("name", "Enter the name of the cluster initiative.")
	case n > maxName:
		f.Add("name", "Use at most %d characters (this name has %d).", maxName, n)
	}
	in.Countries = tidyCodes(in.Countries, strings.ToUpper)
	if len(in.Countries) == 0 {
		f.Add("countries", "Choose at least one country.")
	}
	for _, c := range in.Countries {
		if !isoCode.MatchString(c) {
			f.Add("countries", "%q is not an ISO 3166-1 alpha-3 country code (such as JAM).", c)
			break
		}
	}
	if !in.Sector.Valid() {
		f.Add("sector", "Choose a sector: %s.", valuesText(Sectors))
	}
	if !in.Stage.Valid() {
		f.Add("stage", "Choose a stage: %s.", valuesText(Stages))
	}
	in.Industries = tidyCodes(in.Industries, strings.TrimSpace)
	for _, code := range in.Industries {
		if !isicClass.MatchString(code) {
			f.Add("industries", "%q is not an ISIC Rev.4 class: use 4-digit codes such as 1073.", code)
			break
		}
	}
	if in.LeadBSOID <= 0 {
		f.Add("lead_bso_id", "Choose the lead BSO.")
	}
	if in.ClusterOrgID != nil && *in.ClusterOrgID <= 0 {
		in.ClusterOrgID = nil
	}
	if n := utf8.RuneCountInString(in.ValueChain); n > maxValueChain {
		f.Add("value_chain", "Use at most %d characters (this has %d).", maxValueChain, n)
	}
	if n := utf8.RuneCountInString(in.Facilitator); n > maxFacilitator {
		f.Add("facilitator", "Use at most %d characters (this has %d).", maxFacilitator, n)
	}
	if n := utf8.RuneCountInString(in.Description); n > maxDescription {
		f.Add("description", "Use at most %d characters (this has %d).", maxDescription, n)
	}
	if y := in.StartedYear; y != nil && (*y < minStartedYear || *y > thisYear) {
		f.Add("started_year", "Enter a year from %d to %d.", minStartedYear, thisYear)
	}
	return f
}

// tidyCodes applies fix to each code and drops blanks and repeats, keeping
// the first occurrence's order.
func tidyCodes(codes []string, fix func(string) string) []string {
	out := make([]string, 0, len(codes))
	for _, c := range codes {
		c = fix(strings.TrimSpace(c))
		if c != "" && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// SplitCodes reads a list of codes typed as text, separated by commas,
// semicolons or spaces ("1030, 1079 1104").
func SplitCodes(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\n' || r == '\r' })
}

// Filter narrows a list of cluster initiatives.
type Filter struct {
	Query           string // part of the name; accents and case are ignored
	Country         string // ISO3: clusters with this among their countries
	Sector          Sector
	Stage           Stage
	ISIC            string // prefix of any of the cluster's industries ("10" for food)
	LeadBSO         int64
	IncludeArchived bool
	Sort            string // one of SortKeys, "-" prefix for descending
	Limit           int
	Offset          int
}

// SortKeys are the columns a list of clusters may be sorted by.
var SortKeys = []string{"name", "stage", "sector", "members", "started", "created"}
