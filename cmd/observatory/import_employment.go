package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/clusterobservatory/observatory/internal/mapping"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// runImportEmployment imports an employment dataset from a CSV or XLSX file
// (the flags after "import employment") in the foreground: the file is
// checked whole, then stored in one transaction as a new dataset or the
// replacement of the one of that name. Progress goes to standard error;
// every problem is printed as file:row:column: message and makes the
// command fail with nothing stored.
func runImportEmployment(ctx context.Context, args []string, e *env) error {
	fs := e.flags("import employment --file F --dataset NAME --classification isic4|naics2012 [--description D] [--source S] [--country ISO3] [--dry-run] [--as EMAIL]",
		"Imports an employment dataset from a CSV or XLSX file with the columns year, area, industry and employment, and optionally "+
			"area_name, establishments, wages and suppressed. A dataset of the same name is replaced whole. Nothing is stored unless "+
			"every row is valid; problems are printed as file:row:column: message.")
	dbURL := fs.DB()
	file := fs.String("file", "", "the CSV or XLSX file")
	name := fs.String("dataset", "", "the dataset's name")
	class := fs.String("classification", "", "the industry codes' classification: isic4 or naics2012")
	desc := fs.String("description", "", "what the dataset holds")
	source := fs.String("source", "", "where the figures come from")
	country := fs.String("country", "", "ISO3 code of the country that areas unknown to the platform lie in")
	dryRun := fs.Bool("dry-run", false, "check the file and report, storing nothing")
	as := fs.String("as", "", "the email of the account to import as; default: the system")
	if ok, err := parse(fs, args); !ok {
		return err
	}
	var missing problem.Fields
	if *file == "" {
		missing.Add("file", "Name the file with --file.")
	}
	if *name == "" {
		missing.Add("dataset", "Name the dataset with --dataset.")
	}
	if *class != "isic4" && *class != "naics2012" {
		missing.Add("classification", "Say --classification isic4 or --classification naics2012.")
	}
	if len(missing) > 0 {
		for _, m := range missing {
			fmt.Fprintf(e.stderr, "observatory import employment: --%s: %s\n", m.Field, m.Message)
		}
		fs.Usage()
		return errUsage
	}
	if _, err := os.Stat(*file); err != nil {
		return fmt.Errorf("--file: %w", err)
	}
	fileName := filepath.Base(*file)
	open := func() (io.ReadCloser, error) { return os.Open(*file) }
	d, err := openDB(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer d.Close()
	actor, err := importActor(ctx, d, *as)
	if err != nil {
		return err
	}
	s := mapping.NewStore(d)
	in := mapping.DatasetInput{Name: *name, Classification: *class, Description: *desc, Source: *source, Country: *country, File: fileName}
	bar := &progressLine{w: e.stderr, name: fileName}
	defer bar.end()
	if *dryRun {
		return dryRunEmployment(ctx, e, s, actor, in, open, bar)
	}
	info, err := s.ImportEmployment(ctx, actor, in, open, bar.report)
	bar.end()
	if err != nil {
		return printEmploymentProblems(e, fileName, err)
	}
	fmt.Fprintf(e.stdout, "%s: stored dataset %q (id %d, version %d): %d cells (%d suppressed) in %d areas, %d–%d\n",
		fileName, info.Name, info.ID, info.Version, info.Cells, info.Suppressed, info.Areas, info.FirstYear, info.LastYear)
	return nil
}

// dryRunEmployment checks the input and every row, storing nothing.
func dryRunEmployment(ctx context.Context, e *env, s *mapping.Store, actor user.Actor, in mapping.DatasetInput,
	open func() (io.ReadCloser, error), bar *progressLine) error {
	sum, err := s.CheckEmployment(ctx, actor, in, open, func(n int64) { bar.report(n, 0) })
	bar.end()
	if err != nil {
		return printEmploymentProblems(e, in.File, err)
	}
	fmt.Fprintf(e.stdout, "%s: %d cells (%d suppressed) in %d areas, %d–%d, all valid; dry run, nothing stored\n",
		in.File, sum.Cells, sum.Suppressed, len(sum.Areas), sum.FirstYear, sum.LastYear)
	return nil
}

// printEmploymentProblems prints located problems one per line and
// returns the error that ends the command.
func printEmploymentProblems(e *env, file string, err error) error {
	p := problem.As(err)
	if p == nil || len(p.Details) == 0 {
		return err
	}
	for _, d := range p.Details {
		switch {
		case d.File != "":
			where := d.File
			if d.Sheet != "" {
				where += "[" + d.Sheet + "]"
			}
			fmt.Fprintf(e.stdout, "%s:%d:%s: %s\n", where, d.Row, d.Field, d.Message)
		case d.Field == "name":
			fmt.Fprintf(e.stdout, "--dataset: %s\n", d.Message)
		default:
			fmt.Fprintf(e.stdout, "--%s: %s\n", d.Field, d.Message)
		}
	}
	return fmt.Errorf("%s: %s", file, p.Message)
}

// progressLine rewrites one line of standard error with the rows done,
// at most a few times a second.
type progressLine struct {
	w     io.Writer
	name  string
	mu    sync.Mutex
	last  time.Time
	shown bool
}

func (p *progressLine) report(done, total int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if time.Since(p.last) < 200*time.Millisecond {
		return
	}
	p.last = time.Now()
	p.shown = true
	if total > 0 {
		fmt.Fprintf(p.w, "\r%s: storing %d of %d rows (%d%%)   ", p.name, done, total, done*100/total)
		return
	}
	fmt.Fprintf(p.w, "\r%s: checking, %d rows read   ", p.name, done)
}

// end finishes the line, if one was written.
func (p *progressLine) end() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprintln(p.w)
		p.shown = false
	}
}
