package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/user"
)

func TestHealthAndReadiness(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)
		if r := e.API("GET", "/healthz", "", nil); r.StatusCode != 200 {
			t.Fatalf("healthz: %d", r.StatusCode)
		}
		r := e.API("GET", "/readyz", "", nil)
		if r.StatusCode != 200 || !strings.Contains(r.Body, `"ready"`) {
			t.Fatalf("readyz: %d %s", r.StatusCode, r.Body)
		}
		if r := e.API("GET", "/metrics", "", nil); !strings.Contains(r.Body, "observatory_http_requests_total") {
			t.Fatalf("metrics lack the request counter")
		}
	})
}

func TestSignInAndOut(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)
		u := e.CreateUser(user.Admin, "")
		c := e.Anonymous()
		bad := e.PostForm(c, "/login", url.Values{"email": {u.Email}, "password": {"wrong password"}})
		if bad.StatusCode != http.StatusUnauthorized || !strings.Contains(bad.Body, "not correct") {
			t.Fatalf("wrong password: %d", bad.StatusCode)
		}
		ok := e.PostForm(c, "/login", url.Values{"email": {strings.ToUpper(u.Email)}, "password": {apptest.Password}, "next": {"/healthz"}})
		if ok.StatusCode != http.StatusSeeOther || ok.Header.Get("Location") != "/healthz" {
			t.Fatalf("sign in: %d %s", ok.StatusCode, ok.Header.Get("Location"))
		}
		var session *http.Cookie
		for _, ck := range ok.Cookies() {
			if ck.Name == user.SessionCookie {
				session = ck
			}
		}
		if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode {
			t.Fatalf("session cookie must be HttpOnly and SameSite: %+v", session)
		}
		// An open redirect through next= is refused.
		evil := e.PostForm(e.Anonymous(), "/login", url.Values{"email": {u.Email}, "password": {apptest.Password}, "next": {"//evil.example"}})
		if evil.Header.Get("Location") != "/" {
			t.Fatalf("next=//evil.example redirected to %q", evil.Header.Get("Location"))
		}
		out := e.PostForm(c, "/logout", nil)
		if out.StatusCode != http.StatusSeeOther {
			t.Fatalf("logout: %d", out.StatusCode)
		}
	})
}

func TestLockoutAfterRepeatedFailures(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)
		u := e.CreateUser(user.ProgrammeOfficer, "")
		c := e.Anonymous()
		for i := 0; i < user.MaxFailedLogins; i++ {
			e.PostForm(c, "/login", url.Values{"email": {u.Email}, "password": {"nope nope nope"}})
		}
		r := e.PostForm(c, "/login", url.Values{"email": {u.Email}, "password": {apptest.Password}})
		if r.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("locked account signed in: %d", r.StatusCode)
		}
	})
}

func TestCrossOriginPostRefused(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)
		req, _ := http.NewRequest("POST", e.Server.URL+"/logout", nil)
		req.Header.Set("Origin", "https://evil.example")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if r := e.Do(e.Anonymous(), req); r.StatusCode != http.StatusForbidden {
			t.Fatalf("cross-site POST: %d", r.StatusCode)
		}
	})
}

func TestBadBearerToken(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)
		r := e.API("GET", "/healthz", "obs_not-a-token", nil)
		if r.StatusCode != http.StatusUnauthorized || r.Header.Get("Content-Type") != "application/problem+json" {
			t.Fatalf("bad token: %d %s", r.StatusCode, r.Header.Get("Content-Type"))
		}
	})
}
