// Package user holds accounts, roles and scopes, passwords, sessions, API
// tokens and one-time links (password resets and invitations).
//
// Roles and what their scope limits (DESIGN §1):
//
//	admin                everything
//	programme_officer    reads every cluster initiative and organisation of the region
//	bso_staff            scope bso:ID — the clusters that BSO leads, and organisations in
//	                     the BSO's country or in its clusters
//	cluster_manager      scope cluster:ID — that cluster, its members, and organisations
//	                     in the cluster's countries
//	reviewer             applications assigned to them (none of the registry)
//	country_coordinator  scope country:ISO3 — reads that country's clusters and organisations
//
// The rules are enforced in the storage queries (see the Access helpers used
// by the org and cluster stores), not only by hiding links in pages.
//
// Passwords are hashed with argon2id (RFC 9106) at the OWASP-recommended
// parameters m=19 MiB, t=2, p=1. Session and API tokens are 256-bit random
// values; only their SHA-256 is stored.
package user
