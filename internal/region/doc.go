// Package region serves the top two levels of the platform's map of the
// mission, Region → Country → Cluster initiative → Organisation: the region
// home page and the country pages.
//
// Both pages show published aggregates to everyone: counts of the records
// that are not archived — business support organisations (organisations of
// kind bso), firms, cluster initiatives and current memberships (those with
// no left_on date) of those initiatives. A cross-border initiative counts in
// each of its countries, so per-country figures add up to more than the
// region's. The figures are computed with a few GROUP BY queries and kept in
// memory for a short time (see cache.go), since the region page is the
// busiest page of the platform.
//
// Signed-in people also see, on a country page, the cluster initiatives and
// BSOs of that country that their role and scope let them read. Which rows
// they may read is decided on every request in SQL, with the user package's
// scope rules (user.ClusterReadFilter, user.OrgReadFilter); the rows'
// contents come from the country's cached figures (see store_lists.go).
//
// The large tables are rendered once per language and content and reused
// (see fragment.go): executing templates over them cost more than the rest
// of a request.
//
// This package reads the organisation and cluster tables with its own SQL
// rather than through their domains' stores: it only counts and lists, and
// must not depend on domains that come after it.
package region
