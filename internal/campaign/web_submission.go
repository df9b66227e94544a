package campaign

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/clusterobservatory/observatory/internal/form"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

func submissionPath(id int64) string { return fmt.Sprintf("/submissions/%d", id) }

// SubmissionsData is the submissions list page's data.
type SubmissionsData struct {
	Campaign    *Campaign
	Submissions []*Submission
	Total       int
	Filter      SubmissionFilter
	States      []ReviewState
	Channels    []Channel
	Page, Pages int
}

// HandleSubmissions lists a campaign's submissions with filters.
func HandleSubmissions(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := user.ActorFrom(r.Context())
		c, err := s.pathCampaign(r, actor)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		id := c.ID
		lp := web.ParseList(r, "", 50)
		q := r.URL.Query()
		f := SubmissionFilter{State: ReviewState(q.Get("state")), Channel: Channel(q.Get("channel")), Query: lp.Query,
			History: q.Get("history") == "1", Limit: lp.PerPage, Offset: lp.Offset()}
		subs, total, err := s.FindSubmissions(r.Context(), actor, id, f)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		loc := web.Localizer(r)
		p := rd.NewPage(r, loc.T("campaign.submissions_title", "title", c.Title), &SubmissionsData{Campaign: c, Submissions: subs,
			Total: total, Filter: f, States: ReviewStates, Channels: Channels, Page: lp.Page, Pages: lp.Pages(total)})
		p.Section = navSection
		p.Crumbs = crumbs(loc, c)
		rd.Render(w, r, http.StatusOK, "campaign/submissions", p)
	})
}

// AnswerRow is one answered question of a submission's page.
type AnswerRow struct {
	Name, Label, Value string
}

// RepeatTable is a repeat's answers as a table.
type RepeatTable struct {
	Label   string
	Columns []string
	Rows    [][]string
}

// SubmissionData is a submission's page data.
type SubmissionData struct {
	Campaign   *Campaign
	Submission *Submission
	Answers    []AnswerRow
	Repeats    []RepeatTable
	History    []*Submission
	Errors     *web.FormErrors
	Comment    string
}

// labelled lays out answers with the form's labels in the page language.
func labelled(def *form.Definition, lang string, a map[string]any) ([]AnswerRow, []RepeatTable) {
	fl := formLanguage(def, lang)
	label := func(f form.Field) string {
		if l := f.Label.In(fl, def.DefaultLanguage, def.Languages); l != "" {
			return l
		}
		return f.Name
	}
	var rows []AnswerRow
	for _, f := range Columns(def, "") {
		rows = append(rows, AnswerRow{Name: f.Name, Label: label(f), Value: Text(a[f.Name])})
	}
	var reps []RepeatTable
	for _, r := range Repeats(def) {
		t := RepeatTable{Label: label(r)}
		cols := Columns(def, r.Name)
		for _, c := range cols {
			t.Columns = append(t.Columns, label(c))
		}
		for _, rr := range RepeatRows(a, r.Name) {
			var cells []string
			for _, c := range cols {
				cells = append(cells, Text(rr[c.Name]))
			}
			t.Rows = append(t.Rows, cells)
		}
		reps = append(reps, t)
	}
	return rows, reps
}

func renderSubmission(s *Store, rd *web.Renderer, w http.ResponseWriter, r *http.Request, id int64, comment string, ferr error) {
	actor := user.ActorFrom(r.Context())
	sub, err := s.FindSubmission(r.Context(), actor, id)
	if err != nil {
		rd.Error(w, r, err)
		return
	}
	c, err := s.FindCampaign(r.Context(), actor, sub.CampaignID)
	if err != nil {
		rd.Error(w, r, err)
		return
	}
	def, err := s.forms.Definition(r.Context(), actor, sub.VersionID)
	if err != nil {
		rd.Error(w, r, err)
		return
	}
	hist, err := s.History(r.Context(), actor, id)
	if err != nil {
		rd.Error(w, r, err)
		return
	}
	loc := web.Localizer(r)
	d := &SubmissionData{Campaign: c, Submission: sub, History: hist, Comment: comment}
	d.Answers, d.Repeats = labelled(def, loc.Lang, sub.AnswerMap())
	status := http.StatusOK
	if ferr != nil {
		if d.Errors = web.NewFormErrors(ferr); d.Errors == nil {
			rd.Error(w, r, ferr)
			return
		}
		status = problem.KindOf(ferr).Status()
	}
	p := rd.NewPage(r, loc.T("campaign.submission_title", "id", strconv.FormatInt(sub.ID, 10), "org", sub.OrganisationName), d)
	p.Section = navSection
	p.Crumbs = append(crumbs(loc, c), web.Crumb{Label: loc.T("campaign.submissions"), URL: campaignPath(c.ID) + "/submissions"})
	rd.Render(w, r, status, "campaign/submission", p)
}

