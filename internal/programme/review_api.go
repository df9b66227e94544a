package programme

import (
	"log/slog"
	"net/http"

	"github.com/clusterobservatory/observatory/internal/mail"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// RankingResponse is a call's ranking as the API gives it.
type RankingResponse struct {
	CallID             int64             `json:"call_id"`
	DisagreementMargin float64           `json:"disagreement_margin"`
	Criteria           []RankedCriterion `json:"criteria"`
	Items              []*RankRow        `json:"items"`
}

// RankedCriterion names a criterion of the ranking's columns.
type RankedCriterion struct {
	Name   string `json:"name"`
	Weight int    `json:"weight"`
}

// HandleAPIRanking answers GET /api/v1/calls/{id}/ranking (?country=ISO3,
// ?eligibility=eligible|ineligible), for the officers of the call's programme.
func HandleAPIRanking(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		q := r.URL.Query()
		el, err := reviewEligibility(q.Get("eligibility"))
		if err != nil {
			return err
		}
		if !MayEditSome(actor) {
			return problem.Forbiddenf("Only programme officers and administrators see a call's ranking.")
		}
		rk, err := s.FindRanking(r.Context(), actor, id, RankingFilter{Country: q.Get("country"), Eligibility: el})
		if err != nil {
			return err
		}
		out := RankingResponse{CallID: rk.Call.ID, DisagreementMargin: rk.Call.DisagreementMargin, Items: rk.Rows,
			Criteria: []RankedCriterion{}}
		if out.Items == nil {
			out.Items = []*RankRow{}
		}
		for _, c := range rk.Call.Criteria {
			out.Criteria = append(out.Criteria, RankedCriterion{Name: c.Name, Weight: c.Weight})
		}
		web.JSON(w, http.StatusOK, out)
		return nil
	})
}

// ReviewList is the reviews of an application the caller may read.
type ReviewList struct {
	Items []*Review `json:"items"`
}

// HandleAPIReviews answers GET /api/v1/applications/{id}/reviews: a
// reviewer's own review (and, once it is submitted, the others' submitted
// ones); every review for the officers of the call's programme.
func HandleAPIReviews(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		ctx := r.Context()
		switch {
		case MayReview(actor):
			if _, err := s.FindMyReview(ctx, actor, id); err != nil {
				return err
			}
		case MayEditSome(actor):
			if _, err := officerApplication(ctx, s.db.Read(), actor, id, "read its reviews"); err != nil {
				return err
			}
		default:
			return problem.Forbiddenf("Reviews are seen by the programme's officers and by the application's reviewers only.")
		}
		items, err := s.FindReviews(ctx, actor, id)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, ReviewList{Items: items})
		return nil
	})
}

// ReviewPut is the body of PUT /api/v1/applications/{id}/reviews: the
// declaration of conflict of interest (once, before scoring) and the score
// sheet, saved as a draft or submitted.
type ReviewPut struct {
	Conflict *ConflictInput   `json:"conflict"`
	Scores   []CriterionScore `json:"scores"`
	Comment  string           `json:"comment"`
	Submit   bool             `json:"submit"`
}

// HandleAPIReviewPut answers PUT /api/v1/applications/{id}/reviews for
// the reviewer's own review.
func HandleAPIReviewPut(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		var in ReviewPut
		if err := web.DecodeJSON(w, r, &in, maxBody); err != nil {
			return err
		}
		ctx := r.Context()
		rv, err := s.FindMyReview(ctx, actor, id)
		if err != nil {
			return err
		}
		if in.Conflict != nil {
			if rv, err = s.DeclareConflict(ctx, actor, id, *in.Conflict); err != nil {
				return err
			}
		}
		if rv.Status != ReviewConflicted && (in.Conflict == nil || len(in.Scores) > 0 || in.Comment != "" || in.Submit) {
			if rv, err = s.SaveReview(ctx, actor, id, ReviewInput{Scores: in.Scores, Comment: in.Comment, Submit: in.Submit}); err != nil {
				return err
			}
		}
		web.JSON(w, http.StatusOK, rv)
		return nil
	})
}

// DecisionResponse is a recorded decision with the addresses emailed.
type DecisionResponse struct {
	Decision          *Decision `json:"decision"`
	ApplicationStatus AppStatus `json:"application_status"`
	Notified          []string  `json:"notified"`
}

// HandleAPIDecision answers POST /api/v1/applications/{id}/decision and
// emails the applicant through mailer, with links to baseURL.
func HandleAPIDecision(s *Store, logger *slog.Logger, mailer mail.Sender, baseURL string) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		var in DecisionInput
		if err := web.DecodeJSON(w, r, &in, maxBody); err != nil {
			return err
		}
		ctx := r.Context()
		d, a, err := s.Decide(ctx, actor, id, in)
		if err != nil {
			return err
		}
		sent, err := s.DecisionMail(ctx, mailer, baseURL, a, d, web.Localizer(r).Lang)
		if err != nil {
			logger.Warn("decision email", "application", id, "err", err)
		}
		web.JSON(w, http.StatusOK, DecisionResponse{Decision: d, ApplicationStatus: a.Status, Notified: sent})
		return nil
	})
}
