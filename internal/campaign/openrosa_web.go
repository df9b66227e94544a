package campaign

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/form"
	"github.com/clusterobservatory/observatory/internal/openrosa"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// A campaign's OpenRosa server is /openrosa/{key}: ODK Collect lists the
// campaign's form there, downloads it, and sends submissions, with an app
// user's name and secret by HTTP Basic authentication.
//
// The form Collect gets is the campaign's form version with one question
// put first: which of the campaign's respondents is answering (a field
// officer visits many firms). A submission names that respondent's
// invitation, and is stored like any other answer to it.

// RespondentField is the question put first in the form ODK Collect gets.
const RespondentField = "respondent_ref"

const respondentList = "respondent_ref_choices"

// respondentLabels label the respondent question, by language code.
var respondentLabels = map[string]string{
	"en": "Organisation answering", "es": "Organización que responde",
	"fr": "Organisation qui répond", "nl": "Organisatie die antwoordt",
}

var languageCode = regexp.MustCompile(`\(([a-z]{2,3})\)\s*$`)

// collectDefinition is the campaign's form with the respondent question
// first, its choices the campaign's current invitations. Without choices
// (reading a submission, a hot path) the question is plain text: Submit
// checks the invitation it names in the query it runs anyway, rather than
// every submission listing every respondent.
func (s *Store) collectDefinition(ctx context.Context, c *Campaign, withChoices bool) (*form.Definition, error) {
	base, err := s.versionDefinition(ctx, c.VersionID)
	if err != nil {
		return nil, err
	}
	def := *base
	if _, taken := def.Field(RespondentField); taken {
		return nil, problem.Conflictf("The form already has a field named %s; ODK Collect cannot be used with it.", RespondentField)
	}
	list := form.ChoiceList{Name: respondentList}
	if withChoices {
		err = db.Each(ctx, s.db.Read(), `SELECT i.id, o.name FROM campaign_invitations i JOIN organisations o ON o.id = i.organisation_id
		WHERE i.campaign_id = $1 AND i.revoked_at IS NULL ORDER BY o.name, i.id`, []any{c.ID}, func(rows *sql.Rows) error {
			var id int64
			var name string
			if err := rows.Scan(&id, &name); err != nil {
				return err
			}
			list.Choices = append(list.Choices, form.Choice{Name: "i" + strconv.FormatInt(id, 10), Label: sameInEvery(def.Languages, name)})
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	label := form.Text{}
	for _, lang := range labelLanguages(def.Languages) {
		code := "en"
		if m := languageCode.FindStringSubmatch(lang); m != nil && respondentLabels[m[1]] != "" {
			code = m[1]
		}
		label[lang] = respondentLabels[code]
	}
	q := form.Field{Name: RespondentField, Type: form.TypeText, Label: label, Required: true, Path: "/" + def.FormID + "/" + RespondentField}
	if withChoices {
		q.Type, q.ChoiceList, q.Appearance = form.TypeSelectOne, respondentList, "minimal"
		def.ChoiceLists = append(append([]form.ChoiceList(nil), def.ChoiceLists...), list)
	}
	def.Fields = append([]form.Field{q}, def.Fields...)
	return &def, nil
}

// labelLanguages are the languages labels are keyed by: the form's, or
// the default one when the form names none.
func labelLanguages(langs []string) []string {
	if len(langs) == 0 {
		return []string{form.DefaultLanguageName}
	}
	return langs
}

func sameInEvery(langs []string, s string) form.Text {
	t := form.Text{}
	for _, l := range labelLanguages(langs) {
		t[l] = s
	}
	return t
}

// collector authenticates the request's app user for the campaign key, or
// answers 401 with the challenge ODK Collect expects.
func (s *Store) collector(w http.ResponseWriter, r *http.Request) (*Collector, bool) {
	name, secret, ok := r.BasicAuth()
	if ok {
		c, err := s.AuthenticateAppUser(r.Context(), r.PathValue("key"), name, secret)
		if err == nil {
			return c, true
		}
		if !problem.Is(err, problem.Unauthorized) {
			openRosaError(w, err)
			return nil, false
		}
	}
	w.Header().Set("WWW-Authenticate", `Basic realm="Cluster Observatory", charset="UTF-8"`)
	openrosa.WriteXML(w, http.StatusUnauthorized, openrosa.Response(openrosa.NatureError,
		"Sign in with the app user name and secret the campaign's officer gave you."))
	return nil, false
}

func openRosaError(w http.ResponseWriter, err error) {
	status, msg := http.StatusInternalServerError, "The server could not take the request; try again later."
	if p := problem.As(err); p != nil && p.Kind != problem.Internal {
		status, msg = p.Kind.Status(), p.Message
		if len(p.Details) > 0 && p.Details[0].Message != "" && p.Details[0].Message != p.Message {
			msg += " " + p.Details[0].Location() + ": " + p.Details[0].Message
		}
	}
	if errors.Is(err, ErrGone) {
		status = http.StatusGone
	}
	openrosa.WriteXML(w, status, openrosa.Response(openrosa.NatureError, msg))
}

func (s *Store) formURL(c *Campaign, what string) string {
	return fmt.Sprintf("%s/openrosa/%s/forms/%s/%s", strings.TrimRight(s.opts.BaseURL, "/"), c.Key, c.FormKey, what)
}

// HandleOpenRosaFormList lists the campaign's form for ODK Collect.
func HandleOpenRosaFormList(s *Store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		col, ok := s.collector(w, r)
		if !ok {
			return
		}
		c := col.Campaign
		var items []openrosa.FormListItem
		if c.Status == StatusOpen && (r.URL.Query().Get("formID") == "" || r.URL.Query().Get("formID") == c.FormKey) {
			def, err := s.collectDefinition(r.Context(), c, true)
			if err != nil {
				openRosaError(w, err)
				return
			}
			_, sum, err := form.GenerateXForm(def)
			if err != nil {
				openRosaError(w, err)
				return
			}
			items = append(items, openrosa.FormListItem{FormID: c.FormKey, Name: c.Title, Version: c.Version, MD5: sum,
				DownloadURL: s.formURL(c, "form.xml"), ManifestURL: s.formURL(c, "manifest")})
		}
		openrosa.WriteXML(w, http.StatusOK, openrosa.FormList(items))
	})
}

// HandleOpenRosaForm serves the form ODK Collect fills in.
func HandleOpenRosaForm(s *Store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		col, ok := s.collector(w, r)
		if !ok {
			return
		}
		if r.PathValue("form") != col.Campaign.FormKey {
			openRosaError(w, problem.NotFoundf("This campaign collects the form %s only.", col.Campaign.FormKey))
			return
		}
		def, err := s.collectDefinition(r.Context(), col.Campaign, true)
		if err != nil {
			openRosaError(w, err)
			return
		}
		body, _, err := form.GenerateXForm(def)
		if err != nil {
			openRosaError(w, err)
			return
		}
		openrosa.WriteXML(w, http.StatusOK, body)
	})
}

