package mapping

import (
	"log/slog"
	"net/http"
	"strconv"

	"github.com/clusterobservatory/observatory/internal/job"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// DatasetDetail is a dataset with its areas, as the API returns it.
type DatasetDetail struct {
	*DatasetInfo
	AreaList []DatasetArea `json:"areas"`
	Years    []DatasetYear `json:"years"`
}

// ImportQueued answers an accepted upload: the job that imports it.
type ImportQueued struct {
	JobID int64  `json:"job_id"`
	URL   string `json:"url"`  // the job's progress as JSON
	Page  string `json:"page"` // the job's page
}

// HandleAPIDatasetList answers GET /api/v1/datasets.
func HandleAPIDatasetList(s *Store, logger *slog.Logger) http.Handler {
	return definitionAPI(logger, func(w http.ResponseWriter, r *http.Request, _ user.Actor) error {
		params := web.ParseList(r, "name", 100)
		archived, _ := strconv.ParseBool(r.URL.Query().Get("archived"))
		sets, err := s.FindDatasets(r.Context(), archived)
		if err != nil {
			return err
		}
		total := len(sets)
		page := sets[min(params.Offset(), total):min(params.Offset()+params.PerPage, total)]
		web.JSON(w, http.StatusOK, web.NewListResponse(page, total, params))
		return nil
	})
}

// HandleAPIDatasetGet answers GET /api/v1/datasets/{id}: the dataset with
// its areas and its cells summed by year.
func HandleAPIDatasetGet(s *Store, logger *slog.Logger) http.Handler {
	return definitionAPI(logger, func(w http.ResponseWriter, r *http.Request, _ user.Actor) error {
		id, err := web.ParseID(r.PathValue("id"))
		if err != nil {
			return err
		}
		info, err := s.FindDataset(r.Context(), id)
		if err != nil {
			return err
		}
		d := &DatasetDetail{DatasetInfo: info, AreaList: []DatasetArea{}, Years: []DatasetYear{}}
		areas, err := s.DatasetAreas(r.Context(), id)
		if err != nil {
			return err
		}
		years, err := s.DatasetYears(r.Context(), id)
		if err != nil {
			return err
		}
		d.AreaList = append(d.AreaList, areas...)
		d.Years = append(d.Years, years...)
		web.JSON(w, http.StatusOK, d)
		return nil
	})
}

// HandleAPIDatasetImport answers POST /api/v1/datasets: a multipart form
// with the dataset's fields and the file, stored and queued for import.
// It answers 202 with the job to follow; the job's result links to the
// dataset, and a file with problems ends the job with them.
func HandleAPIDatasetImport(s *Store, runner *job.Runner, logger *slog.Logger) http.Handler {
	return definitionAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		if !MayImport(actor) {
			return problem.Forbiddenf("Your role may not import employment datasets.")
		}
		_, id, err := queueUpload(w, r, s, runner)
		if err != nil {
			return err
		}
		q := ImportQueued{JobID: id, URL: "/api/v1/jobs/" + strconv.FormatInt(id, 10), Page: "/jobs/" + strconv.FormatInt(id, 10)}
		w.Header().Set("Location", q.URL)
		web.JSON(w, http.StatusAccepted, q)
		return nil
	})
}
