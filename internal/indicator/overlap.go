package indicator

import (
	"math"
	"sort"
)

// Cluster values counted twice with their members' values. Pure logic.
//
// A cluster initiative's dashboard adds the initiative's own value to the
// values of the organisations that were its members during the period
// (see dashboard_scope.go). The reporting convention is therefore that a
// value entered for an initiative is only what no member reports itself.
// When an initiative and some of its members both have a counted value for
// the same indicator, period and category, the initiative's value may hold
// the members' figures too, and the dashboard would count them twice.
//
// Only indicators whose values add up over subjects are looked at: sums
// (flows) and last values (stocks, which add up over subjects too). An
// average does not add the initiative's value to its members', so it
// cannot double count.

// OverlapTolerance is how close (as a share of the members' sum) an
// initiative's value must come to its members' sum to be a likely double
// count: within ±15 %, or larger.
const OverlapTolerance = 0.15

// OverlapVerdict says how likely an overlap is to be a double count.
type OverlapVerdict string

// The verdicts.
const (
	// OverlapPossible is an initiative's value beside its members' values
	// well below their sum: it may be only the part no member reports,
	// as the convention asks, but should be checked.
	OverlapPossible OverlapVerdict = "possible"
	// OverlapLikely is an initiative's value within OverlapTolerance of
	// its members' sum or above it: the manager probably entered the
	// initiative's total, members included.
	OverlapLikely OverlapVerdict = "likely"
)

// OverlapVerdicts lists the verdicts, the stronger last.
var OverlapVerdicts = []OverlapVerdict{OverlapPossible, OverlapLikely}

// Valid reports whether v is a known verdict.
func (v OverlapVerdict) Valid() bool { return oneOf(v, OverlapVerdicts) }

// Key is the message key of the verdict's label.
func (v OverlapVerdict) Key() string { return "indicatoroverlap.verdict." + string(v) }

// Overlap is an initiative's value for an indicator, period and category
// beside the values of members that report their own.
type Overlap struct {
	IndicatorID   int64    `json:"indicator_id"`
	IndicatorCode string   `json:"indicator_code"`
	IndicatorName string   `json:"indicator_name"`
	Cluster       Subject  `json:"cluster"`
	ClusterName   string   `json:"cluster_name"`
	Country       string   `json:"country"`
	Period        string   `json:"period"`
	Category      Category `json:"category"`
	ClusterValue  float64  `json:"cluster_value"`
	// Members is how many member organisations report a value; MembersSum
	// the sum of their values.
	Members    int     `json:"members_reporting"`
	MembersSum float64 `json:"members_sum"`
	// Added is what the initiative's value adds on top of its members'
	// sum, as a share of that sum (1 doubles it); nil when the sum is 0.
	Added   *float64       `json:"added_share"`
	Verdict OverlapVerdict `json:"verdict"`
}

// Decimals is how many decimals the page shows for the overlap's numbers.
func (o *Overlap) Decimals() int { return max(decimals(o.ClusterValue), decimals(o.MembersSum)) }

// Likely reports whether the overlap is a likely double count.
func (o *Overlap) Likely() bool { return o.Verdict == OverlapLikely }

// AddsUp reports whether values of an indicator add up over subjects, so
// that an initiative's value and its members' values can count twice.
func (i *Indicator) AddsUp() bool {
	return !i.IsFormula() && (i.SubjectAggregation == AggSum || i.SubjectAggregation == AggLast)
}

// JudgeOverlap gives the verdict on an initiative's value beside its
// members' sum, and what it adds on top of that sum.
func JudgeOverlap(cluster, membersSum float64) (OverlapVerdict, *float64) {
	var added *float64
	if membersSum != 0 {
		a := cluster / membersSum
		added = &a
	}
	if math.Abs(cluster) >= (1-OverlapTolerance)*math.Abs(membersSum) {
		return OverlapLikely, added
	}
	return OverlapPossible, added
}

// OverlapInput is what overlaps are found in: the indicators by code, the
// counted values (see CountedVersions) of initiatives and organisations,
// the memberships (Att.Memberships) and, for each initiative, its name
// and country.
type OverlapInput struct {
	Indicators   map[string]*Indicator
	Values       []ResultFact
	Att          *ResultsAttribution
	ClusterNames map[int64]string
	Countries    map[int64]string
}

// DetectOverlaps lists, for every indicator that adds up over subjects, every
// initiative value other than 0 beside which at least one organisation that
// was a member of the initiative at some time in the period has its own
// value for the same indicator, period and category. The list is ordered
// by period (latest first), indicator, initiative name and category (the
// total first).
func DetectOverlaps(in OverlapInput) []*Overlap {
	type key struct {
		code   string
		period string
		cat    Category
	}
	orgs := map[key][]ResultFact{}
	for _, v := range in.Values {
		if v.Subject.Kind == SubjectOrganisation {
			k := key{v.IndicatorCode, v.Period, v.Category}
			orgs[k] = append(orgs[k], v)
		}
	}
	var out []*Overlap
	for _, v := range in.Values {
		ind := in.Indicators[v.IndicatorCode]
		if v.Subject.Kind != SubjectCluster || ind == nil || !ind.AddsUp() || v.Value == 0 {
			continue
		}
		p, err := dashPeriod(v.Period)
		if err != nil {
			continue
		}
		o := &Overlap{IndicatorID: ind.ID, IndicatorCode: ind.Code, IndicatorName: ind.Name, Cluster: v.Subject,
			ClusterName: in.ClusterNames[v.Subject.ID], Country: in.Countries[v.Subject.ID], Period: v.Period,
			Category: v.Category, ClusterValue: v.Value}
		if o.ClusterName == "" {
			o.ClusterName = v.SubjectName
		}
		seen := map[int64]bool{}
		for _, m := range orgs[key{v.IndicatorCode, v.Period, v.Category}] {
			if seen[m.Subject.ID] || !in.Att.MemberDuring(m.Subject.ID, v.Subject.ID, p) {
				continue
			}
			seen[m.Subject.ID] = true
			o.Members++
			o.MembersSum += m.Value
		}
		if o.Members == 0 {
			continue
		}
		o.Verdict, o.Added = JudgeOverlap(o.ClusterValue, o.MembersSum)
		out = append(out, o)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		pa, _ := dashPeriod(a.Period)
		pb, _ := dashPeriod(b.Period)
		switch {
		case pa.Start() != pb.Start():
			return pa.Start() > pb.Start()
		case a.Period != b.Period:
			return pa.Type.rank() > pb.Type.rank()
		case a.IndicatorCode != b.IndicatorCode:
			return a.IndicatorCode < b.IndicatorCode
		case a.ClusterName != b.ClusterName:
			return a.ClusterName < b.ClusterName
		case a.Cluster.ID != b.Cluster.ID:
			return a.Cluster.ID < b.Cluster.ID
		case a.Category.IsTotal() != b.Category.IsTotal():
			return a.Category.IsTotal()
		}
		return a.Category.String() < b.Category.String()
	})
	return out
}

// OverlapCounts is how many overlaps a list holds, and how many of them are
// likely double counts.
func OverlapCounts(list []*Overlap) (all, likely int) {
	for _, o := range list {
		all++
		if o.Likely() {
			likely++
		}
	}
	return all, likely
}
