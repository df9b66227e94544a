package indicator

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

// region is two BSOs (JAM, TTO), each leading one cluster initiative, and a
// firm in Jamaica.
type region struct {
	s                  *Store
	bsoA, bsoB, firmA  int64
	clusterA, clusterB int64
}

func newRegion(t testing.TB, d *db.DB) *region {
	t.Helper()
	r := &region{s: NewStore(d)}
	r.bsoA = insertOrg(t, d, "bso", "Jamaica Business Development", "JAM")
	r.bsoB = insertOrg(t, d, "bso", "Trinidad Export Agency", "TTO")
	r.firmA = insertOrg(t, d, "firm", "Blue Mountain Chocolate", "JAM")
	r.clusterA = insertCluster(t, d, "Kingston Creative", r.bsoA, "JAM")
	r.clusterB = insertCluster(t, d, "Tobago Heritage Tourism", r.bsoB, "TTO")
	return r
}

func insertOrg(t testing.TB, d *db.DB, kind, name, country string) int64 {
	t.Helper()
	var id int64
	err := d.Tx(context.Background(), func(tx *sql.Tx) error {
		return tx.QueryRowContext(context.Background(), `INSERT INTO organisations (kind, name, name_norm, country_iso3, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $5) RETURNING id`, kind, name, strings.ToLower(name), country, db.Now()).Scan(&id)
	})
	if err != nil {
		t.Fatalf("insert organisation %s: %v", name, err)
	}
	return id
}

func insertCluster(t testing.TB, d *db.DB, name string, bso int64, country string) int64 {
	t.Helper()
	var id int64
	ctx := context.Background()
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO clusters (name, name_norm, sector, stage, lead_bso_id, created_at, updated_at)
			VALUES ($1, $2, 'creative', 'implementing', $3, $4, $4) RETURNING id`, name, strings.ToLower(name), bso, db.Now()).Scan(&id)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO cluster_countries (cluster_id, country_iso3) VALUES ($1, $2)`, id, country)
		return err
	})
	if err != nil {
		t.Fatalf("insert cluster %s: %v", name, err)
	}
	return id
}

var (
	admin     = user.Actor{Name: "Admin", Role: user.Admin}
	officer   = user.Actor{Name: "Officer", Role: user.ProgrammeOfficer}
	anonymous = user.Actor{}
	viewer    = user.Actor{Name: "Coordinator", Role: user.CountryCoordinator, Scope: user.Scope{Kind: user.ScopeCountry, ID: "JAM"}}
)

func bsoActor(id int64) user.Actor {
	return user.Actor{Name: "BSO staff", Role: user.BSOStaff, Scope: user.Scope{Kind: user.ScopeBSO, ID: fmt.Sprint(id)}}
}

func managerActor(id int64) user.Actor {
	return user.Actor{Name: "Manager", Role: user.ClusterManager, Scope: user.Scope{Kind: user.ScopeCluster, ID: fmt.Sprint(id)}}
}

// sheet is a complete custom reference sheet.
func sheet(code string) Input {
	return Input{
		Code: code, Name: "Indicator " + code, Definition: "What " + code + " counts.", Unit: "firms",
		Level: LevelOutput, Calculation: CalcNumeric, Direction: DirIncrease, SubjectAggregation: AggSum,
		TimeAggregation: AggSum, MeansOfVerification: "Attendance lists.", Frequency: FreqQuarterly,
		ResponsibleRole: user.ClusterManager,
	}
}

// wantField fails unless err is a validation problem on field whose message contains text.
func wantField(t testing.TB, err error, field, text string) {
	t.Helper()
	p := problem.As(err)
	if p == nil || p.Kind != problem.Invalid {
		t.Fatalf("want a problem on %s, got %v", field, err)
	}
	for _, d := range p.Details {
		if d.Field == field {
			if !strings.Contains(d.Message, text) {
				t.Errorf("%s: message %q lacks %q", field, d.Message, text)
			}
			return
		}
	}
	t.Errorf("no problem on %s in %v", field, err)
}

func wantKind(t testing.TB, err error, k problem.Kind) {
	t.Helper()
	if !problem.Is(err, k) {
		t.Fatalf("want a %s problem, got %v", k, err)
	}
}

func auditCount(t testing.TB, d *db.DB, recordType string, id int64, action string) int {
	t.Helper()
	var n int
	err := d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE record_type = $1 AND record_id = $2 AND action = $3`,
		recordType, fmt.Sprint(id), action).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func ptr(v float64) *float64 { return &v }
