package programme

import (
	"cmp"
	"math"
	"slices"
)

// Scoring and ranking of a call's applications.
//
// A reviewer's weighted total puts each criterion's score on a scale of
// its rubric's highest level, weighs it by the criterion's weight, and
// normalises the weights to 100:
//
//	total = 100 × Σ wᵢ·(sᵢ / maxᵢ) / Σ wᵢ
//
// so a sheet of top scores is 100 whatever the rubrics and weights. An
// application's weighted total is the mean of its submitted reviews'
// totals (the same as the weighted total of its mean criterion scores,
// the formula being linear). Totals are rounded to two decimals before
// they are compared, so that equal totals reached by different sums share
// a rank. Applications rank by total, highest first, and ties share a rank
// (standard competition ranking: 1, 2, 2, 4). An application whose
// reviewers' totals are further apart than the call's disagreement margin
// is flagged for the panel to discuss.

// WeightedTotal is the weighted total (0–100) of a score sheet, and false
// when a criterion is not scored.
func WeightedTotal(criteria []Criterion, scores []CriterionScore) (float64, bool) {
	sum, weights := 0.0, 0
	for i, c := range criteria {
		weights += c.Weight
		var s *CriterionScore
		for j := range scores {
			if scores[j].Criterion == i {
				s = &scores[j]
			}
		}
		top := c.MaxScore()
		if s == nil || top <= 0 {
			return 0, false
		}
		sum += float64(c.Weight) * float64(s.Score) / float64(top)
	}
	if weights == 0 {
		return 0, false
	}
	return round2(100 * sum / float64(weights)), true
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// RankRow is one application of a call's ranking.
type RankRow struct {
	ApplicationID int64      `json:"application_id"`
	Title         string     `json:"title"`
	LeadOrgName   string     `json:"lead_org_name"`
	Country       string     `json:"country"`
	Eligible      *bool      `json:"eligible"`
	Status        AppStatus  `json:"status"`
	Assigned      int        `json:"assigned"`  // reviewers assigned (conflicts excluded)
	Submitted     int        `json:"submitted"` // reviews submitted
	Conflicts     int        `json:"conflicts"` // declared conflicts of interest
	Means         []*float64 `json:"criterion_means"`
	Totals        []float64  `json:"reviewer_totals"`
	Total         *float64   `json:"weighted_total"`
	Spread        float64    `json:"spread"` // highest reviewer total less the lowest
	Disagreement  bool       `json:"disagreement"`
	Rank          int        `json:"rank"` // 0 until a review is submitted
	Decision      *Decision  `json:"decision"`
	Reviews       []*Review  `json:"-"`
}

// BuildRanking scores and ranks the applications of call c from their
// reviews (any order; only submitted ones count) and decisions.
func BuildRanking(c *Call, apps []*Application, reviews []*Review, decisions map[int64]*Decision) []*RankRow {
	margin := c.DisagreementMargin
	if margin <= 0 {
		margin = DefaultDisagreementMargin
	}
	byApp := map[int64][]*Review{}
	for _, r := range reviews {
		byApp[r.ApplicationID] = append(byApp[r.ApplicationID], r)
	}
	rows := make([]*RankRow, 0, len(apps))
	for _, a := range apps {
		row := &RankRow{ApplicationID: a.ID, Title: a.Title, LeadOrgName: a.LeadOrgName, Country: a.LeadOrgCountry,
			Eligible: a.Eligible, Status: a.Status, Decision: decisions[a.ID], Reviews: byApp[a.ID],
			Means: make([]*float64, len(c.Criteria)), Totals: []float64{}}
		sums := make([]float64, len(c.Criteria))
		for _, r := range row.Reviews {
			switch r.Status {
			case ReviewConflicted:
				row.Conflicts++
				continue
			case ReviewSubmitted:
			default:
				row.Assigned++
				continue
			}
			row.Assigned++
			t, ok := WeightedTotal(c.Criteria, r.Scores)
			if !ok {
				continue // criteria cannot change once scored; a short sheet is not counted
			}
			row.Submitted++
			r.WeightedTotal = &t
			row.Totals = append(row.Totals, t)
			for _, s := range r.Scores {
				sums[s.Criterion] += float64(s.Score)
			}
		}
		if row.Submitted > 0 {
			for i := range sums {
				m := round2(sums[i] / float64(row.Submitted))
				row.Means[i] = &m
			}
			sum := 0.0
			for _, t := range row.Totals {
				sum += t
			}
			total := round2(sum / float64(row.Submitted))
			row.Total = &total
			row.Spread = round2(slices.Max(row.Totals) - slices.Min(row.Totals))
			row.Disagreement = row.Spread > margin
		}
		rows = append(rows, row)
	}
	Rank(rows)
	return rows
}

// Rank sets the rank of rows with a total (ties share a rank) and sorts
// them by rank, unranked rows last, each group by application ID.
func Rank(rows []*RankRow) {
	slices.SortStableFunc(rows, func(a, b *RankRow) int {
		switch {
		case a.Total == nil && b.Total == nil:
			return cmp.Compare(a.ApplicationID, b.ApplicationID)
		case a.Total == nil:
			return 1
		case b.Total == nil:
			return -1
		case *a.Total > *b.Total:
			return -1
		case *a.Total < *b.Total:
			return 1
		}
		return cmp.Compare(a.ApplicationID, b.ApplicationID)
	})
	for i, r := range rows {
		switch {
		case r.Total == nil:
			r.Rank = 0
		case i > 0 && rows[i-1].Total != nil && *rows[i-1].Total == *r.Total:
			r.Rank = rows[i-1].Rank
		default:
			r.Rank = i + 1
		}
	}
}
