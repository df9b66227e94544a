package cluster

import (
	"context"
	"fmt"
	"html/template"
	"net/http"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// Industry is an ISIC class with its title, for the profile.
type Industry struct {
	Code  string
	Title string
}

// MemberRow is a membership with its words and dates already in the page's
// language: a large cluster lists hundreds of rows, and formatting them here
// costs a fraction of calling the same helpers from the template per cell.
type MemberRow struct {
	*Membership
	KindLabel   string
	CountryName string
	RoleLabel   string
	JoinedText  string
	LeftText    string
	EndLabel    string // the end form's label, naming the organisation
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
	Cluster      *Cluster
	CountryNames map[string]string
	Industries   []Industry
	Members      []MemberRow
	MembersTotal int
	MembersHTML  template.HTML // the members table, rendered from Members
	CurrentOnly  bool
	Kinds        []KindRow
	AddMember    AddMember
	EndID        int64 // the membership whose end form failed
	EndErrors    *web.FormErrors
	CanEdit      bool
	CanArchive   bool
	Today        string
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
	writable, err := s.CanWrite(ctx, actor, c.ID)
	if err != nil {
		rd.Error(w, r, err)
		return
	}
	d := &ShowData{Cluster: c, Today: Today(), CurrentOnly: r.URL.Query().Get("members") == "current", AddMember: newAddMember(c.ID, ""),
		CanEdit: writable && !c.Archived(), CanArchive: writable && MayArchive(actor)}
	if _, d.CountryNames, err = s.countryNames(ctx); err != nil {
		rd.Error(w, r, err)
		return
	}
	p := rd.NewPage(r, c.Name, d)
	p.Section = section
	p.Crumbs = clusterCrumbs(loc, c, d.CountryNames)
	build := func() error {
		titles, err := s.ISICTitles(ctx, c.Industries)
		if err != nil {
			return err
		}
		for _, code := range c.Industries {
			d.Industries = append(d.Industries, Industry{Code: code, Title: titles[code]})
		}
		kinds, err := s.MemberKinds(ctx, actor, c.ID)
		if err != nil {
			return err
		}
		for _, k := range kinds {
			d.Kinds = append(d.Kinds, KindRow{Label: orgKindLabel(loc, k.Kind), Count: k.Count})
		}
		// Candidates are listed with the page only when a failed add is
		// shown again, so the organisation chosen stays chosen; otherwise
		// they load on demand (see HandleMemberCandidates).
		if d.CanEdit && d.AddMember.Errors != nil {
			if err := s.loadCandidates(ctx, actor, c, &d.AddMember); err != nil {
				return err
			}
		}
		d.MembersHTML, err = s.membersTable(ctx, rd, p, loc)
		return err
	}
	if fill != nil {
		// A failed form is shown as it was sent, never from memory.
		fill(d)
		err = build()
	} else {
		// The profile's content is the same for everyone who reads it in
		// a language with the same rights, until the next write: keep it.
		// Rendering it (a few hundred member rows, escaped value by value)
		// was most of the page's cost.
		key := fmt.Sprintf("%d|%s|%t|%t|%s|%s|%v|%s", c.ID, p.Lang, d.CanEdit, d.CanArchive, d.Today, actor.Role, actor.Scope, r.URL.RawQuery)
		p.Content, err = s.profiles.Get(key, func() (template.HTML, error) {
			if err := build(); err != nil {
				return "", err
			}
			return rd.Fragment("cluster/show", "content", p)
		})
	}
	if err != nil {
		rd.Error(w, r, err)
		return
	}
	rd.Render(w, r, status, "cluster/show", p)
}

// membersTable renders the page's table of members.
func (s *Store) membersTable(ctx context.Context, rd *web.Renderer, p *web.Page, loc *i18n.Localizer) (template.HTML, error) {
	d := p.Data.(*ShowData)
	actor := user.ActorFrom(ctx)
	members, total, err := s.FindMemberships(ctx, actor, MembershipFilter{ClusterID: d.Cluster.ID, Current: d.CurrentOnly, Limit: membersShown})
	if err != nil {
		return "", err
	}
	d.MembersTotal = total
	d.Members = make([]MemberRow, 0, len(members))
	for _, m := range members {
		row := MemberRow{Membership: m, KindLabel: orgKindLabel(loc, m.OrganisationKind), RoleLabel: loc.T(m.Role.Key()),
			CountryName: d.CountryNames[m.OrganisationCountry], JoinedText: loc.Date(m.JoinedTime())}
		if row.CountryName == "" {
			row.CountryName = m.OrganisationCountry
		}
		if m.Left != nil {
			row.LeftText = loc.Date(m.LeftTime())
		} else {
			row.EndLabel = loc.T("cluster.left_on", "name", m.OrganisationName)
		}
		d.Members = append(d.Members, row)
	}
	return rd.Fragment("cluster/show", "cluster-members", p)
}
