package audit

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/web"
)

// RecordTypes lists the kinds of record the log holds entries for.
func (s *Store) RecordTypes(ctx context.Context) ([]string, error) {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT DISTINCT record_type FROM audit_log ORDER BY record_type`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// parseFilter reads the log's filters (record_type, record_id, user_id; the
// page also accepts user) and reports values that are not valid.
func parseFilter(q url.Values, p web.ListParams) (Filter, error) {
	var fs problem.Fields
	f := Filter{RecordType: strings.TrimSpace(q.Get("record_type")), RecordID: strings.TrimSpace(q.Get("record_id")),
		Limit: p.PerPage, Offset: p.Offset()}
	if len(f.RecordType) > 100 {
		fs.Add("record_type", "A record type has at most 100 characters.")
		f.RecordType = ""
	}
	if len(f.RecordID) > 200 {
		fs.Add("record_id", "A record ID has at most 200 characters.")
		f.RecordID = ""
	}
	uid := q.Get("user_id")
	if uid == "" {
		uid = q.Get("user")
	}
	if uid != "" {
		if n, err := strconv.ParseInt(uid, 10, 64); err == nil && n > 0 {
			f.UserID = n
		} else {
			fs.Add("user_id", "%q is not an account ID.", uid)
		}
	}
	return f, fs.Err()
}

// label translates a message key built from a value, or shows the value
// itself when the catalogue does not name it: actions and record types are
// written by every domain, and a new one must still read sensibly.
func label(loc *i18n.Localizer, prefix, value string) string {
	if key := prefix + value; i18n.Has(key) {
		return loc.T(key)
	}
	return strings.ReplaceAll(value, "_", " ")
}

// recordPages are the pages of the kinds of record that have one, by the
// record type their writers log.
var recordPages = map[string]string{
	"organisation":       "/organisations/",
	"cluster":            "/clusters/",
	"programme":          "/programmes/",
	"application":        "/applications/",
	"plan":               "/plans/",
	"event":              "/events/",
	"indicator":          "/indicators/",
	"form":               "/forms/",
	"employment_dataset": "/mapping/datasets/",
	"definition_set":     "/mapping/definitions/",
}

// recordURL links an entry to the page of its record, for the kinds of
// record that have one.
func recordURL(recordType, id string) string {
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		return ""
	}
	if base, ok := recordPages[recordType]; ok {
		return base + id
	}
	return ""
}

// maxValue is how much of a changed value the log page shows; the API and
// the database keep it whole.
const maxValue = 160

func shorten(s string) string {
	if utf8.RuneCountInString(s) <= maxValue {
		return s
	}
	return string([]rune(s)[:maxValue-1]) + "…"
}
