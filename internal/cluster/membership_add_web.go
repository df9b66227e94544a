package cluster

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// HandleMemberAdd adds a member from the profile's form; on a problem the
// profile is shown again with the form's values and the problems.
func HandleMemberAdd(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "id")
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		_ = r.ParseForm() // a malformed body leaves the fields empty, which validation reports
		in := MembershipInput{Role: Role(r.PostFormValue("role")), Joined: strings.TrimSpace(r.PostFormValue("joined"))}
		in.OrganisationID, _ = strconv.ParseInt(r.PostFormValue("organisation_id"), 10, 64)
		if _, err := s.AddMembership(r.Context(), user.ActorFrom(r.Context()), id, in); err != nil {
			fe := web.NewFormErrors(err)
			if fe == nil {
				rd.Error(w, r, err)
				return
			}
			s.renderShow(w, r, rd, http.StatusUnprocessableEntity, func(d *ShowData) {
				d.AddMember.Errors = fe
				d.AddMember.Form = MemberForm{OrganisationID: in.OrganisationID, Role: in.Role, Joined: in.Joined}
			})
			return
		}
		web.Flash(w, web.Localizer(r).T("cluster.flash.member_added"))
		http.Redirect(w, r, clusterPath(id)+"#members", http.StatusSeeOther)
	})
}
