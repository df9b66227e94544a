package demo

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/user"
)

// The demo accounts' passwords are fixed and printed: the data is public
// demonstration data, never a production database.
const (
	passwordAdmin       = "demo-admin-2026"
	passwordOfficer     = "demo-officer-2026"
	passwordBSO         = "demo-bso-2026"
	passwordManager     = "demo-manager-2026"
	passwordCoordinator = "demo-country-2026"
	passwordReviewer    = "demo-reviewer-2026"
)

// createAccounts makes the accounts of every role. The two BSO accounts
// belong to the BSOs leading most initiatives in Jamaica and in Saint
// Lucia, the cluster manager runs the largest implementing initiative of
// the Jamaican BSO, the country coordinator covers Barbados, and three
// reviewers form the programme's panel.
func (g *gen) createAccounts(ctx context.Context, tx *sql.Tx, d *db.DB) ([]Account, error) {
	bsoJAM, bsoLCA := g.busiestBSO("JAM"), g.busiestBSO("LCA")
	managed := g.managedCluster(bsoJAM)
	coordinated := "BRB"
	if g.byISO[coordinated] == nil {
		coordinated = g.countries[0].iso3
	}
	specs := []struct {
		email, name string
		role        user.Role
		scope       user.Scope
		password    string
	}{
		{"admin@demo.example.org", "Avery Thompson", user.Admin, user.Scope{}, passwordAdmin},
		{"officer@demo.example.org", "Nadine Baptiste", user.ProgrammeOfficer, user.Scope{}, passwordOfficer},
		{"bso.jamaica@demo.example.org", "Marlon Whyte", user.BSOStaff, orgScope(bsoJAM), passwordBSO},
		{"bso.saintlucia@demo.example.org", "Kezia Joseph", user.BSOStaff, orgScope(bsoLCA), passwordBSO},
		{"manager@demo.example.org", "Shanice Clarke", user.ClusterManager, clusterScope(managed), passwordManager},
		{"coordinator@demo.example.org", "Ryan Holder", user.CountryCoordinator, user.Scope{Kind: user.ScopeCountry, ID: coordinated}, passwordCoordinator},
		{"reviewer@demo.example.org", "Isabel Martínez", user.Reviewer, user.Scope{}, passwordReviewer},
		{"reviewer2@demo.example.org", "Desmond Greaves", user.Reviewer, user.Scope{}, passwordReviewer},
		{"reviewer3@demo.example.org", "Anneliese Tjon", user.Reviewer, user.Scope{}, passwordReviewer},
	}
	store := user.NewStore(d)
	var out []Account
	for _, s := range specs {
		if s.scope.Kind == user.ScopeNone && user.RequiredScope(s.role) != user.ScopeNone {
			continue // the region lacks the country this account is scoped to
		}
		u, err := store.CreateUser(ctx, tx, user.NewUser{Email: s.email, Name: s.name, Role: s.role, Scope: s.scope, Password: s.password})
		if err != nil {
			return nil, fmt.Errorf("demo account %s: %w", s.email, err)
		}
		out = append(out, Account{Email: u.Email, Name: u.Name, Role: string(u.Role), Scope: u.Scope.String(), Password: s.password})
	}
	return out, nil
}

// busiestBSO is the BSO of a country that leads the most initiatives.
func (g *gen) busiestBSO(iso string) *org {
	c := g.byISO[iso]
	if c == nil {
		return nil
	}
	led := map[int64]int{}
	for _, k := range g.clusters {
		led[k.lead.id]++
	}
	var best *org
	for _, b := range c.bsos {
		if best == nil || led[b.id] > led[best.id] {
			best = b
		}
	}
	return best
}

// managedCluster is the largest initiative the BSO leads, preferring one
// being implemented.
func (g *gen) managedCluster(bso *org) *cluster {
	var best *cluster
	score := func(k *cluster) int {
		s := k.target
		if k.stage == "implementing" {
			s += 1000
		}
		return s
	}
	for _, k := range g.clusters {
		if (bso == nil || k.lead == bso) && (best == nil || score(k) > score(best)) {
			best = k
		}
	}
	return best
}

func orgScope(o *org) user.Scope {
	if o == nil {
		return user.Scope{}
	}
	return user.Scope{Kind: user.ScopeBSO, ID: strconv.FormatInt(o.id, 10)}
}

func clusterScope(k *cluster) user.Scope {
	if k == nil {
		return user.Scope{}
	}
	return user.Scope{Kind: user.ScopeCluster, ID: strconv.FormatInt(k.id, 10)}
}

// AccountsTable formats the accounts as the command line prints them.
func AccountsTable(accounts []Account) string {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "EMAIL\tROLE\tSCOPE\tPASSWORD")
	for _, a := range accounts {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", a.Email, a.Role, a.Scope, a.Password)
	}
	tw.Flush()
	return strings.TrimRight(b.String(), "\n")
}
