package event

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/cluster"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// recordType names events in the audit log.
const recordType = "event"

// snapshot is what the audit log keeps of an event: its fields and its
// attendee list.
type snapshot struct {
	*Event
	Attendees []*Attendee `json:"attendees"`
}

func takeSnapshot(ctx context.Context, tx *sql.Tx, id int64) (*Event, *snapshot, error) {
	e, err := loadEvent(ctx, tx, user.System, ReadFilter, id)
	if err != nil {
		return nil, nil, err
	}
	as, err := loadAttendees(ctx, tx, id)
	if err != nil {
		return nil, nil, err
	}
	return e, &snapshot{Event: e, Attendees: as}, nil
}

// today is the current day, YYYY-MM-DD.
func today() string { return db.Now().Format(DateLayout) }

// CreateEvent records an event. Administrators, BSO staff and cluster
// managers may, for the clusters and organisations within their scope; the
// event must end up within what they may edit.
func (s *Store) CreateEvent(ctx context.Context, actor user.Actor, in Input) (*Event, error) {
	if !MayRecord(actor) {
		return nil, problem.Forbiddenf("Only administrators, BSO staff and cluster managers may record events.")
	}
	f := in.check(today())
	var out *Event
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := checkRefs(ctx, tx, actor, &in, nil, &f); err != nil {
			return err
		}
		if err := s.checkLink(ctx, tx, actor, &in, nil, &f); err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		now := db.Now()
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO events (title, title_norm, type, organiser_id, starts_on, ends_on, place,
			country_iso3, description, participants, women, men, other_sex, youth, created_at, updated_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$15) RETURNING id`,
			in.Title, cluster.NormaliseName(in.Title), in.Type, in.OrganiserID, in.StartsOn, in.EndsOn, in.Place,
			nullString(in.Country), in.Description, in.Participants, in.Women, in.Men, in.Other, in.Youth, now).Scan(&id)
		if err != nil {
			return fmt.Errorf("insert event: %w", err)
		}
		if err := replaceClusters(ctx, tx, id, in.ClusterIDs); err != nil {
			return err
		}
		if err := saveLink(ctx, tx, id, in.PlanProject); err != nil {
			return err
		}
		if in.Attendees != nil {
			if err := replaceAttendees(ctx, tx, id, *in.Attendees); err != nil {
				return err
			}
		}
		if err := mustBeWritable(ctx, tx, actor, id); err != nil {
			return err
		}
		var snap *snapshot
		if out, snap, err = takeSnapshot(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, "create", recordType, id, nil, snap)
	})
	if err != nil {
		return nil, err
	}
	return out, s.scopeLinks(ctx, actor, out)
}

// UpdateEvent replaces an event's fields and clusters, and its attendee
// list when the input has one, in one transaction. Archived events must be
// restored first.
func (s *Store) UpdateEvent(ctx context.Context, actor user.Actor, id int64, in Input) (*Event, error) {
	f := in.check(today())
	var out *Event
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := loadEvent(ctx, tx, actor, WriteFilter, id)
		if err != nil {
			return err
		}
		if cur.Archived() {
			return problem.Conflictf("%s is archived; restore it before editing.", cur.Title)
		}
		if err := checkRefs(ctx, tx, actor, &in, cur, &f); err != nil {
			return err
		}
		if err := s.checkLink(ctx, tx, actor, &in, cur, &f); err != nil {
			return err
		}
		if in.Attendees == nil && !f.Has("participants") && !f.Has("youth") {
			// The stored list must still fit within the new totals.
			stored, err := loadAttendees(ctx, tx, id)
			if err != nil {
				return err
			}
			var sum Counts
			for _, a := range stored {
				sum = sum.plus(a.Counts)
			}
			checkWithinTotals(sum, in.Counts(), func(field, format string, args ...any) { f.Add(field, format, args...) })
		}
		if err := f.Err(); err != nil {
			return err
		}
		_, before, err := takeSnapshot(ctx, tx, id)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE events SET title = $1, title_norm = $2, type = $3, organiser_id = $4, starts_on = $5,
			ends_on = $6, place = $7, country_iso3 = $8, description = $9, participants = $10, women = $11, men = $12,
			other_sex = $13, youth = $14, updated_at = $15 WHERE id = $16`,
			in.Title, cluster.NormaliseName(in.Title), in.Type, in.OrganiserID, in.StartsOn, in.EndsOn, in.Place,
			nullString(in.Country), in.Description, in.Participants, in.Women, in.Men, in.Other, in.Youth, db.Now(), id)
		if err != nil {
			return fmt.Errorf("update event %d: %w", id, err)
		}
		if err := replaceClusters(ctx, tx, id, in.ClusterIDs); err != nil {
			return err
		}
		if err := saveLink(ctx, tx, id, in.PlanProject); err != nil {
			return err
		}
		if in.Attendees != nil {
			if err := replaceAttendees(ctx, tx, id, *in.Attendees); err != nil {
				return err
			}
		}
		if err := mustBeWritable(ctx, tx, actor, id); err != nil {
			return err
		}
		var after *snapshot
		if out, after, err = takeSnapshot(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, "update", recordType, id, before, after)
	})
	if err != nil {
		return nil, err
	}
	return out, s.scopeLinks(ctx, actor, out)
}

