package mapping

import (
	"log/slog"
	"net/http"
	"strconv"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// maxDefinitionJSON bounds a definition set sent as JSON.
const maxDefinitionJSON = 4 << 20

// definitionAPI wraps an API handler: anonymous callers get 401, errors
// become problem details.
func definitionAPI(logger *slog.Logger, h func(w http.ResponseWriter, r *http.Request, actor user.Actor) error) http.Handler {
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

// DefinitionSetDetail is a set with its clusters, as the API returns it.
type DefinitionSetDetail struct {
	*SetInfo
	Clusters []Cluster `json:"clusters"`
}

// ClusterInput is a cluster as the API receives it.
type ClusterInput struct {
	Code        string       `json:"code"`
	Name        string       `json:"name"`
	Type        string       `json:"type"`
	Industries  []string     `json:"industries"`
	Subclusters []Subcluster `json:"subclusters"`
}

// DefinitionSetInput is the body of POST /api/v1/definition-sets.
type DefinitionSetInput struct {
	SetInput
	Clusters []ClusterInput `json:"clusters"`
}

// set builds the pure set; a type that is neither traded nor local stays
// zero, which the set's validation reports by field.
func (in *DefinitionSetInput) set() *DefinitionSet {
	set := &DefinitionSet{}
	for _, c := range in.Clusters {
		t, _ := ParseClusterType(c.Type)
		set.Clusters = append(set.Clusters, Cluster{Code: c.Code, Name: c.Name, Type: t, Industries: c.Industries, Subclusters: c.Subclusters})
	}
	return set
}

func loadDefinitionDetail(r *http.Request, s *Store, id int64) (*DefinitionSetDetail, error) {
	info, err := s.FindDefinitionSet(r.Context(), id)
	if err != nil {
		return nil, err
	}
	set, err := s.LoadDefinitionSet(r.Context(), id)
	if err != nil {
		return nil, err
	}
	return &DefinitionSetDetail{SetInfo: info, Clusters: set.Clusters}, nil
}

// HandleAPIDefinitionSetList answers GET /api/v1/definition-sets.
func HandleAPIDefinitionSetList(s *Store, logger *slog.Logger) http.Handler {
	return definitionAPI(logger, func(w http.ResponseWriter, r *http.Request, _ user.Actor) error {
		params := web.ParseList(r, "name", 100)
		archived, _ := strconv.ParseBool(r.URL.Query().Get("archived"))
		sets, err := s.FindDefinitionSets(r.Context(), archived)
		if err != nil {
			return err
		}
		total := len(sets)
		page := sets[min(params.Offset(), total):min(params.Offset()+params.PerPage, total)]
		web.JSON(w, http.StatusOK, web.NewListResponse(page, total, params))
		return nil
	})
}

// HandleAPIDefinitionSetGet answers GET /api/v1/definition-sets/{id}.
func HandleAPIDefinitionSetGet(s *Store, logger *slog.Logger) http.Handler {
	return definitionAPI(logger, func(w http.ResponseWriter, r *http.Request, _ user.Actor) error {
		id, err := web.ParseID(r.PathValue("id"))
		if err != nil {
			return err
		}
		d, err := loadDefinitionDetail(r, s, id)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, d)
		return nil
	})
}

// HandleAPIDefinitionSetSave answers POST /api/v1/definition-sets: 201 for
// a new set, 200 when it replaced the caller's set of the same name.
func HandleAPIDefinitionSetSave(s *Store, logger *slog.Logger) http.Handler {
	return definitionAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		if !MayImport(actor) {
			return problem.Forbiddenf("Your role may not create cluster definition sets.")
		}
		var in DefinitionSetInput
		if err := web.DecodeJSON(w, r, &in, maxDefinitionJSON); err != nil {
			return err
		}
		status := http.StatusCreated
		if _, err := s.FindDefinitionSetByName(r.Context(), in.Name); err == nil {
			status = http.StatusOK
		}
		info, err := s.SaveDefinitionSet(r.Context(), actor, in.SetInput, in.set())
		if err != nil {
			return err
		}
		d, err := loadDefinitionDetail(r, s, info.ID)
		if err != nil {
			return err
		}
		w.Header().Set("Location", "/api/v1/definition-sets/"+strconv.FormatInt(info.ID, 10))
		web.JSON(w, status, d)
		return nil
	})
}

// DeriveResponse is the answer of POST /api/v1/definition-sets/{id}/derive-isic.
type DeriveResponse struct {
	Set    *DefinitionSetDetail `json:"set"`
	Report *DeriveReport        `json:"report"`
}

// HandleAPIDefinitionSetDerive answers POST /api/v1/definition-sets/{id}/derive-isic.
func HandleAPIDefinitionSetDerive(s *Store, logger *slog.Logger) http.Handler {
	return definitionAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := web.ParseID(r.PathValue("id"))
		if err != nil {
			return err
		}
		var body struct {
			Name string `json:"name"`
		}
		if err := web.DecodeJSON(w, r, &body, 4<<10); err != nil {
			return err
		}
		info, rep, err := s.DeriveISICSet(r.Context(), actor, id, body.Name)
		if err != nil {
			return err
		}
		d, err := loadDefinitionDetail(r, s, info.ID)
		if err != nil {
			return err
		}
		w.Header().Set("Location", "/api/v1/definition-sets/"+strconv.FormatInt(info.ID, 10))
		web.JSON(w, http.StatusCreated, DeriveResponse{Set: d, Report: rep})
		return nil
	})
}
