package programme

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// ListData is the programme list's data.
type ListData struct {
	Items           []*Programme
	Total           int
	Page, Pages     int
	Query           string
	IncludeArchived bool
	CanCreate       bool
}

// HandleProgrammeList shows the programmes.
func HandleProgrammeList(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := user.ActorFrom(r.Context())
		params := web.ParseList(r, "name", perPage)
		archived := r.URL.Query().Get("archived") == "true"
		items, total, err := s.FindProgrammes(r.Context(), actor, ProgrammeFilter{Query: params.Query, IncludeArchived: archived,
			Limit: params.PerPage, Offset: params.Offset()})
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		d := &ListData{Items: items, Total: total, Page: params.Page, Pages: params.Pages(total), Query: params.Query,
			IncludeArchived: archived, CanCreate: MayCreateProgramme(actor)}
		loc := web.Localizer(r)
		p := rd.NewPage(r, loc.T("programme.list_title"), d)
		p.Section = section
		p.Crumbs = programmeCrumbs(loc, nil)
		rd.Render(w, r, http.StatusOK, "programme/list", p)
	})
}

// CallRow is a call in the programme page's table.
type CallRow struct {
	Call   *Call
	Opens  Moment
	Closes Moment
}

// ShowData is the programme page's data.
type ShowData struct {
	Programme    *Programme
	Countries    []string // names in the page's language
	Calls        []CallRow
	CanEdit      bool
	CanAddCall   bool
	CanArchive   bool
	CanRestore   bool
	StartsOnTime string
	EndsOnTime   string
}

// HandleProgrammeShow shows a programme and its calls.
func HandleProgrammeShow(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		actor := user.ActorFrom(ctx)
		loc := web.Localizer(r)
		id, err := pathID(r, "id")
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		pr, err := s.FindProgrammeByID(ctx, actor, id)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		calls, _, err := s.FindCalls(ctx, actor, CallFilter{ProgrammeID: id, IncludeArchived: true, Limit: 500})
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		names, _, err := countryNames(ctx, s, loc, nil)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		editable := MayEdit(actor, id)
		d := &ShowData{Programme: pr, CanEdit: editable && !pr.Archived(), CanAddCall: editable && !pr.Archived(),
			CanArchive: editable && !pr.Archived(), CanRestore: editable && pr.Archived()}
		for _, c := range pr.Countries {
			d.Countries = append(d.Countries, names[c])
		}
		for _, c := range calls {
			zone := c.Location()
			d.Calls = append(d.Calls, CallRow{Call: c, Opens: moment(loc, c.OpensAt, zone), Closes: moment(loc, c.ClosesAt, zone)})
		}
		if t, ok := parseDay(pr.StartsOn); ok && !t.IsZero() {
			d.StartsOnTime = loc.Date(t)
		}
		if t, ok := parseDay(pr.EndsOn); ok && !t.IsZero() {
			d.EndsOnTime = loc.Date(t)
		}
		p := rd.NewPage(r, pr.Name, d)
		p.Section = section
		p.Crumbs = programmeCrumbs(loc, pr)
		rd.Render(w, r, http.StatusOK, "programme/show", p)
	})
}

// FormData is the programme form's data.
type FormData struct {
	Programme *Programme // nil when starting one
	In        ProgrammeInput
	Funders   []FunderOption
	Countries []Country
	Errors    *web.FormErrors
}

// Action is where the form posts.
func (d *FormData) Action() string {
	if d.Programme == nil {
		return "/programmes"
	}
	return programmePath(d.Programme.ID)
}

// Cancel is where the cancel link goes.
func (d *FormData) Cancel() string {
	if d.Programme == nil {
		return "/programmes"
	}
	return programmePath(d.Programme.ID)
}

// Chosen reports whether a country is among the input's.
func (d *FormData) Chosen(iso3 string) bool {
	for _, c := range d.In.Countries {
		if c == iso3 {
			return true
		}
	}
	return false
}

func programmeFormInput(r *http.Request) ProgrammeInput {
	_ = r.ParseForm() // a malformed body leaves the form empty, which validation reports
	in := ProgrammeInput{
		Name:        r.PostFormValue("name"),
		Currency:    r.PostFormValue("currency"),
		Description: r.PostFormValue("description"),
		Countries:   r.PostForm["countries"],
		StartsOn:    r.PostFormValue("starts_on"),
		EndsOn:      r.PostFormValue("ends_on"),
	}
	in.FunderID, _ = strconv.ParseInt(strings.TrimSpace(r.PostFormValue("funder_id")), 10, 64)
	return in
}

