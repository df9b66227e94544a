package org

import (
	"time"
)

// Kind is what sort of organisation it is.
type Kind string

// The organisation kinds.
const (
	KindBSO        Kind = "bso"
	KindClusterOrg Kind = "cluster_org"
	KindFirm       Kind = "firm"
	KindResearch   Kind = "research"
	KindGovernment Kind = "government"
	KindFunder     Kind = "funder"
	KindNGO        Kind = "ngo"
)

// Kinds lists every kind in the order forms and filters show them.
var Kinds = []Kind{KindBSO, KindClusterOrg, KindFirm, KindResearch, KindGovernment, KindFunder, KindNGO}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return oneOf(k, Kinds) }

// Key is the message key of the kind's label.
func (k Kind) Key() string { return "org.kind." + string(k) }

// SizeBand is a firm's size by number of employees; the empty band means
// the size is not known.
type SizeBand string

// The size bands.
const (
	SizeUnknown SizeBand = ""
	SizeMicro   SizeBand = "micro"
	SizeSmall   SizeBand = "small"
	SizeMedium  SizeBand = "medium"
	SizeLarge   SizeBand = "large"
)

// SizeBands lists the known size bands from smallest to largest.
var SizeBands = []SizeBand{SizeMicro, SizeSmall, SizeMedium, SizeLarge}

// Valid reports whether b is a known band or the empty (unknown) band.
func (b SizeBand) Valid() bool { return b == SizeUnknown || oneOf(b, SizeBands) }

// Key is the message key of the band's label ("org.size.unknown" for the empty band).
func (b SizeBand) Key() string {
	if b == SizeUnknown {
		return "org.size.unknown"
	}
	return "org.size." + string(b)
}

// Order is the band's rank from 1 (micro) to 4 (large), 0 when unknown.
func (b SizeBand) Order() int {
	for i, x := range SizeBands {
		if x == b {
			return i + 1
		}
	}
	return 0
}

// SizeBandFor returns the band of a number of employees; fewer than one
// employee gives the unknown band.
func SizeBandFor(employees int) SizeBand {
	switch {
	case employees <= 0:
		return SizeUnknown
	case employees < 10:
		return SizeMicro
	case employees < 50:
		return SizeSmall
	case employees < 250:
		return SizeMedium
	}
	return SizeLarge
}

// Organisation is an organisation as pages and the API show it.
type Organisation struct {
	ID          int64      `json:"id"`
	Kind        Kind       `json:"kind"`
	Name        string     `json:"name"`
	Country     string     `json:"country"` // ISO3
	CountryName string     `json:"-"`       // English name, for pages that lack a translation
	AreaID      *int64     `json:"area_id"`
	AreaName    string     `json:"area_name"`
	ISIC        string     `json:"isic"` // ISIC Rev.4 class, "" when unknown
	ISICTitle   string     `json:"isic_title"`
	SizeBand    SizeBand   `json:"size_band"`
	WomenLed    bool       `json:"women_led"`
	YouthLed    bool       `json:"youth_led"`
	FoundedYear *int       `json:"founded_year"`
	Website     string     `json:"website"`
	Email       string     `json:"email"`
	Phone       string     `json:"phone"`
	ContactName string     `json:"contact_name"`
	Description string     `json:"description"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	ArchivedAt  *time.Time `json:"archived_at"`
}

// Archived reports whether the organisation has been archived.
func (o *Organisation) Archived() bool { return o.ArchivedAt != nil }

// Filter narrows a list of organisations.
type Filter struct {
	Query    string // part of the name (normalised) or of the email address
	Kind     Kind
	Country  string // ISO3
	Area     int64
	ISIC     string // a section letter, or the first 2 to 4 digits of a class
	SizeBand SizeBand
	// UnknownSize keeps organisations whose size band is not known.
	UnknownSize     bool
	WomenLed        *bool // nil: either
	YouthLed        *bool
	IncludeArchived bool
	Sort            string // one of SortKeys, "-" prefix for descending
	Limit           int    // at most 500; 0 means 50
	Offset          int
}

// SortKeys are the columns a list of organisations may be sorted by.
var SortKeys = []string{"name", "country", "kind", "created", "size"}

func oneOf[T comparable](v T, list []T) bool {
	for _, x := range list {
		if v == x {
			return true
		}
	}
	return false
}

// valuesText lists enum values for validation messages ("a, b or c").
func valuesText[T ~string](list []T) string {
	s := ""
	for i, v := range list {
		switch {
		case i == 0:
		case i == len(list)-1:
			s += " or "
		default:
			s += ", "
		}
		s += string(v)
	}
	return s
}
