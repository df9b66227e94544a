package cluster

import (
	"net/http"
	"strings"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// mayCreate reports whether the actor's role may start cluster initiatives at all.
func mayCreate(a user.Actor) bool { return a.Role == user.Admin || a.Role == user.BSOStaff }

// HandleClusterNew shows an empty form, prefilled from ?name=&country=&isic=&sector=
// so that other pages (cluster mapping) can open it with a proposal.
func HandleClusterNew(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := user.ActorFrom(r.Context())
		if !mayCreate(actor) {
			rd.Error(w, r, problem.Forbiddenf(""))
			return
		}
		q := r.URL.Query()
		in := Input{Name: strings.TrimSpace(q.Get("name")), Stage: StageIdentified}
		for _, c := range q["country"] {
			in.Countries = append(in.Countries, SplitCodes(strings.ToUpper(c))...)
		}
		for _, code := range q["isic"] {
			in.Industries = append(in.Industries, SplitCodes(code)...)
		}
		if sec := Sector(q.Get("sector")); sec.Valid() {
			in.Sector = sec
		}
		if actor.Role == user.BSOStaff {
			in.LeadBSOID = actor.Scope.IntID()
		}
		s.renderForm(w, r, rd, nil, in, "", "", nil)
	})
}

// HandleClusterCreate stores a new cluster initiative and shows it, or shows
// the form again with the problems next to their fields.
func HandleClusterCreate(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := user.ActorFrom(r.Context())
		if !mayCreate(actor) {
			rd.Error(w, r, problem.Forbiddenf(""))
			return
		}
		in, industries, year := formInput(r)
		c, err := s.CreateCluster(r.Context(), actor, in)
		if err != nil {
			s.renderForm(w, r, rd, nil, in, industries, year, err)
			return
		}
		web.Flash(w, web.Localizer(r).T("cluster.flash.created"))
		http.Redirect(w, r, clusterPath(c.ID), http.StatusSeeOther)
	})
}
