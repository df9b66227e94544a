// Package dbtest gives each test a fresh, migrated database with the
// reference data loaded, on SQLite and on PostgreSQL.
//
// PostgreSQL tests need OBSERVATORY_TEST_POSTGRES, a URL to a server where
// the user may create databases. Without it they are skipped, loudly, unless
// OBSERVATORY_REQUIRE_POSTGRES=1, when they fail (CI sets both).
package dbtest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/refdata"
)

// Engines runs fn once per engine, as subtests named "sqlite" and "postgres".
func Engines(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// SQLite returns a fresh migrated SQLite database in a temporary folder.
func SQLite(t testing.TB) *db.DB {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, "sqlite:"+t.TempDir()+"/test.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := refdata.Load(ctx, d); err != nil {
		t.Fatal(err)
	}
	return d
}

// SQLiteURL returns the URL of a fresh, migrated SQLite database file, for
// tests that start the whole program.
func SQLiteURL(t testing.TB) string {
	t.Helper()
	return SQLite(t).URL
}

var (
	templateOnce sync.Once
	templateName string
	templateErr  error
	counter      atomic.Int64
)

// PostgresBase is the server URL from the environment, or "" when none is set.
func PostgresBase() string { return os.Getenv("OBSERVATORY_TEST_POSTGRES") }

func skipOrFail(t testing.TB) {
	t.Helper()
	if os.Getenv("OBSERVATORY_REQUIRE_POSTGRES") == "1" {
		t.Fatal("OBSERVATORY_TEST_POSTGRES is not set but OBSERVATORY_REQUIRE_POSTGRES=1")
	}
	t.Skip("PostgreSQL tests SKIPPED: set OBSERVATORY_TEST_POSTGRES (the README test command does)")
}

// withDatabase returns base with its path replaced by name.
func withDatabase(base, name string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	u.Path = "/" + name
	return u.String()
}

// PostgresURL creates a fresh database from a migrated template and returns
// its URL; the database is dropped when the test ends.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := PostgresBase()
	if base == "" {
		skipOrFail(t)
	}
	ctx := context.Background()
	templateOnce.Do(func() { templateName, templateErr = buildTemplate(ctx, base) })
	if templateErr != nil {
		t.Fatalf("postgres template: %v", templateErr)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	name := fmt.Sprintf("obs_t_%d_%d", os.Getpid(), counter.Add(1))
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+name+` TEMPLATE `+templateName); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer a.Close()
		_, _ = a.ExecContext(context.Background(), `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
	})
	return withDatabase(base, name)
}

// Postgres returns a fresh migrated PostgreSQL database.
func Postgres(t testing.TB) *db.DB {
	t.Helper()
	u := PostgresURL(t)
	d, err := db.Open(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// EmptyPostgresURL creates an empty database (no migrations) for tests of
// the migrations themselves.
func EmptyPostgresURL(t testing.TB) string {
	t.Helper()
	base := PostgresBase()
	if base == "" {
		skipOrFail(t)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	name := fmt.Sprintf("obs_e_%d_%d", os.Getpid(), counter.Add(1))
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		a, _ := sql.Open("pgx", base)
		if a != nil {
			_, _ = a.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
			a.Close()
		}
	})
	return withDatabase(base, name)
}

func buildTemplate(ctx context.Context, base string) (string, error) {
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", err
	}
	defer admin.Close()
	name := fmt.Sprintf("obs_tmpl_%d", os.Getpid())
	_, _ = admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
		return "", err
	}
	d, err := db.Open(ctx, withDatabase(base, name))
	if err != nil {
		return "", err
	}
	defer d.Close()
	if err := d.Migrate(ctx); err != nil {
		return "", err
	}
	if err := refdata.Load(ctx, d); err != nil {
		return "", err
	}
	if !strings.HasPrefix(name, "obs_tmpl_") {
		return "", fmt.Errorf("unexpected template name")
	}
	return name, nil
}
