package campaign

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"

	"github.com/clusterobservatory/observatory/internal/form"
	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// The respondent's pages at /r/{token}: no account, the link is the key.
// They never say more than that a link does not work, so that guessing
// reveals nothing.

func jsonBytes(v any) ([]byte, error) { return json.Marshal(v) }

// inLanguage makes the page speak the respondent's language unless the
// visitor chose one (?lang= or the language cookie).
func inLanguage(r *http.Request, lang string) *http.Request {
	if r.URL.Query().Get("lang") != "" {
		return r
	}
	if c, err := r.Cookie(i18n.CookieName); err == nil && i18n.Supported(c.Value) {
		return r
	}
	r2 := r.Clone(r.Context())
	q := r2.URL.Query()
	q.Set("lang", lang)
	r2.URL.RawQuery = q.Encode()
	return r2
}

// GoneData is the page of a link that does not work.
type GoneData struct {
	Status  int
	Message string
}

func renderGone(rd *web.Renderer, w http.ResponseWriter, r *http.Request, err error) {
	loc := web.Localizer(r)
	d := &GoneData{Status: http.StatusNotFound, Message: loc.T("campaign.respond.unknown")}
	if errors.Is(err, ErrGone) {
		d.Status, d.Message = http.StatusGone, problem.As(err).Message
	} else if !problem.Is(err, problem.NotFound) {
		rd.Error(w, r, err)
		return
	}
	p := rd.NewPage(r, loc.T("campaign.respond.gone_title"), d)
	w.Header().Set("Cache-Control", "no-store")
	rd.Render(w, r, d.Status, "campaign/respond_gone", p)
}

// RespondData is the answering page's data: the plain form for browsers
// without JavaScript, and the definition and prefill the page's script
// draws the form from.
type RespondData struct {
	Token        string
	Respondent   *Respondent
	Form         *AnswerForm
	InstanceID   string
	DeprecatedID string
	Errors       *web.FormErrors
	// DefinitionJSON and PrefillJSON are written by encoding/json, which
	// escapes <, > and &, so they cannot end their script elements.
	DefinitionJSON template.JS
	PrefillJSON    template.JS
}

// definition returns a version's definition; versions never change, so it
// is read once per process.
func (s *Store) definition(r *http.Request, versionID int64) (*form.Definition, error) {
	return s.versionDefinition(r.Context(), versionID)
}

// versionDefinition is a form version's definition, read once: a version
// does not change once campaigns collect it.
func (s *Store) versionDefinition(ctx context.Context, versionID int64) (*form.Definition, error) {
	v, err := s.db.Memo(struct {
		kind string
		id   int64
	}{"campaign-definition", versionID}, func() (any, error) {
		return s.forms.Definition(ctx, user.System, versionID)
	})
	if err != nil {
		return nil, err
	}
	return v.(*form.Definition), nil
}

