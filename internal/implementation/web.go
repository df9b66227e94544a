package implementation

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/plan"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/programme"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// section is the main-navigation entry the implementation pages highlight.
const section = "plans"

// perPage is the size of a page of the spending list.
const perPage = 50

// Path is the address of plan id's implementation page.
func Path(id int64) string { return plan.Path(id) + "/implementation" }

// today is the day the pages judge lateness and dates by.
func today() time.Time { return time.Now().UTC() }

func pathID(r *http.Request) (int64, error) { return web.ParseID(r.PathValue("id")) }

// Base is what every implementation page holds: the plan's workspace, the
// tab shown, and formatting in the page's language.
type Base struct {
	W   *Workspace
	Tab string
	loc *i18n.Localizer
}

// M formats minor units of the programme's currency.
func (b *Base) M(n int64) string { return programme.Money(b.loc, n, b.W.Plan.Currency) }

// Pct is spent as a share of planned, or a dash when nothing was planned.
func (b *Base) Pct(spent, planned int64) string {
	if planned <= 0 {
		return "—"
	}
	return b.loc.Percent(float64(spent)/float64(planned), 0)
}

// Share formats a share (0.2 is 20 %).
func (b *Base) Share(f float64) string { return b.loc.Percent(f, 1) }

// Day formats a day written YYYY-MM-DD.
func (b *Base) Day(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return b.loc.Date(t)
}

// Currency is the programme's currency code.
func (b *Base) Currency() string { return b.W.Plan.Currency }

// tabKey is the message key of a tab's name.
func tabKey(tab string) string { return "implementation.tab." + tab }

// render renders one implementation page with its title and trail.
func render(w http.ResponseWriter, r *http.Request, rd *web.Renderer, status int, b *Base, name string, data any) {
	loc := b.loc
	title := loc.T(tabKey(b.Tab)) + ": " + b.W.Plan.Title
	p := rd.NewPage(r, title, data)
	p.Section = section
	p.Crumbs = []web.Crumb{{Label: loc.T("plan.list_title"), URL: "/plans"}, {Label: b.W.Plan.Title, URL: plan.Path(b.W.Plan.ID)}}
	if b.Tab != "overview" {
		p.Crumbs = append(p.Crumbs, web.Crumb{Label: loc.T("implementation.tab.overview"), URL: Path(b.W.Plan.ID)})
	}
	p.Crumbs = append(p.Crumbs, web.Crumb{Label: loc.T(tabKey(b.Tab))})
	rd.Render(w, r, status, "implementation/"+name, p)
}

// formStatus is the status of a page that shows err: 200 without one,
// 422 or 409 with a problem to show in the form, and false for others.
func formStatus(err error) (int, *web.FormErrors, bool) {
	if err == nil {
		return http.StatusOK, nil, true
	}
	fe := web.NewFormErrors(err)
	if fe == nil {
		if p := problem.As(err); p != nil && p.Kind == problem.TooLarge {
			return p.Kind.Status(), &web.FormErrors{Message: p.Message}, true
		}
		return 0, nil, false
	}
	return problem.KindOf(err).Status(), fe, true
}

// readForm parses a form that may carry a file in field; it returns the
// file, nil when none was chosen.
func readForm(w http.ResponseWriter, r *http.Request, field string) (*File, error) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxAttachmentBytes+1<<20)
	err := r.ParseMultipartForm(1 << 20)
	if errors.Is(err, http.ErrNotMultipart) {
		return nil, r.ParseForm()
	}
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			var f problem.Fields
			f.Add(field, "The file is larger than %d MB.", MaxAttachmentBytes>>20)
			return nil, f.Err()
		}
		return nil, problem.New(problem.Invalid, "The form could not be read; send it again.")
	}
	file, header, err := r.FormFile(field)
	if err != nil {
		return nil, nil // no file chosen
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, MaxAttachmentBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) == 0 && header.Filename == "" {
		return nil, nil
	}
	return &File{Name: header.Filename, Data: data}, nil
}

// HasWarning reports whether the execution warns of a kind.
func (d *OverviewData) HasWarning(kind string) bool {
	for _, w := range d.X.Warnings {
		if string(w.Kind) == kind {
			return true
		}
	}
	return false
}

// OverviewData is the implementation page's data.
type OverviewData struct {
	Base
	X       *Execution
	Reports []*Report
	Done    int
	Late    int
	Events  *ProjectEvents
}

// HandleOverview shows a plan's budget execution, warnings, milestones
// and reports.
func HandleOverview(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		actor := user.ActorFrom(r.Context())
		ws, x, err := s.Execution(r.Context(), actor, id, today())
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		d := &OverviewData{Base: Base{W: ws, Tab: "overview", loc: web.Localizer(r)}, X: x}
		if x != nil {
			for _, m := range x.Milestones {
				switch m.Status {
				case Done:
					d.Done++
				case Late:
					d.Late++
				}
			}
			if _, d.Reports, err = s.FindReports(r.Context(), actor, id); err != nil {
				rd.Error(w, r, err)
				return
			}
			if d.Events, err = s.FindProjectEvents(r.Context(), actor, ws); err != nil {
				rd.Error(w, r, err)
				return
			}
		}
		render(w, r, rd, http.StatusOK, &d.Base, "overview", d)
	})
}

// SpendingData is the spending page's data: the list and the form.
type SpendingData struct {
	Base
	Entries    []*Entry
	Total      int
	Page       int
	Pages      int
	In         EntryInput
	Errors     *web.FormErrors
	Lines      []plan.BudgetLine
	Sources    []Source
	Valuations []Valuation
}

