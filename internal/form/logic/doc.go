// Package logic runs a form's logic on the server: which questions apply
// (relevant), which must be answered (required), which answers break the
// form's rules (constraint), what calculations give, and which choices a
// choice_filter offers, over the answers of one submission.
//
// It is the server's copy of the respondent page's engine
// (frontend/src/respondent/engine.js) with the same semantics, which are
// ODK's: a question that does not apply has a blank value for every
// expression that reads it; a blank answer is never checked against its
// constraint; relevance and calculations are evaluated in document order
// until nothing changes. Expressions are read by internal/form/expr.
//
// The tests replay the conformance cases of frontend/conformance and
// compare every node with the states ODK's reference engine
// (@getodk/xforms-engine) gave for the same steps
// (internal/form/testdata/conformance/*.reference.json, written by
// `node frontend/conformance/run.mjs --write`).
//
// Check is what the campaign channels call: it lists the problems of a
// submission's answers by field, repeat occurrence and kind, and computes
// the calculations the answers did not bring.
package logic
