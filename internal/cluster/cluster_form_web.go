package cluster

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// FormData is the data of the form that creates or edits a cluster initiative.
type FormData struct {
	Cluster         *Cluster // nil when creating
	In              Input
	IndustriesText  string
	StartedYearText string
	Countries       []Country
	LeadBSOs        []OrgOption
	ClusterOrgs     []OrgOption
	LeadFixed       bool // the person may not change the lead BSO
	Sectors         []Sector
	Stages          []Stage
	Errors          *web.FormErrors
}

// Action is where the form posts.
func (d *FormData) Action() string {
	if d.Cluster == nil {
		return "/clusters"
	}
	return clusterPath(d.Cluster.ID)
}

// ClusterOrgID is the chosen cluster organisation, 0 for none.
func (d *FormData) ClusterOrgID() int64 {
	if d.In.ClusterOrgID == nil {
		return 0
	}
	return *d.In.ClusterOrgID
}

// LeadBSOName names the lead BSO when it cannot be changed.
func (d *FormData) LeadBSOName() string {
	for _, o := range d.LeadBSOs {
		if o.ID == d.In.LeadBSOID {
			return o.Name
		}
	}
	if d.Cluster != nil {
		return d.Cluster.LeadBSOName
	}
	return ""
}

// formInput reads the posted form. A start year that is not a number
// becomes -1 so that validation names the field.
func formInput(r *http.Request) (Input, string, string) {
	_ = r.ParseForm() // a malformed body leaves the form empty, which validation reports
	in := Input{
		Name:        r.PostFormValue("name"),
		Countries:   r.PostForm["countries"],
		Sector:      Sector(r.PostFormValue("sector")),
		ValueChain:  r.PostFormValue("value_chain"),
		Industries:  SplitCodes(r.PostFormValue("industries")),
		Description: r.PostFormValue("description"),
		Stage:       Stage(r.PostFormValue("stage")),
		Facilitator: r.PostFormValue("facilitator"),
	}
	in.LeadBSOID, _ = strconv.ParseInt(r.PostFormValue("lead_bso_id"), 10, 64)
	if v, err := strconv.ParseInt(r.PostFormValue("cluster_org_id"), 10, 64); err == nil && v > 0 {
		in.ClusterOrgID = &v
	}
	year := strings.TrimSpace(r.PostFormValue("started_year"))
	if year != "" {
		y, err := strconv.Atoi(year)
		if err != nil {
			y = -1
		}
		in.StartedYear = &y
	}
	return in, r.PostFormValue("industries"), year
}

// newFormData fills the choices of the form for the actor.
func (s *Store) newFormData(r *http.Request, c *Cluster, in Input) (*FormData, error) {
	ctx := r.Context()
	actor := user.ActorFrom(ctx)
	d := &FormData{Cluster: c, In: in, Sectors: Sectors, Stages: Stages,
		IndustriesText: strings.Join(in.Industries, ", ")}
	if in.StartedYear != nil {
		d.StartedYearText = strconv.Itoa(*in.StartedYear)
	}
	var current, org int64
	if c != nil {
		current = c.LeadBSOID
		d.LeadFixed = !actor.IsAdmin()
		if c.ClusterOrgID != nil {
			org = *c.ClusterOrgID
		}
	}
	var err error
	if d.Countries, err = s.Countries(ctx); err != nil {
		return nil, err
	}
	if d.LeadBSOs, err = s.LeadBSOOptions(ctx, actor, current); err != nil {
		return nil, err
	}
	if d.ClusterOrgs, err = s.ClusterOrgOptions(ctx, actor, org); err != nil {
		return nil, err
	}
	return d, nil
}

// renderForm shows the form, with the problems of a failed save when err is
// a validation problem; any other error gets the error page.
func (s *Store) renderForm(w http.ResponseWriter, r *http.Request, rd *web.Renderer, c *Cluster, in Input, industries, year string, err error) {
	d, ferr := s.newFormData(r, c, in)
	if ferr != nil {
		rd.Error(w, r, ferr)
		return
	}
	status := http.StatusOK
	if err != nil {
		if d.Errors = web.NewFormErrors(err); d.Errors == nil {
			rd.Error(w, r, err)
			return
		}
		status = http.StatusUnprocessableEntity
		d.IndustriesText, d.StartedYearText = industries, year
	}
	loc := web.Localizer(r)
	var p *web.Page
	if c == nil {
		p = rd.NewPage(r, loc.T("cluster.new_title"), d)
		p.Crumbs = []web.Crumb{{Label: loc.T("common.region"), URL: "/"}, {Label: loc.T("cluster.list_title"), URL: "/clusters"},
			{Label: loc.T("cluster.new_title")}}
	} else {
		_, names, nerr := s.countryNames(r.Context())
		if nerr != nil {
			rd.Error(w, r, nerr)
			return
		}
		p = rd.NewPage(r, loc.T("cluster.edit_title", "name", c.Name), d)
		p.Crumbs = clusterCrumbs(loc, c, names, web.Crumb{Label: loc.T("common.edit")})
	}
	p.Section = section
	rd.Render(w, r, status, "cluster/form", p)
}
