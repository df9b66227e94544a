package user

import (
	"log/slog"
	"net/http"
	"strings"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/web"
)

// LoginData is the sign-in page's data.
type LoginData struct {
	Email string
	Next  string
	Error string
}

// safeNext keeps redirects after sign-in on this site.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return "/"
	}
	return next
}

// HandleLoginForm shows the sign-in form.
func HandleLoginForm(rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := rd.NewPage(r, web.Localizer(r).T("auth.sign_in_title"), LoginData{Next: safeNext(r.URL.Query().Get("next"))})
		rd.Render(w, r, http.StatusOK, "user/login", p)
	})
}

// HandleLogin checks the credentials, starts a session and goes on to the
// page the person wanted. Wrong credentials re-render the form with one
// message that does not tell whether the email exists.
func HandleLogin(s *Store, rd *web.Renderer, limiter *web.RateLimiter, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		loc := web.Localizer(r)
		data := LoginData{Email: r.PostFormValue("email"), Next: safeNext(r.PostFormValue("next"))}
		render := func(status int, msg string) {
			data.Error = msg
			rd.Render(w, r, status, "user/login", rd.NewPage(r, loc.T("auth.sign_in_title"), data))
		}
		if ok, _ := limiter.Allow(web.ClientIP(r)); !ok {
			render(http.StatusTooManyRequests, loc.T("auth.too_many"))
			return
		}
		u, err := s.Authenticate(r.Context(), data.Email, r.PostFormValue("password"))
		switch problem.KindOf(err) {
		case problem.Internal:
			if err != nil {
				logger.Error("login", "err", err)
				rd.Error(w, r, err)
				return
			}
		case problem.TooMany:
			render(http.StatusTooManyRequests, loc.T("auth.locked"))
			return
		default:
			render(http.StatusUnauthorized, loc.T("auth.bad_credentials"))
			return
		}
		token, err := s.CreateSession(r.Context(), u.ID)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		SetSessionCookie(w, r, token)
		if u.Locale != "" {
			http.SetCookie(w, &http.Cookie{Name: "lang", Value: u.Locale, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode})
		}
		http.Redirect(w, r, data.Next, http.StatusSeeOther)
	})
}

// HandleLogout ends the session.
func HandleLogout(s *Store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie(SessionCookie); err == nil {
			_ = s.EndSession(r.Context(), c.Value)
		}
		ClearSessionCookie(w)
		http.Redirect(w, r, "/", http.StatusSeeOther)
	})
}
