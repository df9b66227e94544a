package importer

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// count returns the number of rows of a table.
func count(t testing.TB, d *db.DB, table string) int {
	t.Helper()
	var n int
	if err := d.Read().QueryRowContext(context.Background(), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// addOrg stores an organisation directly, for fixtures.
func addOrg(t testing.TB, d *db.DB, kind, name, country string) int64 {
	t.Helper()
	var id int64
	err := d.Tx(context.Background(), func(tx *sql.Tx) error {
		now := db.Now()
		return tx.QueryRowContext(context.Background(), `INSERT INTO organisations (kind, name, name_norm, country_iso3, created_at, updated_at)
			VALUES ($1,$2,$3,$4,$5,$5) RETURNING id`, kind, name, normaliseName(name), country, now).Scan(&id)
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// addCluster stores a cluster led by a BSO, in the given countries.
func addCluster(t testing.TB, d *db.DB, name string, leadBSO int64, countries ...string) int64 {
	t.Helper()
	var id int64
	err := d.Tx(context.Background(), func(tx *sql.Tx) error {
		now := db.Now()
		if err := tx.QueryRowContext(context.Background(), `INSERT INTO clusters (name, name_norm, sector, stage, lead_bso_id, created_at, updated_at)
			VALUES ($1,$2,'tourism','implementing',$3,$4,$4) RETURNING id`, name, normaliseName(name), leadBSO, now).Scan(&id); err != nil {
			return err
		}
		for _, c := range countries {
			if _, err := tx.ExecContext(context.Background(), `INSERT INTO cluster_countries (cluster_id, country_iso3) VALUES ($1,$2)`, id, c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// bsoStaff is an actor working for a BSO.
func bsoStaff(bso int64) user.Actor {
	return user.Actor{Name: "staff", Role: user.BSOStaff, Scope: user.Scope{Kind: user.ScopeBSO, ID: fmt.Sprint(bso)}}
}

// wantProblem fails unless the report has a problem at row and field whose
// message contains want.
func wantProblem(t testing.TB, rep *Report, row int, field, want string) {
	t.Helper()
	for _, p := range rep.Problems {
		if p.Row == row && p.Field == field && strings.Contains(p.Message, want) {
			return
		}
	}
	t.Errorf("no problem at row %d %q containing %q; got:\n%s", row, field, want, listProblems(rep.Problems))
}

func listProblems(ps []problem.Detail) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "  %s row %d %s: %s\n", p.File, p.Row, p.Field, p.Message)
	}
	return b.String()
}

const orgHeader = "name,kind,country,area,isic,size_band,women_led,youth_led,founded_year,website,email,phone,contact_name,description\n"
