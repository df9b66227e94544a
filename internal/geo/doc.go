// Package geo holds the places the platform knows: countries (ISO 3166-1)
// and their subdivisions, called areas (ISO 3166-2).
//
// The programme countries (in_region) are the fifteen CARIFORUM states that
// Compete Caribbean serves; Montserrat and Cuba are kept as reference rows
// because records may mention them. Areas form at most two levels: the
// Dominican Republic has ten regions with the provinces (and the Distrito
// Nacional) under them, and Saint Kitts and Nevis has two states with their
// parishes; every other country has one level. Montserrat's three parishes
// have no ISO code, so an area's code may be empty and areas are keyed by
// their ID.
//
// This is reference data: it is loaded at start from the files in
// internal/refdata and read by everyone, so its API needs no sign-in.
package geo
