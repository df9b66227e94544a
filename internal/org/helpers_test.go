package org

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

var admin = user.Actor{UserID: 0, Name: "admin", Role: user.Admin}

func bsoActor(id int64) user.Actor {
	return user.Actor{Name: "bso staff", Role: user.BSOStaff, Scope: user.Scope{Kind: user.ScopeBSO, ID: fmt.Sprint(id)}}
}

func managerActor(cluster int64) user.Actor {
	return user.Actor{Name: "manager", Role: user.ClusterManager, Scope: user.Scope{Kind: user.ScopeCluster, ID: fmt.Sprint(cluster)}}
}

func coordinatorActor(iso3 string) user.Actor {
	return user.Actor{Name: "coordinator", Role: user.CountryCoordinator, Scope: user.Scope{Kind: user.ScopeCountry, ID: iso3}}
}

func mustCreate(t *testing.T, s *Store, actor user.Actor, in Input) *Organisation {
	t.Helper()
	o, err := s.CreateOrganisation(context.Background(), actor, in)
	if err != nil {
		t.Fatalf("create %s: %v", in.Name, err)
	}
	return o
}

// exec runs statements with plain SQL in one transaction: the cluster
// tables belong to another domain, whose store these tests do not need.
func exec(t *testing.T, d *db.DB, query string, args ...any) {
	t.Helper()
	err := d.Tx(context.Background(), func(tx *sql.Tx) error {
		_, err := tx.ExecContext(context.Background(), query, args...)
		return err
	})
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// insertCluster stores a cluster initiative led by a BSO in the countries.
func insertCluster(t *testing.T, d *db.DB, name string, leadBSO int64, countries ...string) int64 {
	t.Helper()
	var id int64
	err := d.Tx(context.Background(), func(tx *sql.Tx) error {
		ctx := context.Background()
		now := db.Now()
		err := tx.QueryRowContext(ctx, `INSERT INTO clusters (name, name_norm, sector, stage, lead_bso_id, created_at, updated_at)
			VALUES ($1, $2, 'tourism', 'identified', $3, $4, $4) RETURNING id`, name, NormaliseName(name), leadBSO, now).Scan(&id)
		if err != nil {
			return err
		}
		for _, c := range countries {
			if _, err := tx.ExecContext(ctx, `INSERT INTO cluster_countries (cluster_id, country_iso3) VALUES ($1, $2)`, id, c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("insert cluster %s: %v", name, err)
	}
	return id
}

// addMember makes an organisation a member of a cluster; left may be "".
func addMember(t *testing.T, d *db.DB, cluster, org int64, role, joined, left string) {
	t.Helper()
	var leftOn any
	if left != "" {
		leftOn = left
	}
	exec(t, d, `INSERT INTO memberships (cluster_id, organisation_id, role, joined_on, left_on, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $6)`, cluster, org, role, joined, leftOn, db.Now())
}

// areaOf returns the ID of an area of a country.
func areaOf(t *testing.T, d *db.DB, iso3 string) int64 {
	t.Helper()
	var id int64
	if err := d.Read().QueryRowContext(context.Background(), `SELECT MIN(id) FROM areas WHERE country_iso3 = $1`, iso3).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func auditCount(t *testing.T, d *db.DB, id int64, action string) int {
	t.Helper()
	var n int
	err := d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE record_type = $1 AND record_id = $2 AND action = $3`,
		RecordType, fmt.Sprint(id), action).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func countOrgs(t *testing.T, d *db.DB) int {
	t.Helper()
	var n int
	if err := d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM organisations`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// wantKind fails unless err is a problem of kind k, with a problem on field
// when field is not "".
func wantKind(t *testing.T, err error, k problem.Kind, field string) {
	t.Helper()
	p := problem.As(err)
	if p == nil || p.Kind != k {
		t.Fatalf("want a %s problem, got %v", k, err)
	}
	if field == "" {
		return
	}
	for _, d := range p.Details {
		if d.Field == field {
			return
		}
	}
	t.Fatalf("want a problem on %s, got %+v", field, p.Details)
}

func names(os []*Organisation) []string {
	out := make([]string, len(os))
	for i, o := range os {
		out[i] = o.Name
	}
	return out
}

var errRollback = errors.New("roll back")
