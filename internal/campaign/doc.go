// Package campaign runs data-collection campaigns of the monitoring work and
// keeps their submissions.
//
// Terms:
//
//   - Campaign: a published version of a form (package form) sent to
//     respondents for one period (2025, 2025-Q3 or 2025-07), open from
//     opens_on to closes_on, with a deadline the reminders count down to.
//     It moves draft → open → closed. Respondents are fixed when the
//     campaign is created: the organisations that were members of the
//     chosen clusters at any time during the period, also those that have
//     left since, but not those that joined after it ended (an organisation
//     in two chosen clusters is invited once), and any organisations chosen
//     by name (respondents.go).
//   - Invitation: one per respondent, reached through the link /r/{token}.
//     The token is 32 random bytes from crypto/rand (256 bits), written in
//     base64url; only its SHA-256 hash is stored, so a copy of the database
//     does not reveal working links. The token is therefore shown only when
//     it is made: when the campaign opens (for respondents without email,
//     so the officer can send it by WhatsApp or SMS), or when an officer
//     makes a new link, which ends the old one. Respondents with an email
//     address get their link by email in their country's first language
//     (English when the platform does not speak it).
//   - Reminder: emailed to the respondents who have not answered, a given
//     number of days before the deadline (ReminderDays, 7 and 2 by
//     default), by a background job scheduled when the campaign opens. A
//     reminder is recorded per invitation and day before it is sent, so no
//     respondent gets the same reminder twice.
//   - Submission: one set of answers, normalised as a JSON object (field
//     name → value; a repeat is an array of objects), kept with the raw
//     payload it came in (XML from ODK Collect, JSON from the web page) and
//     the list of its attachments. Every channel — the web page, OpenRosa,
//     Excel upload, staff entry — stores through Store.Submit, which is
//     idempotent on the client-made instance ID: a retry with the same
//     content returns the stored submission; different content under a
//     stored instance ID is refused, unless it is an edit naming the
//     replaced submission's instance ID as deprecated_id (as ODK does). An
//     edit is a new row linked to the first submission of its chain; the
//     replaced row is kept, marked superseded, so the history stays whole.
//     Submit runs one transaction of two statements (find the link,
//     invitation and campaign in one query; insert ON CONFLICT DO NOTHING)
//     and returns only after the commit. A submission row is its own audit
//     record (who: the invitation or the staff member; when; the raw
//     payload; edits as new rows), so submissions are not copied into the
//     audit log; campaign changes, links and reviews are.
//   - Review: a submission is received, then has issues, approved or
//     rejected with a comment. Approving turns each numeric field mapped to
//     an indicator (form.Mapping) into an indicator value for the
//     respondent organisation, the campaign's period and the mapping's
//     category, with source "survey".
//   - Answering page: /r/{token} serves the respondent renderer (package
//     web's respondent assets: the form's definition as JSON, the words in
//     the respondent's language, a service worker at /r/sw.js that keeps
//     the page working offline); it posts JSON, or multipart with files, to
//     /r/{token}/submissions (201 new, 200 a retry). The plain HTML form
//     inside the page is the fallback without JavaScript and posts to
//     /r/{token}.
//   - ODK Collect: a campaign's OpenRosa server is /openrosa/{key} (form
//     list, form, manifest, submission; openrosa_web.go). Field officers
//     sign in with an app user (a name and a secret shown once, stored
//     hashed, revocable; appuser.go). The form Collect gets asks first
//     which respondent is answering; its answer names the invitation the
//     submission is stored under.
//
// Access (access.go): administrators and programme officers run every
// campaign; BSO staff run the campaigns of their BSO, over the clusters
// their BSO leads and the organisations they may see. Respondents need no
// account: the link is their key.
package campaign
