package user

import (
	"net/http"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/web"
)

// AdminSection is the main-navigation entry the administration pages highlight.
const AdminSection = "admin"

// RequireAdmin lets only administrators through; anyone else is told the
// page does not exist, so the administration pages do not advertise
// themselves. Wrap it inside the sign-in check.
func RequireAdmin(rd *web.Renderer) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !ActorFrom(r.Context()).IsAdmin() {
				rd.Error(w, r, problem.NotFoundf(""))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// adminCrumbs is the trail Administration → more steps.
func adminCrumbs(loc *i18n.Localizer, more ...web.Crumb) []web.Crumb {
	if len(more) == 0 {
		return []web.Crumb{{Label: loc.T("admin.title")}}
	}
	return append([]web.Crumb{{Label: loc.T("admin.title"), URL: "/admin"}}, more...)
}

// AdminData is the administration index's data.
type AdminData struct {
	Counts map[string]int // accounts by status
	Total  int
}

// HandleAdminIndex shows the administration index: accounts, audit log, API
// description and bulk import.
func HandleAdminIndex(ac *Accounts) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		counts, err := ac.Store.CountUsersByStatus(r.Context())
		if err != nil {
			ac.Render.Error(w, r, err)
			return
		}
		data := AdminData{Counts: counts}
		for _, n := range counts {
			data.Total += n
		}
		loc := web.Localizer(r)
		p := ac.Render.NewPage(r, loc.T("admin.title"), data)
		p.Section, p.Crumbs = AdminSection, adminCrumbs(loc)
		ac.Render.Render(w, r, http.StatusOK, "user/admin", p)
	})
}

// UsersData is the account list's data.
type UsersData struct {
	Items      []*User
	ScopeNames map[string]string
	Total      int
	Page       int
	Pages      int
	Filter     UserFilter
	Roles      []Role
	Statuses   []StatusOption
	Self       int64
	Back       string // this list with its filters, to return to after an action
}

// StatusOption is one choice of the status filter.
type StatusOption struct {
	Value string
	Key   string
}

// HandleUserList lists the accounts, filtered by role, status and a search
// on name or email.
func HandleUserList(ac *Accounts) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		params := web.ParseList(r, "name", 50)
		q := r.URL.Query()
		f := UserFilter{Query: params.Query, Limit: params.PerPage, Offset: params.Offset()}
		// Unknown filter values are ignored: the form shows what applies.
		if role := Role(q.Get("role")); role.Valid() {
			f.Role = role
		}
		for _, s := range Statuses {
			if q.Get("status") == s {
				f.Status = s
			}
		}
		items, total, err := ac.Store.SearchUsers(r.Context(), f)
		if err != nil {
			ac.Render.Error(w, r, err)
			return
		}
		scopes := make([]Scope, len(items))
		for i, u := range items {
			scopes[i] = u.Scope
		}
		names, err := ac.Store.ScopeNames(r.Context(), scopes)
		if err != nil {
			ac.Render.Error(w, r, err)
			return
		}
		data := &UsersData{
			Items: items, ScopeNames: names, Total: total, Page: params.Page, Pages: params.Pages(total),
			Filter: f, Roles: Roles, Self: ActorFrom(r.Context()).UserID, Back: r.URL.RequestURI(),
		}
		for _, s := range Statuses {
			data.Statuses = append(data.Statuses, StatusOption{Value: s, Key: statusKey(s)})
		}
		loc := web.Localizer(r)
		p := ac.Render.NewPage(r, loc.T("admin.users_title"), data)
		p.Section, p.Crumbs = AdminSection, adminCrumbs(loc, web.Crumb{Label: loc.T("admin.users_title")})
		ac.Render.Render(w, r, http.StatusOK, "user/users", p)
	})
}

// HandleUserDisable disables an account: its sessions end and its API
// tokens stop working at once.
func HandleUserDisable(ac *Accounts) http.Handler { return handleSetDisabled(ac, true) }

// HandleUserEnable re-enables a disabled account.
func HandleUserEnable(ac *Accounts) http.Handler { return handleSetDisabled(ac, false) }

func handleSetDisabled(ac *Accounts, disabled bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := web.ParseID(r.PathValue("id"))
		if err != nil {
			ac.Render.Error(w, r, err)
			return
		}
		loc := web.Localizer(r)
		u, err := ac.SetAccountDisabled(r.Context(), ActorFrom(r.Context()), id, disabled)
		switch {
		case problem.Is(err, problem.Conflict):
			web.Flash(w, problem.As(err).Message)
		case err != nil:
			ac.Render.Error(w, r, err)
			return
		case disabled:
			web.Flash(w, loc.T("admin.flash.disabled", "name", u.Name))
		default:
			web.Flash(w, loc.T("admin.flash.enabled", "name", u.Name))
		}
		http.Redirect(w, r, backToUsers(r), http.StatusSeeOther)
	})
}

// backToUsers is the account list the action came from, with its filters.
func backToUsers(r *http.Request) string {
	back := safeNext(r.PostFormValue("back"))
	if back == "/" {
		return "/admin/users"
	}
	return back
}
