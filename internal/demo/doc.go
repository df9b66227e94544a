// Package demo generates the demonstration region: a believable CARIFORUM
// programme with the fifteen programme countries, their business support
// organisations (BSOs), research institutions, ministries and NGOs, one
// regional funder, about 120 cluster initiatives per unit of scale in the
// sectors the region has (agro-processing, tourism, creative industries,
// fisheries, ICT, health and wellness, natural products), some of them
// cross-border, about 4,000 firms per unit of scale, and memberships that
// start and end between 2020-01-01 and 2026-06-30; then the programme's
// activity: a closed call of about 90 applications with eligibility
// results, a three-reviewer panel, decisions and improvement plans, an open
// call, five years of events with attendance, and indicator baselines,
// targets and values.
//
// Terms:
//   - profile: what the generator knows of a country: relative economic
//     weight, language (names are Spanish in the Dominican Republic, French
//     and Haitian Creole in Haiti, Dutch and Sranan Tongo in Suriname,
//     English elsewhere), towns, landmarks, how firms spread over its areas
//     and which value chains it has.
//   - theme: a value chain (cocoa, sea moss, animation…) with its sector,
//     its ISIC Rev.4 classes and the words firms in it use in their names.
//   - scale: multiplies initiatives, firms and memberships; BSOs grow only
//     by a few local business centres per country.
//
// The data is deterministic: every random draw comes from a PCG generator
// with a fixed seed (one stream per phase), nothing iterates over a Go map,
// and every date derives from the fixed history window, never from the
// clock — except the open call's, which opens and closes around the day the
// demo is generated so that it can be applied to. Generating twice at the same scale gives identical rows on either
// engine. All names, people, addresses (at the domains RFC 2606 reserves)
// and telephone numbers (in the 555-01xx block kept for fiction) are
// invented.
//
// The region's rows are written with multi-row INSERTs in one transaction,
// so a scale of 10 takes seconds; IDs are assigned by the generator, and
// PostgreSQL's identity sequences are advanced past them afterwards. The
// programme's activity is written after it through the domain stores (so
// eligibility reasons, checks and audit entries are the real ones), in
// transactions of their own.
package demo
