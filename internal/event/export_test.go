package event

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"github.com/clusterobservatory/observatory/internal/cluster"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/org"
	"github.com/clusterobservatory/observatory/internal/user"
)

// Fixture is a small region for event tests: two BSOs (JAM, TTO), a
// cluster led by each, a cluster organisation and firms.
type Fixture struct {
	DB                      *db.DB
	S                       *Store
	BSOA, BSOB              int64
	FirmJAM, FirmTTO, Firm2 int64
	Archived                int64 // an archived firm in JAM
	A, B                    *cluster.Cluster
}

// NewFixture builds the fixture on d.
func NewFixture(t testing.TB, d *db.DB) *Fixture {
	t.Helper()
	f := &Fixture{DB: d, S: NewStore(d)}
	f.BSOA = InsertOrg(t, d, "bso", "Jamaica Business Development", "JAM")
	f.BSOB = InsertOrg(t, d, "bso", "Trinidad Export Agency", "TTO")
	f.FirmJAM = InsertOrg(t, d, "firm", "Blue Mountain Chocolate Ltd", "JAM")
	f.Firm2 = InsertOrg(t, d, "firm", "Kingston Spice", "JAM")
	f.FirmTTO = InsertOrg(t, d, "firm", "Caroni Cocoa", "TTO")
	f.Archived = InsertOrg(t, d, "firm", "Old Mill", "JAM")
	err := d.Tx(context.Background(), func(tx *sql.Tx) error {
		_, err := tx.Exec(`UPDATE organisations SET archived_at = $1 WHERE id = $2`, db.Now(), f.Archived)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	cs := cluster.NewStore(d)
	ctx := context.Background()
	if f.A, err = cs.CreateCluster(ctx, user.System, cluster.Input{Name: "Kingston Creative", Countries: []string{"JAM"},
		Sector: cluster.SectorCreative, Stage: cluster.StageImplementing, LeadBSOID: f.BSOA}); err != nil {
		t.Fatal(err)
	}
	if f.B, err = cs.CreateCluster(ctx, user.System, cluster.Input{Name: "Tobago Heritage Tourism", Countries: []string{"TTO"},
		Sector: cluster.SectorTourism, Stage: cluster.StageDiagnosed, LeadBSOID: f.BSOB}); err != nil {
		t.Fatal(err)
	}
	return f
}

// InsertOrg stores an organisation with plain SQL and returns its ID.
func InsertOrg(t testing.TB, d *db.DB, kind, name, country string) int64 {
	t.Helper()
	var id int64
	err := d.Tx(context.Background(), func(tx *sql.Tx) error {
		now := db.Now()
		return tx.QueryRowContext(context.Background(), `INSERT INTO organisations (kind, name, name_norm, country_iso3, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $5) RETURNING id`, kind, name, org.NormaliseName(name), country, now).Scan(&id)
	})
	if err != nil {
		t.Fatalf("insert organisation %s: %v", name, err)
	}
	return id
}

// AuditCount counts audit entries for an event.
func AuditCount(t testing.TB, d *db.DB, id int64, action string) int {
	t.Helper()
	var n int
	err := d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE record_type = 'event' AND record_id = $1 AND action = $2`,
		fmt.Sprint(id), action).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// AttendeeRows counts the stored attendee rows of an event.
func AttendeeRows(t testing.TB, d *db.DB, id int64) int {
	t.Helper()
	var n int
	if err := d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM event_attendees WHERE event_id = $1`, id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
