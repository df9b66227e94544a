package demo

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	clusterdomain "github.com/clusterobservatory/observatory/internal/cluster"
	orgdomain "github.com/clusterobservatory/observatory/internal/org"
	"strings"
	"testing"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

func generate(t *testing.T, d *db.DB, scale int) *Result {
	t.Helper()
	res, err := Generate(context.Background(), d, scale)
	if err != nil {
		t.Fatalf("generate scale %d: %v", scale, err)
	}
	return res
}

// count runs a COUNT query and returns its result.
func count(t *testing.T, d *db.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.Read().QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestGenerateRegion(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		res := generate(t, d, 1)
		mins := map[string]int{"countries": 15, "bsos": 40, "clusters": 120, "firms": 4000, "cross_border_clusters": 5,
			"research": 15, "government": 15, "funders": 1, "ngos": 5, "cluster_orgs": 1, "memberships": 120 * 8, "accounts": 7}
		for k, min := range mins {
			if res.Counts[k] < min {
				t.Errorf("%s = %d, want at least %d", k, res.Counts[k], min)
			}
		}
		for table, key := range map[string]string{"organisations": "organisations", "clusters": "clusters", "memberships": "memberships"} {
			if n := count(t, d, `SELECT COUNT(*) FROM `+table); n != res.Counts[key] {
				t.Errorf("%s holds %d rows, the result says %d", table, n, res.Counts[key])
			}
		}
		checks := []struct{ what, query string }{
			{"programme countries with fewer than 2 BSOs",
				`SELECT COUNT(*) FROM countries c WHERE c.in_region AND (SELECT COUNT(*) FROM organisations o WHERE o.country_iso3 = c.iso3 AND o.kind = 'bso') < 2`},
			{"clusters whose lead is not a BSO of one of their countries",
				`SELECT COUNT(*) FROM clusters k JOIN organisations b ON b.id = k.lead_bso_id
				 WHERE b.kind <> 'bso' OR NOT EXISTS (SELECT 1 FROM cluster_countries cc WHERE cc.cluster_id = k.id AND cc.country_iso3 = b.country_iso3)`},
			{"clusters whose cluster organisation is of another kind",
				`SELECT COUNT(*) FROM clusters k JOIN organisations o ON o.id = k.cluster_org_id WHERE o.kind <> 'cluster_org'`},
			{"memberships that end before they start or fall outside 2020-01-01..2026-06-30",
				`SELECT COUNT(*) FROM memberships WHERE joined_on < '2020-01-01' OR joined_on > '2026-06-30'
				 OR (left_on IS NOT NULL AND (left_on < joined_on OR left_on > '2026-06-30'))`},
			{"duplicate open memberships",
				`SELECT COUNT(*) FROM (SELECT cluster_id, organisation_id FROM memberships WHERE left_on IS NULL
				 GROUP BY cluster_id, organisation_id HAVING COUNT(*) > 1) x`},
			{"clusters with fewer than 8 or more than 60 members",
				`SELECT COUNT(*) FROM clusters k WHERE (SELECT COUNT(*) FROM memberships m WHERE m.cluster_id = k.id) NOT BETWEEN 8 AND 60`},
			{"clusters without exactly one lead firm",
				`SELECT COUNT(*) FROM clusters k WHERE (SELECT COUNT(*) FROM memberships m WHERE m.cluster_id = k.id AND m.role = 'lead_firm') <> 1`},
			{"clusters whose lead BSO is not a member with role bso",
				`SELECT COUNT(*) FROM clusters k WHERE NOT EXISTS (SELECT 1 FROM memberships m WHERE m.cluster_id = k.id AND m.organisation_id = k.lead_bso_id AND m.role = 'bso')`},
			{"clusters with 0 or more than 4 industries, or an industry that is not an ISIC class",
				`SELECT COUNT(*) FROM clusters k WHERE (SELECT COUNT(*) FROM cluster_industries ci JOIN isic_codes i ON i.code = ci.isic_code AND i.level = 'class'
				 WHERE ci.cluster_id = k.id) NOT BETWEEN 1 AND 4 OR EXISTS (SELECT 1 FROM cluster_industries ci JOIN isic_codes i ON i.code = ci.isic_code
				 WHERE ci.cluster_id = k.id AND i.level <> 'class')`},
			{"firms without an area of their own country, an ISIC class or a size band",
				`SELECT COUNT(*) FROM organisations o LEFT JOIN areas a ON a.id = o.area_id LEFT JOIN isic_codes i ON i.code = o.isic_code
				 WHERE o.kind = 'firm' AND (a.country_iso3 IS NULL OR a.country_iso3 <> o.country_iso3 OR i.level IS NULL OR i.level <> 'class'
				 OR o.size_band NOT IN ('micro', 'small', 'medium', 'large') OR o.founded_year IS NULL)`},
			{"contacts outside the reserved example domains",
				`SELECT COUNT(*) FROM organisations WHERE email NOT LIKE '%@%example.com' AND email NOT LIKE '%@%example.org' AND email NOT LIKE '%@%example.net'`},
			{"clusters with an unknown sector or stage, or a start outside 2019–2025",
				`SELECT COUNT(*) FROM clusters WHERE sector NOT IN ('agro_processing', 'fisheries', 'creative', 'tourism', 'ict', 'health_wellness', 'natural_products')
				 OR stage NOT IN ('identified', 'applying', 'diagnosed', 'plan_approved', 'implementing', 'sustaining', 'closed') OR started_year NOT BETWEEN 2019 AND 2025`},
			{"records stamped outside the demo history",
				`SELECT COUNT(*) FROM organisations WHERE created_at < $1 OR updated_at > $2 OR updated_at < created_at`},
		}
		for _, c := range checks {
			var args []any
			if strings.Contains(c.query, "$1") {
				args = []any{historyStart, historyEnd.AddDate(0, 0, 1)}
			}
			if n := count(t, d, c.query, args...); n != 0 {
				t.Errorf("%s: %d", c.what, n)
			}
		}
		firms := float64(res.Counts["firms"])
		shares := []struct {
			what     string
			query    string
			min, max float64
		}{
			{"women-led firms", `SELECT COUNT(*) FROM organisations WHERE kind = 'firm' AND women_led`, 0.30, 0.50},
			{"youth-led firms", `SELECT COUNT(*) FROM organisations WHERE kind = 'firm' AND youth_led`, 0.15, 0.30},
			{"micro firms", `SELECT COUNT(*) FROM organisations WHERE kind = 'firm' AND size_band = 'micro'`, 0.55, 0.65},
			{"firms in two or more clusters", `SELECT COUNT(*) FROM (SELECT organisation_id FROM memberships m JOIN organisations o ON o.id = m.organisation_id
				WHERE o.kind = 'firm' GROUP BY organisation_id HAVING COUNT(DISTINCT cluster_id) > 1) x`, 0.01, 0.2},
		}
		for _, s := range shares {
			if got := float64(count(t, d, s.query)) / firms; got < s.min || got > s.max {
				t.Errorf("share of %s = %.3f, want %.2f–%.2f", s.what, got, s.min, s.max)
			}
		}
		left := float64(count(t, d, `SELECT COUNT(*) FROM memberships WHERE left_on IS NOT NULL`)) / float64(res.Counts["memberships"])
		if left < 0.08 || left > 0.25 {
			t.Errorf("share of memberships with a left date = %.3f, want about 15%%", left)
		}
		agro := float64(count(t, d, `SELECT COUNT(*) FROM clusters WHERE sector = 'agro_processing'`)) / float64(res.Counts["clusters"])
		if agro < 0.33 || agro > 0.43 {
			t.Errorf("agro-processing share = %.3f, want 35–40%%", agro)
		}
	})
}

