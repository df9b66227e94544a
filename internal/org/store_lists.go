package org

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/clusterobservatory/observatory/internal/user"
)

// CountByCountry counts the organisations that are not archived by country
// (ISO3) and kind, for the region map. These are published aggregates, so
// no scope applies.
func (s *Store) CountByCountry(ctx context.Context) (map[string]map[Kind]int, error) {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT country_iso3, kind, COUNT(*) FROM organisations
		WHERE archived_at IS NULL GROUP BY country_iso3, kind`)
	if err != nil {
		return nil, fmt.Errorf("count organisations: %w", err)
	}
	defer rows.Close()
	out := map[string]map[Kind]int{}
	for rows.Next() {
		var country string
		var kind Kind
		var n int
		if err := rows.Scan(&country, &kind, &n); err != nil {
			return nil, err
		}
		if out[country] == nil {
			out[country] = map[Kind]int{}
		}
		out[country][kind] = n
	}
	return out, rows.Err()
}

// Industry is an ISIC Rev.4 section or division offered as a filter.
type Industry struct {
	Code    string
	Title   string
	Section bool // a section (letter); divisions are indented under it
}

// IndustryOptions lists the ISIC sections, each followed by its divisions.
func (s *Store) IndustryOptions(ctx context.Context) ([]Industry, error) {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT code, level, parent_code, title FROM isic_codes
		WHERE level IN ('section', 'division') ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("industries: %w", err)
	}
	defer rows.Close()
	var sections []Industry
	divisions := map[string][]Industry{}
	for rows.Next() {
		var code, level, parent, title string
		if err := rows.Scan(&code, &level, &parent, &title); err != nil {
			return nil, err
		}
		if level == "section" {
			sections = append(sections, Industry{Code: code, Title: title, Section: true})
		} else {
			divisions[parent] = append(divisions[parent], Industry{Code: code, Title: title})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.Slice(sections, func(i, j int) bool { return sections[i].Code < sections[j].Code })
	var out []Industry
	for _, sec := range sections {
		out = append(out, sec)
		out = append(out, divisions[sec.Code]...)
	}
	return out, nil
}

// Membership is an organisation's part in a cluster initiative, as its
// profile lists it.
type Membership struct {
	ClusterID       int64
	ClusterName     string
	ClusterArchived bool
	Role            string
	Joined          string // YYYY-MM-DD
	Left            string // YYYY-MM-DD, "" while current
}

// Current reports whether the organisation is still a member.
func (m Membership) Current() bool { return m.Left == "" }

// JoinedTime is the joining day as a time, for formatting.
func (m Membership) JoinedTime() time.Time { return day(m.Joined) }

// LeftTime is the leaving day as a time (zero while current).
func (m Membership) LeftTime() time.Time { return day(m.Left) }

func day(s string) time.Time {
	t, _ := time.Parse("2006-01-02", s)
	return t
}

// FindMemberships lists the cluster initiatives organisation id takes or
// took part in, among those the actor may read, current ones first.
func (s *Store) FindMemberships(ctx context.Context, actor user.Actor, id int64) ([]Membership, error) {
	var w where
	w.add("m.organisation_id = $%d", id)
	w.scope(user.ClusterReadFilter, actor, "c")
	rows, err := s.db.Read().QueryContext(ctx, `SELECT c.id, c.name, c.archived_at IS NOT NULL, m.role, m.joined_on, COALESCE(m.left_on, '')
		FROM memberships m JOIN clusters c ON c.id = m.cluster_id `+w.String()+`
		ORDER BY CASE WHEN m.left_on IS NULL THEN 0 ELSE 1 END, m.joined_on DESC, c.name_norm, m.id`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("memberships of organisation %d: %w", id, err)
	}
	defer rows.Close()
	var out []Membership
	for rows.Next() {
		var m Membership
		if err := rows.Scan(&m.ClusterID, &m.ClusterName, &m.ClusterArchived, &m.Role, &m.Joined, &m.Left); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
