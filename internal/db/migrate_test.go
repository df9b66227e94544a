package db_test

import (
	"context"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
)

// emptyDatabases opens an empty database on each engine.
func emptyDatabases(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Run("sqlite", func(t *testing.T) {
		d, err := db.Open(context.Background(), "sqlite:"+t.TempDir()+"/m.db")
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		fn(t, d)
	})
	t.Run("postgres", func(t *testing.T) {
		d, err := db.Open(context.Background(), dbtest.EmptyPostgresURL(t))
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		fn(t, d)
	})
}

func TestMigrateFromEmptyAndFromEveryEarlierVersion(t *testing.T) {
	versions := db.MigrationVersions()
	if len(versions) == 0 {
		t.Fatal("no migrations embedded")
	}
	for _, start := range append([]int{0}, versions[:len(versions)-1]...) {
		emptyDatabases(t, func(t *testing.T, d *db.DB) {
			ctx := context.Background()
			if start > 0 {
				if err := d.MigrateTo(ctx, start); err != nil {
					t.Fatalf("migrate to %d: %v", start, err)
				}
				if v, _ := d.Version(ctx); v != start {
					t.Fatalf("after MigrateTo(%d) version is %d", start, v)
				}
			}
			if err := d.Migrate(ctx); err != nil {
				t.Fatalf("migrate from %d: %v", start, err)
			}
			if v, _ := d.Version(ctx); v != db.LatestVersion() {
				t.Fatalf("from %d: version %d, want %d", start, v, db.LatestVersion())
			}
			// Running again is a no-op.
			if err := d.Migrate(ctx); err != nil {
				t.Fatalf("second migrate: %v", err)
			}
		})
	}
}

func TestFailedMigrationLeavesPreviousVersion(t *testing.T) {
	emptyDatabases(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := d.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		before := db.LatestVersion()
		bad := "CREATE TABLE half_done (id INTEGER);\nINSERT INTO no_such_table VALUES (1);\n"
		err := d.ApplyForTest(ctx, before+1, "broken", bad)
		if err == nil || !strings.Contains(err.Error(), "broken") {
			t.Fatalf("a failing migration must fail and name itself, got %v", err)
		}
		if v, _ := d.Version(ctx); v != before {
			t.Fatalf("version after failed migration = %d, want %d", v, before)
		}
		var n int
		err = d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM half_done`).Scan(&n)
		if err == nil {
			t.Fatal("the first statement of the failed migration was kept")
		}
	})
}

func TestRefuseNewerDatabase(t *testing.T) {
	emptyDatabases(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := d.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := d.SQL().ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (99999, 'future', $1)`, db.Now()); err != nil {
			t.Fatal(err)
		}
		if err := d.Migrate(ctx); err == nil || !strings.Contains(err.Error(), "newer") {
			t.Fatalf("want a refusal of a newer schema, got %v", err)
		}
	})
}

func TestSplitStatements(t *testing.T) {
	got := db.SplitStatements("-- comment\nCREATE TABLE a (x TEXT DEFAULT ';');\n\nCREATE INDEX i ON a (x);\n")
	if len(got) != 2 || !strings.HasPrefix(got[0], "CREATE TABLE a") || !strings.HasPrefix(got[1], "CREATE INDEX") {
		t.Fatalf("got %q", got)
	}
}
