package user

import (
	"net/http"
	"strconv"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/web"
)

// AccountData is the "My account" page's data. Each form has its own errors
// so that a mistake in one re-renders the page with the message beside it.
type AccountData struct {
	User           *User
	ScopeName      string
	Tokens         []*APIToken
	Languages      []string
	Locale         string // the saved preference, or the page's language
	TokenName      string
	PasswordErrors *web.FormErrors
	TokenErrors    *web.FormErrors
	LanguageErrors *web.FormErrors
}

// HandleAccount shows the signed-in person's account: who they are, their
// language, the change-password form and their API tokens.
func HandleAccount(ac *Accounts) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		renderAccount(ac, w, r, http.StatusOK, &AccountData{})
	})
}

// renderAccount fills the account data and renders the page.
func renderAccount(ac *Accounts, w http.ResponseWriter, r *http.Request, status int, data *AccountData) {
	actor := ActorFrom(r.Context())
	u, err := ac.Store.FindUserByID(r.Context(), actor.UserID)
	if err != nil {
		ac.Render.Error(w, r, err)
		return
	}
	names, err := ac.Store.ScopeNames(r.Context(), []Scope{u.Scope})
	if err != nil {
		ac.Render.Error(w, r, err)
		return
	}
	tokens, err := ac.Store.FindAPITokens(r.Context(), u.ID)
	if err != nil {
		ac.Render.Error(w, r, err)
		return
	}
	data.User, data.ScopeName, data.Tokens, data.Languages = u, names[u.Scope.String()], tokens, i18n.Languages
	loc := web.Localizer(r)
	data.Locale = u.Locale
	if data.Locale == "" {
		data.Locale = loc.Lang
	}
	p := ac.Render.NewPage(r, loc.T("account.title"), data)
	p.Crumbs = []web.Crumb{{Label: loc.T("common.region"), URL: "/"}, {Label: loc.T("account.title")}}
	ac.Render.Render(w, r, status, "user/account", p)
}

// HandleAccountLanguage saves the person's preferred language; it applies on
// every device they sign in on.
func HandleAccountLanguage(ac *Accounts) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lang := r.PostFormValue("locale")
		if err := ac.SetLanguage(r.Context(), ActorFrom(r.Context()), lang); err != nil {
			if fe := web.NewFormErrors(err); fe != nil {
				renderAccount(ac, w, r, http.StatusUnprocessableEntity, &AccountData{LanguageErrors: fe})
				return
			}
			ac.Render.Error(w, r, err)
			return
		}
		setLangCookie(w, lang)
		web.Flash(w, i18n.For(lang).T("account.flash.language_saved"))
		http.Redirect(w, r, "/account", http.StatusSeeOther)
	})
}

// HandleAccountPassword changes the person's password. The change ends every
// session of the account, this one included, so the browser that made it
// gets a fresh session. limiter slows guessing of the current password by
// someone who found a signed-in browser.
func HandleAccountPassword(ac *Accounts, limiter *web.RateLimiter) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := ActorFrom(r.Context())
		loc := web.Localizer(r)
		if ok, _ := limiter.Allow("password:" + strconv.FormatInt(actor.UserID, 10)); !ok {
			renderAccount(ac, w, r, http.StatusTooManyRequests, &AccountData{PasswordErrors: &web.FormErrors{Message: loc.T("account.password_too_many")}})
			return
		}
		in := PasswordChange{
			Current: r.PostFormValue("current_password"),
			New:     r.PostFormValue("new_password"),
			Confirm: r.PostFormValue("confirm_password"),
		}
		if err := ac.ChangePassword(r.Context(), actor, in); err != nil {
			if fe := web.NewFormErrors(err); fe != nil {
				renderAccount(ac, w, r, http.StatusUnprocessableEntity, &AccountData{PasswordErrors: fe})
				return
			}
			ac.Render.Error(w, r, err)
			return
		}
		u, err := ac.Store.FindUserByID(r.Context(), actor.UserID)
		if err == nil {
			err = startSession(w, r, ac.Store, u)
		}
		if err != nil {
			ac.Render.Error(w, r, err)
			return
		}
		web.Flash(w, loc.T("account.flash.password_changed"))
		http.Redirect(w, r, "/account", http.StatusSeeOther)
	})
}
