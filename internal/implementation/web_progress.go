package implementation

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/clusterobservatory/observatory/internal/plan"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// The milestone and progress report pages, and the download of receipts
// and evidence.

// MilestonesData is the milestone page's data.
type MilestonesData struct {
	Base
	Milestones []MilestoneState
	Statuses   []Status
	Errors     *web.FormErrors
	Failed     int           // the milestone whose form has errors
	In         ProgressInput // what was sent for it
}

// Value is what milestone m's form shows: what was sent when it failed,
// else its progress.
func (d *MilestonesData) Value(m MilestoneState) ProgressInput {
	if m.N == d.Failed {
		return d.In
	}
	if m.Progress == nil {
		return ProgressInput{Status: NotStarted}
	}
	return ProgressInput{Status: m.Progress.Status, CompletedOn: m.Progress.CompletedOn, Note: m.Progress.Note}
}

// ErrorFor is the message of a field of milestone m's form.
func (d *MilestonesData) ErrorFor(m MilestoneState, field string) string {
	if m.N != d.Failed {
		return ""
	}
	return d.Errors.For(field)
}

func (s *Store) renderMilestones(w http.ResponseWriter, r *http.Request, rd *web.Renderer, id int64, n int, in ProgressInput, err error) {
	status, fe, ok := formStatus(err)
	if !ok {
		rd.Error(w, r, err)
		return
	}
	ws, ms, lerr := s.FindMilestones(r.Context(), user.ActorFrom(r.Context()), id, today())
	if lerr != nil {
		rd.Error(w, r, lerr)
		return
	}
	d := &MilestonesData{Base: Base{W: ws, Tab: "milestones", loc: web.Localizer(r)}, Milestones: ms, Statuses: Statuses,
		Errors: fe, In: in}
	if err != nil {
		d.Failed = n
	}
	render(w, r, rd, status, &d.Base, "milestones", d)
}

// HandleMilestones lists the baseline's milestones with their progress.
func HandleMilestones(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		s.renderMilestones(w, r, rd, id, 0, ProgressInput{}, nil)
	})
}

// HandleMilestoneUpdate records a milestone's progress from its form.
func HandleMilestoneUpdate(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		n, err := strconv.Atoi(r.PathValue("n"))
		if err != nil {
			rd.Error(w, r, problem.NotFoundf("No milestone %q.", r.PathValue("n")))
			return
		}
		file, err := readForm(w, r, "evidence")
		in := ProgressInput{Status: Status(r.FormValue("status")), CompletedOn: r.FormValue("completed_on"), Note: r.FormValue("note"), Evidence: file}
		if err == nil {
			_, err = s.RecordProgress(r.Context(), user.ActorFrom(r.Context()), id, n, in, today())
		}
		if err != nil {
			in.Evidence = nil
			s.renderMilestones(w, r, rd, id, n, in, err)
			return
		}
		web.Flash(w, web.Localizer(r).T("implementation.flash.progress"))
		http.Redirect(w, r, plan.Path(id)+"/milestones#m-"+strconv.Itoa(n), http.StatusSeeOther)
	})
}

// ReportsData is the progress reports page's data.
type ReportsData struct {
	Base
	Reports []*Report
	Periods []string // quarters that may be reported on, latest first
	In      ReportInput
	Errors  *web.FormErrors
}

func (s *Store) renderReports(w http.ResponseWriter, r *http.Request, rd *web.Renderer, id int64, in ReportInput, err error) {
	status, fe, ok := formStatus(err)
	if !ok {
		rd.Error(w, r, err)
		return
	}
	ws, reports, lerr := s.FindReports(r.Context(), user.ActorFrom(r.Context()), id)
	if lerr != nil {
		rd.Error(w, r, lerr)
		return
	}
	d := &ReportsData{Base: Base{W: ws, Tab: "reports", loc: web.Localizer(r)}, Reports: reports, In: in, Errors: fe}
	if ws.Baseline != nil {
		ps := ReportPeriods(ws.Baseline, today())
		for i := len(ps) - 1; i >= 0; i-- {
			d.Periods = append(d.Periods, ps[i].String())
		}
	}
	render(w, r, rd, status, &d.Base, "reports", d)
}

// HandleReports lists a plan's progress reports with the form for one.
func HandleReports(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		s.renderReports(w, r, rd, id, ReportInput{Period: PeriodOf(today()).String()}, nil)
	})
}

// HandleReportSubmit submits the progress report of a quarter.
func HandleReportSubmit(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		_ = r.ParseForm()
		in := ReportInput{Period: r.PostForm.Get("period"), Narrative: r.PostForm.Get("narrative")}
		if _, err := s.SubmitReport(r.Context(), user.ActorFrom(r.Context()), id, in, today()); err != nil {
			s.renderReports(w, r, rd, id, in, err)
			return
		}
		web.Flash(w, web.Localizer(r).T("implementation.flash.report_submitted"))
		http.Redirect(w, r, plan.Path(id)+"/reports", http.StatusSeeOther)
	})
}

// HandleReportAccept accepts a submitted progress report.
func HandleReportAccept(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		rid, err := web.ParseID(r.PathValue("rid"))
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		if _, err := s.AcceptReport(r.Context(), user.ActorFrom(r.Context()), id, rid); err != nil {
			s.renderReports(w, r, rd, id, ReportInput{}, err)
			return
		}
		web.Flash(w, web.Localizer(r).T("implementation.flash.report_accepted"))
		http.Redirect(w, r, plan.Path(id)+"/reports", http.StatusSeeOther)
	})
}

// HandleAttachment sends a receipt or piece of evidence to those who may
// read the plan.
func HandleAttachment(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		aid, err := web.ParseID(r.PathValue("aid"))
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		a, err := s.FindAttachment(r.Context(), user.ActorFrom(r.Context()), id, aid)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		w.Header().Set("Content-Type", a.ContentType)
		w.Header().Set("Content-Length", strconv.Itoa(len(a.Data)))
		w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(a.Name))
		w.Header().Set("Cache-Control", "private, no-store")
		w.Write(a.Data)
	})
}
