// Package openrosa speaks the OpenRosa 1.0 protocol that ODK Collect and
// Enketo use to fetch blank forms and send filled ones: the form list and
// manifest documents (https://docs.getodk.org/openrosa-form-list/), the
// OpenRosaResponse message a server answers a submission with, the
// multipart/form-data submission request with its xml_submission_file part
// and attachments (https://docs.getodk.org/openrosa-form-submission/), and
// the reading of a submitted instance against the form version it claims
// to answer.
//
// The package knows forms (internal/form) but not campaigns or storage:
// an instance is turned into the platform's normalised answers — field name
// to value, a repeat as a list of objects — and handed to whoever stores
// it. Every reader here is strict and bounded: an instance for another form
// or version, an element that is not a field of that version, a value of
// the wrong type, a body or attachment over its limit, each is refused with
// a message that names the element or part, and nothing here panics on
// hostile input (fuzzed in instance_fuzz_test.go).
package openrosa
