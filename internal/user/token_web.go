package user

import (
	"net/http"
	"strings"

	"github.com/clusterobservatory/observatory/internal/web"
)

// TokenCreatedData is the page that shows a new API token's secret, once.
type TokenCreatedData struct {
	Token   *APIToken
	Secret  string
	APIBase string // the public address, for the usage example
}

// HandleTokenCreate makes an API token for the signed-in person and shows
// its secret on the resulting page: only its hash is kept, so it cannot be
// shown again.
func HandleTokenCreate(ac *Accounts) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := r.PostFormValue("name")
		t, secret, err := ac.CreateToken(r.Context(), ActorFrom(r.Context()), name)
		if err != nil {
			if fe := web.NewFormErrors(err); fe != nil {
				renderAccount(ac, w, r, http.StatusUnprocessableEntity, &AccountData{TokenErrors: fe, TokenName: name})
				return
			}
			ac.Render.Error(w, r, err)
			return
		}
		loc := web.Localizer(r)
		p := ac.Render.NewPage(r, loc.T("account.token_created_title"), TokenCreatedData{Token: t, Secret: secret, APIBase: strings.TrimRight(ac.BaseURL, "/")})
		p.Crumbs = []web.Crumb{{Label: loc.T("account.title"), URL: "/account"}, {Label: loc.T("account.token_created_title")}}
		// The secret must not linger in shared caches or the back button.
		w.Header().Set("Cache-Control", "no-store")
		ac.Render.Render(w, r, http.StatusCreated, "user/token_created", p)
	})
}

// HandleTokenRevoke revokes one of the signed-in person's API tokens.
func HandleTokenRevoke(ac *Accounts) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := web.ParseID(r.PathValue("id"))
		if err != nil {
			ac.Render.Error(w, r, err)
			return
		}
		t, err := ac.RevokeToken(r.Context(), ActorFrom(r.Context()), id)
		if err != nil {
			ac.Render.Error(w, r, err)
			return
		}
		web.Flash(w, web.Localizer(r).T("account.flash.token_revoked", "name", t.Name))
		http.Redirect(w, r, "/account", http.StatusSeeOther)
	})
}
