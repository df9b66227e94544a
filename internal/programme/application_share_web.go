package programme

import (
	"net/http"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// HandleApplicationShare shares a draft with the account named by the
// posted email; a problem shows the application again with its message.
func HandleApplicationShare(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "id")
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		actor := user.ActorFrom(r.Context())
		c, err := s.ShareApplication(r.Context(), actor, id, r.PostFormValue("email"))
		if err != nil {
			s.showAfterSharing(w, r, rd, actor, id, err)
			return
		}
		web.Flash(w, web.Localizer(r).T("programme.flash.application_shared", "name", c.Name))
		http.Redirect(w, r, applicationPath(id)+"#h-sharing", http.StatusSeeOther)
	})
}

// HandleApplicationUnshare stops sharing a draft with account {user}.
func HandleApplicationUnshare(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "id")
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		other, err := pathID(r, "user")
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		actor := user.ActorFrom(r.Context())
		if err := s.UnshareApplication(r.Context(), actor, id, other); err != nil {
			s.showAfterSharing(w, r, rd, actor, id, err)
			return
		}
		web.Flash(w, web.Localizer(r).T("programme.flash.application_unshared"))
		http.Redirect(w, r, applicationPath(id)+"#h-sharing", http.StatusSeeOther)
	})
}

// showAfterSharing shows the application with the problem that stopped a
// change of its sharing; one the person may not even read is an error page.
func (s *Store) showAfterSharing(w http.ResponseWriter, r *http.Request, rd *web.Renderer, actor user.Actor, id int64, err error) {
	p := problem.As(err)
	if p == nil || p.Kind == problem.Internal || p.Kind == problem.NotFound {
		rd.Error(w, r, err)
		return
	}
	a, ferr := s.FindApplicationByID(r.Context(), actor, id)
	if ferr != nil {
		rd.Error(w, r, ferr)
		return
	}
	msg := p.Message
	if len(p.Details) > 0 {
		msg = p.Details[0].Message
	}
	s.renderApplication(w, r, rd, a, p.Kind.Status(), msg)
}
