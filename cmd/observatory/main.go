// Command observatory runs Cluster Observatory: the web application and API,
// and the commands that manage its database.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		if err != errUsage {
			fmt.Fprintln(os.Stderr, "observatory:", err)
		}
		os.Exit(1)
	}
}

const usage = `Cluster Observatory: run and measure cluster development programmes.

Usage: observatory <command> [flags]

Commands:
  serve     run the web application and API (migrates the database first)
  migrate   bring the database schema up to date
  demo      fill an empty database with the demonstration region
  user      manage accounts (user create)
  token     manage API tokens (token create)
  import    bulk-import organisations, memberships, employment data or cluster definitions
  map       write cluster mapping figures (LQs, growth, classifications) as CSV or JSON
  backup    write a consistent copy of the database

Run "observatory <command> --help" for a command's flags. Every flag can also
be set with an environment variable OBSERVATORY_<FLAG>, e.g. OBSERVATORY_DB.
`

type command func(ctx context.Context, args []string, env *env) error

// env is what every command may use: the environment and standard streams.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

var commands = map[string]command{
	"serve":   runServe,
	"migrate": runMigrate,
	"demo":    runDemo,
	"user":    runUser,
	"token":   runToken,
	"import":  runImport,
	"map":     runMap,
	"backup":  runBackup,
}

// run is the whole program, callable from tests.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := &env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "observatory: unknown command %q\n\n%s", args[0], usage)
		return errUsage
	}
	return cmd(ctx, args[1:], e)
}
