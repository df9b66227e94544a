package campaign

import (
	"database/sql"
	"fmt"
	"time"
)

// looseTime scans a moment that SQLite may return as text: an aggregate
// such as MAX(sent_at) loses the column's declared type there.
type looseTime struct{ sql.NullTime }

// sqliteLayouts are the text forms SQLite keeps moments in.
var sqliteLayouts = []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999", "2006-01-02 15:04:05"}

// Scan reads a time, a text or NULL.
func (t *looseTime) Scan(v any) error {
	var s string
	switch x := v.(type) {
	case nil:
		t.Valid = false
		return nil
	case time.Time:
		t.Time, t.Valid = x, true
		return nil
	case string:
		s = x
	case []byte:
		s = string(x)
	default:
		return fmt.Errorf("scan %T as a time", v)
	}
	for _, l := range sqliteLayouts {
		if p, err := time.Parse(l, s); err == nil {
			t.Time, t.Valid = p, true
			return nil
		}
	}
	return fmt.Errorf("scan %q as a time", s)
}
