// Package org holds the registry of organisations: firms, business support
// organisations (BSOs), cluster organisations, research and education
// institutions, government bodies, funders and NGOs.
//
// Each organisation is in one country (ISO 3166-1) and optionally one of its
// areas (ISO 3166-2), may carry the ISIC Rev.4 class of its main activity
// (United Nations, International Standard Industrial Classification of All
// Economic Activities, Revision 4, 2008), a size band and whether it is
// women-led or youth-led. The size bands follow the employee thresholds the
// European Commission's SME definition uses (Recommendation 2003/361/EC):
// micro 1–9, small 10–49, medium 50–249, large 250 and more.
//
// Names are compared in a normalised form (NormaliseName: case, accents,
// punctuation and legal-form suffixes ignored), stored as name_norm, so that
// "Blue Mountain Coffee Co. Ltd" and "Blue Mountain Coffee" are found by the
// same search and are recognised as the same organisation when someone
// registers it twice in one country.
//
// Organisations are never deleted: they are archived, which hides them from
// lists and counts but keeps their memberships and history. Every query
// applies the caller's scope (user.OrgReadFilter and user.OrgWriteFilter) and
// every write is audited in its own transaction.
package org
