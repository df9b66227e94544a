package campaign

import (
	"net/http"
	"strconv"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// AppUsersData is the app-user page's data.
type AppUsersData struct {
	Campaign *Campaign
	Users    []*AppUser
	Created  *AppUser // just created: its secret is shown this once
	Secret   string
	Errors   *web.FormErrors
}

func (s *Store) renderAppUsers(w http.ResponseWriter, r *http.Request, rd *web.Renderer, id int64, created *AppUser, secret string, err error) {
	actor := user.ActorFrom(r.Context())
	c, ferr := s.FindCampaign(r.Context(), actor, id)
	if ferr != nil {
		rd.Error(w, r, ferr)
		return
	}
	users, ferr := s.FindAppUsers(r.Context(), actor, id)
	if ferr != nil {
		rd.Error(w, r, ferr)
		return
	}
	d := &AppUsersData{Campaign: c, Users: users, Created: created, Secret: secret}
	status := http.StatusOK
	if err != nil {
		if d.Errors = web.NewFormErrors(err); d.Errors == nil {
			rd.Error(w, r, err)
			return
		}
		status = problem.KindOf(err).Status()
	}
	loc := web.Localizer(r)
	p := rd.NewPage(r, loc.T("openrosa.title", "title", c.Title), d)
	p.Section = navSection
	p.Crumbs = append(crumbs(loc, c), web.Crumb{Label: loc.T("openrosa.crumb")})
	// The secret must not linger in caches or history.
	w.Header().Set("Cache-Control", "no-store")
	rd.Render(w, r, status, "campaign/app_users", p)
}

func campaignID(r *http.Request) (int64, error) { return web.ParseID(r.PathValue("id")) }

// HandleAppUsers lists a campaign's ODK Collect app users.
func HandleAppUsers(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := campaignID(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		s.renderAppUsers(w, r, rd, id, nil, "", nil)
	})
}

// HandleAppUserCreate creates an app user and shows its secret once.
func HandleAppUserCreate(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := campaignID(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		a, secret, err := s.CreateAppUser(r.Context(), user.ActorFrom(r.Context()), id, r.PostFormValue("name"))
		s.renderAppUsers(w, r, rd, id, a, secret, err)
	})
}

// HandleAppUserRevoke ends an app user's login.
func HandleAppUserRevoke(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := campaignID(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		uid, err := web.ParseID(r.PathValue("user"))
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		if err := s.RevokeAppUser(r.Context(), user.ActorFrom(r.Context()), id, uid); err != nil {
			rd.Error(w, r, err)
			return
		}
		web.Flash(w, web.Localizer(r).T("openrosa.flash_revoked"))
		http.Redirect(w, r, "/campaigns/"+strconv.FormatInt(id, 10)+"/app-users", http.StatusSeeOther)
	})
}
