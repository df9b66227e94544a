package mapping

import (
	"log/slog"
	"net/http"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// MetricsResponse is a page of area × cluster figures with what they were
// computed from.
type MetricsResponse struct {
	web.ListResponse[Candidate]
	Dataset    int64         `json:"dataset"`
	Set        int64         `json:"set"`
	Year       int           `json:"year"`
	Reference  ReferenceInfo `json:"reference"`
	Options    Options       `json:"options"`
	Thresholds []Thresholds  `json:"thresholds"`
}

// HandleAPIMetrics answers GET /api/v1/mapping/metrics: the explorer's
// table as JSON, with the same parameters, filters and paging.
func HandleAPIMetrics(s *Store, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if !user.ActorFrom(ctx).SignedIn() {
			web.APIError(w, r, logger, problem.New(problem.Unauthorized, "Sign in or send an API token: Authorization: Bearer <token>."))
			return
		}
		form, err := ParseExploreForm(r.URL.Query())
		if err != nil {
			web.APIError(w, r, logger, err)
			return
		}
		if _, ok, err := s.Resolve(ctx, &form); err != nil || !ok {
			if err == nil {
				var f problem.Fields
				f.Add("dataset", "There is no dataset with a definition set of its classification to compute.")
				err = f.Err()
			}
			web.APIError(w, r, logger, err)
			return
		}
		run, err := s.Run(ctx, RunInput{DatasetID: form.Dataset, SetID: form.Set, Reference: form.Reference, From: form.From, To: form.To})
		if err != nil {
			web.APIError(w, r, logger, err)
			return
		}
		list := web.ParseList(r, DefaultSort, 50)
		q := form.Query
		q.Year, q.Limit, q.Offset = form.Year, list.PerPage, list.Offset()
		rows, total := Candidates(run.Result, q)
		var th []Thresholds
		for _, t := range run.Result.Thresholds {
			if t.Year == form.Year {
				th = append(th, t)
			}
		}
		web.JSON(w, http.StatusOK, MetricsResponse{ListResponse: web.NewListResponse(rows, total, list),
			Dataset: form.Dataset, Set: form.Set, Year: form.Year, Reference: run.Result.Reference, Options: run.Result.Options, Thresholds: th})
	})
}
