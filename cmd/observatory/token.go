package main

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/user"
)

func runToken(ctx context.Context, args []string, e *env) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(e.stderr, "Usage: observatory token create --email E [--name LABEL]")
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			return nil
		}
		return errUsage
	}
	fs := e.flags("token create --email E [--name LABEL]",
		"Creates an API bearer token for an account and prints it as the last line. It is shown only once.")
	dbURL := fs.DB()
	email := fs.String("email", "", "the account's email")
	name := fs.String("name", "cli", "a label to recognise the token by")
	if ok, err := parse(fs, args[1:]); !ok {
		return err
	}
	d, err := openDB(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer d.Close()
	store := user.NewStore(d)
	u, err := store.FindUserByEmail(ctx, *email)
	if err != nil {
		return err
	}
	if !u.DisabledAt.IsZero() {
		return fmt.Errorf("the account %s is disabled", u.Email)
	}
	var secret string
	err = d.Tx(ctx, func(tx *sql.Tx) error {
		t, s, err := store.CreateAPIToken(ctx, tx, u.ID, *name)
		if err != nil {
			return err
		}
		secret = s
		return audit.Record(ctx, tx, user.System, "create", "api_token", t.ID, nil, t)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "API token %q for %s (send it as: Authorization: Bearer <token>):\n", *name, u.Email)
	fmt.Fprintln(e.stdout, secret)
	return nil
}