// HandleOpenRosaManifest answers the form's media manifest (the platform's
// forms have no media files).
func HandleOpenRosaManifest(s *Store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := s.collector(w, r); !ok {
			return
		}
		openrosa.WriteXML(w, http.StatusOK, openrosa.Manifest(nil))
	})
}

// HandleOpenRosaSubmissionHead answers ODK Collect's pre-flight request.
func HandleOpenRosaSubmissionHead(s *Store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := s.collector(w, r); !ok {
			return
		}
		w.Header().Set("X-OpenRosa-Version", openrosa.Version)
		w.Header().Set("X-OpenRosa-Accept-Content-Length", openrosa.AcceptContentLength)
		w.WriteHeader(http.StatusNoContent)
	})
}

// HandleOpenRosaSubmission stores a submission from ODK Collect: 201 when
// stored, 200 when it had been stored already (a retry), and an
// OpenRosaResponse with the reason otherwise.
func HandleOpenRosaSubmission(s *Store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		col, ok := s.collector(w, r)
		if !ok {
			return
		}
		sub, created, err := s.submitOpenRosa(r, col)
		if err != nil {
			openRosaError(w, err)
			return
		}
		// ODK Collect takes only 201 and 202 as success, so a repeated
		// request (a retry, or the next part of a split submission) is 201
		// too.
		status, msg := http.StatusCreated, fmt.Sprintf("Received: the answers of %s are stored.", sub.OrganisationName)
		if !created {
			msg = fmt.Sprintf("Already received: the answers of %s were stored before.", sub.OrganisationName)
		}
		if n := missingFiles(sub.Attachments); n > 0 {
			msg += fmt.Sprintf(" Files still to come: %d.", n)
		}
		w.Header().Set("X-OpenRosa-Accept-Content-Length", openrosa.AcceptContentLength)
		openrosa.WriteXML(w, status, openrosa.Response(openrosa.NatureSubmitSuccess, msg))
	})
}

