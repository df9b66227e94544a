package campaign

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// Channel is the way a submission came in.
type Channel string

// The channels.
const (
	ChannelWeb      Channel = "web"
	ChannelOpenRosa Channel = "openrosa"
	ChannelExcel    Channel = "excel"
	ChannelEntry    Channel = "entry"
)

// Channels lists the channels.
var Channels = []Channel{ChannelWeb, ChannelOpenRosa, ChannelExcel, ChannelEntry}

// Key is the message key of the channel's label.
func (c Channel) Key() string { return "campaign.channel." + string(c) }

// ReviewState is where a submission stands in review.
type ReviewState string

// The review states: received, then has issues, approved or rejected.
const (
	StateReceived  ReviewState = "received"
	StateHasIssues ReviewState = "has_issues"
	StateApproved  ReviewState = "approved"
	StateRejected  ReviewState = "rejected"
)

// ReviewStates lists the states.
var ReviewStates = []ReviewState{StateReceived, StateHasIssues, StateApproved, StateRejected}

// Key is the message key of the state's label.
func (s ReviewState) Key() string { return "campaign.state." + string(s) }

// Attachment describes a file a submission names: one received (its bytes
// are kept in submission_files) or one still missing.
type Attachment struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256,omitempty"`
	// Missing is true when the answers name the file but it has not been
	// received (yet: ODK Collect may send it in a later request).
	Missing bool `json:"missing,omitempty"`
	// Data is the file's content when it comes with the submission; nil
	// when the submission only names the file.
	Data []byte `json:"-"`
}

// Limits of a submission.
const (
	MaxAnswersBytes = 1 << 20
	MaxRawBytes     = 4 << 20
	maxComment      = 2000
)

// SubmissionInput is one submission from any channel.
//
// The respondent is named by exactly one of: Token (the link's token),
// InvitationID, or OrganisationID together with an Actor who runs the
// campaign (staff entry, Excel upload, an ODK Collect user with an
// account). Actor is the zero Actor for a respondent answering through a
// link.
type SubmissionInput struct {
	CampaignID     int64      `json:"campaign_id"`
	Token          string     `json:"-"`
	InvitationID   int64      `json:"invitation_id"`
	OrganisationID int64      `json:"organisation_id"`
	Actor          user.Actor `json:"-"`
	FormVersionID  int64      `json:"form_version_id"`
	// InstanceID is made by the client (a UUID, with or without the
	// "uuid:" prefix ODK writes); it is stored as "uuid:" + the UUID.
	InstanceID string `json:"instance_id"`
	// DeprecatedID, for an edit, is the instance ID of the submission the
	// edit replaces; the edit has an instance ID of its own.
	DeprecatedID string `json:"deprecated_id"`
	// ReplaceLatest, without a DeprecatedID, makes the submission an edit
	// of the respondent's latest stored answers, if any (the answering page
	// sent again after answering); a retry of that same instance ID stays
	// a retry.
	ReplaceLatest bool    `json:"-"`
	Channel       Channel `json:"channel"`
	// AppUserID names the ODK Collect app user who sent the submission for
	// the invitation in InvitationID; it stands in for a staff actor and
	// needs CampaignID.
	AppUserID int64 `json:"-"`
	// Flags are the problems the server's check found in answers that are
	// kept all the same (ODK Collect's, finalised on the phone, where
	// nobody can correct them any more): the submission is stored with
	// issues, the flags as its review comment, for an officer to decide.
	Flags []string `json:"-"`
	// Answers is a JSON object: field name → value; a repeat is an array
	// of objects.
	Answers json.RawMessage `json:"answers"`
	// Raw is the payload as received (XML or JSON), RawType its media type.
	Raw         []byte       `json:"-"`
	RawType     string       `json:"-"`
	Attachments []Attachment `json:"attachments"`
}

// Submission is one stored set of answers.
type Submission struct {
	ID               int64           `json:"id"`
	CampaignID       int64           `json:"campaign_id"`
	InvitationID     int64           `json:"invitation_id"`
	OrganisationID   int64           `json:"organisation_id"`
	OrganisationName string          `json:"organisation_name"`
	VersionID        int64           `json:"form_version_id"`
	InstanceID       string          `json:"instance_id"`
	DeprecatedID     string          `json:"deprecated_id"`
	OriginalID       *int64          `json:"original_id"`
	Superseded       bool            `json:"superseded"`
	Channel          Channel         `json:"channel"`
	Answers          json.RawMessage `json:"answers"`
	RawType          string          `json:"raw_type"`
	Attachments      []Attachment    `json:"attachments"`
	State            ReviewState     `json:"state"`
	ReviewComment    string          `json:"review_comment"`
	Reviewer         string          `json:"reviewer"`
	ReviewedAt       *time.Time      `json:"reviewed_at"`
	Actor            string          `json:"submitted_by"`
	ReceivedAt       time.Time       `json:"received_at"`
}

