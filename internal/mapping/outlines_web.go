package mapping

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"strings"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// HandleOutlinesUpload stores the area outlines file of a dataset (the
// multipart field "outlines") and shows the dataset again: with a message
// on success, with the file's problems next to the field otherwise.
func HandleOutlinesUpload(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := web.ParseID(r.PathValue("id"))
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		name, data, err := readOutlinesForm(w, r)
		if err == nil {
			var o *OutlinesInfo
			if o, err = s.SaveOutlines(r.Context(), user.ActorFrom(r.Context()), id, name, data); err == nil {
				web.Flash(w, web.Localizer(r).T("mapping.outlines.flash_saved", "n", o.Features))
				http.Redirect(w, r, fmt.Sprintf("/mapping/datasets/%d#outlines", id), http.StatusSeeOther)
				return
			}
		}
		if problem.Is(err, problem.Forbidden) || problem.Is(err, problem.NotFound) {
			rd.Error(w, r, err)
			return
		}
		s.renderDataset(w, r, rd, id, http.StatusUnprocessableEntity, err)
	})
}

// readOutlinesForm reads the uploaded outlines file whole: it is small
// enough (MaxOutlinesBytes) and must be parsed as one JSON document.
func readOutlinesForm(w http.ResponseWriter, r *http.Request) (string, []byte, error) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxOutlinesBytes+64<<10)
	if err := r.ParseMultipartForm(uploadMemory); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return "", nil, (&problem.Fields{{Field: "outlines", Message: fmt.Sprintf("The file is larger than %d MB.", MaxOutlinesBytes>>20)}}).Err()
		}
		return "", nil, (&problem.Fields{{Field: "outlines", Message: "Send the form as multipart/form-data with the file in the field \"outlines\"."}}).Err()
	}
	defer r.MultipartForm.RemoveAll()
	file, header, err := r.FormFile("outlines")
	if err != nil {
		return "", nil, (&problem.Fields{{Field: "outlines", Message: "Choose a GeoJSON file of the areas' outlines."}}).Err()
	}
	defer file.Close()
	data, err := io.ReadAll(file)
	if err != nil {
		return "", nil, err
	}
	return path.Base(strings.ReplaceAll(header.Filename, `\`, "/")), data, nil
}

// HandleOutlinesDelete removes a dataset's outlines.
func HandleOutlinesDelete(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := web.ParseID(r.PathValue("id"))
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		if err := s.DeleteOutlines(r.Context(), user.ActorFrom(r.Context()), id); err != nil {
			rd.Error(w, r, err)
			return
		}
		web.Flash(w, web.Localizer(r).T("mapping.outlines.flash_removed"))
		http.Redirect(w, r, fmt.Sprintf("/mapping/datasets/%d#outlines", id), http.StatusSeeOther)
	})
}

// HandleOutlinesGeoJSON serves a dataset's outlines to the maps. Links
// carry the outlines' date (?v=), so a browser may keep them.
func HandleOutlinesGeoJSON(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := web.ParseID(r.PathValue("id"))
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		b, err := s.OutlinesGeoJSON(r.Context(), id)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/geo+json")
		if r.URL.Query().Get("v") != "" {
			w.Header().Set("Cache-Control", "private, max-age=86400")
		}
		w.Write(b)
	})
}

// outlinesURL is where the maps fetch a dataset's outlines.
func outlinesURL(id int64, o *OutlinesInfo) string {
	return fmt.Sprintf("/mapping/datasets/%d/outlines.geojson?v=%d", id, o.CreatedAt.Unix())
}
