package user

import (
	"net/http"
	"strconv"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/web"
)

// maxAPIBody is the largest JSON body the account API reads.
const maxAPIBody = 16 << 10

// Account is an account as the API shows it: the user with the name of its
// scope's record and its status.
type Account struct {
	*User
	ScopeName string `json:"scope_name,omitempty"`
	Status    string `json:"status"`
}

// accountsOf wraps users with their scope names and statuses.
func (ac *Accounts) accountsOf(r *http.Request, users []*User) ([]Account, error) {
	scopes := make([]Scope, len(users))
	for i, u := range users {
		scopes[i] = u.Scope
	}
	names, err := ac.Store.ScopeNames(r.Context(), scopes)
	if err != nil {
		return nil, err
	}
	out := make([]Account, len(users))
	for i, u := range users {
		out[i] = Account{User: u, ScopeName: names[u.Scope.String()], Status: u.Status()}
	}
	return out, nil
}

// serveAPI answers anonymous callers with 401 and turns errors into
// problem details.
func (ac *Accounts) serveAPI(h func(w http.ResponseWriter, r *http.Request, actor Actor) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := ActorFrom(r.Context())
		if !actor.SignedIn() {
			web.APIError(w, r, ac.Logger, problem.New(problem.Unauthorized, "Sign in or send an API token: Authorization: Bearer <token>."))
			return
		}
		if err := h(w, r, actor); err != nil {
			web.APIError(w, r, ac.Logger, err)
		}
	})
}

// writeAccount answers with one account.
func (ac *Accounts) writeAccount(w http.ResponseWriter, r *http.Request, status int, u *User) error {
	list, err := ac.accountsOf(r, []*User{u})
	if err != nil {
		return err
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/users/"+strconv.FormatInt(u.ID, 10))
	}
	web.JSON(w, status, list[0])
	return nil
}

// HandleAPIMe answers GET /api/v1/me: the caller's own account.
func HandleAPIMe(ac *Accounts) http.Handler {
	return ac.serveAPI(func(w http.ResponseWriter, r *http.Request, actor Actor) error {
		u, err := ac.Store.FindUserByID(r.Context(), actor.UserID)
		if err != nil {
			return err
		}
		return ac.writeAccount(w, r, http.StatusOK, u)
	})
}

// HandleAPIUserList answers GET /api/v1/users (administrators): accounts
// filtered by role, status and q (name or email).
func HandleAPIUserList(ac *Accounts) http.Handler {
	return ac.serveAPI(func(w http.ResponseWriter, r *http.Request, actor Actor) error {
		if err := requireAdmin(actor); err != nil {
			return err
		}
		params := web.ParseList(r, "name", 50)
		q := r.URL.Query()
		f := UserFilter{Query: params.Query, Role: Role(q.Get("role")), Status: q.Get("status"), Limit: params.PerPage, Offset: params.Offset()}
		var fs problem.Fields
		if f.Role != "" && !f.Role.Valid() {
			fs.Add("role", "Unknown role %q: use admin, programme_officer, bso_staff, cluster_manager, reviewer or country_coordinator.", f.Role)
		}
		if f.Status != "" && f.Status != StatusActive && f.Status != StatusInvited && f.Status != StatusDisabled {
			fs.Add("status", "Unknown status %q: use active, invited or disabled.", f.Status)
		}
		if err := fs.Err(); err != nil {
			return err
		}
		users, total, err := ac.Store.SearchUsers(r.Context(), f)
		if err != nil {
			return err
		}
		items, err := ac.accountsOf(r, users)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, web.NewListResponse(items, total, params))
		return nil
	})
}

// HandleAPIUserGet answers GET /api/v1/users/{id} (administrators).
func HandleAPIUserGet(ac *Accounts) http.Handler {
	return ac.serveAPI(func(w http.ResponseWriter, r *http.Request, actor Actor) error {
		if err := requireAdmin(actor); err != nil {
			return err
		}
		id, err := web.ParseID(r.PathValue("id"))
		if err != nil {
			return err
		}
		u, err := ac.Store.FindUserByID(r.Context(), id)
		if err != nil {
			return err
		}
		return ac.writeAccount(w, r, http.StatusOK, u)
	})
}

// UserInput is the body of POST /api/v1/users.
type UserInput struct {
	Email  string `json:"email"`
	Name   string `json:"name"`
	Role   Role   `json:"role"`
	Scope  string `json:"scope"`
	Locale string `json:"locale"`
}

// HandleAPIUserCreate answers POST /api/v1/users (administrators): it
// creates the account without a password and emails the invitation link.
func HandleAPIUserCreate(ac *Accounts) http.Handler {
	return ac.serveAPI(func(w http.ResponseWriter, r *http.Request, actor Actor) error {
		if err := requireAdmin(actor); err != nil {
			return err
		}
		var in UserInput
		if err := web.DecodeJSON(w, r, &in, maxAPIBody); err != nil {
			return err
		}
		sc, err := ParseScope(in.Scope)
		if err != nil {
			var fs problem.Fields
			fs.Add("scope", "%s", err.Error())
			return fs.Err()
		}
		inv, err := ac.Invite(r.Context(), actor, NewUser{Email: in.Email, Name: in.Name, Role: in.Role, Scope: sc}, in.Locale)
		if err != nil {
			return err
		}
		return ac.writeAccount(w, r, http.StatusCreated, inv.User)
	})
}

// HandleAPIUserDisable answers POST /api/v1/users/{id}/disable.
func HandleAPIUserDisable(ac *Accounts) http.Handler { return apiSetDisabled(ac, true) }

// HandleAPIUserEnable answers POST /api/v1/users/{id}/enable.
func HandleAPIUserEnable(ac *Accounts) http.Handler { return apiSetDisabled(ac, false) }

func apiSetDisabled(ac *Accounts, disabled bool) http.Handler {
	return ac.serveAPI(func(w http.ResponseWriter, r *http.Request, actor Actor) error {
		if err := requireAdmin(actor); err != nil {
			return err
		}
		id, err := web.ParseID(r.PathValue("id"))
		if err != nil {
			return err
		}
		u, err := ac.SetAccountDisabled(r.Context(), actor, id, disabled)
		if err != nil {
			return err
		}
		return ac.writeAccount(w, r, http.StatusOK, u)
	})
}
