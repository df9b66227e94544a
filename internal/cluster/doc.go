// Package cluster holds cluster initiatives and their memberships.
//
// A cluster initiative is a programme of joint work by firms and supporting
// institutions of one value chain, usually in one country and sometimes
// across several (a cross-border cluster). Each initiative is led by a
// business support organisation (BSO), may have its own cluster organisation
// (the body that manages it), moves through a lifecycle of stages from
// identified to closed, and is described by a sector, a value chain in plain
// words and the ISIC Rev.4 classes (United Nations, ISIC Rev.4, 2008) of the
// industries it covers.
//
// Memberships record which organisations take part, in what role and from
// when to when. A membership is never deleted: it ends by setting its left
// date, and an organisation that comes back gets a new membership, so the
// history of who took part when stays intact. The periods of one
// organisation in one cluster never overlap.
//
// Organisations belong to the org domain; this package refers to them by ID
// and reads the organisations table directly for names, kinds and countries.
// Every query applies the caller's scope (user.ClusterReadFilter and
// user.ClusterWriteFilter), and every write is audited in its transaction.
package cluster