// AnswerMap decodes the answers.
func (s *Submission) AnswerMap() map[string]any { return decodeAnswers(s.Answers) }

func decodeAnswers(b []byte) map[string]any {
	m := map[string]any{}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	_ = dec.Decode(&m)
	return m
}

// NormaliseInstanceID returns the stored form of an instance ID
// ("uuid:" and the UUID in lower case), or ok false when it is not a UUID.
func NormaliseInstanceID(s string) (string, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(strings.TrimPrefix(s, "uuid:"), "UUID:")
	u, err := uuid.Parse(s)
	if err != nil || len(s) != 36 {
		return "", false
	}
	return "uuid:" + u.String(), true
}

// NewInstanceID returns a fresh random instance ID.
func NewInstanceID() string { return "uuid:" + uuid.NewString() }

// checkInput cleans a submission and returns its canonical answers and
// their hash, or the problems found without the database.
func (in *SubmissionInput) check() (answers []byte, hash string, err error) {
	var f problem.Fields
	if id, ok := NormaliseInstanceID(in.InstanceID); ok {
		in.InstanceID = id
	} else {
		f.Add("instance_id", "Send a UUID as the instance ID, such as uuid:6f1c1f0e-1b7a-4c59-9a55-2f8e6f2d9b10.")
	}
	if in.DeprecatedID != "" {
		if id, ok := NormaliseInstanceID(in.DeprecatedID); !ok {
			f.Add("deprecated_id", "The deprecated ID must be the instance ID (a UUID) of the submission being edited.")
		} else if in.DeprecatedID = id; id == in.InstanceID {
			f.Add("instance_id", "An edit needs an instance ID of its own; deprecated_id names the submission it replaces.")
		}
	}
	switch in.Channel {
	case ChannelWeb, ChannelOpenRosa, ChannelExcel, ChannelEntry:
	default:
		f.Add("channel", "Use channel web, openrosa, excel or entry.")
	}
	if in.FormVersionID <= 0 {
		f.Add("form_version_id", "Name the form version the answers were given in.")
	}
	named := 0
	for _, set := range []bool{in.Token != "", in.InvitationID != 0, in.OrganisationID != 0} {
		if set {
			named++
		}
	}
	if named != 1 {
		f.Add("invitation_id", "Name the respondent once: by link, by invitation or by organisation.")
	}
	if in.AppUserID != 0 && (in.InvitationID == 0 || in.CampaignID == 0) {
		f.Add("invitation_id", "An app user's submission names the campaign and the invitation it answers.")
	}
	if in.OrganisationID != 0 && !in.Actor.SignedIn() {
		f.Add("organisation_id", "Only signed-in staff answer for an organisation; respondents use their link.")
	}
	if len(in.Answers) > MaxAnswersBytes {
		f.Add("answers", "The answers are larger than %d bytes.", MaxAnswersBytes)
	}
	if len(in.Raw) > MaxRawBytes {
		f.Add("raw", "The payload is larger than %d bytes.", MaxRawBytes)
	}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(in.Answers))
	dec.UseNumber()
	if len(in.Answers) == 0 || dec.Decode(&m) != nil || m == nil {
		f.Add("answers", "Send the answers as a JSON object: field name → value.")
	}
	if in.Attachments == nil {
		in.Attachments = []Attachment{}
	}
	if err := f.Err(); err != nil {
		return nil, "", err
	}
	if err := prepareFiles(in.Attachments); err != nil {
		return nil, "", err
	}
	// Marshalling a map sorts its keys, so equal answers give equal bytes.
	answers, err = json.Marshal(m)
	if err != nil {
		return nil, "", problem.Fields{{Field: "answers", Message: "The answers could not be read."}}.Err()
	}
	sum := sha256.Sum256(answers)
	return answers, hex.EncodeToString(sum[:]), nil
}