func (s *Store) submitOpenRosa(r *http.Request, col *Collector) (*Submission, bool, error) {
	c := col.Campaign
	in, err := openrosa.ReadSubmission(r)
	if err != nil {
		return nil, false, err
	}
	formID, _, err := openrosa.Peek(in.XML)
	if err != nil {
		return nil, false, err
	}
	if formID != c.FormKey {
		return nil, false, problem.Conflictf("This campaign collects the form %s, not %s.", c.FormKey, formID)
	}
	def, err := s.collectDefinition(r.Context(), c, false)
	if err != nil {
		return nil, false, err
	}
	inst, err := openrosa.ParseInstance(def, in.XML)
	if err != nil {
		return nil, false, err
	}
	ref, _ := inst.Answers[RespondentField].(string)
	delete(inst.Answers, RespondentField)
	field := "/" + def.FormID + "/" + RespondentField
	invitation, err := strconv.ParseInt(strings.TrimPrefix(ref, "i"), 10, 64)
	if err != nil || !strings.HasPrefix(ref, "i") || invitation <= 0 {
		return nil, false, problem.Fields{{Field: field, Message: "Choose the organisation that answers."}}.Err()
	}
	answers, err := json.Marshal(campaignAnswers(inst.Answers))
	if err != nil {
		return nil, false, fmt.Errorf("answers: %w", err)
	}
	// ODK Collect applied the form's rules on the phone; answers that
	// break them all the same (another engine's reading, an altered form)
	// are kept, since nobody can correct them there, and flagged. They are
	// checked as they are stored.
	var flags []string
	for _, p := range CheckAnswers(def, decodeAnswers(answers), Checking{Earlier: true}) {
		if p.Field != RespondentField { // answered above
			flags = append(flags, p.Field+": "+p.Message)
		}
	}
	// The files are the ones the instance's image and file fields name,
	// with the parts that carry them; a part no field names is left
	// aside, and a file not sent (yet) is marked missing.
	atts := make([]Attachment, 0, len(inst.Attachments))
	seen := map[string]bool{}
	for _, name := range inst.Attachments {
		if seen[name] {
			continue
		}
		seen[name] = true
		a := Attachment{Name: name}
		for _, p := range in.Attachments {
			if p.Name == name {
				a.Data = p.Data
			}
		}
		atts = append(atts, a)
	}
	sub, created, err := s.Submit(r.Context(), SubmissionInput{CampaignID: c.ID, InvitationID: invitation, AppUserID: col.AppUser.ID,
		Actor: user.Actor{Name: "ODK Collect: " + col.AppUser.Name}, FormVersionID: c.VersionID, InstanceID: inst.InstanceID,
		DeprecatedID: inst.DeprecatedID, Channel: ChannelOpenRosa, Answers: answers, Raw: in.XML, RawType: "application/xml",
		Attachments: atts, Flags: flags})
	if problem.Is(err, problem.NotFound) || fieldIs(err, "campaign_id") {
		return nil, false, problem.Fields{{Field: field, Message: fmt.Sprintf(
			"%q is not a respondent of this campaign; download the form again for the current list.", ref)}}.Err()
	}
	return sub, created, err
}

// fieldIs reports whether err is invalid input about the named field.
func fieldIs(err error, name string) bool {
	p := problem.As(err)
	if p == nil || p.Kind != problem.Invalid {
		return false
	}
	for _, d := range p.Details {
		if d.Field == name {
			return true
		}
	}
	return false
}

// campaignAnswers writes an instance's answers the way the campaign store
// keeps them: numbers as numbers, a select_multiple as its choice names
// separated by spaces, repeats as lists of objects.
func campaignAnswers(in map[string]any) map[string]any {
	out := make(map[string]any, len(in))
	for k, v := range in {
		switch x := v.(type) {
		case []string:
			out[k] = strings.Join(x, " ")
		case []map[string]any:
			rows := make([]map[string]any, len(x))
			for i, row := range x {
				rows[i] = campaignAnswers(row)
			}
			out[k] = rows
		default:
			out[k] = v
		}
	}
	return out
}
