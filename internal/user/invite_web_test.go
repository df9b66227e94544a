package user_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/user"
)

func TestInvitationEndToEnd(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)
		bso := createBSO(t, d, "Jamaica Business Development Corporation", "JAM")
		admin := e.Browser(e.CreateUser(user.Admin, ""))

		form := e.Get(admin, "/admin/users/new")
		if form.StatusCode != 200 || !strings.Contains(form.Body, "Jamaica Business Development Corporation") ||
			!strings.Contains(form.Body, ">BSO staff<") || !strings.Contains(form.Body, `name="scope_country"`) {
			t.Fatalf("invitation form: %d", form.StatusCode)
		}

		// The chosen role's scope is required.
		missing := e.PostForm(admin, "/admin/users", url.Values{"email": {"kai@example.test"}, "name": {"Kai Brown"}, "role": {"bso_staff"}})
		if missing.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(missing.Body, `href="#f-scope_bso"`) {
			t.Fatalf("missing scope: %d", missing.StatusCode)
		}
		notBSO := e.PostForm(admin, "/admin/users", url.Values{"email": {"kai@example.test"}, "name": {"Kai Brown"}, "role": {"bso_staff"}, "scope_bso": {"999999"}})
		if notBSO.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(notBSO.Body, "no business support organisation") {
			t.Fatalf("unknown BSO: %d", notBSO.StatusCode)
		}
		if _, ok := e.Mail.Last("kai@example.test"); ok {
			t.Fatal("a refused invitation sent an email")
		}

		created := e.PostForm(admin, "/admin/users", url.Values{
			"email": {"Kai@Example.test"}, "name": {"Kai Brown"}, "role": {"bso_staff"},
			"scope_bso": {itoa(bso)}, "scope_cluster": {"12"}, "locale": {"es"},
		})
		if created.StatusCode != http.StatusCreated {
			t.Fatalf("invite: %d\n%s", created.StatusCode, created.Body)
		}
		link := mailedLink(t, e, "kai@example.test", "/invite/accept")
		// The administrator sees the same link, with a copy button.
		if !strings.Contains(html.UnescapeString(created.Body), `data-copy="http://example.test`+link+`"`) {
			t.Error("the confirmation page does not show the invitation link")
		}
		msg, _ := e.Mail.Last("kai@example.test")
		if !strings.Contains(msg.Subject, "invitó") {
			t.Errorf("the invitation is not in the chosen language: %q", msg.Subject)
		}

		// The same email cannot be invited twice.
		dup := e.PostForm(admin, "/admin/users", url.Values{"email": {"kai@example.test"}, "name": {"Kai"}, "role": {"reviewer"}})
		if dup.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(dup.Body, "already exists") {
			t.Errorf("duplicate email: %d", dup.StatusCode)
		}

		// The list shows the invited account with its scope's name.
		list := e.Get(admin, "/admin/users?role=bso_staff")
		if !strings.Contains(list.Body, "Kai Brown") || !strings.Contains(list.Body, "Jamaica Business Development Corporation") ||
			!strings.Contains(list.Body, "/invite") {
			t.Errorf("the account list lacks the invited account, its scope or the re-send button")
		}

		// Re-sending replaces the link.
		var id int64
		d.Read().QueryRowContext(t.Context(), `SELECT id FROM users WHERE email = 'kai@example.test'`).Scan(&id)
		resent := e.PostForm(admin, "/admin/users/"+itoa(id)+"/invite", nil)
		if resent.StatusCode != http.StatusOK {
			t.Fatalf("re-send: %d", resent.StatusCode)
		}
		if r := e.Get(e.Anonymous(), link); r.StatusCode != http.StatusGone {
			t.Errorf("the replaced invitation still works: %d", r.StatusCode)
		}
		link = mailedLink(t, e, "kai@example.test", "/invite/accept")

		page := e.Get(e.Anonymous(), link)
		if page.StatusCode != 200 || !strings.Contains(page.Body, "Kai Brown") {
			t.Fatalf("accept page: %d", page.StatusCode)
		}
		c := e.Anonymous()
		ok := e.PostForm(c, "/invite/accept", url.Values{"token": {tokenOf(link)}, "password": {newPassword}, "confirm_password": {newPassword}})
		if ok.StatusCode != http.StatusSeeOther || ok.Header.Get("Location") != "/" {
			t.Fatalf("accept: %d", ok.StatusCode)
		}
		if lang := cookie(ok, "lang"); lang == nil || lang.Value != "es" {
			t.Errorf("the account's language was not applied on sign-in: %+v", lang)
		}
		if !signedIn(t, e, c) {
			t.Fatal("accepting did not sign in")
		}
		if r := e.PostForm(e.Anonymous(), "/invite/accept", url.Values{"token": {tokenOf(link)}, "password": {newPassword}, "confirm_password": {newPassword}}); r.StatusCode != http.StatusGone {
			t.Errorf("an accepted invitation worked twice: %d", r.StatusCode)
		}
		if r := e.PostForm(e.Anonymous(), "/login", url.Values{"email": {"kai@example.test"}, "password": {newPassword}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign in after accepting: %d", r.StatusCode)
		}
		// Now active, the account gets no more invitations.
		again := e.PostForm(admin, "/admin/users/"+itoa(id)+"/invite", nil)
		if again.StatusCode != http.StatusSeeOther || !strings.Contains(cookieValue(again, "flash"), "already") {
			t.Errorf("re-inviting an active account: %d", again.StatusCode)
		}
		var me struct {
			Role      string `json:"role"`
			Scope     string `json:"scope"`
			ScopeName string `json:"scope_name"`
			Status    string `json:"status"`
		}
		kai, err := e.App.Users.FindUserByEmail(t.Context(), "kai@example.test")
		if err != nil {
			t.Fatal(err)
		}
		r := e.API("GET", "/api/v1/me", e.Token(kai), nil)
		r.JSON(t, &me)
		if me.Role != "bso_staff" || me.Scope != "bso:"+itoa(bso) || me.ScopeName != "Jamaica Business Development Corporation" || me.Status != "active" {
			t.Errorf("/api/v1/me = %+v", me)
		}
	})
}

