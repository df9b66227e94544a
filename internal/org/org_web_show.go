package org

import (
	"net/http"

	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// MemberRow is a cluster membership with its role in words.
type MemberRow struct {
	Membership
	RoleLabel string
}

// ShowData is the organisation profile's data.
type ShowData struct {
	Org         *Organisation
	CountryName string
	Members     []MemberRow
	CanEdit     bool // may change it (and it is not archived)
	CanArchive  bool
	CanRestore  bool
}

// HandleOrganisationShow shows an organisation's profile and the cluster
// initiatives it belongs to.
func HandleOrganisationShow(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		actor := user.ActorFrom(ctx)
		loc := web.Localizer(r)
		id, err := pathID(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		o, err := s.FindOrganisationByID(ctx, actor, id)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		_, names, err := s.countries(ctx, loc)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		d := &ShowData{Org: o, CountryName: names[o.Country]}
		ms, err := s.FindMemberships(ctx, actor, o.ID)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		for _, m := range ms {
			d.Members = append(d.Members, MemberRow{Membership: m, RoleLabel: roleLabel(loc, m.Role)})
		}
		writable, err := s.CanWrite(ctx, actor, o.ID)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		d.CanEdit = writable && !o.Archived()
		d.CanArchive = writable && !o.Archived()
		d.CanRestore = writable && o.Archived() && MayRestore(actor)
		p := rd.NewPage(r, o.Name, d)
		p.Section = section
		p.Crumbs = crumbs(loc, o, d.CountryName)
		rd.Render(w, r, http.StatusOK, "org/show", p)
	})
}
