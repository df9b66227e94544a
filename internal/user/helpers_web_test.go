package user_test

import (
	"context"
	"database/sql"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/db"
)

// mailedLink finds the one-time link in the newest email to an address and
// returns its path and query.
func mailedLink(t *testing.T, e *apptest.Env, to, path string) string {
	t.Helper()
	msg, ok := e.Mail.Last(to)
	if !ok {
		t.Fatalf("no email to %s", to)
	}
	m := regexp.MustCompile(`http://example\.test(` + regexp.QuoteMeta(path) + `\?token=[A-Za-z0-9_%-]+)`).FindStringSubmatch(msg.Body)
	if m == nil {
		t.Fatalf("the email to %s has no %s link:\n%s", to, path, msg.Body)
	}
	return m[1]
}

// tokenOf is the token parameter of a link path.
func tokenOf(link string) string {
	_, tok, _ := strings.Cut(link, "?token=")
	return tok
}

// signedIn reports whether a browser's session still opens the account page.
func signedIn(t *testing.T, e *apptest.Env, c *http.Client) bool {
	t.Helper()
	r := e.Get(c, "/account")
	switch r.StatusCode {
	case http.StatusOK:
		return true
	case http.StatusSeeOther:
		return false
	}
	t.Fatalf("GET /account: unexpected status %d", r.StatusCode)
	return false
}

// cookie returns a cookie a response set, or nil.
func cookie(r *apptest.Response, name string) *http.Cookie {
	for _, c := range r.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// createBSO registers a business support organisation for scopes.
func createBSO(t *testing.T, d *db.DB, name, country string) int64 {
	t.Helper()
	var id int64
	now := db.Now()
	err := d.Tx(context.Background(), func(tx *sql.Tx) error {
		return tx.QueryRowContext(context.Background(), `INSERT INTO organisations (kind, name, name_norm, country_iso3, created_at, updated_at)
			VALUES ('bso', $1, $2, $3, $4, $4) RETURNING id`, name, strings.ToLower(name), country, now).Scan(&id)
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
