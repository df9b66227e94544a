package org

import (
	"bytes"
	"encoding/json"
	"strings"
)

// Nullable is a JSON field of a partial update that can be absent (keep
// the value), null (clear it) or a value.
type Nullable[T any] struct {
	Set   bool // the field was in the body
	Value *T   // nil when the body said null
}

// UnmarshalJSON records that the field was sent, and its value or null.
func (n *Nullable[T]) UnmarshalJSON(b []byte) error {
	n.Set = true
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		n.Value = nil
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	n.Value = &v
	return nil
}

// Patch is a partial update of an organisation (PATCH): fields left out
// keep their values; area_id and founded_year may be null to clear them,
// and text fields may be "" to clear them.
type Patch struct {
	Kind           *Kind           `json:"kind"`
	Name           *string         `json:"name"`
	Country        *string         `json:"country"`
	AreaID         Nullable[int64] `json:"area_id"`
	ISIC           *string         `json:"isic"`
	SizeBand       *SizeBand       `json:"size_band"`
	WomenLed       *bool           `json:"women_led"`
	YouthLed       *bool           `json:"youth_led"`
	FoundedYear    Nullable[int]   `json:"founded_year"`
	Website        *string         `json:"website"`
	Email          *string         `json:"email"`
	Phone          *string         `json:"phone"`
	ContactName    *string         `json:"contact_name"`
	Description    *string         `json:"description"`
	AllowDuplicate bool            `json:"allow_duplicate"`
}

// Apply returns in with the patch's fields changed. A new country without
// a new area clears the area, which belonged to the old country.
func (p Patch) Apply(in Input) Input {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	if p.Kind != nil {
		in.Kind = *p.Kind
	}
	set(&in.Name, p.Name)
	if p.Country != nil && !strings.EqualFold(strings.TrimSpace(*p.Country), in.Country) && !p.AreaID.Set {
		in.AreaID = nil
	}
	set(&in.Country, p.Country)
	if p.AreaID.Set {
		in.AreaID = p.AreaID.Value
	}
	set(&in.ISIC, p.ISIC)
	if p.SizeBand != nil {
		in.SizeBand = *p.SizeBand
	}
	if p.WomenLed != nil {
		in.WomenLed = *p.WomenLed
	}
	if p.YouthLed != nil {
		in.YouthLed = *p.YouthLed
	}
	if p.FoundedYear.Set {
		in.FoundedYear = p.FoundedYear.Value
	}
	set(&in.Website, p.Website)
	set(&in.Email, p.Email)
	set(&in.Phone, p.Phone)
	set(&in.ContactName, p.ContactName)
	set(&in.Description, p.Description)
	in.AllowDuplicate = p.AllowDuplicate
	return in
}
