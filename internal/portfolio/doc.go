// Package portfolio shows a programme's pipeline and money as its officers
// follow them, and a BSO's own applications, plans and projects.
//
// The pipeline counts submitted applications through five stages, each a
// subset of the one before: submitted, eligible (every eligibility rule
// passed), shortlisted (the panel's decision; an application with a plan
// counts as shortlisted), plan approved (the plan has an implementation
// baseline), implementing (spending recorded against it). Applications are
// placed in the country of their lead organisation and the sector of their
// cluster initiative ("not given" when they name none).
//
// Committed money is the budget of each approved plan's baseline version,
// by funding source; disbursed grant and delivered counterpart are the
// spending recorded against those plans. Everything is computed from the
// stored records at each view; a programme has hundreds of applications,
// not millions.
//
// Access: administrators and the programme's officers see all of it;
// country coordinators see their country's part; BSO staff and cluster
// managers see their own applications, plans and projects at /portfolio.
package portfolio
