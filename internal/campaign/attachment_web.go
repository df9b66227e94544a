package campaign

import (
	"bytes"
	"log/slog"
	"mime"
	"net/http"

	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// serveFile sends a submission's file. It is a download unless the page
// asks for a picture inline (its thumbnail); the type is the one read from
// the content when the file was received, and the browser may not guess
// another.
func serveFile(w http.ResponseWriter, r *http.Request, f *StoredFile, inline bool) {
	disposition := "attachment"
	if inline && inlineType(f.ContentType) {
		disposition = "inline"
	}
	if cd := mime.FormatMediaType(disposition, map[string]string{"filename": f.Name}); cd != "" {
		w.Header().Set("Content-Disposition", cd)
	} else {
		w.Header().Set("Content-Disposition", disposition)
	}
	w.Header().Set("Content-Type", f.ContentType)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "private, no-cache")
	w.Header().Set("ETag", `"`+f.SHA256+`"`)
	// ServeContent answers conditional and range requests too.
	http.ServeContent(w, r, "", f.CreatedAt, bytes.NewReader(f.Data))
}

// HandleSubmissionFile sends a file of a submission to staff who run its
// campaign: GET /submissions/{id}/files/{name}, inline=1 for a picture's
// thumbnail.
func HandleSubmissionFile(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := web.ParseID(r.PathValue("id"))
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		f, err := s.SubmissionFile(r.Context(), user.ActorFrom(r.Context()), id, r.PathValue("name"))
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		serveFile(w, r, f, r.URL.Query().Get("inline") == "1")
	})
}

// HandleAPISubmissionFile answers GET /api/v1/submissions/{id}/files/{name}
// with the file's bytes.
func HandleAPISubmissionFile(s *Store, logger *slog.Logger) http.Handler {
	return campaignAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := web.ParseID(r.PathValue("id"))
		if err != nil {
			return err
		}
		f, err := s.SubmissionFile(r.Context(), actor, id, r.PathValue("name"))
		if err != nil {
			return err
		}
		serveFile(w, r, f, false)
		return nil
	})
}