func TestInviteThroughAPI(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)
		admin := e.Token(e.CreateUser(user.Admin, ""))
		r := e.API("POST", "/api/v1/users", admin, map[string]string{"email": "ana@example.test", "name": "Ana Pérez", "role": "country_coordinator", "scope": "country:dom"})
		if r.StatusCode != http.StatusCreated || !strings.HasPrefix(r.Header.Get("Location"), "/api/v1/users/") {
			t.Fatalf("create: %d %s", r.StatusCode, r.Body)
		}
		var got struct {
			ID          int64  `json:"id"`
			Scope       string `json:"scope"`
			ScopeName   string `json:"scope_name"`
			Status      string `json:"status"`
			HasPassword bool   `json:"has_password"`
		}
		r.JSON(t, &got)
		if got.Scope != "country:DOM" || got.ScopeName == "" || got.Status != "invited" || got.HasPassword {
			t.Errorf("created account = %+v", got)
		}
		mailedLink(t, e, "ana@example.test", "/invite/accept")
		if g := e.API("GET", "/api/v1/users/"+itoa(got.ID), admin, nil); g.StatusCode != 200 {
			t.Errorf("get: %d", g.StatusCode)
		}

		bad := e.API("POST", "/api/v1/users", admin, map[string]string{"email": "x@example.test", "name": "X", "role": "cluster_manager"})
		if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, `"field":"scope"`) {
			t.Errorf("missing scope: %d %s", bad.StatusCode, bad.Body)
		}
		unknown := e.API("POST", "/api/v1/users", admin, `{"email":"y@example.test","name":"Y","role":"reviewer","password":"secret"}`)
		if unknown.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("unknown field: %d", unknown.StatusCode)
		}
		officer := e.Token(e.CreateUser(user.ProgrammeOfficer, ""))
		if r := e.API("POST", "/api/v1/users", officer, map[string]string{"email": "z@example.test", "name": "Z", "role": "admin"}); r.StatusCode != http.StatusForbidden {
			t.Errorf("a programme officer created an account: %d", r.StatusCode)
		}
		if r := e.API("GET", "/api/v1/users", officer, nil); r.StatusCode != http.StatusForbidden {
			t.Errorf("a programme officer listed accounts: %d", r.StatusCode)
		}
		var list struct {
			Items []struct {
				Email string `json:"email"`
			} `json:"items"`
			Total int `json:"total"`
		}
		lr := e.API("GET", "/api/v1/users?status=invited", admin, nil)
		lr.JSON(t, &list)
		if list.Total != 1 || len(list.Items) != 1 || list.Items[0].Email != "ana@example.test" {
			t.Errorf("invited accounts = %+v", list)
		}
		if r := e.API("GET", "/api/v1/users?role=king", admin, nil); r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("unknown role filter: %d", r.StatusCode)
		}
	})
}

// cookieValue is the unescaped value of a cookie a response set.
func cookieValue(r *apptest.Response, name string) string {
	c := cookie(r, name)
	if c == nil {
		return ""
	}
	v, _ := url.QueryUnescape(c.Value)
	return v
}
