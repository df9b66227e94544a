package campaign

import (
	"sort"
	"time"

	"github.com/clusterobservatory/observatory/internal/indicator"
)

// Data-quality score of a campaign. Pure logic: three ratios, each kept as
// numerator and denominator (indicator.QualityRatio, as the per-BSO and
// per-country scores of package indicator), and an overall score:
//
//   - completeness: respondents with a current answer ÷ respondents
//     invited (links not revoked). An answer is current when it is the
//     latest version of its chain (not superseded by an edit) and not
//     rejected;
//   - timeliness: answered respondents whose answer first arrived by the
//     end of the deadline day (UTC) ÷ answered respondents. An edit keeps
//     the arrival of the version it corrects;
//   - consistency: indicator × respondent pairs of the approved answers
//     with no validation-rule violation and no outlier flag ÷ those pairs
//     found among the indicator values, as indicator.ScoreTriples counts
//     them.
//
// The overall score is the mean of the shares that have a denominator; with
// none it is not defined, and pages show "no data" rather than 0. A draft
// campaign has asked no one yet, so nothing of it is defined.

// Quality is a campaign's (or a group of campaigns') data-quality score.
type Quality struct {
	Completeness indicator.QualityRatio `json:"completeness"`
	Timeliness   indicator.QualityRatio `json:"timeliness"`
	Consistency  indicator.QualityRatio `json:"consistency"`
	// Score is the mean of the defined shares, from 0 to 1; nil when no
	// part is defined.
	Score *float64 `json:"score"`
}

// Defined reports whether the overall score has any data behind it.
func (q Quality) Defined() bool { return q.Score != nil }

// Overall is the overall score (0 when not defined).
func (q Quality) Overall() float64 {
	if !q.Defined() {
		return 0
	}
	return *q.Score
}

// overall sets Score to the mean of the defined shares.
func (q *Quality) overall() {
	q.Score = nil
	var sum float64
	n := 0
	for _, r := range []indicator.QualityRatio{q.Completeness, q.Timeliness, q.Consistency} {
		if r.Defined() {
			sum += r.Share()
			n++
		}
	}
	if n > 0 {
		v := sum / float64(n)
		q.Score = &v
	}
}

// add sums the numerators and denominators of o into q (Score is left for
// overall to set).
func (q *Quality) add(o *Quality) {
	for _, p := range [][2]*indicator.QualityRatio{{&q.Completeness, &o.Completeness}, {&q.Timeliness, &o.Timeliness},
		{&q.Consistency, &o.Consistency}} {
		p[0].Num += p[1].Num
		p[0].Den += p[1].Den
	}
}

// qualityFacts are what a campaign's score is computed from.
type qualityFacts struct {
	status Status
	// deadline is the end of the deadline day: an answer that arrived
	// before it is on time.
	deadline time.Time
	// invited counts the respondents whose invitation is not revoked.
	invited int
	// answered holds, per respondent with a current answer, when that
	// answer first arrived.
	answered map[int64]time.Time
	// consistency is scored by indicator.ScoreTriples over the approved
	// answers' values.
	consistency indicator.QualityRatio
}

// score computes the three ratios and the overall score.
func (f qualityFacts) score() *Quality {
	q := &Quality{}
	if f.status == StatusDraft {
		return q
	}
	q.Completeness = indicator.QualityRatio{Num: len(f.answered), Den: f.invited}
	q.Timeliness.Den = len(f.answered)
	for _, at := range f.answered {
		if at.Before(f.deadline) {
			q.Timeliness.Num++
		}
	}
	q.Consistency = f.consistency
	q.overall()
	return q
}

// BSOQuality is the data-quality score of the campaigns of one BSO (BSOID
// 0: campaigns that belong to no BSO).
type BSOQuality struct {
	BSOID     int64  `json:"bso_id"`
	BSOName   string `json:"bso_name"`
	Campaigns int    `json:"campaigns"`
	Quality
}

// qualityByBSO sums the ratios of the campaigns per BSO, drafts left out;
// names gives each BSO's name. Rows are in the order of the names, the
// campaigns without a BSO last.
func qualityByBSO(cs []*Campaign, qs map[int64]*Quality, names map[int64]string) []BSOQuality {
	rows := map[int64]*BSOQuality{}
	var order []int64
	for _, c := range cs {
		q := qs[c.ID]
		if c.Status == StatusDraft || q == nil {
			continue
		}
		var bso int64
		if c.BSOID != nil {
			bso = *c.BSOID
		}
		r, ok := rows[bso]
		if !ok {
			r = &BSOQuality{BSOID: bso, BSOName: names[bso]}
			rows[bso] = r
			order = append(order, bso)
		}
		r.Campaigns++
		r.add(q)
	}
	out := make([]BSOQuality, 0, len(order))
	for _, id := range order {
		r := rows[id]
		r.overall()
		out = append(out, *r)
	}
	sort.SliceStable(out, func(i, j int) bool { return bsoBefore(out[i], out[j]) })
	return out
}

func bsoBefore(a, b BSOQuality) bool {
	if (a.BSOID == 0) != (b.BSOID == 0) {
		return b.BSOID == 0
	}
	return a.BSOName < b.BSOName
}

// QualityMax is how many of the latest campaigns the per-BSO scores of
// the list page cover.
func (d *ListData) QualityMax() int { return maxQualityCampaigns }
