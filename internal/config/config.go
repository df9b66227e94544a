// Package config reads the program's settings from command-line flags, with
// environment variables of the same name prefixed OBSERVATORY_ as defaults.
package config

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// DefaultDB is the database used when none is given.
const DefaultDB = "sqlite:./observatory.db"

// FlagSet is a flag set whose flags also read OBSERVATORY_* variables.
type FlagSet struct {
	*flag.FlagSet
	getenv func(string) string
}

// NewFlagSet makes a flag set for one sub-command.
func NewFlagSet(name, usage string, getenv func(string) string, stderr io.Writer) *FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: observatory %s\n\n%s\n\nFlags (each also read from OBSERVATORY_<NAME>):\n", name, usage)
		fs.PrintDefaults()
	}
	if getenv == nil {
		getenv = os.Getenv
	}
	return &FlagSet{FlagSet: fs, getenv: getenv}
}

// EnvName is the environment variable that backs a flag.
func EnvName(flagName string) string {
	return "OBSERVATORY_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

func (f *FlagSet) env(name, def string) string {
	if v := f.getenv(EnvName(name)); v != "" {
		return v
	}
	return def
}

// String defines a string flag whose default comes from the environment.
func (f *FlagSet) String(name, def, usage string) *string {
	return f.FlagSet.String(name, f.env(name, def), usage)
}

// Int defines an int flag whose default comes from the environment.
func (f *FlagSet) Int(name string, def int, usage string) *int {
	v := def
	if s := f.getenv(EnvName(name)); s != "" {
		fmt.Sscan(s, &v)
	}
	return f.FlagSet.Int(name, v, usage)
}

// Bool defines a bool flag whose default comes from the environment.
func (f *FlagSet) Bool(name string, def bool, usage string) *bool {
	v := def
	switch strings.ToLower(f.getenv(EnvName(name))) {
	case "1", "true", "yes":
		v = true
	case "0", "false", "no":
		v = false
	}
	return f.FlagSet.Bool(name, v, usage)
}

// DB defines the --db flag every database command takes.
func (f *FlagSet) DB() *string {
	return f.String("db", DefaultDB, "database URL: sqlite:PATH or postgres://user:pass@host/db")
}
