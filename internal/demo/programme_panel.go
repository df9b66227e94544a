package demo

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/clusterobservatory/observatory/internal/programme"
	"github.com/clusterobservatory/observatory/internal/user"
)

// The panel of the closed call: three reviewers assigned to every eligible
// application, one conflict of interest declared, every score sheet
// submitted with short comments, then the officer's decisions from the
// ranking: the best shortlisted, the others rejected with their reasons.

// conflictNote is what the second reviewer declares on one application.
const conflictNote = "I advised the lead organisation on its export strategy as a paid consultant in 2023."

// reviewerBias is how strict each reviewer is, in rubric points.
var reviewerBias = []float64{0, -0.35, 0.25}

// comments are the reviewers' remarks on each criterion of the closed call
// (by position), for a weak (1–2), middling (3) and strong (4–5) score.
var comments = [][3]string{
	{"Job estimates are vague and women or young people are hardly mentioned.",
		"A reasonable estimate of new jobs; measures for women and young people could be more specific.",
		"Convincing job targets with concrete measures for women and young people."},
	{"Little evidence that sales or export earnings will grow.",
		"Some growth in sales is plausible; export markets need to be better identified.",
		"Clear export markets and buyers' interest; earnings in foreign exchange are well argued."},
	{"The members do not yet work together; governance is missing.",
		"Regular meetings, but few joint activities so far.",
		"A strong record of joint work and a committee that functions."},
	{"The budget does not match the activities; the counterpart is uncertain.",
		"A workable plan, with gaps in the costing.",
		"Realistic timetable and budget; the counterpart is committed in writing."},
	{"Nothing in the proposal continues after the grant.",
		"Some services could continue through members' fees.",
		"A credible plan to finance the cluster's coordination after the grant."},
}

func band(score int) int {
	switch {
	case score <= 2:
		return 0
	case score == 3:
		return 1
	}
	return 2
}

// overallComment sums a sheet up from its mean score.
func overallComment(mean float64) string {
	switch {
	case mean >= 4.2:
		return "An excellent proposal from a cluster that already works together; recommended for shortlisting."
	case mean >= 3.5:
		return "A good proposal; the full plan should sharpen the targets and the budget."
	case mean >= 2.7:
		return "A fair proposal with weaknesses in its evidence and its budget."
	}
	return "The proposal is not yet mature; the cluster should strengthen its collaboration first."
}

// sheet draws one reviewer's scores of an application.
func sheet(r *rng, criteria []programme.Criterion, quality, bias float64) programme.ReviewInput {
	in := programme.ReviewInput{Submit: true}
	sum := 0
	for i := range criteria {
		x := 1 + 4*quality + bias + (r.float()-0.5)*1.6
		sc := int(math.Round(min(max(x, 1), 5)))
		sum += sc
		c := ""
		if i < len(comments) {
			c = comments[i][band(sc)]
		}
		in.Scores = append(in.Scores, programme.CriterionScore{Criterion: i, Score: sc, Comment: c})
	}
	in.Comment = overallComment(float64(sum) / float64(len(criteria)))
	return in
}

