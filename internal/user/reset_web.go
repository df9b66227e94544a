package user

import (
	"errors"
	"net/http"
	"net/mail"
	"strings"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/web"
)

// ForgotData is the forgotten-password form's data.
type ForgotData struct {
	Email  string
	Errors *web.FormErrors
}

// HandleForgotForm shows the form that asks for a password-reset link.
func HandleForgotForm(rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		renderForgot(rd, w, r, http.StatusOK, &ForgotData{Email: r.URL.Query().Get("email")})
	})
}

func renderForgot(rd *web.Renderer, w http.ResponseWriter, r *http.Request, status int, data *ForgotData) {
	loc := web.Localizer(r)
	p := rd.NewPage(r, loc.T("account.forgot_title"), data)
	p.Crumbs = []web.Crumb{{Label: loc.T("auth.sign_in_title"), URL: "/login"}, {Label: loc.T("account.forgot_title")}}
	rd.Render(w, r, status, "user/forgot", p)
}

// HandleForgot sends a reset link to the account with the given email, if
// any, and always answers with the same page, so that nobody can learn which
// emails are registered. byIP limits requests per client address; byEmail
// limits the emails one address receives, so the form cannot flood a mailbox.
func HandleForgot(ac *Accounts, byIP, byEmail *web.RateLimiter) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		loc := web.Localizer(r)
		data := &ForgotData{Email: strings.TrimSpace(r.PostFormValue("email"))}
		if ok, _ := byIP.Allow(web.ClientIP(r)); !ok {
			data.Errors = &web.FormErrors{Message: loc.T("auth.too_many")}
			renderForgot(ac.Render, w, r, http.StatusTooManyRequests, data)
			return
		}
		if a, err := mail.ParseAddress(data.Email); err != nil || a.Address != data.Email {
			var f problem.Fields
			f.Add("email", "Enter the email address you sign in with.")
			data.Errors = web.NewFormErrors(f.Err())
			renderForgot(ac.Render, w, r, http.StatusUnprocessableEntity, data)
			return
		}
		if ok, _ := byEmail.Allow(strings.ToLower(data.Email)); ok {
			ac.RequestReset(r.Context(), data.Email, loc.Lang)
		}
		p := ac.Render.NewPage(r, loc.T("account.forgot_sent_title"), data)
		p.Crumbs = []web.Crumb{{Label: loc.T("auth.sign_in_title"), URL: "/login"}, {Label: loc.T("account.forgot_sent_title")}}
		ac.Render.Render(w, r, http.StatusOK, "user/forgot_sent", p)
	})
}

// SetPasswordData is the data of the page that sets a password through a
// reset or invitation link.
type SetPasswordData struct {
	Purpose string // LinkReset or LinkInvite
	Action  string
	Token   string
	User    *User
	Errors  *web.FormErrors
}

// linkPaths are the pages each kind of link opens.
var linkPaths = map[string]string{LinkReset: "/password/reset", LinkInvite: "/invite/accept"}

// HandleResetForm shows the new-password form of a reset link, or a page
// that says the link no longer works.
func HandleResetForm(ac *Accounts) http.Handler { return handleLinkForm(ac, LinkReset) }

// HandleReset sets the new password through a reset link and signs in.
func HandleReset(ac *Accounts) http.Handler { return handleLinkSubmit(ac, LinkReset) }

// HandleAcceptForm shows the choose-a-password form of an invitation link.
func HandleAcceptForm(ac *Accounts) http.Handler { return handleLinkForm(ac, LinkInvite) }

// HandleAccept sets the password through an invitation link and signs in.
func HandleAccept(ac *Accounts) http.Handler { return handleLinkSubmit(ac, LinkInvite) }

func handleLinkForm(ac *Accounts, purpose string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := r.URL.Query().Get("token")
		u, err := ac.Store.CheckLink(r.Context(), token, purpose)
		if err == nil && !u.DisabledAt.IsZero() {
			err = errBadLink
		}
		if err != nil {
			renderLinkError(ac, w, r, purpose, err)
			return
		}
		renderSetPassword(ac.Render, w, r, http.StatusOK, &SetPasswordData{Purpose: purpose, Action: linkPaths[purpose], Token: token, User: u})
	})
}

func handleLinkSubmit(ac *Accounts, purpose string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := r.PostFormValue("token")
		pw := r.PostFormValue("password")
		u, err := ac.Store.CheckLink(r.Context(), token, purpose)
		if err != nil {
			renderLinkError(ac, w, r, purpose, err)
			return
		}
		data := &SetPasswordData{Purpose: purpose, Action: linkPaths[purpose], Token: token, User: u}
		if pw != r.PostFormValue("confirm_password") && PasswordProblem(pw) == "" {
			var f problem.Fields
			f.Add("confirm_password", "The two passwords are not the same.")
			data.Errors = web.NewFormErrors(f.Err())
			renderSetPassword(ac.Render, w, r, http.StatusUnprocessableEntity, data)
			return
		}
		u, err = ac.CompleteLink(r.Context(), token, purpose, pw)
		if err != nil {
			if fe := web.NewFormErrors(err); fe != nil && !errors.Is(err, errBadLink) {
				data.Errors = fe
				renderSetPassword(ac.Render, w, r, http.StatusUnprocessableEntity, data)
				return
			}
			renderLinkError(ac, w, r, purpose, err)
			return
		}
		if err := startSession(w, r, ac.Store, u); err != nil {
			ac.Render.Error(w, r, err)
			return
		}
		web.Flash(w, web.Localizer(r).T("account.flash.password_set"))
		http.Redirect(w, r, "/", http.StatusSeeOther)
	})
}

func renderSetPassword(rd *web.Renderer, w http.ResponseWriter, r *http.Request, status int, data *SetPasswordData) {
	loc := web.Localizer(r)
	title := loc.T("account.reset_title")
	if data.Purpose == LinkInvite {
		title = loc.T("account.accept_title")
	}
	rd.Render(w, r, status, "user/set_password", rd.NewPage(r, title, data))
}

// LinkErrorData is the data of the page shown for a link that no longer works.
type LinkErrorData struct {
	Purpose string
}

// renderLinkError answers 410 Gone for a used, expired or unknown link, with
// the way to get a new one; other errors are failures.
func renderLinkError(ac *Accounts, w http.ResponseWriter, r *http.Request, purpose string, err error) {
	if !errors.Is(err, errBadLink) {
		ac.Render.Error(w, r, err)
		return
	}
	p := ac.Render.NewPage(r, web.Localizer(r).T("account.link_invalid_title"), LinkErrorData{Purpose: purpose})
	ac.Render.Render(w, r, http.StatusGone, "user/link_invalid", p)
}
