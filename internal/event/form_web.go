package event

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// countNames are the count fields of the form, in the order it shows them.
var countNames = []string{"participants", "women", "men", "other", "youth"}

// blankRows is how many empty attendee rows the edit form offers.
const blankRows = 5

// AttRow is one row of the attendee table of the edit form.
type AttRow struct {
	N       int    // 1 for the first row
	OrgID   int64  // 0 in an empty row
	OrgName string // set for organisations already listed, whose row cannot change organisation
	Counts  map[string]string
	Errors  []string
}

// FormData is the data of the form that records or edits an event.
type FormData struct {
	Event      *Event // nil when creating
	In         Input
	CountText  map[string]string // the counts as typed
	CountNames []string
	Types      []Type
	Clusters   []Option
	Organisers []Option
	Countries  []Country
	Rows       []AttRow // attendee rows (edit only)
	Candidates []Option // organisations offered in the empty rows
	Errors     *web.FormErrors
	// The plan project picker: the projects offered, grouped by plan, the
	// chosen one as a form value, and the stored link when it is not
	// among those offered (an earlier baseline, or a plan the person may
	// not see), which is kept unless another is chosen.
	Plans        []PlanChoices
	ProjectValue string
	KeptProject  *ProjectLink
}

// ShowProjects reports whether the form shows the project picker.
func (d *FormData) ShowProjects() bool { return len(d.Plans) > 0 || d.KeptProject != nil }

// offers reports whether the picker offers the value v.
func (d *FormData) offers(v string) bool {
	for _, p := range d.Plans {
		for _, c := range p.Choices {
			if c.Value == v {
				return true
			}
		}
	}
	return false
}

// Action is where the form posts.
func (d *FormData) Action() string {
	if d.Event == nil {
		return "/events"
	}
	return eventPath(d.Event.ID)
}

// HasCluster reports whether the form has cluster id chosen.
func (d *FormData) HasCluster(id int64) bool { return contains(d.In.ClusterIDs, id) }

// parseCount reads a count as typed: blank is 0, anything but a whole
// number of 0 or more is -1, which validation reports.
func parseCount(s string) int {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

// formInput reads the posted form, with the counts as typed and the
// attendee rows (only the edit form sends them).
func formInput(r *http.Request) (Input, map[string]string, []AttRow) {
	_ = r.ParseForm() // a malformed body leaves the form empty, which validation reports
	in := Input{Title: r.PostFormValue("title"), Type: Type(r.PostFormValue("type")), StartsOn: r.PostFormValue("starts_on"),
		EndsOn: r.PostFormValue("ends_on"), Place: r.PostFormValue("place"), Country: r.PostFormValue("country"),
		Description: r.PostFormValue("description")}
	in.OrganiserID, _ = strconv.ParseInt(r.PostFormValue("organiser_id"), 10, 64)
	for _, v := range r.PostForm["cluster_ids"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			in.ClusterIDs = append(in.ClusterIDs, id)
		}
	}
	if ref, ok := ParseProjectValue(r.PostFormValue("plan_project")); ok {
		in.PlanProject = ref
	} else {
		in.PlanProject = &ProjectRef{} // refused by the store's check, by name
	}
	texts := map[string]string{}
	for _, name := range countNames {
		texts[name] = strings.TrimSpace(r.PostFormValue(name))
	}
	in.Participants, in.Women, in.Men = parseCount(texts["participants"]), parseCount(texts["women"]), parseCount(texts["men"])
	in.Other, in.Youth = parseCount(texts["other"]), parseCount(texts["youth"])
	if r.PostFormValue("attendance") == "" {
		return in, texts, nil
	}
	removed := map[string]bool{}
	for _, v := range r.PostForm["att_remove"] {
		removed[v] = true
	}
	orgs := r.PostForm["att_org"]
	list := []AttendeeInput{}
	var rows []AttRow
	for i, o := range orgs {
		cell := func(name string) string {
			vs := r.PostForm["att_"+name]
			if i < len(vs) {
				return strings.TrimSpace(vs[i])
			}
			return ""
		}
		row := AttRow{Counts: map[string]string{}}
		empty := strings.TrimSpace(o) == ""
		for _, name := range countNames {
			row.Counts[name] = cell(name)
			empty = empty && row.Counts[name] == ""
		}
		if empty || removed[o] {
			continue
		}
		row.OrgID, _ = strconv.ParseInt(o, 10, 64)
		row.OrgName = cell("name")
		row.N = len(rows) + 1
		rows = append(rows, row)
		list = append(list, AttendeeInput{OrganisationID: row.OrgID, Counts: Counts{
			Participants: parseCount(row.Counts["participants"]), Women: parseCount(row.Counts["women"]),
			Men: parseCount(row.Counts["men"]), Other: parseCount(row.Counts["other"]), Youth: parseCount(row.Counts["youth"])}})
	}
	in.Attendees = &list
	return in, texts, rows
}