func TestGenerateNamesAreNormalised(t *testing.T) {
	d := dbtest.SQLite(t)
	generate(t, d, 1)
	// The stored form is the one each domain searches and compares names in.
	rules := map[string]func(string) string{"organisations": orgdomain.NormaliseName, "clusters": clusterdomain.NormaliseName}
	for _, table := range []string{"organisations", "clusters"} {
		rows, err := d.Read().QueryContext(context.Background(), `SELECT name, name_norm FROM `+table)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var name, norm string
			if err := rows.Scan(&name, &norm); err != nil {
				t.Fatal(err)
			}
			if norm != rules[table](name) || norm == "" {
				t.Errorf("%s %q: name_norm %q", table, name, norm)
			}
		}
		rows.Close()
	}
	if n := count(t, d, `SELECT COUNT(*) FROM (SELECT name_norm FROM organisations GROUP BY name_norm HAVING COUNT(*) > 1) x`); n != 0 {
		t.Errorf("%d organisation names occur more than once", n)
	}
	if n := count(t, d, `SELECT COUNT(*) FROM (SELECT name_norm FROM clusters GROUP BY name_norm HAVING COUNT(*) > 1) x`); n != 0 {
		t.Errorf("%d cluster names occur more than once", n)
	}
	// Names follow the country's language.
	for _, c := range []struct{ iso, like string }{{"DOM", "Clúster %"}, {"SUR", "%luster %"}} {
		if n := count(t, d, `SELECT COUNT(*) FROM clusters k JOIN cluster_countries cc ON cc.cluster_id = k.id
			WHERE cc.country_iso3 = $1 AND (SELECT COUNT(*) FROM cluster_countries x WHERE x.cluster_id = k.id) = 1 AND k.name NOT LIKE $2`, c.iso, c.like); n != 0 {
			t.Errorf("%d national clusters of %s are not named like %q", n, c.iso, c.like)
		}
	}
}

