package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/importer"
	"github.com/clusterobservatory/observatory/internal/user"
)

const importUsage = `Usage: observatory import KIND --db URL --file F [flags]

Kinds:
  organisations  organisations of every kind, from CSV or XLSX
  memberships    cluster memberships, from CSV or XLSX
  employment     an employment dataset by year, area and industry (--dataset NAME --classification isic4|naics2012)
  definitions    a cluster definition set (--set NAME --classification isic4|naics2012)

Run "observatory import KIND --help" for a kind's flags.`

// runImport checks a CSV or XLSX file and, unless --dry-run, stores every
// row in one transaction. Problems are printed one per line as
// file:row:column: message, and any problem makes the command fail with
// nothing stored.
func runImport(ctx context.Context, args []string, e *env) error {
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" {
		fmt.Fprintln(e.stderr, importUsage)
		if len(args) > 0 {
			return nil
		}
		return errUsage
	}
	switch args[0] {
	case "employment":
		return runImportEmployment(ctx, args[1:], e)
	case "definitions":
		return runImportDefinitions(ctx, args[1:], e)
	}
	kind := importer.Kind(args[0])
	if !kind.Valid() {
		fmt.Fprintf(e.stderr, "observatory import: unknown kind %q\n%s\n", args[0], importUsage)
		return errUsage
	}
	fs := e.flags("import "+string(kind)+" --file F [--dry-run] [--as EMAIL]",
		"Imports "+string(kind)+" from a CSV or XLSX file (\"-\" reads standard input). Every row is checked first; "+
			"nothing is stored unless every row is valid. Problems are printed as file:row:column: message.")
	dbURL := fs.DB()
	file := fs.String("file", "", "the CSV or XLSX file to import")
	dryRun := fs.Bool("dry-run", false, "check the file and report, storing nothing")
	as := fs.String("as", "", "the email of the account to import as (its role and scope apply); default: the system")
	if ok, err := parse(fs, args[1:]); !ok {
		return err
	}
	if *file == "" {
		fmt.Fprintln(e.stderr, "observatory import: --file is required")
		fs.Usage()
		return errUsage
	}
	name, data, err := readImportFile(*file, e.stdin)
	if err != nil {
		return err
	}
	d, err := openDB(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer d.Close()
	actor, err := importActor(ctx, d, *as)
	if err != nil {
		return err
	}
	im := importer.New(d)
	var (
		rep *importer.Report
		res *importer.Result
	)
	if *dryRun {
		rep, err = im.Check(ctx, actor, kind, name, data)
	} else {
		res, rep, err = im.Import(ctx, actor, kind, name, data)
	}
	if err != nil {
		return err
	}
	src := rep.Source
	if src.Format == importer.FormatXLSX {
		fmt.Fprintf(e.stderr, "%s: Excel workbook, sheet %q\n", name, src.Sheet)
	} else if src.Format == importer.FormatCSV {
		fmt.Fprintf(e.stderr, "%s: CSV, %s, %s-separated\n", name, src.Encoding, src.Delimiter)
	}
	for _, p := range rep.Problems {
		fmt.Fprintln(e.stdout, importer.Line(p.File, p.Row, p.Sheet, p.Field, p.Message))
	}
	if !rep.OK() {
		return fmt.Errorf("%s: %d problems in %d rows (%d valid); nothing was stored", name, len(rep.Problems), rep.Rows, rep.Valid)
	}
	if *dryRun {
		fmt.Fprintf(e.stdout, "%s: %d rows, all valid; dry run, nothing stored\n", name, rep.Rows)
		return nil
	}
	fmt.Fprintf(e.stdout, "%s: created %d %s\n", name, res.Created, kind)
	return nil
}

// readImportFile reads the file to import, refusing one over the size
// limit before reading it.
func readImportFile(path string, stdin io.Reader) (string, []byte, error) {
	if path == "-" {
		data, err := io.ReadAll(io.LimitReader(stdin, importer.MaxBytes+1))
		if err != nil {
			return "", nil, err
		}
		if len(data) > importer.MaxBytes {
			return "", nil, fmt.Errorf("standard input: the file is larger than %d MB; split it into smaller files", importer.MaxBytes>>20)
		}
		return "stdin", data, nil
	}
	st, err := os.Stat(path)
	if err != nil {
		return "", nil, fmt.Errorf("--file: %w", err)
	}
	if st.Size() > importer.MaxBytes {
		return "", nil, fmt.Errorf("%s: the file is larger than %d MB; split it into smaller files", path, importer.MaxBytes>>20)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", nil, err
	}
	return filepath.Base(path), data, nil
}

// importActor is the account an import runs as: the one of --as, which must
// exist and be enabled, so that its role and scope apply; the system when
// --as is not given.
func importActor(ctx context.Context, d *db.DB, email string) (user.Actor, error) {
	if email == "" {
		return user.System, nil
	}
	u, err := user.NewStore(d).FindUserByEmail(ctx, email)
	if err != nil {
		return user.Actor{}, fmt.Errorf("--as %s: %w", email, err)
	}
	if !u.DisabledAt.IsZero() {
		return user.Actor{}, fmt.Errorf("--as %s: the account is disabled", u.Email)
	}
	return u.Actor(), nil
}
