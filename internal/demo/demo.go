// Package demo generates the demonstration region.
package demo

import (
	"context"
	"errors"

	"github.com/clusterobservatory/observatory/internal/db"
)

// Account is a demo sign-in printed at start.
type Account struct {
	Email, Name, Role, Scope, Password string
}

// Result says what was generated.
type Result struct {
	Accounts []Account
	Counts   map[string]int
}

// Generate fills an empty database with the demo region.
func Generate(ctx context.Context, d *db.DB, scale int) (*Result, error) {
	return nil, errors.New("demo generator not built yet")
}