// runPanel reviews the eligible applications of the call and decides on
// every submitted one; shortlisted is how many the panel shortlists.
func (s *stored) runPanel(ctx context.Context, ps *programme.Store, r *rng, call *programme.Call, apps []*application, shortlisted int) error {
	officer := s.officer()
	reviewers := s.reviewers[:min(3, len(s.reviewers))]
	if len(reviewers) == 0 {
		return fmt.Errorf("the demo has no reviewer account")
	}
	ids := make([]int64, len(reviewers))
	for i, rv := range reviewers {
		ids[i] = rv.UserID
	}
	var eligible []*application
	for _, a := range apps {
		if a.eligible {
			eligible = append(eligible, a)
		}
	}
	// The conflict of interest: the second reviewer on an ordinary
	// application (the first one without a demo account's cluster).
	var conflicted *application
	if len(reviewers) > 1 {
		for _, i := range r.r.Perm(len(eligible)) {
			if !eligible[i].featured {
				conflicted = eligible[i]
				break
			}
		}
	}
	// Assignments one after the other, so that the reviews' IDs follow
	// the applications; the score sheets are drawn in the same order.
	sheets := make([][]programme.ReviewInput, len(eligible))
	for i, a := range eligible {
		if _, err := ps.AssignReviewers(ctx, officer, a.id, ids); err != nil {
			return fmt.Errorf("assign reviewers to application %d: %w", a.id, err)
		}
		for ri := range reviewers {
			sheets[i] = append(sheets[i], sheet(r, call.Criteria, a.quality, reviewerBias[ri%len(reviewerBias)]))
		}
	}
	err := s.each(ctx, len(eligible), func(i int) error {
		a := eligible[i]
		for ri, rv := range reviewers {
			if a == conflicted && ri == 1 {
				if _, err := ps.DeclareConflict(ctx, rv, a.id, programme.ConflictInput{Conflict: true, Note: conflictNote}); err != nil {
					return fmt.Errorf("declare conflict: %w", err)
				}
				continue
			}
			if _, err := ps.DeclareConflict(ctx, rv, a.id, programme.ConflictInput{}); err != nil {
				return fmt.Errorf("declare no conflict: %w", err)
			}
			if _, err := ps.SaveReview(ctx, rv, a.id, sheets[i][ri]); err != nil {
				return fmt.Errorf("review application %d: %w", a.id, err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.decide(ctx, ps, call, apps, shortlisted)
}

// decide records the panel's decisions from the call's ranking.
func (s *stored) decide(ctx context.Context, ps *programme.Store, call *programme.Call, apps []*application, shortlisted int) error {
	officer := s.officer()
	rk, err := ps.FindRanking(ctx, officer, call.ID, programme.RankingFilter{})
	if err != nil {
		return err
	}
	byID := map[int64]*programme.RankRow{}
	for _, row := range rk.Rows {
		byID[row.ApplicationID] = row
	}
	var ranked []*application
	for _, a := range apps {
		row := byID[a.id]
		if row == nil {
			continue
		}
		a.rank = row.Rank
		if row.Total != nil {
			a.total = *row.Total
		}
		if a.eligible && row.Rank > 0 {
			ranked = append(ranked, a)
		}
	}
	slices.SortStableFunc(ranked, func(x, y *application) int {
		if c := cmp.Compare(x.rank, y.rank); c != 0 {
			return c
		}
		return cmp.Compare(x.id, y.id)
	})
	for i, a := range ranked {
		if i < shortlisted {
			a.decision = programme.AppShortlisted
		}
	}
	due := closedPlansDue.Format("2 January 2006")
	return s.each(ctx, len(apps), func(i int) error {
		a := apps[i]
		in := programme.DecisionInput{Decision: programme.AppRejected}
		row := byID[a.id]
		switch {
		case a.decision == programme.AppShortlisted:
			in.Decision = programme.AppShortlisted
			in.Reason = fmt.Sprintf("Ranked %d of %d eligible proposals with %.1f points of 100. The cluster is invited to write its full plan with a facilitator by %s.",
				a.rank, len(ranked), a.total, due)
		case !a.eligible:
			in.Reason = "The concept note does not meet the call's eligibility rules: " + failedReasons(a) + "."
		default:
			in.Reason = fmt.Sprintf("Ranked %d of %d eligible proposals with %.1f points of 100; the call funds the %d best. The panel found the proposal weakest on %s.",
				a.rank, len(ranked), a.total, shortlisted, weakest(call, row))
		}
		if _, _, err := ps.Decide(ctx, officer, a.id, in); err != nil {
			return fmt.Errorf("decide on application %d: %w", a.id, err)
		}
		a.decision = in.Decision
		return nil
	})
}

// failedReasons lists the reasons of the rules an application failed, as
// the rules gave them at submission.
func failedReasons(a *application) string {
	var out []string
	for _, res := range a.results {
		if !res.Pass {
			out = append(out, strings.TrimSuffix(res.Reason, "."))
		}
	}
	if len(out) == 0 {
		return "see the eligibility results"
	}
	return strings.Join(out, "; ")
}

// weakest names the criterion with the lowest mean score, in lower case.
func weakest(call *programme.Call, row *programme.RankRow) string {
	best, at := math.Inf(1), -1
	if row != nil {
		for i, m := range row.Means {
			if m != nil && *m/float64(max(call.Criteria[i].MaxScore(), 1)) < best {
				best, at = *m/float64(max(call.Criteria[i].MaxScore(), 1)), i
			}
		}
	}
	if at < 0 {
		return "several criteria"
	}
	return strings.ToLower(call.Criteria[at].Name[:1]) + call.Criteria[at].Name[1:]
}

// facilitatorFor is who opens and writes a shortlisted cluster's plan: the
// demo account of the applicant's BSO or of the cluster's lead BSO when
// there is one, otherwise the programme officer.
func (s *stored) facilitatorFor(bso *int64, lead int64) user.Actor {
	for _, id := range []int64{deref(bso), lead} {
		if id == 0 {
			continue
		}
		if a, ok := s.bsoAccount(id); ok {
			return a
		}
	}
	return s.officer()
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}
