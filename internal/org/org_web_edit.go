package org

import (
	"net/http"
	"strings"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// editable finds an organisation the person may change and that is not
// archived; others are not found, archived ones a conflict.
func (s *Store) editable(r *http.Request) (*Organisation, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	o, err := loadOrganisation(r.Context(), s.db.Read(), user.ActorFrom(r.Context()), user.OrgWriteFilter, id)
	if err != nil {
		return nil, err
	}
	if o.Archived() {
		return nil, problem.Conflictf("%s is archived; it must be restored before it can be edited.", o.Name)
	}
	return o, nil
}

// HandleOrganisationEdit shows the form with the organisation's current
// values; ?country= changes the country shown (the area select of another
// country, which the page asks for when the country changes).
func HandleOrganisationEdit(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o, err := s.editable(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		in := InputOf(o)
		if c := strings.ToUpper(strings.TrimSpace(r.URL.Query().Get("country"))); c != "" && c != in.Country {
			in.Country, in.AreaID = c, nil
		}
		s.renderForm(w, r, rd, o, in, "", nil)
	})
}

// HandleOrganisationUpdate saves the edited organisation, or shows the form
// again with the problems.
func HandleOrganisationUpdate(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o, err := s.editable(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		in, year := formInput(r)
		if _, err := s.UpdateOrganisation(r.Context(), user.ActorFrom(r.Context()), o.ID, in); err != nil {
			s.renderForm(w, r, rd, o, in, year, err)
			return
		}
		web.Flash(w, web.Localizer(r).T("org.flash.updated"))
		http.Redirect(w, r, orgPath(o.ID), http.StatusSeeOther)
	})
}
