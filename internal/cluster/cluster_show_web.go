package cluster

import (
	"net/http"

	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// Industry is an ISIC class with its title, for the profile.
type Industry struct {
	Code  string
	Title string
}

// MemberRow is a membership with its organisation kind in words.
type MemberRow struct {
	*Membership
	KindLabel string
}

// KindRow is one bar of the members-by-kind chart.
type KindRow struct {
	Label string
	Count int
}

// MemberForm keeps what was typed in the add-member form.
type MemberForm struct {
	OrganisationID int64
	Role           Role
	Joined         string
}

// ShowData is the cluster profile's data.
type ShowData struct {
	Cluster        *Cluster
	CountryNames   map[string]string
	Industries     []Industry
	Members        []MemberRow
	MembersTotal   int
	CurrentOnly    bool
	Kinds          []KindRow
	Candidates     []OrgOption
	CandidateQuery string
	Add            MemberForm
	AddErrors      *web.FormErrors
	EndID          int64 // the membership whose end form failed
	EndErrors      *web.FormErrors
	CanEdit        bool
	CanArchive     bool
	Roles          []Role
	Today          string
}

// membersShown is how many memberships the profile lists; larger clusters
// page through the API or the organisation pages.
const membersShown = 500

// HandleClusterShow shows a cluster initiative's profile and members.
func HandleClusterShow(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderShow(w, r, rd, http.StatusOK, nil)
	})
}

// renderShow renders the profile; with fill, a failed member form is shown
// again with its problems.
func (s *Store) renderShow(w http.ResponseWriter, r *http.Request, rd *web.Renderer, status int, fill func(d *ShowData)) {
	ctx := r.Context()
	actor := user.ActorFrom(ctx)
	loc := web.Localizer(r)
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
	d := &ShowData{Cluster: c, Roles: Roles, Today: Today(), CurrentOnly: r.URL.Query().Get("members") == "current",
		CandidateQuery: r.URL.Query().Get("member_q"), Add: MemberForm{Role: RoleMember, Joined: Today()}}
	if _, d.CountryNames, err = s.countryNames(ctx); err != nil {
		rd.Error(w, r, err)
		return
	}
	titles, err := s.ISICTitles(ctx, c.Industries)
	if err != nil {
		rd.Error(w, r, err)
		return
	}
	for _, code := range c.Industries {
		d.Industries = append(d.Industries, Industry{Code: code, Title: titles[code]})
	}
	members, total, err := s.FindMemberships(ctx, actor, MembershipFilter{ClusterID: c.ID, Current: d.CurrentOnly, Limit: membersShown})
	if err != nil {
		rd.Error(w, r, err)
		return
	}
	d.MembersTotal = total
	for _, m := range members {
		d.Members = append(d.Members, MemberRow{Membership: m, KindLabel: orgKindLabel(loc, m.OrganisationKind)})
	}
	kinds, err := s.MemberKinds(ctx, actor, c.ID)
	if err != nil {
		rd.Error(w, r, err)
		return
	}
	for _, k := range kinds {
		d.Kinds = append(d.Kinds, KindRow{Label: orgKindLabel(loc, k.Kind), Count: k.Count})
	}
	writable, err := s.CanWrite(ctx, actor, c.ID)
	if err != nil {
		rd.Error(w, r, err)
		return
	}
	d.CanEdit = writable && !c.Archived()
	d.CanArchive = writable && MayArchive(actor)
	if fill != nil {
		fill(d)
	}
	if d.CanEdit {
		if d.Candidates, err = s.MemberCandidates(ctx, actor, c, d.CandidateQuery, 200); err != nil {
			rd.Error(w, r, err)
			return
		}
	}
	p := rd.NewPage(r, c.Name, d)
	p.Section = section
	p.Crumbs = clusterCrumbs(loc, c, d.CountryNames)
	rd.Render(w, r, status, "cluster/show", p)
}
