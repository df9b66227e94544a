package main

import (
	"context"
	"fmt"
)

func runImport(ctx context.Context, args []string, e *env) error {
	fmt.Fprintln(e.stderr, "Usage: observatory import organisations|memberships --db URL --file F [--dry-run]")
	return errUsage
}
