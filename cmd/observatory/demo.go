package main

import (
	"context"
	"fmt"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/demo"
)

func runDemo(ctx context.Context, args []string, e *env) error {
	fs := e.flags("demo [--db URL] [--scale N]", "Fills an empty database with the demonstration region (deterministic: the same scale gives the same data).")
	dbURL := fs.DB()
	scale := fs.Int("scale", 1, "multiplies the region's size (clusters, firms, memberships)")
	if ok, err := parse(fs, args); !ok {
		return err
	}
	if *scale < 1 || *scale > 1000 {
		return fmt.Errorf("--scale must be between 1 and 1000")
	}
	d, err := openDB(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer d.Close()
	return ensureDemo(ctx, d, *scale, e)
}

// ensureDemo generates the demo region into an empty database, or says that
// the database already has data and leaves it alone.
func ensureDemo(ctx context.Context, d *db.DB, scale int, e *env) error {
	var orgs int
	if err := d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM organisations`).Scan(&orgs); err != nil {
		return err
	}
	if orgs > 0 {
		var v string
		_ = d.Read().QueryRowContext(ctx, `SELECT value FROM settings WHERE key = 'demo_accounts'`).Scan(&v)
		fmt.Fprintln(e.stdout, "The database already holds data; the demo region was not generated again.")
		if v != "" {
			fmt.Fprintln(e.stdout, "Demo accounts:")
			fmt.Fprintln(e.stdout, v)
		}
		return nil
	}
	res, err := demo.Generate(ctx, d, scale)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	fmt.Fprintf(e.stdout, "Generated the demonstration region (scale %d):", scale)
	for _, k := range []string{"countries", "bsos", "clusters", "firms", "organisations", "memberships"} {
		if n, ok := res.Counts[k]; ok {
			fmt.Fprintf(e.stdout, " %d %s,", n, k)
		}
	}
	fmt.Fprintln(e.stdout)
	fmt.Fprintln(e.stdout, "Demo accounts (sign in with any of them):")
	fmt.Fprintln(e.stdout, demo.AccountsTable(res.Accounts))
	return nil
}