func TestGenerateAccountsAndSettings(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		res := generate(t, d, 1)
		store := user.NewStore(d)
		roles := map[string]bool{}
		for _, a := range res.Accounts {
			u, err := store.Authenticate(ctx, a.Email, a.Password)
			if err != nil {
				t.Errorf("%s cannot sign in: %v", a.Email, err)
				continue
			}
			roles[a.Role] = true
			if string(u.Role) != a.Role || u.Scope.String() != a.Scope {
				t.Errorf("%s: role %s scope %s, printed %s %s", a.Email, u.Role, u.Scope, a.Role, a.Scope)
			}
			switch u.Scope.Kind {
			case user.ScopeBSO:
				if n := count(t, d, `SELECT COUNT(*) FROM organisations WHERE id = $1 AND kind = 'bso'`, u.Scope.IntID()); n != 1 {
					t.Errorf("%s is scoped to %s, which is not a BSO", a.Email, u.Scope)
				}
			case user.ScopeCluster:
				if n := count(t, d, `SELECT COUNT(*) FROM clusters WHERE id = $1`, u.Scope.IntID()); n != 1 {
					t.Errorf("%s is scoped to a missing cluster %s", a.Email, u.Scope)
				}
			}
		}
		for _, r := range user.Roles {
			if !roles[string(r)] {
				t.Errorf("no demo account with role %s", r)
			}
		}
		var bsoCountries int
		if err := d.Read().QueryRowContext(ctx, `SELECT COUNT(DISTINCT o.country_iso3) FROM users u JOIN organisations o
			ON u.scope_kind = 'bso' AND o.id = CAST(u.scope_id AS BIGINT)`).Scan(&bsoCountries); err != nil {
			t.Fatal(err)
		}
		if bsoCountries != 2 {
			t.Errorf("the BSO accounts cover %d countries, want 2", bsoCountries)
		}
		var demo, table string
		d.Read().QueryRowContext(ctx, `SELECT value FROM settings WHERE key = 'demo'`).Scan(&demo)
		d.Read().QueryRowContext(ctx, `SELECT value FROM settings WHERE key = 'demo_accounts'`).Scan(&table)
		if demo != "true" || table != AccountsTable(res.Accounts) || !strings.Contains(table, "admin@demo.example.org") {
			t.Errorf("settings: demo=%q demo_accounts=%q", demo, table)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'generate' AND record_type = 'demo' AND record_id = '1'`); n != 1 {
			t.Errorf("%d audit entries for the generation, want 1", n)
		}
		// A record created later gets a fresh ID on both engines.
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO organisations (kind, name, name_norm, country_iso3, created_at, updated_at)
				VALUES ('firm', 'Later Firm', 'later firm', 'JAM', $1, $1)`, db.Now())
			return err
		})
		if err != nil {
			t.Errorf("insert after the demo: %v", err)
		}
	})
}

