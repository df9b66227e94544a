package importer

import (
	"slices"
	"strings"
)

// Kind is what a file imports: organisations or memberships.
type Kind string

// The import kinds.
const (
	Organisations Kind = "organisations"
	Memberships   Kind = "memberships"
)

// Kinds lists the import kinds in the order the page offers them.
var Kinds = []Kind{Organisations, Memberships}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// Key is the message key of the kind's label.
func (k Kind) Key() string { return "import.kind." + string(k) }

// Column is one column of an import file.
type Column struct {
	Name string
	// Required columns must be in the header and have a value on every row.
	Required bool
	// OneOf names the group of which at least one column must be present
	// (cluster_id or cluster_name).
	OneOf string
	// Enum, when set, lists the accepted values (for drop-downs).
	Enum []string
}

// HelpKey is the message key of the column's explanation in the template.
func (c Column) HelpKey(k Kind) string { return "import.help." + string(k) + "." + c.Name }

// The column names, used by the row checks.
const (
	colName           = "name"
	colKind           = "kind"
	colCountry        = "country"
	colArea           = "area"
	colISIC           = "isic"
	colSizeBand       = "size_band"
	colWomenLed       = "women_led"
	colYouthLed       = "youth_led"
	colFounded        = "founded_year"
	colWebsite        = "website"
	colEmail          = "email"
	colPhone          = "phone"
	colContact        = "contact_name"
	colDescription    = "description"
	colAllowDuplicate = "allow_duplicate"

	colClusterID   = "cluster_id"
	colClusterName = "cluster_name"
	colOrgID       = "organisation_id"
	colOrgName     = "organisation_name"
	colOrgCountry  = "organisation_country"
	colRole        = "role"
	colJoined      = "joined"
	colLeft        = "left"
)

var yesNo = []string{"yes", "no"}

// Columns lists a kind's columns in template order. The enumerations come
// from the organisation and cluster domains so that the template, the
// drop-downs and the checks never disagree with them.
func (k Kind) Columns() []Column {
	if k == Memberships {
		return []Column{
			{Name: colClusterID, OneOf: "cluster"},
			{Name: colClusterName, OneOf: "cluster"},
			{Name: colOrgID, OneOf: "organisation"},
			{Name: colOrgName, OneOf: "organisation"},
			{Name: colOrgCountry},
			{Name: colRole, Required: true, Enum: roleValues()},
			{Name: colJoined, Required: true},
			{Name: colLeft},
		}
	}
	return []Column{
		{Name: colName, Required: true},
		{Name: colKind, Required: true, Enum: orgKindValues()},
		{Name: colCountry, Required: true},
		{Name: colArea},
		{Name: colISIC},
		{Name: colSizeBand, Enum: sizeBandValues()},
		{Name: colWomenLed, Enum: yesNo},
		{Name: colYouthLed, Enum: yesNo},
		{Name: colFounded},
		{Name: colWebsite},
		{Name: colEmail},
		{Name: colPhone},
		{Name: colContact},
		{Name: colDescription},
		{Name: colAllowDuplicate, Enum: yesNo},
	}
}

// ColumnNames lists a kind's column names in template order.
func (k Kind) ColumnNames() []string {
	cols := k.Columns()
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Name
	}
	return out
}

// normaliseHeader is how header cells are compared: case-insensitive,
// surrounding spaces ignored, inner spaces and hyphens read as underscores
// so that "Size band" matches size_band.
func normaliseHeader(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff")))
	return strings.NewReplacer(" ", "_", "-", "_").Replace(s)
}
