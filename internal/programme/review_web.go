package programme

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// reviewsSection is the main-navigation entry of a reviewer's list.
const reviewsSection = "reviews"

func reviewPath(applicationID int64) string {
	return "/reviews/" + strconv.FormatInt(applicationID, 10)
}

func panelPath(applicationID int64) string { return applicationPath(applicationID) + "/panel" }

func dashboardPath(c *Call) string { return callPath(c) + "/review" }

func reviewersPath(c *Call) string { return dashboardPath(c) + "/reviewers" }

// MyReviewsData is the data of a reviewer's list of assignments.
type MyReviewsData struct {
	Rows []Assignment
}

// HandleMyReviews lists the person's review assignments with their status.
func HandleMyReviews(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rows, err := s.FindMyAssignments(r.Context(), user.ActorFrom(r.Context()))
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		loc := web.Localizer(r)
		p := rd.NewPage(r, loc.T("programmereview.mine_title"), &MyReviewsData{Rows: rows})
		p.Section = reviewsSection
		rd.Render(w, r, http.StatusOK, "programme/review_mine", p)
	})
}

// LevelChoice is one rubric level offered for a criterion.
type LevelChoice struct {
	Score      int
	Descriptor string
	Checked    bool
}

// SheetRow is one criterion of the score sheet as the form shows it.
type SheetRow struct {
	Index     int
	Criterion Criterion
	Levels    []LevelChoice
	Comment   string
	Field     string // the problem field of its score
}

// ReviewPageData is the data of a reviewer's page for one application.
type ReviewPageData struct {
	A       *Application
	Review  *Review
	Call    *Call
	Grant   string
	Total   string
	Outcome string // the eligibility outcome's message key
	Rows    []SheetRow
	Comment string
	Note    string // the conflict note as typed
	Others  []*Review
	Sheet   []ScoreLine // the reviewer's own submitted scores
	Errors  *web.FormErrors
}

// ScoreLine is one criterion of a submitted review as read.
type ScoreLine struct {
	Name       string
	Weight     int
	Score      int
	Descriptor string
	Comment    string
}

func scoreLines(c *Call, r *Review) []ScoreLine {
	var out []ScoreLine
	for i, cr := range c.Criteria {
		l := ScoreLine{Name: cr.Name, Weight: cr.Weight}
		if sc, ok := r.Score(i); ok {
			l.Score, l.Comment = sc.Score, sc.Comment
			for _, lv := range cr.Levels {
				if lv.Score == sc.Score {
					l.Descriptor = lv.Descriptor
				}
			}
		}
		out = append(out, l)
	}
	return out
}

// sheetRows lays the criteria out with the scores and comments of in.
func sheetRows(c *Call, in ReviewInput) []SheetRow {
	rows := make([]SheetRow, len(c.Criteria))
	for i, cr := range c.Criteria {
		row := SheetRow{Index: i, Criterion: cr, Field: scoreField(i)}
		chosen := -1
		for _, sc := range in.Scores {
			if sc.Criterion == i {
				chosen, row.Comment = sc.Score, sc.Comment
			}
		}
		for _, l := range cr.Levels {
			row.Levels = append(row.Levels, LevelChoice{Score: l.Score, Descriptor: l.Descriptor, Checked: l.Score == chosen})
		}
		rows[i] = row
	}
	return rows
}

// renderReview shows a reviewer's page: the declaration, the score sheet
// or the submitted review, as the review stands; in is the sheet as typed.
func (s *Store) renderReview(w http.ResponseWriter, r *http.Request, rd *web.Renderer, id int64, in *ReviewInput, note string, err error) {
	status, fe, ok := formStatus(err)
	if !ok {
		rd.Error(w, r, err)
		return
	}
	ctx := r.Context()
	actor := user.ActorFrom(ctx)
	rv, rerr := s.FindMyReview(ctx, actor, id)
	if rerr != nil {
		rd.Error(w, r, rerr)
		return
	}
	loc := web.Localizer(r)
	c, rerr := loadCall(ctx, s.db.Read(), user.System, rv.CallID)
	if rerr != nil {
		rd.Error(w, r, rerr)
		return
	}
	d := &ReviewPageData{Review: rv, Call: c, Note: note, Errors: fe}
	if rv.Status != ReviewConflicted {
		a, rerr := s.readableApplication(ctx, actor, id)
		if rerr != nil {
			rd.Error(w, r, rerr)
			return
		}
		d.A, d.Grant, d.Total, d.Outcome = a, Money(loc, a.Grant, a.Currency), Money(loc, a.Total(), a.Currency), outcomeKey(a)
	}
	if in == nil {
		in = &ReviewInput{Scores: rv.Scores, Comment: rv.Comment}
	}
	d.Rows, d.Comment = sheetRows(c, *in), in.Comment
	if rv.Status == ReviewSubmitted {
		d.Sheet = scoreLines(c, rv)
		all, rerr := s.FindReviews(ctx, actor, id)
		if rerr != nil {
			rd.Error(w, r, rerr)
			return
		}
		for _, o := range all {
			if o.ID == rv.ID {
				rv.WeightedTotal = o.WeightedTotal
			} else {
				d.Others = append(d.Others, o)
			}
		}
	}
	title := loc.T("programmereview.review_title", "id", id)
	if d.A != nil {
		title = d.A.Title
	}
	p := rd.NewPage(r, title, d)
	p.Section = reviewsSection
	p.Crumbs = []web.Crumb{{Label: loc.T("programmereview.mine_title"), URL: "/reviews"}, {Label: title}}
	rd.Render(w, r, status, "programme/review_sheet", p)
}

