package user_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/user"
)

var secretOnPage = regexp.MustCompile(`data-copy="(obs_[A-Za-z0-9_-]+)"`)

func TestAPITokensFromTheAccountPage(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)
		u := e.CreateUser(user.CountryCoordinator, "country:JAM")
		c := e.Browser(u)

		page := e.Get(c, "/account")
		if page.StatusCode != 200 || !strings.Contains(page.Body, u.Email) || !strings.Contains(page.Body, "Country coordinator") ||
			!strings.Contains(page.Body, "Jamaica") {
			t.Fatalf("account page: %d", page.StatusCode)
		}
		if !strings.Contains(page.Body, `<a href="/account"`) {
			t.Error("the header does not link the account name to /account")
		}

		created := e.PostForm(c, "/account/tokens", url.Values{"name": {"monthly report"}})
		m := secretOnPage.FindStringSubmatch(created.Body)
		if created.StatusCode != http.StatusCreated || m == nil {
			t.Fatalf("create token: %d", created.StatusCode)
		}
		if created.Header.Get("Cache-Control") != "no-store" {
			t.Error("the page with the secret may be cached")
		}
		secret := m[1]
		if strings.Contains(e.Get(c, "/account").Body, secret) {
			t.Fatal("the secret is shown a second time")
		}

		var me struct {
			ID        int64  `json:"id"`
			Email     string `json:"email"`
			Role      string `json:"role"`
			Scope     string `json:"scope"`
			ScopeName string `json:"scope_name"`
		}
		r := e.API("GET", "/api/v1/me", secret, nil)
		r.JSON(t, &me)
		if r.StatusCode != 200 || me.ID != u.ID || me.Email != u.Email || me.Scope != "country:JAM" || me.ScopeName != "Jamaica" {
			t.Fatalf("/api/v1/me: %d %+v", r.StatusCode, me)
		}
		if !strings.Contains(r.Body, `"status":"active"`) || strings.Contains(r.Body, "argon2") {
			t.Errorf("/api/v1/me body: %s", r.Body)
		}
		if r := e.API("GET", "/api/v1/me", "", nil); r.StatusCode != http.StatusUnauthorized {
			t.Errorf("anonymous /api/v1/me: %d", r.StatusCode)
		}

		// The list shows the token; someone else cannot revoke it.
		var id string
		d.Read().QueryRowContext(t.Context(), `SELECT CAST(id AS TEXT) FROM api_tokens WHERE user_id = $1 AND name = 'monthly report'`, u.ID).Scan(&id)
		if !strings.Contains(e.Get(c, "/account").Body, `action="/account/tokens/`+id+`/revoke"`) {
			t.Fatal("the account page has no revoke button for the token")
		}
		other := e.Browser(e.CreateUser(user.Admin, ""))
		if r := e.PostForm(other, "/account/tokens/"+id+"/revoke", nil); r.StatusCode != http.StatusNotFound {
			t.Errorf("another account revoked the token: %d", r.StatusCode)
		}
		rv := e.PostForm(c, "/account/tokens/"+id+"/revoke", nil)
		if rv.StatusCode != http.StatusSeeOther || rv.Header.Get("Location") != "/account" {
			t.Fatalf("revoke: %d", rv.StatusCode)
		}
		if r := e.API("GET", "/api/v1/me", secret, nil); r.StatusCode != http.StatusUnauthorized {
			t.Errorf("a revoked token still works: %d", r.StatusCode)
		}
		if r := e.PostForm(c, "/account/tokens/"+id+"/revoke", nil); r.StatusCode != http.StatusConflict {
			t.Errorf("revoking twice: %d", r.StatusCode)
		}
		long := e.PostForm(c, "/account/tokens", url.Values{"name": {strings.Repeat("x", 101)}})
		if long.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(long.Body, "at most 100") {
			t.Errorf("too long a token name: %d", long.StatusCode)
		}
	})
}

func TestLanguagePreferencePersists(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)
		u := e.CreateUser(user.Reviewer, "")
		c := e.Browser(u)
		r := e.PostForm(c, "/account/language", url.Values{"locale": {"fr"}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("save language: %d", r.StatusCode)
		}
		if lc := cookie(r, "lang"); lc == nil || lc.Value != "fr" {
			t.Fatalf("language cookie: %+v", lc)
		}
		if page := e.Get(c, "/account"); !strings.Contains(page.Body, `<html lang="fr">`) || !strings.Contains(page.Body, "Mon compte") {
			t.Error("the account page is not in French after saving")
		}
		e.PostForm(c, "/logout", nil)

		// A new browser, with no language cookie, gets French on sign-in.
		fresh := e.Anonymous()
		in := e.PostForm(fresh, "/login", url.Values{"email": {u.Email}, "password": {apptest.Password}})
		if lc := cookie(in, "lang"); in.StatusCode != http.StatusSeeOther || lc == nil || lc.Value != "fr" {
			t.Fatalf("sign in: %d, language cookie %+v", in.StatusCode, lc)
		}
		if bad := e.PostForm(fresh, "/account/language", url.Values{"locale": {"de"}}); bad.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("unsupported language: %d", bad.StatusCode)
		}
		var n int
		d.Read().QueryRowContext(t.Context(), `SELECT COUNT(*) FROM audit_log WHERE record_type = 'user' AND record_id = $1 AND action = 'update'`, itoa(u.ID)).Scan(&n)
		if n != 1 {
			t.Errorf("language changes audited: %d, want 1", n)
		}
	})
}

func TestChangePassword(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)
		u := e.CreateUser(user.ProgrammeOfficer, "")
		c, elsewhere := e.Browser(u), e.Browser(u)
		post := func(current, pw, confirm string) *apptest.Response {
			return e.PostForm(c, "/account/password", url.Values{"current_password": {current}, "new_password": {pw}, "confirm_password": {confirm}})
		}
		if r := post("wrong password", newPassword, newPassword); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `href="#f-current_password"`) {
			t.Errorf("wrong current password: %d", r.StatusCode)
		}
		if r := post(apptest.Password, newPassword, "different"); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `href="#f-confirm_password"`) {
			t.Errorf("mismatched confirmation: %d", r.StatusCode)
		}
		if r := post(apptest.Password, "short", "short"); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(r.Body), "at least 10") {
			t.Errorf("short password: %d", r.StatusCode)
		}
		r := post(apptest.Password, newPassword, newPassword)
		if r.StatusCode != http.StatusSeeOther || cookie(r, user.SessionCookie) == nil {
			t.Fatalf("change: %d", r.StatusCode)
		}
		if !signedIn(t, e, c) {
			t.Error("the browser that changed the password was signed out")
		}
		if signedIn(t, e, elsewhere) {
			t.Error("another session survived the password change")
		}
		if r := e.PostForm(e.Anonymous(), "/login", url.Values{"email": {u.Email}, "password": {newPassword}}); r.StatusCode != http.StatusSeeOther {
			t.Errorf("sign in with the new password: %d", r.StatusCode)
		}
		var after string
		d.Read().QueryRowContext(t.Context(), `SELECT after_json FROM audit_log WHERE action = 'password_change' AND record_id = $1`, itoa(u.ID)).Scan(&after)
		if after == "" || strings.Contains(after, newPassword) {
			t.Errorf("audit entry of the change: %q", after)
		}
	})
}
