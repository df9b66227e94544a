// Package implementation follows an approved cluster competitiveness
// improvement plan once it is carried out: what is spent against the
// budget lines of its approved baseline and from which source (the grant,
// the cluster's counterpart in cash, the counterpart given in kind), how
// its milestones progress, and the quarterly progress reports the
// facilitator writes and a programme officer accepts.
//
// Terms:
//
//   - baseline: the version of the plan the programme approved last
//     (plan.Plan.BaselineVersion). Spending and progress are always
//     recorded against it.
//   - line, milestone: positions, from 1, in the baseline's budget and
//     milestone lists. A record keeps the baseline version and the
//     position it was made against.
//   - placement rule: when a revision becomes the baseline, a record of an
//     earlier baseline counts against the line (or milestone) at the same
//     position of the new baseline when that line's project title and
//     category (for a milestone: its project title and title) are
//     unchanged; otherwise it is shown apart, under "lines of an earlier
//     baseline", still counting in the plan's totals by source.
//   - execution: planned against spent, per line and in total, by source,
//     with warnings: a line spent beyond its total; a source spent beyond
//     the plan's total for it; a counterpart (cash and in kind) that falls
//     below the plan's counterpart share of the spending so far (judged by
//     the call's co-financing rule, programme.Cofinancing.CounterpartShareOK,
//     with the plan's own share as the minimum when it is higher than the
//     call's); milestones overdue.
//   - late: a milestone whose due date has passed and which is not done.
//     It is worked out when read, never stored.
//   - period: a calendar quarter, written 2026-Q1.
//
// Who may do what is the plan's rule (plan.Store.MayEdit and
// FindPlanByID): those who may edit a plan record its implementation,
// those who may read it read its implementation, and programme officers
// and administrators accept its progress reports.
package implementation