// SetAttendance replaces an event's attendee list. With setTotals the
// event's participant totals become the list's sums; otherwise the list
// must fit within them. Problems name the row (1 for the first).
func (s *Store) SetAttendance(ctx context.Context, actor user.Actor, id int64, rows []AttendeeInput, setTotals bool) (*Event, error) {
	return s.setAttendance(ctx, actor, id, rows, setTotals, func(i int, field, msg string) problem.Detail {
		if field != "" {
			msg = field + ": " + msg
		}
		return problem.Detail{Row: i + 1, Field: "attendees", Message: msg}
	}, nil, false)
}

// locator places a problem with row i (and its count field, "" for the
// organisation) of an attendee list. earlier are problems already found
// in the rows; checked says the rows' counts have been checked on their own.
type locator func(i int, field, msg string) problem.Detail

func (s *Store) setAttendance(ctx context.Context, actor user.Actor, id int64, rows []AttendeeInput, setTotals bool,
	locate locator, earlier []problem.Detail, checked bool) (*Event, error) {
	details := earlier
	var sum Counts
	seen := map[int64]int{}
	for i, r := range rows {
		if first, dup := seen[r.OrganisationID]; dup && r.OrganisationID > 0 {
			details = append(details, locate(i, "", fmt.Sprintf("Organisation #%d is already listed in row %d.",
				r.OrganisationID, locate(first, "", "").Row)))
		} else {
			seen[r.OrganisationID] = i
		}
		if !checked {
			checkCounts(r.Counts, func(field, format string, args ...any) {
				details = append(details, locate(i, field, fmt.Sprintf(format, args...)))
			})
		}
		sum = sum.plus(r.Counts)
	}
	if len(rows) > maxAttendees {
		details = append(details, problem.Detail{Field: "attendees", Message: fmt.Sprintf("List at most %d organisations (%d listed).", maxAttendees, len(rows))})
	}
	var out *Event
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := loadEvent(ctx, tx, actor, WriteFilter, id)
		if err != nil {
			return err
		}
		if cur.Archived() {
			return problem.Conflictf("%s is archived; restore it before editing.", cur.Title)
		}
		ids, err := attendeeIDs(ctx, tx, id)
		if err != nil {
			return err
		}
		kept := map[int64]bool{}
		for _, k := range ids {
			kept[k] = true
		}
		err = checkAttendeeRefs(ctx, tx, actor, rows, kept, func(i int, format string, args ...any) {
			details = append(details, locate(i, "", fmt.Sprintf(format, args...)))
		})
		if err != nil {
			return err
		}
		if !setTotals && len(details) == 0 {
			checkWithinTotals(sum, cur.Counts, func(field, format string, args ...any) {
				details = append(details, problem.Detail{Field: field, Message: fmt.Sprintf(format, args...)})
			})
		}
		if len(details) > 0 {
			return &problem.Error{Kind: problem.Invalid, Message: "The attendance was not stored: correct every problem listed and send it again.", Details: details}
		}
		_, before, err := takeSnapshot(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := replaceAttendees(ctx, tx, id, rows); err != nil {
			return err
		}
		if setTotals {
			_, err = tx.ExecContext(ctx, `UPDATE events SET participants = $1, women = $2, men = $3, other_sex = $4, youth = $5,
				updated_at = $6 WHERE id = $7`, sum.Participants, sum.Women, sum.Men, sum.Other, sum.Youth, db.Now(), id)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE events SET updated_at = $1 WHERE id = $2`, db.Now(), id)
		}
		if err != nil {
			return fmt.Errorf("event %d totals: %w", id, err)
		}
		var after *snapshot
		if out, after, err = takeSnapshot(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, "attendance", recordType, id, before, after)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// mustBeWritable refuses a write that leaves the event outside what the
// actor may edit (a cluster manager removing their own cluster, say); the
// transaction is then rolled back.
func mustBeWritable(ctx context.Context, tx *sql.Tx, actor user.Actor, id int64) error {
	if _, err := loadEvent(ctx, tx, actor, WriteFilter, id); err != nil {
		if problem.Is(err, problem.NotFound) {
			return problem.Forbiddenf("You may only record events organised by your organisation or serving the cluster initiatives you work with.")
		}
		return err
	}
	return nil
}

// replaceClusters stores exactly the given clusters for an event.
func replaceClusters(ctx context.Context, tx *sql.Tx, id int64, clusterIDs []int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM event_clusters WHERE event_id = $1`, id); err != nil {
		return fmt.Errorf("event %d clusters: %w", id, err)
	}
	rows := make([][]any, len(clusterIDs))
	for i, c := range clusterIDs {
		rows[i] = []any{id, c}
	}
	if len(rows) == 0 {
		return nil
	}
	return db.InsertRows(ctx, tx, `INSERT INTO event_clusters (event_id, cluster_id)`, 2, rows, "")
}

// replaceAttendees stores exactly the given attendee list for an event.
func replaceAttendees(ctx context.Context, tx *sql.Tx, id int64, list []AttendeeInput) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM event_attendees WHERE event_id = $1`, id); err != nil {
		return fmt.Errorf("event %d attendees: %w", id, err)
	}
	rows := make([][]any, len(list))
	for i, a := range list {
		rows[i] = []any{id, a.OrganisationID, a.Participants, a.Women, a.Men, a.Other, a.Youth}
	}
	if len(rows) == 0 {
		return nil
	}
	return db.InsertRows(ctx, tx, `INSERT INTO event_attendees (event_id, organisation_id, participants, women, men, other_sex, youth)`,
		7, rows, "")
}

// ArchiveEvent takes an event out of lists, totals and co-attendance; it
// is kept with its attendance and can be restored.
func (s *Store) ArchiveEvent(ctx context.Context, actor user.Actor, id int64) (*Event, error) {
	return s.setArchived(ctx, actor, id, true)
}

// RestoreEvent brings an archived event back.
func (s *Store) RestoreEvent(ctx context.Context, actor user.Actor, id int64) (*Event, error) {
	return s.setArchived(ctx, actor, id, false)
}

func (s *Store) setArchived(ctx context.Context, actor user.Actor, id int64, archive bool) (*Event, error) {
	var out *Event
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := loadEvent(ctx, tx, actor, WriteFilter, id)
		if err != nil {
			return err
		}
		if cur.Archived() == archive {
			out = cur
			return nil
		}
		var at any
		action := "restore"
		if archive {
			at, action = db.Now(), "archive"
		}
		if _, err := tx.ExecContext(ctx, `UPDATE events SET archived_at = $1, updated_at = $2 WHERE id = $3`, at, db.Now(), id); err != nil {
			return fmt.Errorf("%s event %d: %w", action, id, err)
		}
		if out, err = loadEvent(ctx, tx, user.System, ReadFilter, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, action, recordType, id, cur, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
