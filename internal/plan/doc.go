// Package plan is the workspace of a cluster competitiveness improvement
// plan (CCIP): the plan a shortlisted application's cluster writes with
// its facilitator before the programme funds it.
//
// Terms:
//
//   - A plan belongs to one application (and so to its call, programme,
//     BSO and cluster). It holds a vision, strategic objectives, action
//     lines, projects with their activities and milestones, risks, and a
//     budget of lines by funding source: the grant, the cluster's
//     counterpart in cash and its counterpart in kind, in minor units of
//     the programme's currency.
//   - Every save stores the whole content as a new version; two versions
//     compare as a list of added, removed and changed items (diff.go).
//     A save names the version it was based on and is refused when
//     another was saved since.
//   - Workflow: draft → submitted → approved, or returned with comments
//     (editable again). The approved version is the implementation
//     baseline; a later edit starts a draft revision that must be
//     approved again, while the baseline stays readable.
//   - Co-financing checks (checks.go) judge the budget against the call's
//     settings with the programme package's arithmetic: the grant's share
//     at most the maximum, the grant at most the ceiling, the counterpart's
//     share at least the minimum, and the in-kind rule.
package plan