// countTexts shows stored counts in the form.
func countTexts(c Counts) map[string]string {
	return map[string]string{"participants": strconv.Itoa(c.Participants), "women": strconv.Itoa(c.Women),
		"men": strconv.Itoa(c.Men), "other": strconv.Itoa(c.Other), "youth": strconv.Itoa(c.Youth)}
}

// storedRows turns an event's attendees into rows of the edit form.
func storedRows(as []*Attendee) []AttRow {
	rows := make([]AttRow, len(as))
	for i, a := range as {
		rows[i] = AttRow{N: i + 1, OrgID: a.OrganisationID, OrgName: a.OrganisationName, Counts: countTexts(a.Counts)}
	}
	return rows
}

// renderForm shows the form, with the problems of a failed save when err
// is a validation problem; any other error gets the error page.
func (s *Store) renderForm(w http.ResponseWriter, r *http.Request, rd *web.Renderer, e *Event, in Input, texts map[string]string, rows []AttRow, err error) {
	ctx := r.Context()
	actor := user.ActorFrom(ctx)
	loc := web.Localizer(r)
	d := &FormData{Event: e, In: in, CountText: texts, CountNames: countNames, Types: Types, Rows: rows}
	status := http.StatusOK
	if err != nil {
		if d.Errors = web.NewFormErrors(err); d.Errors == nil {
			rd.Error(w, r, err)
			return
		}
		status = http.StatusUnprocessableEntity
	}
	var ferr error
	var organiser int64
	var keep []int64
	if e != nil {
		organiser, keep = e.OrganiserID, e.ClusterIDs()
	}
	if d.Clusters, ferr = s.ClusterOptions(ctx, actor, keep); ferr == nil {
		if d.Organisers, ferr = s.OrganiserOptions(ctx, actor, organiser); ferr == nil {
			d.Countries, _, ferr = s.Countries(ctx)
		}
	}
	if ferr == nil && e != nil {
		d.Candidates, ferr = s.AttendeeCandidates(ctx, actor, e)
	}
	if ferr == nil {
		ferr = s.projectPicker(ctx, actor, d, e)
	}
	if ferr != nil {
		rd.Error(w, r, ferr)
		return
	}
	if e != nil {
		d.addBlankRows()
		d.rowErrors()
	}
	var p *web.Page
	if e == nil {
		p = rd.NewPage(r, loc.T("event.new_title"), d)
		p.Crumbs = listCrumbs(loc, web.Crumb{Label: loc.T("event.new_title")})
	} else {
		p = rd.NewPage(r, loc.T("event.edit_title", "title", e.Title), d)
		p.Crumbs = eventCrumbs(loc, e, web.Crumb{Label: loc.T("common.edit")})
	}
	p.Section = section
	rd.Render(w, r, status, "event/form", p)
}

