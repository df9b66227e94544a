package user

import (
	"context"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/internal/problem"
)

// Role is what a person does on the platform.
type Role string

// The roles.
const (
	Admin              Role = "admin"
	ProgrammeOfficer   Role = "programme_officer"
	BSOStaff           Role = "bso_staff"
	ClusterManager     Role = "cluster_manager"
	Reviewer           Role = "reviewer"
	CountryCoordinator Role = "country_coordinator"
)

// Roles lists every role in the order forms show them.
var Roles = []Role{Admin, ProgrammeOfficer, BSOStaff, ClusterManager, Reviewer, CountryCoordinator}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// ScopeKind is the kind of record a role's scope points at.
type ScopeKind string

// The scope kinds.
const (
	ScopeNone      ScopeKind = ""
	ScopeBSO       ScopeKind = "bso"
	ScopeCluster   ScopeKind = "cluster"
	ScopeCountry   ScopeKind = "country"
	ScopeProgramme ScopeKind = "programme"
)

// Scope limits a role to one BSO, cluster initiative, country or programme.
type Scope struct {
	Kind ScopeKind
	ID   string
}

func (s Scope) String() string {
	if s.Kind == ScopeNone {
		return ""
	}
	return string(s.Kind) + ":" + s.ID
}

// IntID is the scope's ID as a number (BSO, cluster and programme scopes).
func (s Scope) IntID() int64 {
	n, _ := strconv.ParseInt(s.ID, 10, 64)
	return n
}

// ParseScope reads "KIND:ID".
func ParseScope(s string) (Scope, error) {
	if s == "" {
		return Scope{}, nil
	}
	kind, id, ok := strings.Cut(s, ":")
	if !ok || id == "" {
		return Scope{}, fmt.Errorf("scope %q: want KIND:ID, e.g. bso:12, cluster:5, country:JAM", s)
	}
	sc := Scope{Kind: ScopeKind(kind), ID: id}
	switch sc.Kind {
	case ScopeBSO, ScopeCluster, ScopeProgramme:
		if n, err := strconv.ParseInt(id, 10, 64); err != nil || n <= 0 {
			return Scope{}, fmt.Errorf("scope %q: the ID must be a positive number", s)
		}
	case ScopeCountry:
		sc.ID = strings.ToUpper(id)
		if len(sc.ID) != 3 {
			return Scope{}, fmt.Errorf("scope %q: a country is its ISO 3166-1 alpha-3 code", s)
		}
	default:
		return Scope{}, fmt.Errorf("scope %q: unknown kind %q (bso, cluster, country, programme)", s, kind)
	}
	return sc, nil
}

// RequiredScope is the scope kind a role must have ("" when none).
func RequiredScope(r Role) ScopeKind {
	switch r {
	case BSOStaff:
		return ScopeBSO
	case ClusterManager:
		return ScopeCluster
	case CountryCoordinator:
		return ScopeCountry
	}
	return ScopeNone
}

// User is an account.
type User struct {
	ID          int64     `json:"id"`
	Email       string    `json:"email"`
	Name        string    `json:"name"`
	Role        Role      `json:"role"`
	Scope       Scope     `json:"-"`
	ScopeText   string    `json:"scope,omitempty"`
	Locale      string    `json:"locale,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	LastLoginAt time.Time `json:"last_login_at,omitzero"`
	DisabledAt  time.Time `json:"disabled_at,omitzero"`
	HasPassword bool      `json:"has_password"`
}

// Actor is who performs an action: what stores use to scope queries and
// what the audit log records.
type Actor struct {
	UserID int64
	Name   string
	Role   Role
	Scope  Scope
}

// Actor returns the user as an actor.
func (u *User) Actor() Actor { return Actor{UserID: u.ID, Name: u.Name, Role: u.Role, Scope: u.Scope} }

// System is the actor for command-line and start-up work.
var System = Actor{Name: "system", Role: Admin}

// Anonymous is the actor of a visitor who is not signed in.
var Anonymous = Actor{}

// SignedIn reports whether the actor is a person or the system.
func (a Actor) SignedIn() bool { return a.Role != "" }

// IsAdmin reports whether the actor may do everything.
func (a Actor) IsAdmin() bool { return a.Role == Admin }

// Label names the actor in the audit log.
func (a Actor) Label() string {
	if a.UserID == 0 {
		return a.Name
	}
	return fmt.Sprintf("%s (#%d)", a.Name, a.UserID)
}

type actorKey struct{}

// WithActor stores the actor in a context.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor of a context (Anonymous when none).
func ActorFrom(ctx context.Context) Actor {
	a, _ := ctx.Value(actorKey{}).(Actor)
	return a
}

// NewUser is what creating an account needs.
type NewUser struct {
	Email    string
	Name     string
	Role     Role
	Scope    Scope
	Password string // empty: the person sets it through an invitation link
}

// Validate checks a new account's fields.
func (n *NewUser) Validate() error {
	var f problem.Fields
	n.Email = strings.ToLower(strings.TrimSpace(n.Email))
	n.Name = strings.TrimSpace(n.Name)
	if a, err := mail.ParseAddress(n.Email); err != nil || a.Address != n.Email {
		f.Add("email", "Enter a valid email address.")
	}
	if n.Name == "" {
		f.Add("name", "Enter the person's name.")
	}
	if !n.Role.Valid() {
		f.Add("role", "Choose a role: admin, programme_officer, bso_staff, cluster_manager, reviewer or country_coordinator.")
	} else if need := RequiredScope(n.Role); need != ScopeNone && n.Scope.Kind != need {
		f.Add("scope", "The role %s needs a scope %s:ID.", n.Role, need)
	} else if need == ScopeNone && n.Role != ProgrammeOfficer && n.Role != Reviewer && n.Scope.Kind != ScopeNone {
		f.Add("scope", "The role %s takes no scope.", n.Role)
	}
	if n.Password != "" {
		if msg := PasswordProblem(n.Password); msg != "" {
			f.Add("password", "%s", msg)
		}
	}
	return f.Err()
}

// PasswordProblem says what is wrong with a new password, or "".
func PasswordProblem(pw string) string {
	if len([]rune(pw)) < 10 {
		return "Use at least 10 characters."
	}
	if len(pw) > 256 {
		return "Use at most 256 characters."
	}
	return ""
}
