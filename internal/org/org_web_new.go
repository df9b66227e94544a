package org

import (
	"net/http"
	"strings"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// HandleOrganisationNew shows an empty form, prefilled from ?kind=&name=&country=
// so that other pages can open it with a proposal. BSO staff start in their
// BSO's country.
func HandleOrganisationNew(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		actor := user.ActorFrom(ctx)
		if !mayCreate(actor) {
			rd.Error(w, r, problem.Forbiddenf(""))
			return
		}
		q := r.URL.Query()
		in := Input{Kind: KindFirm, Name: strings.TrimSpace(q.Get("name")), Country: strings.ToUpper(strings.TrimSpace(q.Get("country")))}
		if k := Kind(q.Get("kind")); k.Valid() {
			in.Kind = k
		}
		if in.Country == "" && actor.Role == user.BSOStaff {
			if bso, err := loadOrganisation(ctx, s.db.Read(), user.System, user.OrgReadFilter, actor.Scope.IntID()); err == nil {
				in.Country = bso.Country
			}
		}
		s.renderForm(w, r, rd, nil, in, "", nil)
	})
}

// HandleOrganisationCreate registers a new organisation and shows it, or
// shows the form again with the problems next to their fields.
func HandleOrganisationCreate(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		actor := user.ActorFrom(ctx)
		if !mayCreate(actor) {
			rd.Error(w, r, problem.Forbiddenf(""))
			return
		}
		in, year := formInput(r)
		o, err := s.CreateOrganisation(ctx, actor, in)
		if err != nil {
			s.renderForm(w, r, rd, nil, in, year, err)
			return
		}
		loc := web.Localizer(r)
		// BSO staff may register organisations in their clusters' countries
		// that they can read only once the organisation joins a cluster.
		if _, err := s.FindOrganisationByID(ctx, actor, o.ID); err != nil {
			web.Flash(w, loc.T("org.flash.created_elsewhere", "name", o.Name))
			http.Redirect(w, r, "/organisations", http.StatusSeeOther)
			return
		}
		web.Flash(w, loc.T("org.flash.created"))
		http.Redirect(w, r, orgPath(o.ID), http.StatusSeeOther)
	})
}
