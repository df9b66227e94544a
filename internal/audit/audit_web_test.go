package audit_test

import (
	"context"
	"database/sql"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/user"
)

func TestAuditLogPage(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)
		admin := e.CreateUser(user.Admin, "")
		target := e.CreateUser(user.Reviewer, "")
		c := e.Browser(admin)
		id := strconv.FormatInt(target.ID, 10)

		// Writes through the pages, each audited.
		e.PostForm(c, "/admin/users", url.Values{"email": {"new.person@example.test"}, "name": {"New Person"}, "role": {"programme_officer"}})
		e.PostForm(c, "/admin/users/"+id+"/disable", nil)
		// An entry about a cluster links to its page.
		ctx := context.Background()
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			return audit.Record(ctx, tx, user.System, "update", "cluster", 42, map[string]any{"stage": "diagnosed", "name": "Cocoa"},
				map[string]any{"stage": "implementing", "name": "Cocoa"})
		})
		if err != nil {
			t.Fatal(err)
		}

		page := e.Get(c, "/admin/audit")
		body := html.UnescapeString(page.Body)
		if page.StatusCode != 200 {
			t.Fatalf("audit page: %d", page.StatusCode)
		}
		for _, want := range []string{
			"<ins>New Person</ins>", // the creation's after state
			`href="/clusters/42"`,
			"<del>diagnosed</del> → <ins>implementing</ins>",
			"<code>disabled_at</code>",
			"Disabled", "Created",
			"Test admin (#" + strconv.FormatInt(admin.ID, 10) + ")",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("the audit page lacks %q", want)
			}
		}
		if row := rowWith(body, `href="/clusters/42"`); row == "" || strings.Contains(row, "<code>name</code>") {
			t.Errorf("the cluster entry is missing or lists an unchanged field: %s", row)
		}
		// Newest first: the cluster entry comes before the disabling.
		if strings.Index(body, `href="/clusters/42"`) > strings.Index(body, "<code>disabled_at</code>") {
			t.Error("entries are not newest first")
		}

		filtered := html.UnescapeString(e.Get(c, "/admin/audit?record_type=user&record_id="+id).Body)
		if strings.Contains(filtered, `href="/clusters/42"`) || strings.Contains(filtered, "<ins>New Person</ins>") || !strings.Contains(filtered, "disabled_at") {
			t.Error("the record filter does not narrow the log")
		}
		if !strings.Contains(filtered, i18n.For("en").T("common.results", "n", 1)) {
			t.Error("the filtered page does not count one entry")
		}
		byUser := html.UnescapeString(e.Get(c, "/admin/audit?user="+strconv.FormatInt(admin.ID, 10)).Body)
		if strings.Contains(byUser, `href="/clusters/42"`) {
			t.Error("the user filter keeps the system's entry")
		}

		// The API lists the same entries, for administrators only.
		tok := e.Token(admin)
		var list struct {
			Items []audit.Entry `json:"items"`
			Total int           `json:"total"`
		}
		r := e.API("GET", "/api/v1/audit?record_type=user&record_id="+id, tok, nil)
		r.JSON(t, &list)
		if r.StatusCode != 200 || list.Total != 1 || len(list.Items) != 1 || list.Items[0].Action != "disable" {
			t.Fatalf("API: %d %+v", r.StatusCode, list)
		}
		if r := e.API("GET", "/api/v1/audit?user_id=abc", tok, nil); r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("bad user_id: %d", r.StatusCode)
		}
		if r := e.API("GET", "/api/v1/audit", e.Token(target), nil); r.StatusCode != http.StatusUnauthorized {
			t.Errorf("the disabled account read the log: %d", r.StatusCode)
		}
		officer := e.Token(e.CreateUser(user.ProgrammeOfficer, ""))
		if r := e.API("GET", "/api/v1/audit", officer, nil); r.StatusCode != http.StatusForbidden {
			t.Errorf("a programme officer read the log: %d", r.StatusCode)
		}
	})
}

func TestAuditLogPages(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)
		ctx := context.Background()
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			for i := 1; i <= 60; i++ {
				if err := audit.Record(ctx, tx, user.System, "create", "organisation", i, nil, map[string]int{"id": i}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		c := e.Browser(e.CreateUser(user.Admin, ""))
		first := e.Get(c, "/admin/audit?record_type=organisation")
		if !strings.Contains(first.Body, `href="/organisations/60"`) || strings.Contains(first.Body, `href="/organisations/10"`) ||
			!strings.Contains(first.Body, `rel="next"`) {
			t.Error("the first page is not the 50 newest entries with a link to the next")
		}
		second := e.Get(c, "/admin/audit?record_type=organisation&page=2")
		if !strings.Contains(second.Body, `href="/organisations/10"`) || strings.Contains(second.Body, `href="/organisations/11"`) {
			t.Error("the second page does not hold the oldest ten entries")
		}
	})
}

// rowWith is the table row of a page that contains s.
func rowWith(body, s string) string {
	i := strings.Index(body, s)
	if i < 0 {
		return ""
	}
	start := strings.LastIndex(body[:i], "<tr>")
	end := strings.Index(body[i:], "</tr>")
	if start < 0 || end < 0 {
		return ""
	}
	return body[start : i+end]
}
