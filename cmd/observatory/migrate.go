package main

import (
	"context"
	"fmt"

	"github.com/clusterobservatory/observatory/internal/job"
)

func runMigrate(ctx context.Context, args []string, e *env) error {
	fs := e.flags("migrate [--db URL]", "Brings the database schema up to date and loads the reference data.")
	dbURL := fs.DB()
	if ok, err := parse(fs, args); !ok {
		return err
	}
	d, err := openDB(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := job.Migrate(ctx, d, e.logger("warn")); err != nil {
		return err
	}
	v, err := d.Version(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "database %s is at schema version %d\n", d.Redacted(), v)
	return nil
}
