package main

import (
	"bytes"
	"context"
	"fmt"

	"github.com/clusterobservatory/observatory/internal/mapping"
	"github.com/clusterobservatory/observatory/internal/problem"
)

// runImportDefinitions imports a cluster definition set from a CSV or XLSX
// file (the flags after "import definitions"): a new set, or a replacement
// of the set of that name. Every problem is printed as file:row:column:
// message and makes the command fail with nothing stored.
func runImportDefinitions(ctx context.Context, args []string, e *env) error {
	fs := e.flags("import definitions --file F --set NAME --classification isic4|naics2012 [--description D] [--dry-run] [--as EMAIL]",
		"Imports a cluster definition set from a CSV or XLSX file with the columns cluster_code, cluster_name, type (traded or local), "+
			"industry, and optionally subcluster_code and subcluster_name. A set of the same name is replaced whole. Nothing is stored "+
			"unless every row is valid; problems are printed as file:row:column: message.")
	dbURL := fs.DB()
	file := fs.String("file", "", "the CSV or XLSX file (\"-\" reads standard input)")
	name := fs.String("set", "", "the definition set's name")
	class := fs.String("classification", "", "the industry codes' classification: isic4 or naics2012")
	desc := fs.String("description", "", "what the set is and where it comes from")
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
		missing.Add("set", "Name the definition set with --set.")
	}
	if *class != "isic4" && *class != "naics2012" {
		missing.Add("classification", "Say --classification isic4 or --classification naics2012.")
	}
	if len(missing) > 0 {
		for _, m := range missing {
			fmt.Fprintf(e.stderr, "observatory import definitions: --%s: %s\n", m.Field, m.Message)
		}
		fs.Usage()
		return errUsage
	}
	fileName, data, err := readImportFile(*file, e.stdin)
	if err != nil {
		return err
	}
	df, err := mapping.ReadDefinitionFile(bytes.NewReader(data), fileName, *class)
	if err != nil {
		return printDefinitionProblems(e, fileName, err)
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
	s := mapping.NewStore(d)
	in := mapping.SetInput{Name: *name, Classification: *class, Description: *desc}
	if *dryRun {
		if err := s.CheckDefinitionSet(ctx, in, df.Set); err != nil {
			return printDefinitionProblems(e, fileName, df.Locate(err))
		}
		fmt.Fprintf(e.stdout, "%s: %d rows, %d clusters, all valid; dry run, nothing stored\n", fileName, df.Rows, len(df.Set.Clusters))
		return nil
	}
	set, err := s.SaveDefinitionSet(ctx, actor, in, df.Set)
	if err != nil {
		return printDefinitionProblems(e, fileName, df.Locate(err))
	}
	fmt.Fprintf(e.stdout, "%s: stored definition set %q (id %d): %d clusters, %d industry codes\n", fileName, set.Name, set.ID, set.Clusters, set.Industries)
	return nil
}

// printDefinitionProblems prints located problems one per line (flags as
// --name for problems of the command's own options) and returns the error
// that ends the command.
func printDefinitionProblems(e *env, file string, err error) error {
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
			fmt.Fprintf(e.stdout, "--set: %s\n", d.Message)
		case d.Field == "classification" || d.Field == "description":
			fmt.Fprintf(e.stdout, "--%s: %s\n", d.Field, d.Message)
		default:
			fmt.Fprintf(e.stdout, "%s:0:%s: %s\n", file, d.Field, d.Message)
		}
	}
	return fmt.Errorf("%s: %d problems; nothing was stored", file, len(p.Details))
}
