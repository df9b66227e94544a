package user_test

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/user"
)

const newPassword = "a brand new passphrase"

func TestPasswordReset(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)
		u := e.CreateUser(user.ProgrammeOfficer, "")
		before := e.Browser(u) // a session that the reset must end

		if r := e.Get(e.Anonymous(), "/password/forgot"); r.StatusCode != 200 || !strings.Contains(r.Body, `action="/password/forgot"`) {
			t.Fatalf("forgot form: %d", r.StatusCode)
		}
		sent := e.PostForm(e.Anonymous(), "/password/forgot", url.Values{"email": {strings.ToUpper(u.Email)}})
		if sent.StatusCode != 200 {
			t.Fatalf("forgot: %d", sent.StatusCode)
		}
		link := mailedLink(t, e, u.Email, "/password/reset")

		form := e.Get(e.Anonymous(), link)
		if form.StatusCode != 200 || !strings.Contains(form.Body, `name="token"`) || !strings.Contains(form.Body, u.Email) {
			t.Fatalf("reset form: %d", form.StatusCode)
		}
		// A mistyped confirmation keeps the link usable.
		c := e.Anonymous()
		bad := e.PostForm(c, "/password/reset", url.Values{"token": {tokenOf(link)}, "password": {newPassword}, "confirm_password": {"something else"}})
		if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, "not the same") {
			t.Fatalf("mismatched confirmation: %d", bad.StatusCode)
		}
		short := e.PostForm(c, "/password/reset", url.Values{"token": {tokenOf(link)}, "password": {"short"}, "confirm_password": {"short"}})
		if short.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(short.Body, "at least 10") {
			t.Fatalf("short password: %d", short.StatusCode)
		}
		ok := e.PostForm(c, "/password/reset", url.Values{"token": {tokenOf(link)}, "password": {newPassword}, "confirm_password": {newPassword}})
		if ok.StatusCode != http.StatusSeeOther || ok.Header.Get("Location") != "/" || cookie(ok, user.SessionCookie) == nil {
			t.Fatalf("reset: %d %s", ok.StatusCode, ok.Header.Get("Location"))
		}
		if !signedIn(t, e, c) {
			t.Fatal("the reset did not sign the person in")
		}
		if signedIn(t, e, before) {
			t.Error("the session from before the reset still works")
		}

		// The link works once.
		again := e.PostForm(e.Anonymous(), "/password/reset", url.Values{"token": {tokenOf(link)}, "password": {"yet another passphrase"}, "confirm_password": {"yet another passphrase"}})
		if again.StatusCode != http.StatusGone || !strings.Contains(again.Body, `href="/password/forgot"`) {
			t.Fatalf("second use: %d", again.StatusCode)
		}
		if r := e.Get(e.Anonymous(), link); r.StatusCode != http.StatusGone {
			t.Fatalf("used link opened the form: %d", r.StatusCode)
		}

		// The new password signs in; the old one does not.
		if r := e.PostForm(e.Anonymous(), "/login", url.Values{"email": {u.Email}, "password": {newPassword}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign in with the new password: %d", r.StatusCode)
		}
		if r := e.PostForm(e.Anonymous(), "/login", url.Values{"email": {u.Email}, "password": {apptest.Password}}); r.StatusCode != http.StatusUnauthorized {
			t.Fatalf("sign in with the old password: %d", r.StatusCode)
		}

		// The change is audited, without the password or its hash.
		var afterJSON string
		err := d.Read().QueryRowContext(context.Background(), `SELECT after_json FROM audit_log
			WHERE action = 'password_reset' AND record_type = 'user' AND record_id = $1`, itoa(u.ID)).Scan(&afterJSON)
		if err != nil {
			t.Fatalf("no audit entry for the reset: %v", err)
		}
		if strings.Contains(afterJSON, newPassword) || strings.Contains(afterJSON, "argon2") || !strings.Contains(afterJSON, "password_changed") {
			t.Errorf("audit entry = %s", afterJSON)
		}
	})
}

func TestPasswordResetLinkExpires(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)
		u := e.CreateUser(user.Reviewer, "")
		e.PostForm(e.Anonymous(), "/password/forgot", url.Values{"email": {u.Email}})
		first := mailedLink(t, e, u.Email, "/password/reset")
		// A newer link replaces the older one.
		e.PostForm(e.Anonymous(), "/password/forgot", url.Values{"email": {u.Email}})
		link := mailedLink(t, e, u.Email, "/password/reset")
		if link == first {
			t.Fatal("a second request sent the same link")
		}
		if r := e.Get(e.Anonymous(), first); r.StatusCode != http.StatusGone {
			t.Errorf("the replaced link still works: %d", r.StatusCode)
		}
		err := d.Tx(context.Background(), func(tx *sql.Tx) error {
			_, err := tx.ExecContext(context.Background(), `UPDATE user_links SET expires_at = $1 WHERE user_id = $2`, db.Now().Add(-time.Minute), u.ID)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if r := e.Get(e.Anonymous(), link); r.StatusCode != http.StatusGone || !strings.Contains(r.Body, "expired") {
			t.Fatalf("expired link: %d", r.StatusCode)
		}
		r := e.PostForm(e.Anonymous(), "/password/reset", url.Values{"token": {tokenOf(link)}, "password": {newPassword}, "confirm_password": {newPassword}})
		if r.StatusCode != http.StatusGone {
			t.Fatalf("expired link set the password: %d", r.StatusCode)
		}
	})
}

func TestForgotDoesNotRevealAccounts(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)
		u := e.CreateUser(user.Reviewer, "")
		known := e.PostForm(e.Anonymous(), "/password/forgot", url.Values{"email": {u.Email}})
		unknown := e.PostForm(e.Anonymous(), "/password/forgot", url.Values{"email": {"nobody@example.test"}})
		if known.StatusCode != unknown.StatusCode {
			t.Fatalf("status %d for a known email, %d for an unknown one", known.StatusCode, unknown.StatusCode)
		}
		if strings.ReplaceAll(known.Body, u.Email, "X") != strings.ReplaceAll(unknown.Body, "nobody@example.test", "X") {
			t.Error("the page differs between a known and an unknown email")
		}
		if _, ok := e.Mail.Last("nobody@example.test"); ok {
			t.Error("an email went to an address with no account")
		}
		// A disabled account gets no link either.
		admin := e.CreateUser(user.Admin, "")
		e.PostForm(e.Browser(admin), "/admin/users/"+itoa(u.ID)+"/disable", nil)
		prev, _ := e.Mail.Last(u.Email)
		e.PostForm(e.Anonymous(), "/password/forgot", url.Values{"email": {u.Email}})
		if cur, _ := e.Mail.Last(u.Email); cur.Body != prev.Body {
			t.Error("a disabled account was sent a reset link")
		}
		// A malformed email is a field error, whatever the accounts.
		if r := e.PostForm(e.Anonymous(), "/password/forgot", url.Values{"email": {"not an email"}}); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `href="#f-email"`) {
			t.Errorf("malformed email: %d", r.StatusCode)
		}
	})
}
