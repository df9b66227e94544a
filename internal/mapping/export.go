package mapping

import (
	"strconv"
)

// Labels names what a result refers to by code: areas (with their country)
// and clusters. Codes without a label are written as they are.
type Labels struct {
	AreaNames    map[string]string
	AreaCountry  map[string]string
	ClusterNames map[string]string
}

// candidateColumns are the columns of a candidates table in files and on
// the command line; the first seven are the stable core named in the docs.
var candidateColumns = []string{
	"year", "area", "cluster", "employment", "establishments", "lq", "share_of_reference",
	"area_name", "country", "cluster_name", "type", "wages", "average_wage", "average_establishment_size",
	"share_of_area", "lq_low", "lq_high", "lq_significance", "lq_bound",
	"lq_cm", "lq_cm_low", "lq_cm_high", "lq_cm_significance", "lq_cm_bound",
	"cells", "suppressed", "reliable", "in_reference",
	"strength_status", "strength", "stars_status", "stars", "star_size", "star_specialisation", "star_focus",
}

// growthColumns follow when two years are compared.
var growthColumns = []string{
	"growth_from", "growth_to", "growth_status", "employment_from", "employment_to", "job_creation", "cagr",
	"share_change", "reference_effect", "mix_effect", "competitive_effect", "lq_from", "lq_to", "lq_change", "quadrant",
}

// CandidateHeader is the header row of a candidates file.
func CandidateHeader(withGrowth bool) []string {
	h := append([]string{}, candidateColumns...)
	if withGrowth {
		h = append(h, growthColumns...)
	}
	return h
}

// CandidateRecord is one row of a candidates file, in CandidateHeader's
// order. Figures that are not defined are empty cells, never NaN.
func CandidateRecord(c *Candidate, l *Labels, withGrowth bool) []string {
	b := strconv.FormatBool
	i := func(n int64) string { return strconv.FormatInt(n, 10) }
	rec := []string{
		strconv.Itoa(c.Year), c.Area, c.Cluster, i(c.Employment), c.Establishments.String(), c.LQ.Value.String(), c.ShareOfReference.String(),
		l.AreaNames[c.Area], l.AreaCountry[c.Area], l.ClusterNames[c.Cluster], c.Type.String(),
		c.Wages.String(), c.AverageWage.String(), c.AverageSize.String(), c.ShareOfArea.String(),
		c.LQ.Low.String(), c.LQ.High.String(), c.LQ.Significance.String(), c.LQ.Bound.String(),
		c.LQClusterMapping.Value.String(), c.LQClusterMapping.Low.String(), c.LQClusterMapping.High.String(),
		c.LQClusterMapping.Significance.String(), c.LQClusterMapping.Bound.String(),
		strconv.Itoa(int(c.Cells)), strconv.Itoa(int(c.Suppressed)), b(c.Reliable), b(c.InReference),
		c.Strength.Status.String(), c.Strength.Level(), c.Stars.Status.String(), strconv.Itoa(c.Stars.Count()),
		b(c.Stars.Size), b(c.Stars.Specialisation), b(c.Stars.Focus),
	}
	if !withGrowth {
		return rec
	}
	g := c.Growth
	if g == nil {
		return append(rec, make([]string, len(growthColumns))...)
	}
	return append(rec, strconv.Itoa(g.From), strconv.Itoa(g.To), g.Status.String(), i(g.EmploymentFrom), i(g.EmploymentTo),
		g.JobCreation.String(), g.CAGR.String(), g.ShareChange.String(), g.ReferenceEffect.String(), g.MixEffect.String(),
		g.CompetitiveEffect.String(), g.LQFrom.String(), g.LQTo.String(), g.LQChange.String(), g.Quadrant.String())
}

// textColumns are the columns of a candidates file that hold codes, names
// or words; every other column is a number (or empty when not defined).
var textColumns = map[string]bool{
	"area": true, "cluster": true, "area_name": true, "country": true, "cluster_name": true, "type": true,
	"lq_significance": true, "lq_bound": true, "lq_cm_significance": true, "lq_cm_bound": true,
	"reliable": true, "in_reference": true, "strength_status": true, "strength": true, "stars_status": true,
	"star_size": true, "star_specialisation": true, "star_focus": true, "growth_status": true, "quadrant": true,
}

// NumericColumn reports whether a candidates column holds numbers, so a
// spreadsheet can store them as numbers and area or cluster codes such as
// "01" stay text.
func NumericColumn(name string) bool { return !textColumns[name] }
