package form

import (
	"time"
)

// FieldType is the kind of a field, as the XLSForm type column names it
// (without the list name of selects; "begin group" is TypeGroup).
type FieldType string

// The supported field types.
const (
	TypeText           FieldType = "text"
	TypeInteger        FieldType = "integer"
	TypeDecimal        FieldType = "decimal"
	TypeSelectOne      FieldType = "select_one"
	TypeSelectMultiple FieldType = "select_multiple"
	TypeDate           FieldType = "date"
	TypeDateTime       FieldType = "datetime"
	TypeNote           FieldType = "note"
	TypeCalculate      FieldType = "calculate"
	TypeAcknowledge    FieldType = "acknowledge"
	TypeGeopoint       FieldType = "geopoint"
	TypeImage          FieldType = "image"
	TypeFile           FieldType = "file"
	TypeGroup          FieldType = "group"
	TypeRepeat         FieldType = "repeat"
)

// FieldTypes lists the types a survey row may have, as written in XLSForm.
var FieldTypes = []string{"text", "integer", "decimal", "select_one LIST", "select_multiple LIST", "date", "datetime",
	"note", "calculate", "acknowledge", "geopoint", "image", "file", "begin group", "end group", "begin repeat", "end repeat"}

// IsSelect reports whether the field chooses from a choice list.
func (t FieldType) IsSelect() bool { return t == TypeSelectOne || t == TypeSelectMultiple }

// IsNumeric reports whether the field holds a number.
func (t FieldType) IsNumeric() bool { return t == TypeInteger || t == TypeDecimal }

// IsContainer reports whether the field is a group or a repeat.
func (t FieldType) IsContainer() bool { return t == TypeGroup || t == TypeRepeat }

// Text is a text in several languages, keyed by the language name as the
// workbook gives it ("English (en)"); a text without language is keyed by
// the form's default language.
type Text map[string]string

// In returns the text in lang, else in the fallback language, else any
// text (by the first language in order), else "".
func (t Text) In(lang, fallback string, order []string) string {
	if s := t[lang]; s != "" {
		return s
	}
	if s := t[fallback]; s != "" {
		return s
	}
	for _, l := range order {
		if s := t[l]; s != "" {
			return s
		}
	}
	return ""
}

// Field is one row of the survey sheet (the end of a group or repeat is not
// a field: Parent says which group or repeat holds a field). Fields keep the
// workbook's order.
type Field struct {
	Name              string    `json:"name"`
	Type              FieldType `json:"type"`
	ChoiceList        string    `json:"choice_list,omitempty"`
	Label             Text      `json:"label,omitempty"`
	Hint              Text      `json:"hint,omitempty"`
	Required          bool      `json:"required"`
	Relevant          string    `json:"relevant,omitempty"`
	Constraint        string    `json:"constraint,omitempty"`
	ConstraintMessage Text      `json:"constraint_message,omitempty"`
	Calculation       string    `json:"calculation,omitempty"`
	Default           string    `json:"default,omitempty"`
	Appearance        string    `json:"appearance,omitempty"`
	ChoiceFilter      string    `json:"choice_filter,omitempty"`
	// Path is the field's absolute path in the instance: /form_id/group/name.
	Path string `json:"path"`
	// Parent is the path of the group or repeat that holds the field, or ""
	// at the top level; Repeat is the path of the innermost repeat, or "".
	Parent string `json:"parent,omitempty"`
	Repeat string `json:"repeat,omitempty"`
	// Row is the survey row the field came from (1 is the header).
	Row int `json:"row"`
}

// Choice is one answer of a choice list. Extra holds the values of the
// list's other columns, which choice filters use.
type Choice struct {
	Name  string            `json:"name"`
	Label Text              `json:"label,omitempty"`
	Extra map[string]string `json:"extra,omitempty"`
}

// ChoiceList is a named list of answers from the choices sheet.
type ChoiceList struct {
	Name    string   `json:"name"`
	Choices []Choice `json:"choices"`
}

// Definition is a parsed XLSForm: its settings, fields and choice lists.
type Definition struct {
	FormID          string       `json:"form_id"`
	Title           string       `json:"title"`
	Version         string       `json:"version"`
	DefaultLanguage string       `json:"default_language"`
	Languages       []string     `json:"languages"`
	Fields          []Field      `json:"fields"`
	ChoiceLists     []ChoiceList `json:"choice_lists"`
	// ExtraColumns are the choices sheet's columns beyond list_name, name
	// and label, in workbook order.
	ExtraColumns []string `json:"extra_columns,omitempty"`
}

// Field returns the field with the given name.
func (d *Definition) Field(name string) (*Field, bool) {
	for i := range d.Fields {
		if d.Fields[i].Name == name {
			return &d.Fields[i], true
		}
	}
	return nil, false
}

// ChoiceList returns the list with the given name.
func (d *Definition) ChoiceList(name string) (*ChoiceList, bool) {
	for i := range d.ChoiceLists {
		if d.ChoiceLists[i].Name == name {
			return &d.ChoiceLists[i], true
		}
	}
	return nil, false
}

// NumericFields lists the fields that may be mapped to an indicator: integer
// and decimal fields outside any repeat, which hold one value per
// submission.
func (d *Definition) NumericFields() []Field {
	var out []Field
	for _, f := range d.Fields {
		if f.Type.IsNumeric() && f.Repeat == "" {
			out = append(out, f)
		}
	}
	return out
}

// Form is a form with a stable form_id and one or more versions.
type Form struct {
	ID     int64  `json:"id"`
	FormID string `json:"form_id"`
	// Title is the title of the latest version.
	Title         string    `json:"title"`
	LatestVersion string    `json:"latest_version"`
	Versions      int       `json:"versions"`
	Published     int       `json:"published_versions"`
	CreatedBy     *int64    `json:"created_by"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// Version is one uploaded version of a form. The workbook, the XForm and
// the definition are loaded by their own store methods.
type Version struct {
	ID              int64      `json:"id"`
	FormID          int64      `json:"form"`
	FormKey         string     `json:"form_id"`
	Version         string     `json:"version"`
	Title           string     `json:"title"`
	DefaultLanguage string     `json:"default_language"`
	Languages       []string   `json:"languages"`
	WorkbookName    string     `json:"workbook_name"`
	XFormMD5        string     `json:"xform_md5"`
	Fields          int        `json:"field_count"`
	Published       bool       `json:"published"`
	PublishedAt     *time.Time `json:"published_at"`
	CreatedBy       *int64     `json:"created_by"`
	Actor           string     `json:"created_by_name"`
	CreatedAt       time.Time  `json:"created_at"`
}
