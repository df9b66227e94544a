package cluster

import (
	"net/http"
	"strings"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// HandleMemberEnd ends a membership from the profile's members table.
func HandleMemberEnd(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		actor := user.ActorFrom(ctx)
		id, err := pathID(r, "id")
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		mid, err := pathID(r, "mid")
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		// The membership must belong to the cluster in the path.
		m, err := s.FindMembershipByID(ctx, actor, mid)
		if err == nil && m.ClusterID != id {
			err = problem.NotFoundf("No membership #%d in cluster initiative #%d.", mid, id)
		}
		if err == nil {
			_, err = s.EndMembership(ctx, actor, mid, strings.TrimSpace(r.PostFormValue("left")))
		}
		if err != nil {
			fe := web.NewFormErrors(err)
			if fe == nil {
				rd.Error(w, r, err)
				return
			}
			if len(fe.Fields) == 0 {
				// A conflict (already ended) has a message but no field.
				fe.Fields = []problem.Detail{{Field: "left", Message: fe.Message}}
			}
			s.renderShow(w, r, rd, http.StatusUnprocessableEntity, func(d *ShowData) {
				d.EndID, d.EndErrors = mid, fe
			})
			return
		}
		web.Flash(w, web.Localizer(r).T("cluster.flash.member_ended"))
		http.Redirect(w, r, clusterPath(id)+"#members", http.StatusSeeOther)
	})
}
