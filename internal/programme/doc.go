// Package programme holds the programmes that fund cluster initiatives and
// their calls for cluster proposals.
//
// A programme belongs to a funder (an organisation of kind funder), keeps
// its amounts in one currency (ISO 4217) and names the countries where
// applicants may be located (ISO 3166-1 alpha-3). It may run in a window of
// dates.
//
// A call for proposals has two stages: applicants send a concept note by
// the call's closing time, and the clusters the panel shortlists then send
// a full plan by a later date. Times are stored in UTC and shown in the
// call's IANA time zone with their offset; the region's default is
// America/Port_of_Spain (UTC−4, no daylight saving time). A call's status
// is derived, never stored: draft until published, then upcoming, open or
// closed by its dates.
//
// Every setting that changed from one call of the real programme to the
// next is a setting of the call: the grant ceiling (in minor units of the
// programme's currency), the largest share of the project budget the grant
// may cover, the smallest share the cluster contributes, and how much of
// that contribution may be in kind (at most a share in kind, or at least a
// share in cash); the eligibility rules; and the scoring criteria, whose
// weights sum to 100, each with a rubric describing what earns each score.
//
// Eligibility rules come from a library of checks (rules.go): at least n
// private firms collaborating, location in an eligible country, months of
// operation, formal registration, no enforceable tax debt (a declaration),
// required documents, co-financing, the grant ceiling, and the commitment
// to provide monitoring, evaluation and audit information. Each is a kind
// with typed JSON parameters; the library validates them, says what a rule
// asks in plain language in the reader's language, and evaluates a rule
// against an application's facts with a reason. The co-financing and grant
// ceiling rules are derived from the call's own fields on every save, so
// the two can never disagree.
//
// Applications (application*.go): a lead organisation (a BSO, a cluster
// organisation or the cluster's lead firm) drafts a concept note for an
// open call, with a cluster datasheet of registry organisations and their
// roles and a budget request by funding source (grant, counterpart in cash,
// counterpart in kind) in minor units of the programme's currency. BSO
// staff work on their BSO's applications and those of the clusters it
// leads, cluster managers on their cluster's; programme officers read the
// applications to the calls they oversee. Submission, refused from the
// call's closing time on, evaluates every eligibility rule of the call
// against the application's facts and stores each result with its reason
// in the submitter's language; a submitted application is frozen.
//
// Administrators and programme officers create and edit programmes and
// calls; a programme officer whose account is scoped to one programme
// (programme:ID) works on that programme only (access.go). Everyone signed
// in reads programmes and published calls; a published call has a public
// page that needs no account. Nothing is deleted: programmes and calls are
// archived, and every write is audited in its own transaction.
package programme