// LineLabel names line n of the baseline for the form and the list.
func (d *SpendingData) LineLabel(n int) string {
	if d.W.Baseline == nil || n < 1 || n > len(d.W.Baseline.Budget) {
		return "#" + strconv.Itoa(n)
	}
	b := d.W.Baseline.Budget[n-1]
	label := strconv.Itoa(n) + ". " + b.Description
	if p := d.W.Baseline.ProjectTitle(b.Project); p != "" {
		label += " (" + p + ")"
	}
	return label
}

func (s *Store) renderSpending(w http.ResponseWriter, r *http.Request, rd *web.Renderer, id int64, in EntryInput, err error) {
	status, fe, ok := formStatus(err)
	if !ok {
		rd.Error(w, r, err)
		return
	}
	params := web.ParseList(r, "-spent_on", perPage)
	ws, entries, total, lerr := s.FindEntries(r.Context(), user.ActorFrom(r.Context()), id, EntryFilter{Limit: params.PerPage, Offset: params.Offset()})
	if lerr != nil {
		rd.Error(w, r, lerr)
		return
	}
	d := &SpendingData{Base: Base{W: ws, Tab: "spending", loc: web.Localizer(r)}, Entries: entries, Total: total, Page: params.Page,
		Pages: params.Pages(total), In: in, Errors: fe, Sources: Sources, Valuations: Valuations}
	if ws.Baseline != nil {
		d.Lines = ws.Baseline.Budget
	}
	render(w, r, rd, status, &d.Base, "spending", d)
}

// HandleSpending lists a plan's spending with the form for a new entry.
func HandleSpending(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		s.renderSpending(w, r, rd, id, EntryInput{Source: Grant, SpentOn: today().Format(time.DateOnly)}, nil)
	})
}

// formInt reads a whole number of a form (0 when absent or wrong).
func formInt(v url.Values, key string) int {
	n, _ := strconv.Atoi(v.Get(key))
	return n
}

// HandleSpendingCreate records a spending entry from the form.
func HandleSpendingCreate(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		file, err := readForm(w, r, "receipt")
		in := EntryInput{Line: formInt(r.Form, "line"), Source: Source(r.FormValue("source")), SpentOn: r.FormValue("spent_on"),
			Amount: r.FormValue("amount"), Description: r.FormValue("description"), Given: r.FormValue("given"),
			Valuation: Valuation(r.FormValue("valuation")), Receipt: file}
		if err == nil {
			_, err = s.RecordSpending(r.Context(), user.ActorFrom(r.Context()), id, in, today())
		}
		if err != nil {
			in.Receipt = nil
			s.renderSpending(w, r, rd, id, in, err)
			return
		}
		web.Flash(w, web.Localizer(r).T("implementation.flash.spending"))
		http.Redirect(w, r, plan.Path(id)+"/spending", http.StatusSeeOther)
	})
}

// Tabs lists the implementation pages, in order.
func (b *Base) Tabs() []string {
	return []string{"overview", "spending", "milestones", "timeline", "reports"}
}

// Cell is planned against spent of one source (or the total), formatted.
type Cell struct {
	Planned, Spent, Pct string
	Over                bool
}

// Cells formats planned against spent for each source and in total.
func (b *Base) Cells(planned, spent Amounts) []Cell {
	var out []Cell
	add := func(p, s int64) {
		out = append(out, Cell{Planned: b.M(p), Spent: b.M(s), Pct: b.Pct(s, p), Over: s > p})
	}
	for _, s := range Sources {
		add(planned.Of(s), spent.Of(s))
	}
	add(planned.Total(), spent.Total())
	return out
}

// Warn writes a warning in the page's language.
func (b *Base) Warn(w Warning) string {
	switch w.Kind {
	case WarnLineOverspent:
		if w.Source != "" {
			return b.loc.T("implementation.warning.line_source_overspent", "line", w.Line, "title", w.Title, "source", b.loc.T(w.Source.Key()),
				"spent", b.M(w.Spent), "planned", b.M(w.Planned))
		}
		return b.loc.T(w.Kind.Key(), "line", w.Line, "title", w.Title, "spent", b.M(w.Spent), "planned", b.M(w.Planned))
	case WarnSourceOverspent:
		return b.loc.T(w.Kind.Key(), "source", b.loc.T(w.Source.Key()), "spent", b.M(w.Spent), "planned", b.M(w.Planned))
	case WarnCounterpart:
		return b.loc.T(w.Kind.Key(), "actual", b.Share(w.Actual), "limit", b.Share(w.Limit), "spent", b.M(w.Spent))
	case WarnMilestoneLate:
		return b.loc.T(w.Kind.Key(), "n", w.Milestone, "title", w.Title, "due", b.Day(w.Due))
	}
	return string(w.Kind)
}

// Sources lists the funding sources, for the columns of a table.
func (b *Base) Sources() []Source { return Sources }

// Columns are the groups of an execution table: each source and the total.
func (b *Base) Columns() []Source { return append(append([]Source{}, Sources...), "") }

// SpentCells formats what was spent on a line of an earlier baseline,
// which plans nothing under the current one.
func (b *Base) SpentCells(spent Amounts) []Cell {
	out := b.Cells(Amounts{}, spent)
	for i := range out {
		out[i].Planned, out[i].Over = "—", false
	}
	return out
}
