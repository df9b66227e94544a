package user

import (
	"net/http"
	"strings"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/web"
)

// SessionCookie is the name of the session cookie.
const SessionCookie = "session"

// Authenticate finds who makes a request — a bearer token or a session
// cookie — and puts the actor and the layout's viewer in its context. An
// invalid bearer token is refused at once; an invalid cookie is ignored.
// Basic credentials are not the platform's: they are ODK Collect app
// users', which the OpenRosa endpoints check themselves.
func Authenticate(s *Store, onError func(http.ResponseWriter, *http.Request, error)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var u *User
			if h := r.Header.Get("Authorization"); h != "" && !strings.HasPrefix(h, "Basic ") {
				token, ok := strings.CutPrefix(h, "Bearer ")
				if !ok {
					onError(w, r, problem.New(problem.Unauthorized, "The Authorization header must be: Bearer <token>."))
					return
				}
				var err error
				if u, err = s.UserByAPIToken(r.Context(), strings.TrimSpace(token)); err != nil {
					onError(w, r, err)
					return
				}
			} else if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
				u, _ = s.UserBySession(r.Context(), c.Value)
			}
			if u != nil {
				ctx := WithActor(r.Context(), u.Actor())
				ctx = web.WithViewer(ctx, web.Viewer{UserID: u.ID, Name: u.Name, Email: u.Email, Role: string(u.Role)})
				r = r.WithContext(ctx)
			}
			next.ServeHTTP(w, r)
		})
	}
}

// SetSessionCookie gives the browser its session cookie: HttpOnly, SameSite
// Lax, and Secure whenever the request came over TLS.
func SetSessionCookie(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: token, Path: "/", HttpOnly: true,
		Secure: r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https", SameSite: http.SameSiteLaxMode,
		MaxAge: int(SessionMax.Seconds()),
	})
}

// ClearSessionCookie removes the session cookie.
func ClearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true, MaxAge: -1, SameSite: http.SameSiteLaxMode})
}

// RequireSignIn sends anonymous visitors of a page to the sign-in form and
// back afterwards.
func RequireSignIn(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !ActorFrom(r.Context()).SignedIn() {
			http.Redirect(w, r, "/login?next="+urlPath(r), http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func urlPath(r *http.Request) string {
	p := r.URL.Path
	if r.URL.RawQuery != "" {
		p += "?" + r.URL.RawQuery
	}
	return strings.ReplaceAll(p, "&", "%26")
}
