package app

import (
	"net/http"

	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// accountRoutes serves password resets, invitations, the person's own
// account and API tokens, the administration of accounts and the audit log.
func (a *App) accountRoutes(mux *http.ServeMux) {
	ac := &user.Accounts{
		Store: a.Users, Render: a.Render, Mailer: a.Mailer, BaseURL: a.Opts.BaseURL,
		Audit: audit.Record, Logger: a.Logger,
	}
	// Reset requests are limited per client address like sign-in, and per
	// email so that the form cannot flood one mailbox (a burst of 3, then one
	// a minute).
	forgotByIP := web.NewRateLimiter(a.Opts.LoginPerMinute, a.Opts.LoginPerMinute)
	forgotByEmail := web.NewRateLimiter(1, 3)
	passwordTries := web.NewRateLimiter(a.Opts.LoginPerMinute, a.Opts.LoginPerMinute)
	admin := func(h http.Handler) http.Handler { return page(user.RequireAdmin(a.Render)(h)) }

	mux.Handle("GET /password/forgot", user.HandleForgotForm(a.Render))
	mux.Handle("POST /password/forgot", user.HandleForgot(ac, forgotByIP, forgotByEmail))
	mux.Handle("GET /password/reset", user.HandleResetForm(ac))
	mux.Handle("POST /password/reset", user.HandleReset(ac))
	mux.Handle("GET /invite/accept", user.HandleAcceptForm(ac))
	mux.Handle("POST /invite/accept", user.HandleAccept(ac))

	mux.Handle("GET /account", page(user.HandleAccount(ac)))
	mux.Handle("POST /account/language", page(user.HandleAccountLanguage(ac)))
	mux.Handle("POST /account/password", page(user.HandleAccountPassword(ac, passwordTries)))
	mux.Handle("POST /account/tokens", page(user.HandleTokenCreate(ac)))
	mux.Handle("POST /account/tokens/{id}/revoke", page(user.HandleTokenRevoke(ac)))

	mux.Handle("GET /admin", admin(user.HandleAdminIndex(ac)))
	mux.Handle("GET /admin/users", admin(user.HandleUserList(ac)))
	mux.Handle("GET /admin/users/new", admin(user.HandleUserNew(ac)))
	mux.Handle("POST /admin/users", admin(user.HandleUserCreate(ac)))
	mux.Handle("POST /admin/users/{id}/invite", admin(user.HandleUserInvite(ac)))
	mux.Handle("POST /admin/users/{id}/disable", admin(user.HandleUserDisable(ac)))
	mux.Handle("POST /admin/users/{id}/enable", admin(user.HandleUserEnable(ac)))
	mux.Handle("GET /admin/audit", admin(audit.HandleAuditList(a.Audit, a.Users, a.Render)))

	a.api(mux, "GET /api/v1/me", user.HandleAPIMe(ac))
	a.api(mux, "GET /api/v1/users", user.HandleAPIUserList(ac))
	a.api(mux, "POST /api/v1/users", user.HandleAPIUserCreate(ac))
	a.api(mux, "GET /api/v1/users/{id}", user.HandleAPIUserGet(ac))
	a.api(mux, "POST /api/v1/users/{id}/disable", user.HandleAPIUserDisable(ac))
	a.api(mux, "POST /api/v1/users/{id}/enable", user.HandleAPIUserEnable(ac))
	a.api(mux, "GET /api/v1/audit", audit.HandleAPIAuditList(a.Audit, a.Logger))
}
