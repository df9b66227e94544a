package event

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/textfile"
)

// MaxCSVBytes is the largest attendance file read.
const MaxCSVBytes = 2 << 20

// The columns of an attendance file, by the names it may give them.
var csvColumns = map[string]string{
	"organisation": "organisation", "organization": "organisation", "organisation_name": "organisation",
	"organization_name": "organisation", "name": "organisation", "org": "organisation",
	"organisation_id": "organisation_id", "organization_id": "organisation_id", "org_id": "organisation_id", "id": "organisation_id",
	"participants": "participants", "total": "participants",
	"women": "women", "female": "women",
	"men": "men", "male": "men",
	"other": "other", "unspecified": "other",
	"youth": "youth", "youth_15_35": "youth",
}

// CSVColumns names the columns an attendance file may have, for help texts.
const CSVColumns = "organisation (or organisation_id), participants, women, men, other, youth"

// csvRow is one row of an attendance file as read: its line as a
// spreadsheet numbers it (the header is 1), the organisation by ID or by
// name, and the counts.
type csvRow struct {
	Line    int
	OrgID   int64
	OrgName string
	Counts
}

// parseAttendanceCSV reads an attendance file (UTF-8 with or without a
// byte-order mark, or Windows-1252; comma, semicolon or tab separated, with
// a header row) and checks each row on its own: an organisation named or
// given by ID, whole counts of 0 or more, a breakdown by sex equal to the
// participants and youth within them. Every problem is returned, located
// by line and column; blank lines are skipped.
func parseAttendanceCSV(file string, data []byte) ([]csvRow, []problem.Detail) {
	var details []problem.Detail
	add := func(line int, field, format string, args ...any) {
		details = append(details, problem.Detail{File: file, Row: line, Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if len(data) > MaxCSVBytes {
		add(0, "", "The file is larger than %d MB.", MaxCSVBytes>>20)
		return nil, details
	}
	text := decode(data)
	br := bufio.NewReader(bytes.NewReader(text))
	first, _ := br.Peek(min(len(text), 64*1024))
	head := string(first)
	if i := strings.IndexAny(head, "\r\n"); i >= 0 {
		head = head[:i]
	}
	r := csv.NewReader(br)
	r.Comma = textfile.DetectDelimiter(head)
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		add(0, "", "The file is empty: it needs a header row (%s) and a row for each organisation.", CSVColumns)
		return nil, details
	}
	if err != nil {
		add(1, "", "The header row cannot be read as CSV: %v.", err)
		return nil, details
	}
	col := map[string]int{}
	for i, h := range header {
		key := strings.ToLower(strings.TrimSpace(h))
		key = strings.NewReplacer(" ", "_", "-", "_", "(", "", ")", "").Replace(key)
		name, ok := csvColumns[key]
		switch {
		case key == "":
			continue
		case !ok:
			add(1, h, "Unknown column %q: use %s.", h, CSVColumns)
		case col[name] != 0:
			add(1, h, "Column %q appears twice.", h)
		default:
			col[name] = i + 1 // 0 means absent
		}
	}
	if col["organisation"] == 0 && col["organisation_id"] == 0 {
		add(1, "organisation", "The file needs an organisation column (the name) or an organisation_id column.")
	}
	if col["participants"] == 0 {
		add(1, "participants", "The file needs a participants column.")
	}
	if len(details) > 0 {
		return nil, details
	}
	cell := func(rec []string, name string) string {
		i := col[name] - 1
		if i < 0 || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	var rows []csvRow
	line := 1
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line++
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			add(pe.StartLine, "", "The row cannot be read as CSV (%v); check its quotes.", pe.Err)
			break
		}
		if err != nil {
			add(line, "", "The row cannot be read: %v.", err)
			break
		}
		if l, _ := r.FieldPos(0); l > 0 {
			line = l
		}
		if blank(rec) {
			continue
		}
		row := csvRow{Line: line}
		ok := true
		if v := strings.TrimPrefix(cell(rec, "organisation_id"), "#"); v != "" {
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil || id <= 0 {
				add(line, "organisation_id", "%q is not an organisation ID.", v)
				ok = false
			}
			row.OrgID = id
		} else if row.OrgName = cell(rec, "organisation"); row.OrgName == "" {
			add(line, "organisation", "Enter the organisation's name or ID.")
			ok = false
		}
		counts := map[string]*int{"participants": &row.Participants, "women": &row.Women, "men": &row.Men, "other": &row.Other, "youth": &row.Youth}
		for _, name := range []string{"participants", "women", "men", "other", "youth"} {
			v := cell(rec, name)
			if v == "" {
				if name == "participants" {
					add(line, name, "Enter the number of participants.")
					ok = false
				}
				continue
			}
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				add(line, name, "%q is not a whole number of 0 or more.", v)
				ok = false
				continue
			}
			*counts[name] = n
		}
		if ok && col["other"] == 0 {
			// Without an other column, whoever is neither a woman nor a man
			// is counted as other or unspecified.
			row.Other = row.Participants - row.Women - row.Men
			if row.Other < 0 {
				add(line, "participants", "Women (%d) and men (%d) add up to more than the %d participants.", row.Women, row.Men, row.Participants)
				row.Other, ok = 0, false
			}
		}
		if ok {
			checkCounts(row.Counts, func(field, format string, args ...any) { add(line, field, format, args...) })
		}
		rows = append(rows, row)
		if len(rows) > maxAttendees {
			add(line, "", "The file lists more than %d organisations.", maxAttendees)
			break
		}
	}
	if len(rows) == 0 && len(details) == 0 {
		add(0, "", "The file has a header but no rows of attendance.")
	}
	return rows, details
}

// decode returns the file's text as UTF-8: a byte-order mark is dropped,
// and text that is not UTF-8 is read as Windows-1252 (what Excel on
// Windows saves as plain "CSV").
func decode(data []byte) []byte {
	data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	if utf8.Valid(data) {
		return data
	}
	out, _, err := transform.Bytes(charmap.Windows1252.NewDecoder(), data)
	if err != nil {
		return data
	}
	return out
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