func (s *Store) renderProgrammeForm(w http.ResponseWriter, r *http.Request, rd *web.Renderer, pr *Programme, in ProgrammeInput, err error) {
	ctx := r.Context()
	status, fe, ok := formStatus(err)
	if !ok {
		rd.Error(w, r, err)
		return
	}
	loc := web.Localizer(r)
	_, countries, cerr := countryNames(ctx, s, loc, in.Countries)
	if cerr != nil {
		rd.Error(w, r, cerr)
		return
	}
	funders, ferr := s.FindFunders(ctx)
	if ferr != nil {
		rd.Error(w, r, ferr)
		return
	}
	d := &FormData{Programme: pr, In: in, Funders: funders, Countries: countries, Errors: fe}
	var p *web.Page
	if pr == nil {
		p = rd.NewPage(r, loc.T("programme.new_title"), d)
		p.Crumbs = programmeCrumbs(loc, nil, web.Crumb{Label: loc.T("programme.new_title")})
	} else {
		p = rd.NewPage(r, loc.T("programme.edit_title", "name", pr.Name), d)
		p.Crumbs = programmeCrumbs(loc, pr, web.Crumb{Label: loc.T("common.edit")})
	}
	p.Section = section
	rd.Render(w, r, status, "programme/form", p)
}

// HandleProgrammeNew shows an empty programme form.
func HandleProgrammeNew(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !MayCreateProgramme(user.ActorFrom(r.Context())) {
			rd.Error(w, r, problem.Forbiddenf(""))
			return
		}
		s.renderProgrammeForm(w, r, rd, nil, ProgrammeInput{Currency: "USD"}, nil)
	})
}

// HandleProgrammeCreate starts a programme and shows it, or shows the form
// again with its problems.
func HandleProgrammeCreate(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := user.ActorFrom(r.Context())
		if !MayCreateProgramme(actor) {
			rd.Error(w, r, problem.Forbiddenf(""))
			return
		}
		in := programmeFormInput(r)
		pr, err := s.CreateProgramme(r.Context(), actor, in)
		if err != nil {
			s.renderProgrammeForm(w, r, rd, nil, in, err)
			return
		}
		web.Flash(w, web.Localizer(r).T("programme.flash.created"))
		http.Redirect(w, r, programmePath(pr.ID), http.StatusSeeOther)
	})
}

// editableProgrammeFor loads the programme of the request's {id} when the
// person may change it.
func (s *Store) editableProgrammeFor(r *http.Request) (*Programme, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	p, err := editableProgramme(r.Context(), s.db.Read(), user.ActorFrom(r.Context()), id)
	if err != nil {
		return nil, err
	}
	if p.Archived() {
		return nil, problem.Conflictf("%s is archived; it must be restored before it can be edited.", p.Name)
	}
	return p, nil
}

// HandleProgrammeEdit shows the form with a programme's values.
func HandleProgrammeEdit(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pr, err := s.editableProgrammeFor(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		s.renderProgrammeForm(w, r, rd, pr, ProgrammeInputOf(pr), nil)
	})
}

// HandleProgrammeUpdate saves an edited programme.
func HandleProgrammeUpdate(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pr, err := s.editableProgrammeFor(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		in := programmeFormInput(r)
		if _, err := s.UpdateProgramme(r.Context(), user.ActorFrom(r.Context()), pr.ID, in); err != nil {
			s.renderProgrammeForm(w, r, rd, pr, in, err)
			return
		}
		web.Flash(w, web.Localizer(r).T("programme.flash.updated"))
		http.Redirect(w, r, programmePath(pr.ID), http.StatusSeeOther)
	})
}

// HandleProgrammeArchive archives a programme.
func HandleProgrammeArchive(s *Store, rd *web.Renderer) http.Handler {
	return handleProgrammeArchived(s, rd, (*Store).ArchiveProgramme, "programme.flash.archived")
}

// HandleProgrammeRestore restores an archived programme.
func HandleProgrammeRestore(s *Store, rd *web.Renderer) http.Handler {
	return handleProgrammeArchived(s, rd, (*Store).RestoreProgramme, "programme.flash.restored")
}

func handleProgrammeArchived(s *Store, rd *web.Renderer, change func(*Store, context.Context, user.Actor, int64) (*Programme, error), flash string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "id")
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		if _, err := change(s, r.Context(), user.ActorFrom(r.Context()), id); err != nil {
			rd.Error(w, r, err)
			return
		}
		web.Flash(w, web.Localizer(r).T(flash))
		http.Redirect(w, r, programmePath(id), http.StatusSeeOther)
	})
}