// addBlankRows appends the empty rows for new attendees.
func (d *FormData) addBlankRows() {
	for range blankRows {
		d.Rows = append(d.Rows, AttRow{N: len(d.Rows) + 1, Counts: map[string]string{}})
	}
}

// rowErrors puts the attendee problems next to their rows.
func (d *FormData) rowErrors() {
	if d.Errors == nil {
		return
	}
	for _, f := range d.Errors.Fields {
		if f.Field == "attendees" && f.Row > 0 && f.Row <= len(d.Rows) {
			d.Rows[f.Row-1].Errors = append(d.Rows[f.Row-1].Errors, f.Message)
		}
	}
}

// HandleEventNew shows an empty form, with the cluster chosen when the
// page was opened from one (?cluster=ID).
func HandleEventNew(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := user.ActorFrom(r.Context())
		if !MayRecord(actor) {
			rd.Error(w, r, problem.Forbiddenf(""))
			return
		}
		in := Input{Type: TypeWorkshop}
		if id, err := strconv.ParseInt(r.URL.Query().Get("cluster"), 10, 64); err == nil && id > 0 {
			in.ClusterIDs = []int64{id}
		}
		if actor.Role == user.BSOStaff {
			in.OrganiserID = actor.Scope.IntID()
		}
		s.renderForm(w, r, rd, nil, in, countTexts(Counts{}), nil, nil)
	})
}

// HandleEventCreate records a new event and shows it, or shows the form
// again with the problems next to their fields.
func HandleEventCreate(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := user.ActorFrom(r.Context())
		if !MayRecord(actor) {
			rd.Error(w, r, problem.Forbiddenf(""))
			return
		}
		in, texts, _ := formInput(r)
		in.Attendees = nil // the new form has no attendee rows
		e, err := s.CreateEvent(r.Context(), actor, in)
		if err != nil {
			s.renderForm(w, r, rd, nil, in, texts, nil, err)
			return
		}
		web.Flash(w, web.Localizer(r).T("event.flash.created"))
		http.Redirect(w, r, eventPath(e.ID), http.StatusSeeOther)
	})
}

// editable finds an event the actor may change; others are not found.
func (s *Store) editable(r *http.Request) (*Event, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return loadEvent(r.Context(), s.db.Read(), user.ActorFrom(r.Context()), WriteFilter, id)
}

// HandleEventEdit shows the form with the event's current values and its
// attendee list.
func HandleEventEdit(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e, err := s.editable(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		as, err := loadAttendees(r.Context(), s.db.Read(), e.ID)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		s.renderForm(w, r, rd, e, InputOf(e), countTexts(e.Counts), storedRows(as), nil)
	})
}

// HandleEventUpdate saves the edited event and its attendee list, or shows
// the form again with the problems.
func HandleEventUpdate(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e, err := s.editable(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		in, texts, rows := formInput(r)
		if _, err := s.UpdateEvent(r.Context(), user.ActorFrom(r.Context()), e.ID, in); err != nil {
			s.renderForm(w, r, rd, e, in, texts, rows, err)
			return
		}
		web.Flash(w, web.Localizer(r).T("event.flash.updated"))
		http.Redirect(w, r, eventPath(e.ID), http.StatusSeeOther)
	})
}

// projectPicker fills the plan project picker: the projects of the
// approved plans of the clusters the form offers or has chosen.
func (s *Store) projectPicker(ctx context.Context, actor user.Actor, d *FormData, e *Event) error {
	ids := slices.Clone(d.In.ClusterIDs)
	for _, c := range d.Clusters {
		if !contains(ids, c.ID) {
			ids = append(ids, c.ID)
		}
	}
	var err error
	if d.Plans, err = s.ProjectChoices(ctx, actor, ids); err != nil {
		return err
	}
	d.ProjectValue = d.In.PlanProject.Value()
	if e != nil && e.PlanProject != nil {
		if v := e.PlanProject.Value(); !d.offers(v) {
			d.KeptProject = e.PlanProject
		}
	}
	return nil
}
