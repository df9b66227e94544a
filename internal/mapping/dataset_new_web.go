package mapping

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/job"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// uploadMemory is how much of a multipart upload is kept in memory; the
// rest of the file goes to a temporary file until it is stored.
const uploadMemory = 8 << 20

// CountryOption is a country in a form's list.
type CountryOption struct {
	ISO3, Name string
}

// DatasetNewData is the upload form's data.
type DatasetNewData struct {
	Input     DatasetInput
	Countries []CountryOption
	Columns   []string
	MaxMB     int
	Errors    *web.FormErrors
}

func (s *Store) countryOptions(ctx context.Context) ([]CountryOption, error) {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT iso3, name FROM countries ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("countries: %w", err)
	}
	defer rows.Close()
	var out []CountryOption
	for rows.Next() {
		var c CountryOption
		if err := rows.Scan(&c.ISO3, &c.Name); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// HandleDatasetNew shows the upload form; ?name= fills in the name of a
// dataset to replace.
func HandleDatasetNew(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !MayImport(user.ActorFrom(r.Context())) {
			rd.Error(w, r, problem.Forbiddenf(""))
			return
		}
		in := DatasetInput{Classification: classISIC, Name: r.URL.Query().Get("name")}
		if old, err := s.FindDatasetByName(r.Context(), in.Name); in.Name != "" && err == nil {
			in = DatasetInput{Name: old.Name, Classification: old.Classification, Description: old.Description, Source: old.Source}
		}
		renderDatasetNew(s, rd, w, r, in, nil)
	})
}

// readDatasetForm reads the multipart form of an upload: the fields and
// the file, which the caller must close.
func readDatasetForm(w http.ResponseWriter, r *http.Request) (DatasetInput, io.ReadCloser, error) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxEmploymentBytes+1<<20)
	if err := r.ParseMultipartForm(uploadMemory); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return DatasetInput{}, nil, problem.New(problem.TooLarge, "The file is larger than %d MB.", MaxEmploymentBytes>>20)
		}
		return DatasetInput{}, nil, (&problem.Fields{{Field: "file", Message: "Send the form as multipart/form-data with the file in the field \"file\"."}}).Err()
	}
	in := DatasetInput{Name: r.PostFormValue("name"), Classification: r.PostFormValue("classification"),
		Description: r.PostFormValue("description"), Source: r.PostFormValue("source"), Country: r.PostFormValue("country")}
	file, header, err := r.FormFile("file")
	if err != nil {
		return in, nil, (&problem.Fields{{Field: "file", Message: "Choose a CSV or Excel file to import."}}).Err()
	}
	in.File = path.Base(strings.ReplaceAll(header.Filename, `\`, "/"))
	return in, file, nil
}

// queueUpload stores an uploaded file and queues its import, returning the
// job's ID.
func queueUpload(w http.ResponseWriter, r *http.Request, s *Store, runner *job.Runner) (DatasetInput, int64, error) {
	in, file, err := readDatasetForm(w, r)
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	if err != nil {
		return in, 0, err
	}
	defer file.Close()
	title := web.Localizer(r).T("mapping.job.title", "file", in.File, "name", strings.TrimSpace(in.Name))
	id, err := s.QueueEmploymentImport(r.Context(), runner, user.ActorFrom(r.Context()), in, file, title)
	return in, id, err
}

// HandleDatasetCreate stores the uploaded file, queues the job that checks
// and imports it, and sends the person to the job's page, where its
// progress and any problem with the file appear.
func HandleDatasetCreate(s *Store, runner *job.Runner, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !MayImport(user.ActorFrom(r.Context())) {
			rd.Error(w, r, problem.Forbiddenf(""))
			return
		}
		in, id, err := queueUpload(w, r, s, runner)
		if err != nil {
			switch problem.KindOf(err) {
			case problem.TooLarge:
				renderDatasetNew(s, rd, w, r, in, (&problem.Fields{{Field: "file", Message: problem.As(err).Message}}).Err())
			case problem.Invalid, problem.Conflict:
				renderDatasetNew(s, rd, w, r, in, err)
			default:
				rd.Error(w, r, err)
			}
			return
		}
		http.Redirect(w, r, "/jobs/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	})
}

func renderDatasetNew(s *Store, rd *web.Renderer, w http.ResponseWriter, r *http.Request, in DatasetInput, formErr error) {
	countries, err := s.countryOptions(r.Context())
	if err != nil {
		rd.Error(w, r, err)
		return
	}
	d := &DatasetNewData{Input: in, Countries: countries, Columns: EmploymentColumns, MaxMB: MaxEmploymentBytes >> 20, Errors: web.NewFormErrors(formErr)}
	status := http.StatusOK
	if formErr != nil {
		status = problem.KindOf(formErr).Status()
	}
	loc := web.Localizer(r)
	p := rd.NewPage(r, loc.T("mapping.datasets.new_title"), d)
	p.Section = navSection
	p.Crumbs = datasetCrumbs(loc)
	rd.Render(w, r, status, "mapping/datasets_new", p)
}
