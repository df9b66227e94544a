package cluster

import (
	"context"
	"net/http"
	"strconv"

	"github.com/clusterobservatory/observatory/internal/geo"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/refdata"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// HandleClusterPick answers the finder next to a cluster initiative ID
// field with an HTML fragment: up to web.PickLimit initiatives the person
// may read whose name contains ?q= (or whose ID it is), for the field
// ?for= names, each with its lead BSO's country. A query shorter than
// web.PickMinQuery is refused.
func HandleClusterPick(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		d, ok := web.ReadPick(r)
		if ok {
			found, err := s.pick(ctx, user.ActorFrom(ctx), d.Query)
			if err != nil {
				rd.Error(w, r, err)
				return
			}
			names, err := refdata.NamesOf(ctx, s.db)
			if err != nil {
				rd.Error(w, r, err)
				return
			}
			loc := web.Localizer(r)
			for _, c := range found {
				d.Items = append(d.Items, web.PickItem{ID: c.ID, Name: c.Name,
					Country: geo.CountryLabel(loc, c.LeadBSOCountry, names.Countries[c.LeadBSOCountry])})
			}
		}
		web.ServePick(rd, w, r, "cluster/pick", "cluster-pick", d)
	})
}

// pick finds the cluster initiatives for the finder: the one whose ID q
// is, if q is a number, then those whose name contains q, under the
// actor's scope and without archived ones, by name.
func (s *Store) pick(ctx context.Context, actor user.Actor, q string) ([]*Cluster, error) {
	var exact **Cluster
	if id, err := strconv.ParseInt(q, 10, 64); err == nil && id > 0 {
		c, err := s.FindClusterByID(ctx, actor, id)
		switch {
		case err == nil && !c.Archived():
			exact = &c
		case err != nil && !problem.Is(err, problem.NotFound):
			return nil, err
		}
	}
	named, _, err := s.FindClusters(ctx, actor, Filter{Query: q, Sort: "name", Limit: web.PickLimit + 1})
	if err != nil {
		return nil, err
	}
	return web.PickMatches(exact, named, func(c *Cluster) int64 { return c.ID }), nil
}