func TestGenerateRefusesAFilledDatabase(t *testing.T) {
	d := dbtest.SQLite(t)
	generate(t, d, 1)
	before := count(t, d, `SELECT COUNT(*) FROM organisations`)
	_, err := Generate(context.Background(), d, 1)
	if !problem.Is(err, problem.Conflict) || !strings.Contains(err.Error(), "already holds") {
		t.Errorf("second run: err = %v, want a conflict saying the database already holds data", err)
	}
	if after := count(t, d, `SELECT COUNT(*) FROM organisations`); after != before {
		t.Errorf("organisations went from %d to %d", before, after)
	}
	for _, scale := range []int{0, -1, MaxScale + 1} {
		if _, err := Generate(context.Background(), dbtest.SQLite(t), scale); !problem.Is(err, problem.Invalid) {
			t.Errorf("scale %d: err = %v, want invalid", scale, err)
		}
	}
}

// digest hashes every generated row in a stable order and format, so that
// two databases can be compared, even across engines.
func digest(t *testing.T, d *db.DB) string {
	t.Helper()
	queries := []string{
		`SELECT id, kind, name, name_norm, country_iso3, area_id, isic_code, size_band, CASE WHEN women_led THEN 1 ELSE 0 END,
			CASE WHEN youth_led THEN 1 ELSE 0 END, founded_year, website, email, phone, contact_name, description, created_at, updated_at
			FROM organisations ORDER BY id`,
		`SELECT id, name, name_norm, sector, value_chain, description, stage, lead_bso_id, cluster_org_id, facilitator, started_year, created_at, updated_at
			FROM clusters ORDER BY id`,
		`SELECT cluster_id, country_iso3 FROM cluster_countries ORDER BY cluster_id, country_iso3`,
		`SELECT cluster_id, isic_code FROM cluster_industries ORDER BY cluster_id, isic_code`,
		`SELECT id, cluster_id, organisation_id, role, joined_on, left_on, created_at, updated_at FROM memberships ORDER BY id`,
		`SELECT email, role, scope_kind, scope_id FROM users ORDER BY email`,
	}
	h := sha256.New()
	for _, q := range queries {
		rows, err := d.Read().QueryContext(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				switch x := v.(type) {
				case time.Time:
					fmt.Fprintf(h, "%s|", x.UTC().Format(time.RFC3339Nano))
				case []byte:
					fmt.Fprintf(h, "%s|", x)
				case nil:
					fmt.Fprint(h, "NULL|")
				default:
					fmt.Fprintf(h, "%v|", x)
				}
			}
			fmt.Fprintln(h)
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

func TestGenerateIsDeterministic(t *testing.T) {
	a, b, c := dbtest.SQLite(t), dbtest.SQLite(t), dbtest.SQLite(t)
	generate(t, a, 1)
	generate(t, b, 1)
	generate(t, c, 2)
	da, db2, dc := digest(t, a), digest(t, b), digest(t, c)
	if da != db2 {
		t.Errorf("two runs at scale 1 differ: %s vs %s", da, db2)
	}
	if da == dc {
		t.Error("scale 1 and scale 2 give the same data")
	}
	if dbtest.PostgresBase() != "" {
		p := dbtest.Postgres(t)
		generate(t, p, 1)
		if dp := digest(t, p); dp != da {
			t.Errorf("PostgreSQL and SQLite hold different data at scale 1: %s vs %s", dp, da)
		}
	}
}
