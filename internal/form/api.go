package form

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// formAPI wraps an API handler: anonymous callers get 401, errors become
// problem details.
func formAPI(logger *slog.Logger, h func(w http.ResponseWriter, r *http.Request, actor user.Actor) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := user.ActorFrom(r.Context())
		if !actor.SignedIn() {
			web.APIError(w, r, logger, problem.New(problem.Unauthorized, "Sign in or send an API token: Authorization: Bearer <token>."))
			return
		}
		if err := h(w, r, actor); err != nil {
			var pe *ParseError
			if errors.As(err, &pe) {
				writeParseProblem(w, r, pe)
				return
			}
			web.APIError(w, r, logger, err)
		}
	})
}

// ParseProblem is the problem-details body of a refused XLSForm (status
// 400), with every issue located by sheet, row and column in "errors".
type ParseProblem struct {
	Type     string  `json:"type"`
	Title    string  `json:"title"`
	Status   int     `json:"status"`
	Detail   string  `json:"detail"`
	Instance string  `json:"instance,omitempty"`
	Errors   []Issue `json:"errors"`
}

func writeParseProblem(w http.ResponseWriter, r *http.Request, pe *ParseError) {
	body := ParseProblem{
		Type:     "https://clusterobservatory.org/problems/invalid-xlsform",
		Title:    "The XLSForm has problems",
		Status:   http.StatusBadRequest,
		Detail:   pe.Problem("").Message,
		Instance: r.URL.Path,
		Errors:   pe.Issues,
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(http.StatusBadRequest)
	_ = json.NewEncoder(w).Encode(body)
}

// FieldSummary is a field as the API lists it.
type FieldSummary struct {
	Name       string    `json:"name"`
	Type       FieldType `json:"type"`
	Required   bool      `json:"required"`
	ChoiceList string    `json:"choice_list"`
	Path       string    `json:"path"`
}

func summaries(def *Definition) []FieldSummary {
	out := make([]FieldSummary, 0, len(def.Fields))
	for _, f := range def.Fields {
		out = append(out, FieldSummary{Name: f.Name, Type: f.Type, Required: f.Required, ChoiceList: f.ChoiceList, Path: f.Path})
	}
	return out
}

// ImportResponse is the answer of POST /api/v1/forms.
type ImportResponse struct {
	Form    *Form          `json:"form"`
	Version *Version       `json:"version"`
	Fields  []FieldSummary `json:"fields"`
}

// FormDetail is a form with its versions, as GET /api/v1/forms/{id} answers.
type FormDetail struct {
	*Form
	VersionList []*Version `json:"version_list"`
}

// VersionDetail is a version with its definition and mappings.
type VersionDetail struct {
	*Version
	Definition *Definition    `json:"definition"`
	Fields     []FieldSummary `json:"fields"`
	Mappings   []Mapping      `json:"mappings"`
}

// HandleAPIImport answers POST /api/v1/forms: an XLSForm in the multipart
// field "file" becomes a new form or a new version (201), or a 400 with
// every problem by sheet, row and column.
func HandleAPIImport(s *Store, logger *slog.Logger) http.Handler {
	return formAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		if !MayEdit(actor) {
			return problem.Forbiddenf("Only administrators, programme officers and BSO staff may import forms.")
		}
		b, name, err := readUpload(w, r)
		if err != nil {
			if problem.Is(err, problem.Invalid) {
				return &ParseError{Issues: []Issue{{Message: "Send the XLSForm workbook as the multipart/form-data field \"file\"."}}}
			}
			return err
		}
		imp, err := s.Import(r.Context(), actor, b, name)
		if err != nil {
			return err
		}
		w.Header().Set("Location", "/api/v1/forms/"+strconv.FormatInt(imp.Form.ID, 10)+"/versions/"+imp.Version.Version)
		web.JSON(w, http.StatusCreated, ImportResponse{Form: imp.Form, Version: imp.Version, Fields: summaries(imp.Definition)})
		return nil
	})
}

// HandleAPIList answers GET /api/v1/forms.
func HandleAPIList(s *Store, logger *slog.Logger) http.Handler {
	return formAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		params := web.ParseList(r, "title", 100)
		forms, err := s.FindForms(r.Context(), actor)
		if err != nil {
			return err
		}
		total := len(forms)
		page := forms[min(params.Offset(), total):min(params.Offset()+params.PerPage, total)]
		web.JSON(w, http.StatusOK, web.NewListResponse(page, total, params))
		return nil
	})
}

// apiForm finds the form of the path by record ID or by form_id.
func apiForm(r *http.Request, s *Store, actor user.Actor) (*Form, error) {
	key := strings.TrimSpace(r.PathValue("id"))
	if id, err := strconv.ParseInt(key, 10, 64); err == nil {
		return s.FindForm(r.Context(), actor, id)
	}
	return s.FindFormByKey(r.Context(), actor, key)
}

// HandleAPIGet answers GET /api/v1/forms/{id}, where id is the record ID or
// the form_id.
func HandleAPIGet(s *Store, logger *slog.Logger) http.Handler {
	return formAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		f, err := apiForm(r, s, actor)
		if err != nil {
			return err
		}
		versions, err := s.FindVersions(r.Context(), actor, f.ID)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, FormDetail{Form: f, VersionList: versions})
		return nil
	})
}

// HandleAPIVersion answers GET /api/v1/forms/{id}/versions/{version}.
func HandleAPIVersion(s *Store, logger *slog.Logger) http.Handler {
	return formAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		f, err := apiForm(r, s, actor)
		if err != nil {
			return err
		}
		v, err := s.FindVersion(r.Context(), actor, f.ID, r.PathValue("version"))
		if err != nil {
			return err
		}
		def, err := s.Definition(r.Context(), actor, v.ID)
		if err != nil {
			return err
		}
		maps, err := s.FindMappings(r.Context(), actor, v.ID)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, VersionDetail{Version: v, Definition: def, Fields: summaries(def), Mappings: maps})
		return nil
	})
}
