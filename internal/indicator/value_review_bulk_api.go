package indicator

import (
	"log/slog"
	"net/http"

	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// maxReviewBody is the largest body POST /api/v1/values/review reads:
// room for MaxReviewBatch IDs and a comment, so that a longer list is
// refused by its number rather than by its size.
const maxReviewBody = 256 << 10

// BulkReviewInput is one decision on many values.
type BulkReviewInput struct {
	IDs      []int64  `json:"ids"`
	Decision Decision `json:"decision"`
	Comment  string   `json:"comment"`
}

// BulkReviewResult lists the values as reviewed, in the order of the IDs.
type BulkReviewResult struct {
	Reviewed []*Value `json:"reviewed"`
}

// HandleAPIValuesReview answers POST /api/v1/values/review: one decision
// on many values, all or none (problems name ids[N]).
func HandleAPIValuesReview(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		var in BulkReviewInput
		if err := web.DecodeJSON(w, r, &in, maxReviewBody); err != nil {
			return err
		}
		vs, err := s.ReviewValues(r.Context(), actor, in.IDs, in.Decision, in.Comment)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, BulkReviewResult{Reviewed: vs})
		return nil
	})
}
