package org

import (
	"context"
	"net/http"
	"strconv"

	"github.com/clusterobservatory/observatory/internal/geo"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// HandleOrganisationPick answers the finder next to an organisation ID
// field with an HTML fragment: up to web.PickLimit organisations the
// person may read whose name contains ?q= (or whose ID it is), for the
// field ?for= names. A query shorter than web.PickMinQuery is refused.
func HandleOrganisationPick(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d, ok := web.ReadPick(r)
		if ok {
			found, err := s.pick(r.Context(), user.ActorFrom(r.Context()), d.Query)
			if err != nil {
				rd.Error(w, r, err)
				return
			}
			loc := web.Localizer(r)
			for _, o := range found {
				d.Items = append(d.Items, web.PickItem{ID: o.ID, Name: o.Name, Country: geo.CountryLabel(loc, o.Country, o.CountryName)})
			}
		}
		web.ServePick(rd, w, r, "org/pick", "org-pick", d)
	})
}

// pick finds the organisations for the finder: the one whose ID q is, if
// q is a number, then those whose name contains q, under the actor's
// scope and without archived ones, by name.
func (s *Store) pick(ctx context.Context, actor user.Actor, q string) ([]*Organisation, error) {
	var exact **Organisation
	if id, err := strconv.ParseInt(q, 10, 64); err == nil && id > 0 {
		o, err := s.FindOrganisationByID(ctx, actor, id)
		switch {
		case err == nil && o.ArchivedAt == nil:
			exact = &o
		case err != nil && !problem.Is(err, problem.NotFound):
			return nil, err
		}
	}
	named, _, err := s.FindOrganisations(ctx, actor, Filter{Query: q, Sort: "name", Limit: web.PickLimit + 1})
	if err != nil {
		return nil, err
	}
	return web.PickMatches(exact, named, func(o *Organisation) int64 { return o.ID }), nil
}
