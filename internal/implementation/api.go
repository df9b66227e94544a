package implementation

import (
	"log/slog"
	"net/http"
	"strconv"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// maxBody is the largest JSON body the API reads: an entry with a receipt
// of 5 MB in base64.
const maxBody = MaxAttachmentBytes*4/3 + 64<<10

// HandleAPISpendingList answers GET /api/v1/plans/{id}/spending: a page of
// entries, latest day first, with the total.
func HandleAPISpendingList(s *Store, logger *slog.Logger) http.Handler {
	return user.API(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		params := web.ParseList(r, "-spent_on", perPage)
		_, items, total, err := s.FindEntries(r.Context(), actor, id, EntryFilter{Limit: params.PerPage, Offset: params.Offset()})
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, web.NewListResponse(items, total, params))
		return nil
	})
}

// HandleAPISpendingCreate answers POST /api/v1/plans/{id}/spending.
func HandleAPISpendingCreate(s *Store, logger *slog.Logger) http.Handler {
	return user.API(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		var in EntryInput
		if err := web.DecodeJSON(w, r, &in, maxBody); err != nil {
			return err
		}
		e, err := s.RecordSpending(r.Context(), actor, id, in, today())
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusCreated, e)
		return nil
	})
}

// HandleAPIExecution answers GET /api/v1/plans/{id}/execution.
func HandleAPIExecution(s *Store, logger *slog.Logger) http.Handler {
	return user.API(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		_, x, err := s.Execution(r.Context(), actor, id, today())
		if err != nil {
			return err
		}
		if x == nil {
			return problem.Conflictf("The plan has no approved baseline yet: there is no execution to show.")
		}
		web.JSON(w, http.StatusOK, x)
		return nil
	})
}

// HandleAPIMilestonePut answers PUT /api/v1/plans/{id}/milestones/{n}.
func HandleAPIMilestonePut(s *Store, logger *slog.Logger) http.Handler {
	return user.API(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		n, err := strconv.Atoi(r.PathValue("n"))
		if err != nil {
			return problem.NotFoundf("No milestone %q.", r.PathValue("n"))
		}
		var in ProgressInput
		if err := web.DecodeJSON(w, r, &in, maxBody); err != nil {
			return err
		}
		m, err := s.RecordProgress(r.Context(), actor, id, n, in, today())
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, m)
		return nil
	})
}
