// Package event holds the events of cluster initiatives: meetings,
// workshops, trainings, trade missions and matchmaking sessions that one or
// several clusters hold, with their organiser, dates, place and who took
// part.
//
// Attendance is recorded twice over, on purpose: the event carries its
// participant totals by sex (women, men, other or unspecified) and youth
// (aged 15 to 35, a subset of the total), and the attendee list names the
// organisations of the registry that took part, each with its own counts.
// The attendee counts may not add up to more than the event's totals:
// people who came on their own, or from organisations outside the
// registry, are counted only in the totals.
//
// Who took part in what, and when, is the evidence from which the
// cooperation network is later derived (a joint event is one kind of tie
// between organisations). CoAttendance lists the pairs of organisations
// that attended the same event within a period, with the event and its
// date, as the starting point for that work.
//
// Clusters and organisations belong to their own domains; this package
// refers to them by ID and reads their tables for names and scope. Every
// query applies the caller's scope in its SQL (see scope.go), and every
// write is audited in its transaction.
package event
