package org

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/geo"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// AreaGroup is the areas of one country in the form's area select.
type AreaGroup struct {
	Country string // the country's name; "" when the select has only one country
	Areas   []*geo.Area
}

// FormData is the data of the form that registers or edits an organisation.
type FormData struct {
	Org             *Organisation // nil when registering
	In              Input
	FoundedYearText string
	Countries       []Country
	AreaGroups      []AreaGroup
	Kinds           []Kind
	SizeBands       []SizeBand
	ISICTitle       string // the title of the chosen class, when it is one
	Errors          *web.FormErrors
	Duplicate       *Organisation // the organisation a refused name clashes with
	DuplicateLink   bool          // the person may open the duplicate's profile
}

// Action is where the form posts.
func (d *FormData) Action() string {
	if d.Org == nil {
		return "/organisations"
	}
	return orgPath(d.Org.ID)
}

// AreasURL is where the page asks for the area select of another country.
func (d *FormData) AreasURL() string {
	if d.Org == nil {
		return "/organisations/new"
	}
	return orgPath(d.Org.ID) + "/edit"
}

// Cancel is where the cancel link goes.
func (d *FormData) Cancel() string {
	if d.Org == nil {
		return "/organisations"
	}
	return orgPath(d.Org.ID)
}

// AreaID is the chosen area, 0 for none.
func (d *FormData) AreaID() int64 {
	if d.In.AreaID == nil {
		return 0
	}
	return *d.In.AreaID
}

// formInput reads the posted form. A founding year that is not a number
// becomes -1 so that validation names the field; the text typed is
// returned to show it again.
func formInput(r *http.Request) (Input, string) {
	_ = r.ParseForm() // a malformed body leaves the form empty, which validation reports
	in := Input{
		Kind:           Kind(r.PostFormValue("kind")),
		Name:           r.PostFormValue("name"),
		Country:        r.PostFormValue("country"),
		ISIC:           r.PostFormValue("isic"),
		SizeBand:       SizeBand(r.PostFormValue("size_band")),
		WomenLed:       r.PostFormValue("women_led") != "",
		YouthLed:       r.PostFormValue("youth_led") != "",
		Website:        r.PostFormValue("website"),
		Email:          r.PostFormValue("email"),
		Phone:          r.PostFormValue("phone"),
		ContactName:    r.PostFormValue("contact_name"),
		Description:    r.PostFormValue("description"),
		AllowDuplicate: r.PostFormValue("allow_duplicate") != "",
	}
	if v, err := strconv.ParseInt(r.PostFormValue("area_id"), 10, 64); err == nil && v > 0 {
		in.AreaID = &v
	}
	year := strings.TrimSpace(r.PostFormValue("founded_year"))
	if year != "" {
		y, err := strconv.Atoi(year)
		if err != nil {
			y = -1
		}
		in.FoundedYear = &y
	}
	return in, year
}

// newFormData fills the choices of the form for the person.
func (s *Store) newFormData(r *http.Request, o *Organisation, in Input) (*FormData, error) {
	ctx := r.Context()
	loc := web.Localizer(r)
	d := &FormData{Org: o, In: in, Kinds: Kinds, SizeBands: SizeBands}
	if in.FoundedYear != nil {
		d.FoundedYearText = strconv.Itoa(*in.FoundedYear)
	}
	countries, names, err := s.countries(ctx, loc)
	if err != nil {
		return nil, err
	}
	all, allowed, err := creatableCountries(ctx, s.db.Read(), user.ActorFrom(ctx))
	if err != nil {
		return nil, err
	}
	for _, c := range countries {
		if all || allowed[c.ISO3] || c.ISO3 == in.Country || (o != nil && c.ISO3 == o.Country) {
			d.Countries = append(d.Countries, c)
		}
	}
	areas, err := geo.NewStore(s.db).FindAreas(ctx, "")
	if err != nil {
		return nil, err
	}
	for _, a := range areas {
		if in.Country != "" && a.Country != in.Country {
			continue
		}
		if n := len(d.AreaGroups); n == 0 || d.AreaGroups[n-1].Areas[0].Country != a.Country {
			d.AreaGroups = append(d.AreaGroups, AreaGroup{Country: names[a.Country]})
		}
		g := &d.AreaGroups[len(d.AreaGroups)-1]
		g.Areas = append(g.Areas, a)
	}
	if in.Country != "" && len(d.AreaGroups) == 1 {
		d.AreaGroups[0].Country = ""
	}
	if isicClass.MatchString(strings.TrimSpace(in.ISIC)) {
		if err := s.db.Read().QueryRowContext(ctx, `SELECT COALESCE(MAX(title), '') FROM isic_codes WHERE code = $1 AND level = 'class'`,
			strings.TrimSpace(in.ISIC)).Scan(&d.ISICTitle); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// renderForm shows the form, with the problems of a failed save when err is
// a validation problem or a duplicate; any other error gets the error page.
func (s *Store) renderForm(w http.ResponseWriter, r *http.Request, rd *web.Renderer, o *Organisation, in Input, year string, err error) {
	ctx := r.Context()
	d, ferr := s.newFormData(r, o, in)
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
		d.FoundedYearText = year
		var dup *DuplicateError
		if errors.As(err, &dup) {
			status = http.StatusConflict
			d.Duplicate = dup.Existing
			_, rerr := s.FindOrganisationByID(ctx, user.ActorFrom(ctx), dup.Existing.ID)
			d.DuplicateLink = rerr == nil
		}
	}
	loc := web.Localizer(r)
	var p *web.Page
	if o == nil {
		p = rd.NewPage(r, loc.T("org.new_title"), d)
		p.Crumbs = []web.Crumb{{Label: loc.T("common.region"), URL: "/"}, {Label: loc.T("org.list_title"), URL: "/organisations"},
			{Label: loc.T("org.new_title")}}
	} else {
		_, names, nerr := s.countries(ctx, loc)
		if nerr != nil {
			rd.Error(w, r, nerr)
			return
		}
		p = rd.NewPage(r, loc.T("org.edit_title", "name", o.Name), d)
		p.Crumbs = crumbs(loc, o, names[o.Country], web.Crumb{Label: loc.T("common.edit")})
	}
	p.Section = section
	rd.Render(w, r, status, "org/form", p)
}
