package indicator

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Results dashboards: which values count for a region, a country or a
// cluster initiative. This file and dashboard_aggregate.go are pure logic:
// they neither read the database nor know HTTP. The rule is written out in
// docs/monitoring-results.md.

// ResultsScopeKind is what a dashboard adds values up for.
type ResultsScopeKind string

// The dashboard scopes.
const (
	ScopeRegion  ResultsScopeKind = "region"
	ScopeCountry ResultsScopeKind = "country"
	ScopeCluster ResultsScopeKind = "cluster"
)

// ResultsScope is the region, one country (ISO3) or one cluster initiative,
// written "region", "country:JAM" or "cluster:12".
type ResultsScope struct {
	Kind      ResultsScopeKind `json:"kind"`
	ISO3      string           `json:"iso3,omitempty"`
	ClusterID int64            `json:"cluster_id,omitempty"`
}

// String is the scope's written form.
func (s ResultsScope) String() string {
	switch s.Kind {
	case ScopeCountry:
		return "country:" + s.ISO3
	case ScopeCluster:
		return "cluster:" + strconv.FormatInt(s.ClusterID, 10)
	}
	return "region"
}

// Path is the scope's dashboard page.
func (s ResultsScope) Path() string {
	switch s.Kind {
	case ScopeCountry:
		return "/results/countries/" + s.ISO3
	case ScopeCluster:
		return "/results/clusters/" + strconv.FormatInt(s.ClusterID, 10)
	}
	return "/results"
}

// ParseResultsScope reads "region", "country:JAM" or "cluster:12"; empty is the region.
func ParseResultsScope(s string) (ResultsScope, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "region") {
		return ResultsScope{Kind: ScopeRegion}, nil
	}
	kind, id, _ := strings.Cut(s, ":")
	switch strings.ToLower(kind) {
	case "country":
		iso := strings.ToUpper(id)
		if !iso3Re.MatchString(iso) {
			return ResultsScope{}, fmt.Errorf("%q: a country is its ISO 3166-1 alpha-3 code, such as country:JAM", s)
		}
		return ResultsScope{Kind: ScopeCountry, ISO3: iso}, nil
	case "cluster":
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil || n <= 0 {
			return ResultsScope{}, fmt.Errorf("%q: a cluster initiative is cluster:ID with a positive ID", s)
		}
		return ResultsScope{Kind: ScopeCluster, ClusterID: n}, nil
	}
	return ResultsScope{}, fmt.Errorf("%q is not a scope: write region, country:ISO3 or cluster:ID", s)
}

// MembershipSpan is an organisation's membership of a cluster initiative, from
// joined to left (dates YYYY-MM-DD; Left empty while it lasts).
type MembershipSpan struct {
	Cluster      int64
	Joined, Left string
}

// ResultsAttribution says where each subject's values count: an organisation in
// its own country, a cluster initiative in its lead country (the country of
// its lead BSO), a country in itself; and which clusters an organisation
// belonged to when.
type ResultsAttribution struct {
	// Region is the set of programme countries.
	Region         map[string]bool
	OrgCountry     map[int64]string
	ClusterCountry map[int64]string
	Memberships    map[int64][]MembershipSpan
}

// Country is the country a subject's values count in ("" when unknown).
func (a *ResultsAttribution) Country(s Subject) string {
	switch s.Kind {
	case SubjectOrganisation:
		return a.OrgCountry[s.ID]
	case SubjectCluster:
		return a.ClusterCountry[s.ID]
	}
	return s.ISO3
}

// MemberDuring reports whether an organisation belonged to a cluster
// initiative at any time in period p.
func (a *ResultsAttribution) MemberDuring(org, cluster int64, p Period) bool {
	start, end := p.Start(), p.End()
	for _, m := range a.Memberships[org] {
		if m.Cluster == cluster && m.Joined <= end && (m.Left == "" || m.Left >= start) {
			return true
		}
	}
	return false
}

// InScope reports whether a subject's value for period p counts in the scope.
func (a *ResultsAttribution) InScope(sc ResultsScope, s Subject, p Period) bool {
	switch sc.Kind {
	case ScopeCountry:
		return a.Country(s) == sc.ISO3
	case ScopeCluster:
		switch s.Kind {
		case SubjectCluster:
			return s.ID == sc.ClusterID
		case SubjectOrganisation:
			return a.MemberDuring(s.ID, sc.ClusterID, p)
		}
		return false
	}
	return a.Region[a.Country(s)]
}

// DueBy is a period's reporting deadline: three months after it ends.
// Values received later are late; until then the period's values are not
// yet expected, so missing ones are not counted against completeness.
func DueBy(p Period) time.Time { return p.lastDay().AddDate(0, 0, 1).AddDate(0, 3, 0) }
