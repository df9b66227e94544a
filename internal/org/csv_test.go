package org_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/user"
)

func TestCSVDownload(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		e := f.e
		c := e.Browser(e.CreateUser(user.Admin, ""))
		r := e.Get(c, "/organisations.csv?country=TTO&sort=-name")
		wantStatus(t, "csv", r, 200)
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("content type %q", ct)
		}
		if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, ".csv") {
			t.Errorf("content disposition %q", cd)
		}
		body := strings.TrimPrefix(r.Body, "\uFEFF")
		if body == r.Body {
			t.Error("the CSV has no byte-order mark")
		}
		lines := strings.Split(strings.TrimSpace(body), "\n")
		if len(lines) != 4 {
			t.Fatalf("%d lines, want a header and 3 rows:\n%s", len(lines), body)
		}
		if !strings.HasPrefix(lines[0], "id,kind,name,country,area,isic,isic_title,size_band,women_led") {
			t.Errorf("header %q", lines[0])
		}
		if !strings.Contains(lines[1], "Trinidad Export Agency") || !strings.Contains(lines[3], `"Caroni Cocoa, Estates"`) {
			t.Errorf("rows are not in the list's order, or a comma is not quoted:\n%s", body)
		}
		if !strings.Contains(lines[3], ",0127,Growing of beverage crops,micro,false,false,") {
			t.Errorf("row %q", lines[3])
		}
		// The download honours the scope.
		staff := e.Browser(e.CreateUser(user.BSOStaff, fmt.Sprintf("bso:%d", f.bsoJAM.ID)))
		r = e.Get(staff, "/organisations.csv?country=TTO")
		if strings.Contains(r.Body, "Port of Spain Media") || !strings.Contains(r.Body, "Caroni Cocoa") {
			t.Errorf("BSO staff download:\n%s", r.Body)
		}
	})
}
