// Package form holds the data-collection forms of the monitoring work:
// forms imported from XLSForm workbooks, their versions, the W3C/ODK XForm
// generated for each version, the standard templates shipped with the
// platform, and the mapping of a version's numeric fields to indicators.
//
// Terms:
//
//   - XLSForm: a workbook with the sheets survey (one row per field),
//     choices (the answer lists of select fields) and settings (form_id,
//     form_title, version, default_language), as defined at
//     https://xlsform.org. Labels, hints and constraint messages may be
//     given per language in columns such as label::English (en). The parser
//     (xlsform.go) accepts the subset listed in FieldTypes and refuses
//     everything else with a message that names the sheet, row and column.
//   - Form: identified by its stable form_id. Each upload of a workbook with
//     that form_id adds a Version; its version string must be new. Old
//     versions are never changed or deleted, so that submissions made
//     against them stay readable. A version keeps the original workbook, the
//     parsed Definition (as JSON) and the generated XForm with its MD5 hash
//     (the hash OpenRosa form lists announce). A version is published or
//     not; only published versions are meant to be offered to respondents.
//   - XForm: the XML form ODK Collect and Enketo read, as the ODK XForms
//     specification describes it (https://getodk.github.io/xforms-spec/):
//     a primary instance named after the form_id with id and version
//     attributes and meta/instanceID, one bind per field, itext
//     translations for every language, and a body of controls. References
//     ${name} become absolute paths (/form_id/group/name).
//   - Field mapping: a numeric field (integer or decimal, outside any
//     repeat) of a version may be mapped to an indicator and, optionally, to
//     one category of one of the indicator's disaggregation dimensions, so
//     that campaign submissions can later become indicator values.
//
// Access (access.go): everyone signed in reads forms; administrators,
// programme officers and BSO staff import forms, publish versions and edit
// mappings.
package form
