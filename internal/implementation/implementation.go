package implementation

import (
	"time"
)

// Source is where the money (or the contribution) of a spending entry comes from.
type Source string

// The funding sources.
const (
	Grant  Source = "grant"   // the programme's grant
	Cash   Source = "cash"    // the cluster's counterpart in cash
	InKind Source = "in_kind" // the cluster's counterpart given in kind
)

// Sources lists the sources in the order pages show them.
var Sources = []Source{Grant, Cash, InKind}

// Key is the message key of the source's label.
func (s Source) Key() string { return "implementation.source." + string(s) }

// Valid reports whether s is a known source.
func (s Source) Valid() bool { return s == Grant || s == Cash || s == InKind }

// Valuation is how an in-kind contribution was valued.
type Valuation string

// The valuation methods.
const (
	MarketPrice Valuation = "market_price" // what the same would cost on the market
	Cost        Valuation = "cost"         // what it cost the giver (invoice, book value)
	StaffTime   Valuation = "staff_time"   // hours times a documented rate
	OtherMethod Valuation = "other"        // described in the entry
)

// Valuations lists the valuation methods.
var Valuations = []Valuation{MarketPrice, Cost, StaffTime, OtherMethod}

// Key is the message key of the method's label.
func (v Valuation) Key() string { return "implementation.valuation." + string(v) }

// Valid reports whether v is a known method.
func (v Valuation) Valid() bool {
	for _, x := range Valuations {
		if v == x {
			return true
		}
	}
	return false
}

// Entry is one spending entry or in-kind contribution, recorded against
// line Line (from 1) of baseline version BaselineVersion.
type Entry struct {
	ID              int64     `json:"id"`
	PlanID          int64     `json:"plan_id"`
	BaselineVersion int       `json:"baseline_version"`
	Line            int       `json:"line"`
	Source          Source    `json:"source"`
	SpentOn         string    `json:"spent_on"`
	Amount          int64     `json:"amount"` // minor units of the programme's currency
	Description     string    `json:"description"`
	Given           string    `json:"given,omitempty"`     // in kind: what was given
	Valuation       Valuation `json:"valuation,omitempty"` // in kind: how it was valued
	ReceiptID       *int64    `json:"receipt_id"`
	ReceiptName     string    `json:"receipt_name,omitempty"`
	CreatedBy       string    `json:"created_by"`
	CreatedAt       time.Time `json:"created_at"`
}

// Status is where a milestone stands.
type Status string

// The statuses of a milestone. Late is never stored: it is worked out.
const (
	NotStarted Status = "not_started"
	InProgress Status = "in_progress"
	Done       Status = "done"
	Late       Status = "late"
)

// Statuses lists the statuses a person may record.
var Statuses = []Status{NotStarted, InProgress, Done}

// Key is the message key of the status's label.
func (s Status) Key() string { return "implementation.status." + string(s) }

// Valid reports whether s may be recorded.
func (s Status) Valid() bool { return s == NotStarted || s == InProgress || s == Done }

// Effective is the status shown for a milestone due on due (YYYY-MM-DD)
// with stored status s: late when the due date has passed and it is not
// done.
func Effective(s Status, due string, today time.Time) Status {
	if s == "" {
		s = NotStarted
	}
	if s == Done {
		return Done
	}
	if d, err := time.Parse(time.DateOnly, due); err == nil && d.Before(day(today)) {
		return Late
	}
	return s
}

// day is the calendar day of t (UTC), at midnight.
func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Progress is what was last recorded of milestone Milestone (from 1) of
// baseline version BaselineVersion.
type Progress struct {
	BaselineVersion int       `json:"baseline_version"`
	Milestone       int       `json:"milestone"`
	Status          Status    `json:"status"`
	CompletedOn     string    `json:"completed_on"`
	Note            string    `json:"note"`
	EvidenceID      *int64    `json:"evidence_id"`
	EvidenceName    string    `json:"evidence_name,omitempty"`
	UpdatedBy       string    `json:"updated_by"`
	UpdatedAt       time.Time `json:"updated_at"`
}

// Attachment is a receipt or a piece of evidence.
type Attachment struct {
	ID          int64
	PlanID      int64
	Name        string
	ContentType string
	Size        int64
	Data        []byte
}
