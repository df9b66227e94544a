package cluster

import (
	"log/slog"
	"net/http"
	"strconv"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// NewMembership is the body of POST /api/v1/memberships.
type NewMembership struct {
	ClusterID int64 `json:"cluster_id"`
	MembershipInput
}

// EndBody is the body of POST /api/v1/memberships/{id}/end.
type EndBody struct {
	Left string `json:"left"`
}

// HandleAPIMembershipList answers GET /api/v1/memberships?cluster=&organisation=&current=.
func HandleAPIMembershipList(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		params := web.ParseList(r, "", 50)
		q := r.URL.Query()
		f := MembershipFilter{Limit: params.PerPage, Offset: params.Offset()}
		var fs problem.Fields
		for _, p := range []struct {
			name string
			dst  *int64
		}{{"cluster", &f.ClusterID}, {"organisation", &f.OrganisationID}} {
			if v := q.Get(p.name); v != "" {
				n, err := strconv.ParseInt(v, 10, 64)
				if err != nil || n <= 0 {
					fs.Add(p.name, "%q is not an ID.", v)
				}
				*p.dst = n
			}
		}
		switch v := q.Get("current"); v {
		case "", "false", "0":
		case "true", "1":
			f.Current = true
		default:
			fs.Add("current", "Use current=true or current=false.")
		}
		if err := fs.Err(); err != nil {
			return err
		}
		items, total, err := s.FindMemberships(r.Context(), actor, f)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, web.NewListResponse(items, total, params))
		return nil
	})
}

// HandleAPIMembershipCreate answers POST /api/v1/memberships.
func HandleAPIMembershipCreate(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		var body NewMembership
		if err := web.DecodeJSON(w, r, &body, maxBody); err != nil {
			return err
		}
		if body.ClusterID <= 0 {
			var fs problem.Fields
			fs.Add("cluster_id", "Give the ID of the cluster initiative.")
			return fs.Err()
		}
		m, err := s.AddMembership(r.Context(), actor, body.ClusterID, body.MembershipInput)
		if err != nil {
			return err
		}
		created(w, apiMembershipPath(m.ID), m)
		return nil
	})
}

// HandleAPIMembershipGet answers GET /api/v1/memberships/{id}.
func HandleAPIMembershipGet(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		m, err := s.FindMembershipByID(r.Context(), actor, id)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, m)
		return nil
	})
}

// HandleAPIMembershipPatch answers PATCH /api/v1/memberships/{id}, to
// correct an entry: fields absent from the body keep their values.
func HandleAPIMembershipPatch(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		cur, err := s.FindMembershipByID(r.Context(), actor, id)
		if err != nil {
			return err
		}
		in := MembershipInput{OrganisationID: cur.OrganisationID, Role: cur.Role, Joined: cur.Joined, Left: cur.Left}
		if err := web.DecodeJSON(w, r, &in, maxBody); err != nil {
			return err
		}
		m, err := s.UpdateMembership(r.Context(), actor, id, in)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, m)
		return nil
	})
}

// HandleAPIMembershipEnd answers POST /api/v1/memberships/{id}/end.
func HandleAPIMembershipEnd(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		var body EndBody
		if err := web.DecodeJSON(w, r, &body, maxBody); err != nil {
			return err
		}
		m, err := s.EndMembership(r.Context(), actor, id, body.Left)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, m)
		return nil
	})
}
