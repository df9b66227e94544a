package cluster

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"github.com/clusterobservatory/observatory/internal/db"
)

// InsertOrg stores an organisation with plain SQL (the org domain's store is
// not needed to test clusters) and returns its ID.
func InsertOrg(t testing.TB, d *db.DB, kind, name, country string) int64 {
	t.Helper()
	var id int64
	err := d.Tx(context.Background(), func(tx *sql.Tx) error {
		now := db.Now()
		return tx.QueryRowContext(context.Background(), `INSERT INTO organisations (kind, name, name_norm, country_iso3, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $5) RETURNING id`, kind, name, NormaliseName(name), country, now).Scan(&id)
	})
	if err != nil {
		t.Fatalf("insert organisation %s: %v", name, err)
	}
	return id
}

// ArchiveOrg marks an organisation archived with plain SQL.
func ArchiveOrg(t testing.TB, d *db.DB, id int64) {
	t.Helper()
	err := d.Tx(context.Background(), func(tx *sql.Tx) error {
		_, err := tx.ExecContext(context.Background(), `UPDATE organisations SET archived_at = $1 WHERE id = $2`, db.Now(), id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// AuditCount counts audit entries for a record.
func AuditCount(t testing.TB, d *db.DB, recordType string, id int64, action string) int {
	t.Helper()
	var n int
	err := d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE record_type = $1 AND record_id = $2 AND action = $3`,
		recordType, fmt.Sprint(id), action).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
