package user

import (
	"net/http"
	"strings"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/web"
)

// UserForm is the invitation form as typed. The form has one select per
// scope kind, so it works without JavaScript; only the one the chosen role
// needs is used.
type UserForm struct {
	Email        string
	Name         string
	Role         Role
	ScopeBSO     string
	ScopeCluster string
	ScopeCountry string
	Locale       string
}

// scopeFields names the form field that holds each scope kind.
var scopeFields = map[ScopeKind]string{ScopeBSO: "scope_bso", ScopeCluster: "scope_cluster", ScopeCountry: "scope_country"}

// parseUserForm reads the invitation form.
func parseUserForm(r *http.Request) UserForm {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	return UserForm{
		Email: v("email"), Name: v("name"), Role: Role(v("role")),
		ScopeBSO: v("scope_bso"), ScopeCluster: v("scope_cluster"), ScopeCountry: v("scope_country"),
		Locale: v("locale"),
	}
}

// NewUser turns the form into an account to create, checking that the
// chosen role's scope was given.
func (f UserForm) NewUser() (NewUser, error) {
	n := NewUser{Email: f.Email, Name: f.Name, Role: f.Role}
	kind := RequiredScope(f.Role)
	if kind == ScopeNone {
		return n, nil
	}
	id := map[ScopeKind]string{ScopeBSO: f.ScopeBSO, ScopeCluster: f.ScopeCluster, ScopeCountry: f.ScopeCountry}[kind]
	var fs problem.Fields
	if id == "" {
		fs.Add(scopeFields[kind], "%s", map[ScopeKind]string{
			ScopeBSO:     "A BSO staff account needs the business support organisation the person works for.",
			ScopeCluster: "A cluster manager account needs the cluster initiative the person manages.",
			ScopeCountry: "A country coordinator account needs the country the person coordinates.",
		}[kind])
		return n, fs.Err()
	}
	sc, err := ParseScope(string(kind) + ":" + id)
	if err != nil {
		fs.Add(scopeFields[kind], "%s", err.Error())
		return n, fs.Err()
	}
	n.Scope = sc
	return n, nil
}

// UserFormData is the invitation form's data.
type UserFormData struct {
	In        UserForm
	Roles     []Role
	Options   *ScopeOptions
	Languages []string
	Errors    *web.FormErrors
}

func renderUserForm(ac *Accounts, w http.ResponseWriter, r *http.Request, status int, data *UserFormData) {
	opts, err := ac.Store.FindScopeOptions(r.Context())
	if err != nil {
		ac.Render.Error(w, r, err)
		return
	}
	data.Options, data.Roles, data.Languages = opts, Roles, i18n.Languages
	loc := web.Localizer(r)
	if data.In.Locale == "" {
		data.In.Locale = loc.Lang
	}
	p := ac.Render.NewPage(r, loc.T("admin.invite_title"), data)
	p.Section = AdminSection
	p.Crumbs = adminCrumbs(loc, web.Crumb{Label: loc.T("admin.users_title"), URL: "/admin/users"}, web.Crumb{Label: loc.T("admin.invite_title")})
	ac.Render.Render(w, r, status, "user/user_new", p)
}

// HandleUserNew shows the form that invites a person.
func HandleUserNew(ac *Accounts) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		role := Role(r.URL.Query().Get("role"))
		if !role.Valid() {
			role = ""
		}
		renderUserForm(ac, w, r, http.StatusOK, &UserFormData{In: UserForm{Role: role}})
	})
}

// HandleUserCreate creates an account from the invitation form, emails the
// invitation link and shows it to the administrator as well.
func HandleUserCreate(ac *Accounts) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		in := parseUserForm(r)
		n, err := in.NewUser()
		var inv *Invitation
		if err == nil {
			inv, err = ac.Invite(r.Context(), ActorFrom(r.Context()), n, in.Locale)
		}
		if err != nil {
			fe := web.NewFormErrors(err)
			if fe == nil {
				ac.Render.Error(w, r, err)
				return
			}
			// The store names the scope "scope"; the form has one field per kind.
			for i, d := range fe.Fields {
				if d.Field == "scope" {
					if f, ok := scopeFields[RequiredScope(in.Role)]; ok {
						fe.Fields[i].Field = f
					}
				}
			}
			renderUserForm(ac, w, r, http.StatusUnprocessableEntity, &UserFormData{In: in, Errors: fe})
			return
		}
		renderInvited(ac, w, r, http.StatusCreated, inv, false)
	})
}

// HandleUserInvite sends a new invitation link to a person who has not
// chosen a password yet.
func HandleUserInvite(ac *Accounts) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := web.ParseID(r.PathValue("id"))
		if err != nil {
			ac.Render.Error(w, r, err)
			return
		}
		inv, err := ac.ResendInvite(r.Context(), ActorFrom(r.Context()), id, web.Localizer(r).Lang)
		if problem.Is(err, problem.Conflict) {
			web.Flash(w, problem.As(err).Message)
			http.Redirect(w, r, backToUsers(r), http.StatusSeeOther)
			return
		}
		if err != nil {
			ac.Render.Error(w, r, err)
			return
		}
		renderInvited(ac, w, r, http.StatusOK, inv, true)
	})
}

// InvitedData is the page that confirms an invitation and shows its link.
type InvitedData struct {
	Invitation *Invitation
	Resent     bool
	Days       int
}

func renderInvited(ac *Accounts, w http.ResponseWriter, r *http.Request, status int, inv *Invitation, resent bool) {
	loc := web.Localizer(r)
	data := InvitedData{Invitation: inv, Resent: resent, Days: int(InviteLifetime.Hours() / 24)}
	p := ac.Render.NewPage(r, loc.T("admin.invited_title", "name", inv.User.Name), data)
	p.Section = AdminSection
	p.Crumbs = adminCrumbs(loc, web.Crumb{Label: loc.T("admin.users_title"), URL: "/admin/users"}, web.Crumb{Label: inv.User.Name})
	// The page carries a live sign-up link.
	w.Header().Set("Cache-Control", "no-store")
	ac.Render.Render(w, r, status, "user/invited", p)
}