// HandleSubmission shows a submission: answers, repeats as tables, edit
// history and the review form.
func HandleSubmission(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := web.ParseID(r.PathValue("id"))
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		renderSubmission(s, rd, w, r, id, "", nil)
	})
}

// HandleReview records a review decision.
func HandleReview(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := web.ParseID(r.PathValue("id"))
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		_ = r.ParseForm()
		comment := r.PostForm.Get("comment")
		res, err := s.ReviewSubmission(r.Context(), user.ActorFrom(r.Context()), id, Decision(r.PostForm.Get("decision")), comment)
		if err != nil {
			renderSubmission(s, rd, w, r, id, comment, err)
			return
		}
		loc := web.Localizer(r)
		msg := loc.T(res.Submission.State.Key())
		if res.Values != nil {
			msg = loc.T("campaign.flash.approved", "n", len(res.Values.Saved)+res.Values.Unchanged)
		}
		web.Flash(w, msg)
		http.Redirect(w, r, submissionPath(id), http.StatusSeeOther)
	})
}

// EditData is the staff edit page's data.
type EditData struct {
	Submission *Submission
	Form       *AnswerForm
	InstanceID string
	Errors     *web.FormErrors
}

func renderEdit(s *Store, rd *web.Renderer, w http.ResponseWriter, r *http.Request, sub *Submission, val Values, instanceID string, ferr error) {
	actor := user.ActorFrom(r.Context())
	def, err := s.forms.Definition(r.Context(), actor, sub.VersionID)
	if err != nil {
		rd.Error(w, r, err)
		return
	}
	loc := web.Localizer(r)
	d := &EditData{Submission: sub, InstanceID: instanceID}
	status := http.StatusOK
	errs := map[string]string{}
	if ferr != nil {
		if d.Errors = web.NewFormErrors(ferr); d.Errors == nil {
			rd.Error(w, r, ferr)
			return
		}
		for _, det := range d.Errors.Fields {
			errs[det.Field] = det.Message
		}
		status = problem.KindOf(ferr).Status()
	}
	d.Form = BuildAnswerForm(def, loc.Lang, val, errs)
	p := rd.NewPage(r, loc.T("campaign.edit_title", "id", strconv.FormatInt(sub.ID, 10)), d)
	p.Section = navSection
	p.Crumbs = []web.Crumb{{Label: loc.T("campaign.list_title"), URL: "/campaigns"},
		{Label: loc.T("campaign.submission_title", "id", strconv.FormatInt(sub.ID, 10), "org", sub.OrganisationName), URL: submissionPath(sub.ID)}}
	rd.Render(w, r, status, "campaign/edit", p)
}

// HandleEdit shows the staff edit form of a submission.
func HandleEdit(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := web.ParseID(r.PathValue("id"))
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		sub, err := s.FindSubmission(r.Context(), user.ActorFrom(r.Context()), id)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		renderEdit(s, rd, w, r, sub, AnswerValues(sub.AnswerMap()), NewInstanceID(), nil)
	})
}

// HandleEditSave stores a staff edit as a new version of the submission.
func HandleEditSave(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := user.ActorFrom(r.Context())
		id, err := web.ParseID(r.PathValue("id"))
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		sub, err := s.FindSubmission(r.Context(), actor, id)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		_ = r.ParseForm()
		instance := r.PostForm.Get("instance_id")
		def, err := s.forms.Definition(r.Context(), actor, sub.VersionID)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		answers, bad := FromForm(def, r.PostForm)
		keepFileAnswers(def, sub.AnswerMap(), answers)
		keepMomentCalculations(def, sub.AnswerMap(), answers)
		if len(bad) == 0 {
			// The answers were given before the edit: rules that read
			// today() are not checked again.
			bad = CheckAnswers(def, answers, Checking{Simple: true, Earlier: true})
		}
		if err := bad.Err(); err != nil {
			renderEdit(s, rd, w, r, sub, PostedValues(r.PostForm), instance, err)
			return
		}
		AddCalculations(def, answers)
		body, _ := jsonBytes(answers)
		edited, _, err := s.Submit(r.Context(), SubmissionInput{CampaignID: sub.CampaignID, InvitationID: sub.InvitationID, Actor: actor,
			FormVersionID: sub.VersionID, InstanceID: instance, DeprecatedID: sub.InstanceID, Channel: ChannelEntry, Answers: body,
			Raw: []byte(r.PostForm.Encode()), RawType: "application/x-www-form-urlencoded"})
		if err != nil {
			renderEdit(s, rd, w, r, sub, PostedValues(r.PostForm), instance, err)
			return
		}
		web.Flash(w, web.Localizer(r).T("campaign.flash.edited"))
		http.Redirect(w, r, submissionPath(edited.ID), http.StatusSeeOther)
	})
}
