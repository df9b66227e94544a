package campaign

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// campaignAPI wraps an API handler: anonymous callers get 401, errors
// become problem details.
func campaignAPI(logger *slog.Logger, h func(w http.ResponseWriter, r *http.Request, actor user.Actor) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := user.ActorFrom(r.Context())
		if !actor.SignedIn() {
			web.APIError(w, r, logger, problem.New(problem.Unauthorized, "Sign in or send an API token: Authorization: Bearer <token>."))
			return
		}
		if err := h(w, r, actor); err != nil {
			web.APIError(w, r, logger, err)
		}
	})
}

// CampaignJSON is a campaign as the API gives it: with its data-quality
// score (quality.go).
type CampaignJSON struct {
	*Campaign
	Quality *Quality `json:"quality"`
}

// HandleAPIList answers GET /api/v1/campaigns.
func HandleAPIList(s *Store, logger *slog.Logger) http.Handler {
	return campaignAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		lp := web.ParseList(r, "", 50)
		cs, total, err := s.FindCampaigns(r.Context(), actor, Filter{Status: Status(r.URL.Query().Get("status")), Limit: lp.PerPage, Offset: lp.Offset()})
		if err != nil {
			return err
		}
		qs, err := s.Qualities(r.Context(), cs)
		if err != nil {
			return err
		}
		items := make([]CampaignJSON, len(cs))
		for i, c := range cs {
			items[i] = CampaignJSON{Campaign: c, Quality: qs[c.ID]}
		}
		web.JSON(w, http.StatusOK, web.NewListResponse(items, total, lp))
		return nil
	})
}

// HandleAPICreate answers POST /api/v1/campaigns.
func HandleAPICreate(s *Store, logger *slog.Logger) http.Handler {
	return campaignAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		var in Input
		if err := web.DecodeJSON(w, r, &in, 1<<20); err != nil {
			return err
		}
		c, err := s.CreateCampaign(r.Context(), actor, in)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusCreated, c)
		return nil
	})
}

// HandleAPIReach answers POST /api/v1/campaigns/reach: who a campaign
// with the body's period, clusters and organisations would invite, counted
// without creating anything.
func HandleAPIReach(s *Store, logger *slog.Logger) http.Handler {
	return campaignAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		var in Input
		if err := web.DecodeJSON(w, r, &in, 1<<20); err != nil {
			return err
		}
		reach, err := s.FindReach(r.Context(), actor, in)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, reach)
		return nil
	})
}

// HandleAPIGet answers GET /api/v1/campaigns/{id}.
func HandleAPIGet(s *Store, logger *slog.Logger) http.Handler {
	return campaignAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		c, err := s.pathCampaign(r, actor)
		if err != nil {
			return err
		}
		q, err := s.CampaignQuality(r.Context(), actor, c)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, CampaignJSON{Campaign: c, Quality: q})
		return nil
	})
}

// HandleAPISubmissions answers GET /api/v1/campaigns/{id}/submissions.
func HandleAPISubmissions(s *Store, logger *slog.Logger) http.Handler {
	return campaignAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := web.ParseID(r.PathValue("id"))
		if err != nil {
			return err
		}
		lp := web.ParseList(r, "", 50)
		q := r.URL.Query()
		subs, total, err := s.FindSubmissions(r.Context(), actor, id, SubmissionFilter{State: ReviewState(q.Get("state")),
			Channel: Channel(q.Get("channel")), Query: lp.Query, History: q.Get("history") == "true", Limit: lp.PerPage, Offset: lp.Offset()})
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, web.NewListResponse(subs, total, lp))
		return nil
	})
}

