// Package indicator is the results framework: the indicators a programme
// monitors, each with its reference sheet, and the baselines and targets set
// for each subject and period. Values, data-collection forms and campaigns
// build on it later.
//
// Terms:
//
//   - Indicator: something measured, identified by a code that never
//     changes (JOBS_CREATED). Its reference sheet holds the definition,
//     unit, level in the results chain (output, outcome, impact), whether it
//     is a number or a percentage, which direction is good, how values
//     aggregate, the disaggregations, the means of verification, how often
//     it is collected and which role reports it. Programme standard
//     indicators ship with the platform (migration 0120); officers add
//     custom ones. Every edit of a sheet needs a reason and is kept in its
//     change log; indicators are archived, never deleted.
//   - Aggregation is given twice because subjects and time differ: jobs
//     created add up over clusters and over months (a flow, "sum"); firms
//     that have adopted a practice add up over clusters but over time the
//     value of a year is the value at its end (a stock, "last"); rates take
//     an average, weighted by another indicator (weight_code) where the
//     subjects differ in size. The flow and stock distinction is that of the
//     System of National Accounts 2008 (United Nations et al., 2009,
//     chapter 3); the sheet's fields follow the performance indicator
//     reference sheets that results-based programmes keep (for example
//     USAID's, under ADS chapter 201).
//   - Disaggregation dimensions and categories: sex (women, men), youth
//     (15 to 35 years old, as the programme defines it), firm size (micro
//     1–9, small 10–49, medium 50–249, large 250 or more employees, the
//     bands of org.SizeBandFor). A target is set for the total or for one
//     category.
//   - Formula indicator: computed from others by an expression over their
//     codes with + - * /, unary minus, numbers and parentheses (formula.go,
//     pure logic). A formula may not refer to itself, directly or through
//     other formulas, nor to an indicator that does not exist or is archived;
//     a division by zero or a missing input gives "not defined", never NaN.
//   - Subject: what a baseline or target is for — a cluster initiative or an
//     organisation (by ID) or a country (by ISO3), written cluster:12,
//     organisation:5, country:JAM.
//   - Period: a month, quarter or year, written canonically 2025-07,
//     2025-Q3, 2025; a target's period may not be shorter than the
//     indicator's collection frequency.
//   - Baseline and target: one value per indicator, subject, kind, period
//     and category. Setting it again revises it: the reason is required and
//     every earlier value is kept with who set it, when and why.
//
// Access (access.go): everyone signed in reads indicators; administrators
// and programme officers define them. Baselines and targets are read and
// written under the subject's own scope rules from the user package: BSO
// staff for the clusters their BSO leads, cluster managers for their
// cluster, administrators and programme officers for every subject.
//
// Values (value*.go): one value per indicator, subject, period and
// category, entered, imported or from a survey. Entering it again adds a
// version and keeps the earlier ones. Each version is received, has
// issues, approved or rejected; administrators and programme officers
// review, and results count only the latest approved version. The
// built-in rule: a dimension's categories may not add up to more than the
// total (a warning, not a refusal). Target against actual: percent of
// target is actual ÷ target, or where lower is better (baseline − actual) ÷
// (baseline − target); a longer period without a value of its own takes
// the complete set of its quarters or months under the indicator's rule
// over time. Missing data is shown as such, never as zero.
package indicator
