package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"

	"github.com/clusterobservatory/observatory/internal/config"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/refdata"
)

// errUsage means the usage text was already printed.
var errUsage = errors.New("usage")

func (e *env) flags(name, usage string) *config.FlagSet {
	return config.NewFlagSet(name, usage, e.getenv, e.stderr)
}

// parse parses flags; --help prints usage and ends the command successfully.
func parse(fs *config.FlagSet, args []string) (bool, error) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return false, nil
		}
		return false, errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return false, errUsage
	}
	return true, nil
}

// openDB opens and migrates the database and loads the reference data.
func openDB(ctx context.Context, url string) (*db.DB, error) {
	d, err := db.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	if err := d.Migrate(ctx); err != nil {
		d.Close()
		return nil, err
	}
	if err := refdata.Load(ctx, d); err != nil {
		d.Close()
		return nil, fmt.Errorf("load reference data: %w", err)
	}
	return d, nil
}

func (e *env) logger(level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: l}))
}