// HandleReviewShow shows the person's review of application {id}.
func HandleReviewShow(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "id")
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		s.renderReview(w, r, rd, id, nil, "", nil)
	})
}

// HandleConflictDeclare records the person's declaration of conflict of
// interest on application {id}.
func HandleConflictDeclare(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "id")
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		_ = r.ParseForm()
		in := ConflictInput{Note: r.PostFormValue("note")}
		switch r.PostFormValue("conflict") {
		case "yes":
			in.Conflict = true
		case "no":
		default:
			var f problem.Fields
			f.Add("conflict", "Say whether you have a conflict of interest.")
			s.renderReview(w, r, rd, id, nil, in.Note, f.Err())
			return
		}
		rv, err := s.DeclareConflict(r.Context(), user.ActorFrom(r.Context()), id, in)
		if err != nil {
			s.renderReview(w, r, rd, id, nil, in.Note, err)
			return
		}
		loc := web.Localizer(r)
		if rv.Status == ReviewConflicted {
			web.Flash(w, loc.T("programmereview.flash.conflicted"))
			http.Redirect(w, r, "/reviews", http.StatusSeeOther)
			return
		}
		web.Flash(w, loc.T("programmereview.flash.declared"))
		http.Redirect(w, r, reviewPath(id), http.StatusSeeOther)
	})
}

// parseReviewForm reads the posted score sheet: score.i and comment.i
// for criterion i of n, the overall comment, and which button was pressed.
func parseReviewForm(r *http.Request, n int) (ReviewInput, problem.Fields) {
	_ = r.ParseForm()
	in := ReviewInput{Comment: r.PostFormValue("comment"), Submit: r.PostFormValue("action") == "submit"}
	var f problem.Fields
	for i := range n {
		k := strconv.Itoa(i)
		v := strings.TrimSpace(r.PostFormValue("score." + k))
		comment := r.PostFormValue("comment." + k)
		if v == "" {
			if strings.TrimSpace(comment) != "" && !in.Submit {
				// A comment without a score is kept by scoring nothing: tell the reviewer.
				f.Add(scoreField(i), "Choose a score to keep the comment on criterion %d.", i+1)
			}
			continue
		}
		sc, err := strconv.Atoi(v)
		if err != nil {
			f.Add(scoreField(i), "%q is not a score.", v)
			continue
		}
		in.Scores = append(in.Scores, CriterionScore{Criterion: i, Score: sc, Comment: comment})
	}
	return in, f
}

// HandleReviewSave saves the person's score sheet of application {id} as
// a draft, or submits it.
func HandleReviewSave(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "id")
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		ctx := r.Context()
		actor := user.ActorFrom(ctx)
		rv, err := s.FindMyReview(ctx, actor, id)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		c, err := loadCall(ctx, s.db.Read(), user.System, rv.CallID)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		in, bad := parseReviewForm(r, len(c.Criteria))
		if len(bad) > 0 {
			s.renderReview(w, r, rd, id, &in, "", bad.Err())
			return
		}
		if _, err := s.SaveReview(ctx, actor, id, in); err != nil {
			if p := problem.As(err); p != nil && p.Kind == problem.Forbidden {
				rd.Error(w, r, err)
				return
			}
			s.renderReview(w, r, rd, id, &in, "", err)
			return
		}
		loc := web.Localizer(r)
		if in.Submit {
			web.Flash(w, loc.T("programmereview.flash.submitted"))
		} else {
			web.Flash(w, loc.T("programmereview.flash.saved"))
		}
		http.Redirect(w, r, reviewPath(id), http.StatusSeeOther)
	})
}

// criterionLabel names a criterion with its weight, for table headers.
func criterionLabel(loc *i18n.Localizer, c Criterion) string {
	return loc.T("programmereview.criterion_weight", "name", c.Name, "weight", c.Weight)
}
