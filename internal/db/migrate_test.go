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

// TestCellsKeptWhenPartitioned brings a database with employment cells
// across migration 0100, which on PostgreSQL moves them into a partitioned
// table: every cell must still be there, and a migration of one engine
// leaves the other at the same version.
func TestCellsKeptWhenPartitioned(t *testing.T) {
	emptyDatabases(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := d.MigrateTo(ctx, 90); err != nil {
			t.Fatal(err)
		}
		var id int64
		err := d.WriteSQL().QueryRowContext(ctx, `INSERT INTO employment_datasets (name, classification, created_at, updated_at)
			VALUES ('Before', 'isic4', $1, $1) RETURNING id`, db.Now()).Scan(&id)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.WriteSQL().ExecContext(ctx, `INSERT INTO employment_cells (dataset_id, area_code, industry, year, employment, suppressed)
			VALUES ($1, 'A', '0111', 2020, 5, FALSE), ($1, 'B', '0111', 2020, NULL, TRUE)`, id); err != nil {
			t.Fatal(err)
		}
		if err := d.MigrateTo(ctx, 100); err != nil {
			t.Fatal(err)
		}
		var n, suppressed int
		if err := d.Read().QueryRowContext(ctx, `SELECT COUNT(*), SUM(CASE WHEN suppressed THEN 1 ELSE 0 END) FROM employment_cells WHERE dataset_id = $1`, id).Scan(&n, &suppressed); err != nil {
			t.Fatal(err)
		}
		if n != 2 || suppressed != 1 {
			t.Errorf("%d cells (%d suppressed) after migration 0100, want 2 (1)", n, suppressed)
		}
		if v, _ := d.Version(ctx); v != 100 {
			t.Errorf("version %d after migration 0100", v)
		}
	})
}
