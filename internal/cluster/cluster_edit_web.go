package cluster

import (
	"net/http"

	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// editable finds a cluster the actor may change; others are not found.
func (s *Store) editable(r *http.Request) (*Cluster, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return loadCluster(r.Context(), s.db.Read(), user.ActorFrom(r.Context()), user.ClusterWriteFilter, id)
}

// HandleClusterEdit shows the form with the cluster's current values.
func HandleClusterEdit(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := s.editable(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		s.renderForm(w, r, rd, c, InputOf(c), "", "", nil)
	})
}

// HandleClusterUpdate saves the edited cluster, or shows the form again
// with the problems. A form without a lead BSO (for people who may not
// change it) keeps the current one.
func HandleClusterUpdate(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := s.editable(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		in, industries, year := formInput(r)
		if _, sent := r.PostForm["lead_bso_id"]; !sent {
			in.LeadBSOID = c.LeadBSOID
		}
		if _, err := s.UpdateCluster(r.Context(), user.ActorFrom(r.Context()), c.ID, in); err != nil {
			s.renderForm(w, r, rd, c, in, industries, year, err)
			return
		}
		web.Flash(w, web.Localizer(r).T("cluster.flash.updated"))
		http.Redirect(w, r, clusterPath(c.ID), http.StatusSeeOther)
	})
}