// SubmitRequest is the body of POST /api/v1/submissions: a respondent
// names their link's token; staff name the invitation or the organisation.
type SubmitRequest struct {
	Token          string          `json:"token"`
	CampaignID     int64           `json:"campaign_id"`
	InvitationID   int64           `json:"invitation_id"`
	OrganisationID int64           `json:"organisation_id"`
	FormVersionID  int64           `json:"form_version_id"`
	InstanceID     string          `json:"instance_id"`
	DeprecatedID   string          `json:"deprecated_id"`
	Channel        Channel         `json:"channel"`
	Answers        json.RawMessage `json:"answers"`
	Attachments    []Attachment    `json:"attachments"`
}

// HandleAPISubmit answers POST /api/v1/submissions: 201 with a new
// submission, 200 with the stored one when the instance ID was already
// sent with the same answers.
func HandleAPISubmit(s *Store, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fail := func(err error) { web.APIError(w, r, logger, err) }
		r.Body = http.MaxBytesReader(w, r.Body, MaxAnswersBytes+64<<10)
		raw, err := readAll(r)
		if err != nil {
			fail(problem.New(problem.TooLarge, "The request body is larger than %d bytes.", MaxAnswersBytes))
			return
		}
		var req SubmitRequest
		if err := strictJSON(raw, &req); err != nil {
			fail(err)
			return
		}
		actor := user.ActorFrom(r.Context())
		if req.Token == "" && !actor.SignedIn() {
			fail(problem.New(problem.Unauthorized, "Send the respondent's link token, or sign in."))
			return
		}
		if req.Channel == "" {
			req.Channel = ChannelWeb
			if req.Token == "" {
				req.Channel = ChannelEntry
			}
		}
		if req.FormVersionID > 0 {
			def, err := s.definition(r, req.FormVersionID)
			if err != nil {
				fail(problem.Fields{{Field: "form_version_id", Message: "There is no such form version."}}.Err())
				return
			}
			answers := decodeAnswers(req.Answers)
			// Answers sent on from a phone were given earlier; staff
			// entry is checked as of now.
			if bad := CheckAnswers(def, answers, Checking{Earlier: req.Channel != ChannelEntry}); len(bad) > 0 {
				for i := range bad {
					bad[i].Field = "answers." + bad[i].Field
				}
				fail(bad.Err())
				return
			}
		}
		in := SubmissionInput{Token: req.Token, CampaignID: req.CampaignID, InvitationID: req.InvitationID, OrganisationID: req.OrganisationID,
			FormVersionID: req.FormVersionID, InstanceID: req.InstanceID, DeprecatedID: req.DeprecatedID, Channel: req.Channel,
			Answers: req.Answers, Raw: raw, RawType: "application/json", Attachments: req.Attachments}
		if req.Token == "" {
			in.Actor = actor
		}
		sub, created, err := s.Submit(r.Context(), in)
		if err != nil {
			fail(err)
			return
		}
		status := http.StatusOK
		if created {
			status = http.StatusCreated
		}
		web.JSON(w, status, sub)
	})
}

// ReviewRequest is the body of POST /api/v1/submissions/{id}/review.
type ReviewRequest struct {
	Decision Decision `json:"decision"`
	Comment  string   `json:"comment"`
}

// HandleAPIReview answers POST /api/v1/submissions/{id}/review.
func HandleAPIReview(s *Store, logger *slog.Logger) http.Handler {
	return campaignAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := web.ParseID(r.PathValue("id"))
		if err != nil {
			return err
		}
		var req ReviewRequest
		if err := web.DecodeJSON(w, r, &req, 64<<10); err != nil {
			return err
		}
		res, err := s.ReviewSubmission(r.Context(), actor, id, req.Decision, req.Comment)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, res)
		return nil
	})
}

func readAll(r *http.Request) ([]byte, error) {
	var buf bytes.Buffer
	_, err := buf.ReadFrom(r.Body)
	return buf.Bytes(), err
}

// strictJSON decodes a body, refusing unknown fields, with a problem that
// says what is wrong.
func strictJSON(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return problem.New(problem.Invalid, "The request body is not a valid submission: %v", err)
	}
	return nil
}
