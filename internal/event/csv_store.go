package event

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/org"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// ImportAttendance replaces an event's attendee list with the rows of a
// CSV file (see parseAttendanceCSV), organisations given by ID or by name.
// Every bad row is reported, by line and column, before anything is
// stored; with setTotals the event's totals become the file's sums.
func (s *Store) ImportAttendance(ctx context.Context, actor user.Actor, id int64, file string, data []byte, setTotals bool) (*Event, error) {
	if _, err := loadEvent(ctx, s.db.Read(), actor, WriteFilter, id); err != nil {
		return nil, err
	}
	rows, details := parseAttendanceCSV(file, data)
	if len(rows) == 0 && len(details) > 0 {
		return nil, &problem.Error{Kind: problem.Invalid, Message: "The attendance was not stored: correct every problem listed and send the file again.", Details: details}
	}
	matches, err := s.orgsByName(ctx, actor, id, rows)
	if err != nil {
		return nil, err
	}
	list := make([]AttendeeInput, len(rows))
	for i, r := range rows {
		list[i] = AttendeeInput{OrganisationID: r.OrgID, Counts: r.Counts}
		if r.OrgID != 0 || r.OrgName == "" {
			continue
		}
		found := matches[org.NormaliseName(r.OrgName)]
		switch {
		case len(found) == 0:
			details = append(details, problem.Detail{File: file, Row: r.Line, Field: "organisation",
				Message: fmt.Sprintf("There is no organisation called %q that you may choose; check the spelling or give its ID in an organisation_id column.", r.OrgName)})
		case len(found) > 1:
			var names []string
			for _, m := range found {
				names = append(names, fmt.Sprintf("#%d in %s", m.id, m.country))
			}
			details = append(details, problem.Detail{File: file, Row: r.Line, Field: "organisation",
				Message: fmt.Sprintf("Several organisations are called %q (%s): give the ID in an organisation_id column.", r.OrgName, strings.Join(names, ", "))})
		default:
			list[i].OrganisationID = found[0].id
		}
	}
	sort.SliceStable(details, func(i, j int) bool { return details[i].Row < details[j].Row })
	locate := func(i int, field, msg string) problem.Detail {
		if field == "" {
			field = "organisation"
			if rows[i].OrgID != 0 {
				field = "organisation_id"
			}
		}
		return problem.Detail{File: file, Row: rows[i].Line, Field: field, Message: msg}
	}
	return s.setAttendance(ctx, actor, id, list, setTotals, locate, details, true)
}

type nameMatch struct {
	id      int64
	country string
}

// orgsByName finds, by normalised name, the organisations the actor may
// choose (within their scope, or already attending the event) that the
// rows name; archived organisations count only when no active one has the
// name.
func (s *Store) orgsByName(ctx context.Context, actor user.Actor, eventID int64, rows []csvRow) (map[string][]nameMatch, error) {
	var names []any
	seen := map[string]bool{}
	for _, r := range rows {
		if r.OrgID != 0 || r.OrgName == "" {
			continue
		}
		n := org.NormaliseName(r.OrgName)
		if !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	out := map[string][]nameMatch{}
	archived := map[string][]nameMatch{}
	for start := 0; start < len(names); start += 500 {
		chunk := names[start:min(start+500, len(names))]
		scope, sargs := user.OrgReadFilter(actor, "o", len(chunk)+2)
		args := append(append(append([]any{}, chunk...), eventID), sargs...)
		q := fmt.Sprintf(`SELECT o.id, o.name_norm, o.country_iso3, o.archived_at IS NOT NULL FROM organisations o
			WHERE o.name_norm IN (%s) AND ((%s) OR o.id IN (SELECT organisation_id FROM event_attendees WHERE event_id = $%d))
			ORDER BY o.id`, db.Placeholders(1, len(chunk)), scope, len(chunk)+1)
		rows, err := s.db.Read().QueryContext(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("organisations by name: %w", err)
		}
		for rows.Next() {
			var m nameMatch
			var norm string
			var isArchived bool
			if err := rows.Scan(&m.id, &norm, &m.country, &isArchived); err != nil {
				rows.Close()
				return nil, err
			}
			if isArchived {
				archived[norm] = append(archived[norm], m)
			} else {
				out[norm] = append(out[norm], m)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	for n, ms := range archived {
		if len(out[n]) == 0 {
			out[n] = ms
		}
	}
	return out, nil
}
