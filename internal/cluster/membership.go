package cluster

import (
	"time"

	"github.com/clusterobservatory/observatory/internal/problem"
)

// DateLayout is how membership dates are written and stored: YYYY-MM-DD.
const DateLayout = "2006-01-02"

// Membership is an organisation's part in a cluster initiative over a period.
type Membership struct {
	ID                  int64     `json:"id"`
	ClusterID           int64     `json:"cluster_id"`
	ClusterName         string    `json:"cluster_name"`
	OrganisationID      int64     `json:"organisation_id"`
	OrganisationName    string    `json:"organisation_name"`
	OrganisationKind    string    `json:"organisation_kind"`
	OrganisationCountry string    `json:"organisation_country"`
	Role                Role      `json:"role"`
	Joined              string    `json:"joined"`
	Left                *string   `json:"left"`
	CreatedAt           time.Time `json:"created_at"`
	UpdatedAt           time.Time `json:"updated_at"`
}

// Current reports whether the membership has not ended.
func (m *Membership) Current() bool { return m.Left == nil }

// JoinedTime is the joining day as a time, for formatting.
func (m *Membership) JoinedTime() time.Time { t, _ := time.Parse(DateLayout, m.Joined); return t }

// LeftTime is the leaving day as a time (zero while current), for formatting.
func (m *Membership) LeftTime() time.Time {
	if m.Left == nil {
		return time.Time{}
	}
	t, _ := time.Parse(DateLayout, *m.Left)
	return t
}

// MembershipInput is what adding or correcting a membership takes.
type MembershipInput struct {
	OrganisationID int64   `json:"organisation_id"`
	Role           Role    `json:"role"`
	Joined         string  `json:"joined"`
	Left           *string `json:"left"`
}

// Validate checks the input against today's date (YYYY-MM-DD): a known role,
// real dates, none in the future, and left not before joined.
func (in *MembershipInput) Validate(today string) error { return in.check(today).Err() }

func (in *MembershipInput) check(today string) problem.Fields {
	var f problem.Fields
	if in.OrganisationID <= 0 {
		f.Add("organisation_id", "Choose the organisation.")
	}
	if !in.Role.Valid() {
		f.Add("role", "Choose a role: %s.", valuesText(Roles))
	}
	joinedOK := checkDate(&f, "joined", in.Joined, today, true)
	if in.Left != nil && *in.Left == "" {
		in.Left = nil
	}
	if in.Left != nil && checkDate(&f, "left", *in.Left, today, false) && joinedOK && *in.Left < in.Joined {
		f.Add("left", "The leaving date (%s) cannot be before the joining date (%s).", *in.Left, in.Joined)
	}
	return f
}

// checkDate reports whether s is a valid past-or-today date, adding a
// problem for the field when it is not.
func checkDate(f *problem.Fields, field, s, today string, required bool) bool {
	if s == "" {
		if required {
			f.Add(field, "Enter the date (YYYY-MM-DD).")
		}
		return false
	}
	if _, err := time.Parse(DateLayout, s); err != nil {
		f.Add(field, "%q is not a date: use YYYY-MM-DD, such as 2024-03-01.", s)
		return false
	}
	if s > today {
		f.Add(field, "The date %s is in the future; enter a date up to today (%s).", s, today)
		return false
	}
	return true
}

// ValidateLeft checks the date a membership ends on.
func ValidateLeft(left, joined, today string) error {
	var f problem.Fields
	if checkDate(&f, "left", left, today, true) && left < joined {
		f.Add("left", "The leaving date (%s) cannot be before the joining date (%s).", left, joined)
	}
	return f.Err()
}

// Today is the current date in UTC as YYYY-MM-DD. The region lies west of
// Greenwich, so no local date there is ever later than this.
func Today() string { return time.Now().UTC().Format(DateLayout) }

// MembershipFilter narrows a list of memberships.
type MembershipFilter struct {
	ClusterID      int64
	OrganisationID int64
	Current        bool // only memberships that have not ended
	Limit          int
	Offset         int
}

// overlaps reports whether two membership periods share a day. A period
// with no left date runs on; one ending on the day another starts does not
// overlap it, so an organisation may leave and rejoin on the same day.
func overlaps(aJoined string, aLeft *string, bJoined string, bLeft *string) bool {
	const open = "9999-12-31"
	al, bl := open, open
	if aLeft != nil {
		al = *aLeft
	}
	if bLeft != nil {
		bl = *bLeft
	}
	return aJoined < bl && bJoined < al
}
