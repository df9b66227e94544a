package cluster

import (
	"context"
	"net/http"
	"strings"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// candidateLimit is how many organisations the add-member list offers at a
// time; one more is read to know whether the list was cut.
const candidateLimit = 200

// AddMember is the add-member panel's data: the search, the organisations
// it found, and what was typed in the form.
type AddMember struct {
	ClusterID  int64
	Query      string
	Candidates []OrgOption
	Loaded     bool // whether Candidates holds a search's result
	More       bool // whether the search found more than Limit
	Limit      int
	Form       MemberForm
	Errors     *web.FormErrors
	Roles      []Role
	Today      string
}

func newAddMember(clusterID int64, query string) AddMember {
	today := Today()
	return AddMember{ClusterID: clusterID, Query: strings.TrimSpace(query), Limit: candidateLimit,
		Form: MemberForm{Role: RoleMember, Joined: today}, Roles: Roles, Today: today}
}

// loadCandidates fills a's candidates from its query.
func (s *Store) loadCandidates(ctx context.Context, actor user.Actor, c *Cluster, a *AddMember) error {
	found, err := s.MemberCandidates(ctx, actor, c, a.Query, candidateLimit+1)
	if err != nil {
		return err
	}
	if len(found) > candidateLimit {
		found, a.More = found[:candidateLimit], true
	}
	a.Candidates, a.Loaded = found, true
	return nil
}

// CandidatesData is the add-member page's data.
type CandidatesData struct {
	Cluster   *Cluster
	AddMember AddMember
}

// HandleMemberCandidates lists the organisations that could join a cluster,
// filtered by ?member_q=. To htmx it answers with the options of the
// profile's organisation select; otherwise it is a page with the add-member
// form, so the search works without JavaScript.
func HandleMemberCandidates(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		actor := user.ActorFrom(ctx)
		id, err := pathID(r, "id")
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		c, err := s.FindClusterByID(ctx, actor, id)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		// Only someone who may add members sees who could be added.
		writable, err := s.CanWrite(ctx, actor, c.ID)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		if !writable {
			rd.Error(w, r, problem.Forbiddenf(""))
			return
		}
		if c.Archived() {
			rd.Error(w, r, problem.Conflictf("%s is archived; restore it before adding members.", c.Name))
			return
		}
		d := &CandidatesData{Cluster: c, AddMember: newAddMember(c.ID, r.URL.Query().Get("member_q"))}
		if err := s.loadCandidates(ctx, actor, c, &d.AddMember); err != nil {
			rd.Error(w, r, err)
			return
		}
		_, names, err := s.countryNames(ctx)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		loc := web.Localizer(r)
		p := rd.NewPage(r, loc.T("cluster.add_member_to", "name", c.Name), d)
		p.Section = section
		p.Crumbs = clusterCrumbs(loc, c, names, web.Crumb{Label: loc.T("cluster.add_member")})
		rd.Render(w, r, http.StatusOK, "cluster/candidates", p)
	})
}
