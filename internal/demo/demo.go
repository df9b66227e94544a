package demo

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// Account is a demo sign-in printed at start.
type Account struct {
	Email, Name, Role, Scope, Password string
}

// Result says what was generated.
type Result struct {
	Accounts []Account
	Counts   map[string]int
}

// MaxScale bounds the scale so that a typing slip cannot fill a disk.
const MaxScale = 1000

// Generate fills an empty database with the demo region: the programme
// countries' institutions, cluster initiatives, firms and six years of
// memberships, an employment dataset by area and industry for cluster
// mapping, plus the accounts of every role; then the programme's calls,
// applications, panel, plans and events, and the results framework's
// values. The same scale always gives the same data. The region is written
// in one transaction, so a failure there leaves the database as it was; the
// activity after it goes through the domain stores.
func Generate(ctx context.Context, d *db.DB, scale int) (*Result, error) {
	if scale < 1 || scale > MaxScale {
		var f problem.Fields
		f.Add("scale", "The scale must be between 1 and %d.", MaxScale)
		return nil, f.Err()
	}
	var res *Result
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM organisations`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return problem.Conflictf("The database already holds %d organisations; the demo region is only generated into an empty database.", n)
		}
		g, err := load(ctx, tx, scale)
		if err != nil {
			return err
		}
		g.build()
		if err := g.write(ctx, tx, d); err != nil {
			return err
		}
		emp, err := g.employment(ctx, tx)
		if err != nil {
			return err
		}
		if err := emp.write(ctx, tx, d); err != nil {
			return err
		}
		accounts, err := g.createAccounts(ctx, tx, d)
		if err != nil {
			return err
		}
		res = &Result{Accounts: accounts, Counts: g.counts()}
		emp.count(res.Counts)
		if err := g.writeIndicators(ctx, tx, d, res.Counts); err != nil {
			return err
		}
		res.Counts["accounts"] = len(accounts)
		if err := saveSettings(ctx, tx, accounts); err != nil {
			return err
		}
		return audit.Record(ctx, tx, user.System, "generate", "demo", scale, nil, res.Counts)
	})
	if err != nil {
		return nil, err
	}
	if err := deriveISICSet(ctx, d); err != nil {
		return nil, fmt.Errorf("derive the ISIC Rev.4 cluster definitions: %w", err)
	}
	if err := generateActivity(ctx, d, scale, res.Counts); err != nil {
		return nil, fmt.Errorf("demo programme and events: %w", err)
	}
	if err := linkEventProjects(ctx, d, res.Counts); err != nil {
		return nil, fmt.Errorf("demo events of plan projects: %w", err)
	}
	if err := generateCampaigns(ctx, d, scale, res.Counts); err != nil {
		return nil, fmt.Errorf("demo campaigns: %w", err)
	}
	if err := d.Analyze(ctx); err != nil {
		return nil, err
	}
	return res, nil
}

// build creates the whole region in memory, phase by phase.
func (g *gen) build() {
	g.institutions()
	g.clusterInitiatives()
	g.withClusterOrgs()
	g.firms()
	g.memberships()
	g.settleDates()
}

// counts tallies what was generated.
func (g *gen) counts() map[string]int {
	c := map[string]int{
		"countries":     len(g.countries),
		"organisations": len(g.orgs),
		"clusters":      len(g.clusters),
		"memberships":   len(g.members),
	}
	for _, o := range g.orgs {
		c[kindCountKey[o.kind]]++
	}
	for _, k := range g.clusters {
		if len(k.countries) > 1 {
			c["cross_border_clusters"]++
		}
	}
	return c
}

// kindCountKey names the count of each organisation kind in Result.Counts.
var kindCountKey = map[string]string{
	"bso": "bsos", "cluster_org": "cluster_orgs", "firm": "firms", "research": "research",
	"government": "government", "funder": "funders", "ngo": "ngos",
}

// saveSettings marks the database as holding demonstration data and keeps
// the accounts table, so a later start can print it again.
func saveSettings(ctx context.Context, tx *sql.Tx, accounts []Account) error {
	for _, kv := range [][2]string{{"demo", "true"}, {"demo_accounts", AccountsTable(accounts)}} {
		_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, kv[0], kv[1])
		if err != nil {
			return fmt.Errorf("save setting %s: %w", kv[0], err)
		}
	}
	return nil
}
