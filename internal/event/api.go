package event

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// maxBody is the largest JSON body the event API reads (an event with a
// few thousand attendee rows).
const maxBody = 1 << 20

// ListResponse is the JSON shape of an event list: the page of events, the
// number of events that match and their participants added up.
type ListResponse struct {
	Items   []*Event `json:"items"`
	Total   int      `json:"total"`
	Page    int      `json:"page"`
	PerPage int      `json:"per_page"`
	Totals  Counts   `json:"totals"`
}

// AttendanceResponse is the JSON shape of an event's attendance.
type AttendanceResponse struct {
	EventID int64       `json:"event_id"`
	Totals  Counts      `json:"totals"`
	Items   []*Attendee `json:"items"`
}

func apiEventPath(id int64) string { return "/api/v1/events/" + strconv.FormatInt(id, 10) }

// HandleAPIEventList answers GET /api/v1/events.
func HandleAPIEventList(s *Store, logger *slog.Logger) http.Handler {
	return user.API(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		params := web.ParseList(r, "-date", perPage)
		f, err := parseFilter(r.URL.Query(), params)
		if err != nil {
			return err
		}
		items, sum, err := s.FindEvents(r.Context(), actor, f)
		if err != nil {
			return err
		}
		if items == nil {
			items = []*Event{}
		}
		web.JSON(w, http.StatusOK, ListResponse{Items: items, Total: sum.Total, Page: params.Page, PerPage: params.PerPage, Totals: sum.Counts})
		return nil
	})
}

// HandleAPIEventCreate answers POST /api/v1/events.
func HandleAPIEventCreate(s *Store, logger *slog.Logger) http.Handler {
	return user.API(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		var in Input
		if err := web.DecodeJSON(w, r, &in, maxBody); err != nil {
			return err
		}
		e, err := s.CreateEvent(r.Context(), actor, in)
		if err != nil {
			return err
		}
		w.Header().Set("Location", apiEventPath(e.ID))
		web.JSON(w, http.StatusCreated, e)
		return nil
	})
}

// HandleAPIEventGet answers GET /api/v1/events/{id}.
func HandleAPIEventGet(s *Store, logger *slog.Logger) http.Handler {
	return user.API(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		e, err := s.FindEventByID(r.Context(), actor, id)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, e)
		return nil
	})
}

// HandleAPIEventPatch answers PATCH /api/v1/events/{id}: fields absent from
// the body keep their values; attendees, when sent, replace the list.
func HandleAPIEventPatch(s *Store, logger *slog.Logger) http.Handler {
	return user.API(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		cur, err := s.FindEventByID(r.Context(), actor, id)
		if err != nil {
			return err
		}
		in := InputOf(cur)
		// plan_project is read apart, so that a new project replaces the
		// stored one whole and an absent one keeps it.
		body := struct {
			*Input
			PlanProject json.RawMessage `json:"plan_project"`
		}{Input: &in}
		if err := web.DecodeJSON(w, r, &body, maxBody); err != nil {
			return err
		}
		if err := patchProject(&in, body.PlanProject); err != nil {
			return err
		}
		e, err := s.UpdateEvent(r.Context(), actor, id, in)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, e)
		return nil
	})
}

// HandleAPIAttendance answers GET /api/v1/events/{id}/attendance.
func HandleAPIAttendance(s *Store, logger *slog.Logger) http.Handler {
	return user.API(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		e, err := s.FindEventByID(r.Context(), actor, id)
		if err != nil {
			return err
		}
		items, err := s.FindAttendees(r.Context(), actor, id)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, AttendanceResponse{EventID: e.ID, Totals: e.Counts, Items: items})
		return nil
	})
}

// patchProject applies the plan_project of a PATCH body: absent keeps the
// link, null removes it, an object replaces it.
func patchProject(in *Input, raw json.RawMessage) error {
	switch {
	case raw == nil:
		return nil
	case bytes.Equal(bytes.TrimSpace(raw), []byte("null")):
		in.PlanProject = nil
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var ref ProjectRef
	if err := dec.Decode(&ref); err != nil {
		var f problem.Fields
		f.Add("plan_project", "Send an object with plan_id, project and optionally activity, or null for no project.")
		return f.Err()
	}
	in.PlanProject = &ref
	return nil
}