func (s *Store) renderRespond(rd *web.Renderer, w http.ResponseWriter, r *http.Request, token string, resp *Respondent, val Values,
	prefill map[string]any, instanceID, deprecatedID string, ferr error) {
	def, err := s.definition(r, resp.Campaign.VersionID)
	if err != nil {
		rd.Error(w, r, err)
		return
	}
	d := &RespondData{Token: token, Respondent: resp, InstanceID: instanceID, DeprecatedID: deprecatedID}
	status := http.StatusOK
	errs := map[string]string{}
	if ferr != nil {
		if d.Errors = web.NewFormErrors(ferr); d.Errors == nil {
			renderGone(rd, w, r, ferr)
			return
		}
		for _, det := range d.Errors.Fields {
			errs[det.Field] = det.Message
		}
		status = problem.KindOf(ferr).Status()
	}
	d.Form = BuildAnswerForm(def, web.Localizer(r).Lang, val, errs)
	defJSON, err := json.Marshal(def)
	if err != nil {
		rd.Error(w, r, fmt.Errorf("definition of version %d: %w", resp.Campaign.VersionID, err))
		return
	}
	d.DefinitionJSON = template.JS(defJSON)
	if len(prefill) > 0 {
		b, err := json.Marshal(prefill)
		if err != nil {
			rd.Error(w, r, fmt.Errorf("prefill: %w", err))
			return
		}
		d.PrefillJSON = template.JS(b)
	}
	p := rd.NewPage(r, resp.Campaign.Title, d)
	// The page is a document of its own, not the site layout: it shows
	// nothing of a signed-in visitor, and the service worker keeps a copy
	// (no-cache: always asked for again when online).
	body, err := rd.Fragment("campaign/respond", "page", p)
	if err != nil {
		rd.Error(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	io.WriteString(w, string(body))
}

// HandleRespond shows the answering page of a link, filled with the
// respondent's latest answers or those carried over from the earlier
// campaign.
func HandleRespond(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := r.PathValue("token")
		resp, err := s.Resolve(r.Context(), token)
		if resp != nil {
			r = inLanguage(r, resp.Language)
		}
		if err != nil {
			renderGone(rd, w, r, err)
			return
		}
		prefill, err := s.PrefillFor(r.Context(), resp)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		deprecated := ""
		if last, err := s.LatestFor(r.Context(), resp); err == nil {
			deprecated = last.InstanceID
		}
		s.renderRespond(rd, w, r, token, resp, AnswerValues(prefill), prefill, NewInstanceID(), deprecated, nil)
	})
}

// HandleRespondSave stores the answers of the answering page. The page's
// instance ID makes a second post of the same page harmless.
func HandleRespondSave(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := r.PathValue("token")
		resp, err := s.Resolve(r.Context(), token)
		if resp != nil {
			r = inLanguage(r, resp.Language)
		}
		if err != nil {
			renderGone(rd, w, r, err)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, MaxAnswersBytes)
		if err := r.ParseForm(); err != nil {
			rd.Error(w, r, problem.New(problem.TooLarge, "The answers are too large."))
			return
		}
		instance, deprecated := r.PostForm.Get("instance_id"), r.PostForm.Get("deprecated_id")
		def, err := s.definition(r, resp.Campaign.VersionID)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		answers, bad := FromForm(def, r.PostForm)
		if len(bad) == 0 {
			bad = CheckAnswers(def, answers, Checking{Simple: true})
		}
		if err := bad.Err(); err != nil {
			s.renderRespond(rd, w, r, token, resp, PostedValues(r.PostForm), nil, instance, deprecated, err)
			return
		}
		AddCalculations(def, answers)
		body, _ := jsonBytes(answers)
		_, _, err = s.Submit(r.Context(), SubmissionInput{Token: token, FormVersionID: resp.Campaign.VersionID, InstanceID: instance,
			DeprecatedID: deprecated, Channel: ChannelWeb, Answers: body, Raw: []byte(r.PostForm.Encode()),
			RawType: "application/x-www-form-urlencoded"})
		if err != nil {
			s.renderRespond(rd, w, r, token, resp, PostedValues(r.PostForm), nil, instance, deprecated, err)
			return
		}
		http.Redirect(w, r, LinkPath(token)+"/thanks", http.StatusSeeOther)
	})
}

// ThanksData is the thank-you page's data.
type ThanksData struct {
	Token      string
	Respondent *Respondent
}

// HandleThanks thanks the respondent.
func HandleThanks(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := r.PathValue("token")
		resp, err := s.Resolve(r.Context(), token)
		if resp != nil {
			r = inLanguage(r, resp.Language)
		}
		if err != nil {
			renderGone(rd, w, r, err)
			return
		}
		p := rd.NewPage(r, web.Localizer(r).T("campaign.respond.thanks_title"), &ThanksData{Token: token, Respondent: resp})
		w.Header().Set("Cache-Control", "no-store")
		rd.Render(w, r, http.StatusOK, "campaign/respond_thanks", p)
	})
}
