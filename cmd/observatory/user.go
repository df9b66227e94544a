package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/user"
)

func runUser(ctx context.Context, args []string, e *env) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(e.stderr, "Usage: observatory user create --email E --name N --role ROLE [--scope KIND:ID] --password-stdin")
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			return nil
		}
		return errUsage
	}
	fs := e.flags("user create --email E --name N --role ROLE [--scope KIND:ID] --password-stdin",
		"Creates an account. Roles: admin, programme_officer, bso_staff (scope bso:ORG_ID), cluster_manager (scope cluster:ID),\n"+
			"reviewer, country_coordinator (scope country:ISO3). The password is read from standard input.")
	dbURL := fs.DB()
	email := fs.String("email", "", "email address (the sign-in name)")
	name := fs.String("name", "", "the person's name")
	role := fs.String("role", "", "role")
	scope := fs.String("scope", "", "scope KIND:ID, for roles that need one")
	pwStdin := fs.Bool("password-stdin", false, "read the password from standard input (first line)")
	if ok, err := parse(fs, args[1:]); !ok {
		return err
	}
	sc, err := user.ParseScope(*scope)
	if err != nil {
		return err
	}
	n := user.NewUser{Email: *email, Name: *name, Role: user.Role(*role), Scope: sc}
	if *pwStdin {
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("--password-stdin: no password on standard input")
		}
		n.Password = strings.TrimRight(line, "\r\n")
		if n.Password == "" {
			return fmt.Errorf("--password-stdin: the password is empty")
		}
	}
	d, err := openDB(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer d.Close()
	store := user.NewStore(d)
	var u *user.User
	err = d.Tx(ctx, func(tx *sql.Tx) error {
		if err := checkScopeTarget(ctx, tx, sc); err != nil {
			return err
		}
		if u, err = store.CreateUser(ctx, tx, n); err != nil {
			return err
		}
		return audit.Record(ctx, tx, user.System, "create", "user", u.ID, nil, u)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "created account #%d %s (%s%s)\n", u.ID, u.Email, u.Role, scopeSuffix(u.Scope))
	if !*pwStdin {
		fmt.Fprintln(e.stdout, "No password was set: send an invitation from the Administration page.")
	}
	return nil
}

func scopeSuffix(s user.Scope) string {
	if s.Kind == "" {
		return ""
	}
	return ", " + s.String()
}

// checkScopeTarget makes sure the record a scope points at exists.
func checkScopeTarget(ctx context.Context, tx *sql.Tx, sc user.Scope) error {
	var q string
	switch sc.Kind {
	case user.ScopeBSO:
		q = `SELECT COUNT(*) FROM organisations WHERE id = $1 AND kind = 'bso'`
	case user.ScopeCluster:
		q = `SELECT COUNT(*) FROM clusters WHERE id = $1`
	case user.ScopeCountry:
		q = `SELECT COUNT(*) FROM countries WHERE iso3 = $1`
	default:
		return nil
	}
	var n int
	var arg any = sc.ID
	if sc.Kind != user.ScopeCountry {
		arg = sc.IntID()
	}
	if err := tx.QueryRowContext(ctx, q, arg).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("scope %s: no such %s", sc, sc.Kind)
	}
	return nil
}
