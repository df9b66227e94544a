package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/clusterobservatory/observatory/internal/db"
)

func runBackup(ctx context.Context, args []string, e *env) error {
	fs := e.flags("backup --db URL --out FILE",
		"Writes a consistent copy of a running database. SQLite: an online copy (VACUUM INTO) that readers and\n"+
			"writers need not stop for. PostgreSQL: runs pg_dump in custom format when it is installed.")
	dbURL := fs.DB()
	out := fs.String("out", "", "the file to write (must not exist)")
	if ok, err := parse(fs, args); !ok {
		return err
	}
	if *out == "" {
		return fmt.Errorf("--out is required")
	}
	if _, err := os.Stat(*out); err == nil {
		return fmt.Errorf("%s already exists: choose a new file name", *out)
	}
	if strings.HasPrefix(*dbURL, "postgres") {
		return backupPostgres(ctx, *dbURL, *out, e)
	}
	d, err := db.Open(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.BackupSQLite(ctx, *out); err != nil {
		return err
	}
	abs, _ := filepath.Abs(*out)
	fmt.Fprintf(e.stdout, "backup written to %s\n", abs)
	return nil
}

func backupPostgres(ctx context.Context, url, out string, e *env) error {
	pgDump, err := exec.LookPath("pg_dump")
	if err != nil {
		return fmt.Errorf("PostgreSQL databases are backed up with pg_dump, which is not installed here: " +
			"install the PostgreSQL client (e.g. apt-get install postgresql-client) and run: pg_dump --format=custom --file=FILE URL")
	}
	cmd := exec.CommandContext(ctx, pgDump, "--format=custom", "--file="+out, url)
	cmd.Stdout, cmd.Stderr = e.stdout, e.stderr
	if err := cmd.Run(); err != nil {
		os.Remove(out)
		return fmt.Errorf("pg_dump: %w", err)
	}
	fmt.Fprintf(e.stdout, "backup written to %s (pg_dump custom format; restore with pg_restore)\n", out)
	return nil
}
