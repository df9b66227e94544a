package user_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/user"
)

func TestAdministrationIsForAdminsOnly(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)
		admin := e.CreateUser(user.Admin, "")
		target := e.CreateUser(user.Reviewer, "")
		bso := createBSO(t, d, "Barbados Investment Agency", "BRB")
		for _, u := range []*user.User{
			e.CreateUser(user.ProgrammeOfficer, ""), e.CreateUser(user.BSOStaff, "bso:"+itoa(bso)), e.CreateUser(user.Reviewer, ""),
		} {
			c := e.Browser(u)
			for _, p := range []string{"/admin", "/admin/users", "/admin/users/new", "/admin/audit"} {
				if r := e.Get(c, p); r.StatusCode != http.StatusNotFound {
					t.Errorf("%s GET %s: %d, want 404", u.Role, p, r.StatusCode)
				}
			}
			for _, p := range []string{"/admin/users", "/admin/users/" + itoa(target.ID) + "/disable", "/admin/users/" + itoa(target.ID) + "/invite"} {
				if r := e.PostForm(c, p, nil); r.StatusCode != http.StatusNotFound {
					t.Errorf("%s POST %s: %d, want 404", u.Role, p, r.StatusCode)
				}
			}
			if r := e.Get(c, "/admin"); strings.Contains(r.Body, `href="/admin"`) {
				t.Errorf("%s sees the administration link", u.Role)
			}
		}
		if r := e.Get(e.Anonymous(), "/admin/users"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
			t.Errorf("anonymous: %d %s", r.StatusCode, r.Header.Get("Location"))
		}
		c := e.Browser(admin)
		for _, p := range []string{"/admin", "/admin/users", "/admin/users/new", "/admin/audit"} {
			if r := e.Get(c, p); r.StatusCode != http.StatusOK {
				t.Errorf("admin GET %s: %d", p, r.StatusCode)
			}
		}
		idx := e.Get(c, "/admin")
		for _, href := range []string{`href="/admin/users"`, `href="/admin/audit"`, `href="/api/v1/openapi.json"`, `href="/import"`} {
			if !strings.Contains(idx.Body, href) {
				t.Errorf("the administration index lacks %s", href)
			}
		}
		if target.Status() != user.StatusActive {
			t.Fatalf("status = %s", target.Status())
		}
	})
}

func TestDisableEndsSessionsAndTokens(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)
		admin := e.CreateUser(user.Admin, "")
		u := e.CreateUser(user.ProgrammeOfficer, "")
		ac, uc := e.Browser(admin), e.Browser(u)
		tok := e.Token(u)
		if r := e.API("GET", "/api/v1/me", tok, nil); r.StatusCode != 200 {
			t.Fatalf("token before: %d", r.StatusCode)
		}
		list := e.Get(ac, "/admin/users")
		if !strings.Contains(list.Body, `action="/admin/users/`+itoa(u.ID)+`/disable"`) || !strings.Contains(list.Body, "data-confirm=") {
			t.Fatal("the list has no confirmed disable button for the account")
		}
		if strings.Contains(list.Body, `action="/admin/users/`+itoa(admin.ID)+`/disable"`) {
			t.Error("the list offers administrators to disable themselves")
		}
		r := e.PostForm(ac, "/admin/users/"+itoa(u.ID)+"/disable", map[string][]string{"back": {"/admin/users?role=programme_officer"}})
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/admin/users?role=programme_officer" {
			t.Fatalf("disable: %d %s", r.StatusCode, r.Header.Get("Location"))
		}
		if signedIn(t, e, uc) {
			t.Error("the disabled person's session still works")
		}
		if r := e.API("GET", "/api/v1/me", tok, nil); r.StatusCode != http.StatusUnauthorized {
			t.Errorf("the disabled person's token: %d, want 401", r.StatusCode)
		}
		if r := e.PostForm(e.Anonymous(), "/login", map[string][]string{"email": {u.Email}, "password": {apptest.Password}}); r.StatusCode != http.StatusUnauthorized {
			t.Errorf("a disabled account signed in: %d", r.StatusCode)
		}
		if !strings.Contains(e.Get(ac, "/admin/users?status=disabled").Body, u.Email) {
			t.Error("the disabled filter does not list the account")
		}

		// An administrator cannot disable themself.
		self := e.PostForm(ac, "/admin/users/"+itoa(admin.ID)+"/disable", nil)
		if self.StatusCode != http.StatusSeeOther || !strings.Contains(cookieValue(self, "flash"), "own account") {
			t.Errorf("self-disable: %d", self.StatusCode)
		}
		if !signedIn(t, e, ac) {
			t.Fatal("the administrator was disabled")
		}
		adminTok := e.Token(admin)
		if r := e.API("POST", "/api/v1/users/"+itoa(admin.ID)+"/disable", adminTok, nil); r.StatusCode != http.StatusConflict {
			t.Errorf("self-disable through the API: %d", r.StatusCode)
		}

		// Enabling lets the person sign in again; the old token stays revoked.
		if r := e.PostForm(ac, "/admin/users/"+itoa(u.ID)+"/enable", nil); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("enable: %d", r.StatusCode)
		}
		if r := e.PostForm(e.Anonymous(), "/login", map[string][]string{"email": {u.Email}, "password": {apptest.Password}}); r.StatusCode != http.StatusSeeOther {
			t.Errorf("sign in after enabling: %d", r.StatusCode)
		}
		if r := e.API("GET", "/api/v1/me", tok, nil); r.StatusCode != http.StatusUnauthorized {
			t.Errorf("a revoked token works again after enabling: %d", r.StatusCode)
		}

		// The API disables too.
		var got struct {
			Status     string `json:"status"`
			DisabledAt string `json:"disabled_at"`
		}
		ar := e.API("POST", "/api/v1/users/"+itoa(u.ID)+"/disable", adminTok, nil)
		ar.JSON(t, &got)
		if ar.StatusCode != 200 || got.Status != "disabled" || got.DisabledAt == "" {
			t.Errorf("API disable: %d %+v", ar.StatusCode, got)
		}
		if r := e.API("POST", "/api/v1/users/999999/disable", adminTok, nil); r.StatusCode != http.StatusNotFound {
			t.Errorf("disable an unknown account: %d", r.StatusCode)
		}
	})
}
