// Package audit records every write: who, when, which record, and the record
// before and after, as JSON. Entries are written in the same transaction as
// the change they describe, so there is never a change without its entry.
package audit

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/user"
)

// Entry is one audited change.
type Entry struct {
	ID         int64           `json:"id"`
	At         time.Time       `json:"at"`
	UserID     int64           `json:"user_id,omitempty"`
	Actor      string          `json:"actor"`
	Action     string          `json:"action"`
	RecordType string          `json:"record_type"`
	RecordID   string          `json:"record_id"`
	Before     json.RawMessage `json:"before,omitempty"`
	After      json.RawMessage `json:"after,omitempty"`
}

// Record writes an entry in tx. before or after may be nil (creation,
// deletion); they are stored as JSON.
func Record(ctx context.Context, tx *sql.Tx, actor user.Actor, action, recordType string, recordID any, before, after any) error {
	var b, a any
	if before != nil {
		j, err := json.Marshal(before)
		if err != nil {
			return err
		}
		b = string(j)
	}
	if after != nil {
		j, err := json.Marshal(after)
		if err != nil {
			return err
		}
		a = string(j)
	}
	var uid any
	if actor.UserID != 0 {
		uid = actor.UserID
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, user_id, actor, action, record_type, record_id, before_json, after_json)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`, db.Now(), uid, actor.Label(), action, recordType, fmt.Sprint(recordID), b, a)
	return err
}

// Filter narrows the audit log.
type Filter struct {
	RecordType string
	RecordID   string
	UserID     int64
	Limit      int
	Offset     int
}

// Store reads the audit log.
type Store struct{ db *db.DB }

// NewStore returns a store on d.
func NewStore(d *db.DB) *Store { return &Store{db: d} }

// FindEntries lists entries, newest first, with the total count.
func (s *Store) FindEntries(ctx context.Context, f Filter) ([]*Entry, int, error) {
	where, args := "WHERE 1=1", []any{}
	add := func(cond string, v any) {
		args = append(args, v)
		where += fmt.Sprintf(" AND "+cond, len(args))
	}
	if f.RecordType != "" {
		add("record_type = $%d", f.RecordType)
	}
	if f.RecordID != "" {
		add("record_id = $%d", f.RecordID)
	}
	if f.UserID != 0 {
		add("user_id = $%d", f.UserID)
	}
	var total int
	if err := s.db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	args = append(args, f.Limit, f.Offset)
	rows, err := s.db.Read().QueryContext(ctx, fmt.Sprintf(`SELECT id, at, user_id, actor, action, record_type, record_id, before_json, after_json
		FROM audit_log %s ORDER BY id DESC LIMIT $%d OFFSET $%d`, where, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*Entry
	for rows.Next() {
		var e Entry
		var uid sql.NullInt64
		var b, a sql.NullString
		if err := rows.Scan(&e.ID, &e.At, &uid, &e.Actor, &e.Action, &e.RecordType, &e.RecordID, &b, &a); err != nil {
			return nil, 0, err
		}
		e.UserID = uid.Int64
		if b.Valid {
			e.Before = json.RawMessage(b.String)
		}
		if a.Valid {
			e.After = json.RawMessage(a.String)
		}
		out = append(out, &e)
	}
	return out, total, rows.Err()
}
