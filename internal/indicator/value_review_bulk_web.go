package indicator

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// BulkReview is the state of the review of many values on the values page:
// how many wait for a decision, which are ticked, and the decision typed.
type BulkReview struct {
	Pending   int // values shown that wait for a decision
	SelectAll bool
	Selected  map[int64]bool
	Decision  string
	Comment   string
}

// Checked reports whether the row of value id is ticked.
func (d *ValuesData) Checked(id int64) bool {
	return d.Bulk.SelectAll || d.Bulk.Selected[id]
}

// RowError is the problem with reviewing value id, if any.
func (d *ValuesData) RowError(id int64) string { return d.Errors.For(selField(id)) }

// SelectURL is the page with every waiting value ticked (or none).
func (d *ValuesData) SelectURL(all bool) string {
	u := valuesPath(d.Subject, d.Period)
	if all {
		u += "&select=all"
	}
	return u + "#h-review"
}

// selField names the checkbox of value id in problems ("sel-12"; the
// checkbox's HTML id is f-sel-12).
func selField(id int64) string { return "sel-" + strconv.FormatInt(id, 10) }

// bulkState reads the selection from the request: ?select=all ticks every
// waiting value; a refused bulk review shows its own choices again.
func bulkState(r *http.Request, values []*Value) BulkReview {
	b := BulkReview{Selected: map[int64]bool{}}
	for _, v := range values {
		if v.Reviewable() {
			b.Pending++
		}
	}
	if r.Method == http.MethodGet {
		b.SelectAll = r.URL.Query().Get("select") == "all"
		return b
	}
	if r.PostFormValue("scope") != "selected" {
		return b
	}
	for _, s := range r.PostForm["id"] {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			b.Selected[n] = true
		}
	}
	b.Decision, b.Comment = r.PostFormValue("decision"), r.PostFormValue("comment")
	return b
}

// HandleValuesReview records one decision on many values of the values
// page and returns to it with how many were reviewed. With scope=selected
// it reviews the ticked values (id, repeated); with scope=all it approves
// every value of the page's subject and period that still waits for a
// decision, found again under the reader's scope, provided that their
// number is still the n the page showed.
func HandleValuesReview(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		ctx := r.Context()
		actor := user.ActorFrom(ctx)
		loc := web.Localizer(r)
		if !MayReviewValues(actor) {
			rd.Error(w, r, problem.Forbiddenf("Only administrators and programme officers review values."))
			return
		}
		subject, period := r.PostFormValue("subject"), r.PostFormValue("period")
		sub, err := ParseSubject(subject)
		if err != nil {
			rd.Error(w, r, problem.NotFoundf("%s", err))
			return
		}
		p, err := ParsePeriod(period)
		if err != nil {
			rd.Error(w, r, problem.NotFoundf("%s", upperFirst(err.Error())))
			return
		}
		var ids []int64
		var fs problem.Fields
		d, comment := Decision(r.PostFormValue("decision")), r.PostFormValue("comment")
		switch r.PostFormValue("scope") {
		case "all":
			d, comment = DecideApprove, ""
			ids, err = s.PendingValueIDs(ctx, actor, ValueFilter{Subject: sub, Period: p.Key()})
			if err != nil {
				rd.Error(w, r, err)
				return
			}
			if r.PostFormValue("n") != strconv.Itoa(len(ids)) {
				fs.Add("review-all", "%s", loc.T("indicatorreview.changed", "n", len(ids)))
			}
		default:
			for _, v := range r.PostForm["id"] {
				n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
				if err != nil || n <= 0 {
					fs.Add("review-ids", "%q is not a value ID.", v)
					continue
				}
				ids = append(ids, n)
			}
			if len(ids) == 0 && len(fs) == 0 {
				fs.Add("review-ids", "%s", loc.T("indicatorreview.none_selected"))
			}
		}
		if err := fs.Err(); err != nil {
			renderValues(w, r, rd, s, sub.String(), p.Key(), err, "", nil, nil)
			return
		}
		done, err := s.ReviewValues(ctx, actor, ids, d, comment)
		if err != nil {
			if pe := problem.As(err); pe != nil && pe.Kind == problem.Invalid {
				renderValues(w, r, rd, s, sub.String(), p.Key(), pageFields(pe, ids), "", nil, nil)
				return
			}
			rd.Error(w, r, err)
			return
		}
		web.Flash(w, reviewedMessage(loc, d, len(done)))
		http.Redirect(w, r, valuesPath(sub, p.Key())+"#h-review", http.StatusSeeOther)
	})
}

// pageFields names the fields of the page in ReviewValues' problems: the
// checkbox of each value (ids[N]) and the fields of the bulk form.
func pageFields(pe *problem.Error, ids []int64) error {
	fields := make(problem.Fields, 0, len(pe.Details))
	for _, d := range pe.Details {
		f := d.Field
		switch {
		case f == "decision" || f == "comment":
			f = "review-" + f
		case f == "ids":
			f = "review-ids"
		case strings.HasPrefix(f, "ids["):
			if n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(f, "ids["), "]")); err == nil && n < len(ids) {
				f = selField(ids[n])
			}
		}
		fields = append(fields, problem.Detail{Field: f, Message: d.Message})
	}
	return fields.Err()
}

// reviewedMessage is the flash after a bulk review: "12 values approved."
func reviewedMessage(loc *i18n.Localizer, d Decision, n int) string {
	switch {
	case d == DecideIssues && n == 1:
		return loc.T("indicatorreview.flash.issues_one")
	case d == DecideIssues:
		return loc.T("indicatorreview.flash.issues", "n", n)
	case d == DecideReject && n == 1:
		return loc.T("indicatorreview.flash.rejected_one")
	case d == DecideReject:
		return loc.T("indicatorreview.flash.rejected", "n", n)
	case n == 1:
		return loc.T("indicatorreview.flash.approved_one")
	}
	return loc.T("indicatorreview.flash.approved", "n", n)
}
