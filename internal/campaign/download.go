package campaign

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/clusterobservatory/observatory/internal/user"
)

// Table is one table of a download: the submissions ("submissions"), or
// the rows of one repeat group (named after it), each row starting with
// the ID of its submission.
type Table struct {
	Name   string
	Header []string
	Rows   [][]string
}

// mainTable names the table of the submissions themselves.
const mainTable = "submissions"

// ExportTables returns a campaign's current submissions (not the rows
// replaced by edits) as tables: one for the submissions, one per repeat.
func (s *Store) ExportTables(ctx context.Context, actor user.Actor, campaignID int64) ([]Table, error) {
	c, err := s.FindCampaign(ctx, actor, campaignID)
	if err != nil {
		return nil, err
	}
	def, err := s.forms.Definition(ctx, actor, c.VersionID)
	if err != nil {
		return nil, err
	}
	main := Table{Name: mainTable, Header: []string{"submission_id", "instance_id", "organisation_id", "organisation", "received_at",
		"channel", "state", "edit_of"}}
	cols := Columns(def, "")
	for _, f := range cols {
		main.Header = append(main.Header, f.Name)
	}
	// The files the answers name, by file name; image and file questions
	// are not among the columns above.
	main.Header = append(main.Header, "attachments")
	tables := []Table{main}
	repeats := Repeats(def)
	for _, r := range repeats {
		t := Table{Name: r.Name, Header: []string{"submission_id", "row"}}
		for _, f := range Columns(def, r.Name) {
			t.Header = append(t.Header, f.Name)
		}
		tables = append(tables, t)
	}
	for offset := 0; ; offset += 1000 {
		subs, _, err := s.FindSubmissions(ctx, actor, campaignID, SubmissionFilter{Limit: 1000, Offset: offset})
		if err != nil {
			return nil, err
		}
		for _, sub := range subs {
			a := sub.AnswerMap()
			id := strconv.FormatInt(sub.ID, 10)
			edit := ""
			if sub.OriginalID != nil {
				edit = strconv.FormatInt(*sub.OriginalID, 10)
			}
			row := []string{id, sub.InstanceID, strconv.FormatInt(sub.OrganisationID, 10), sub.OrganisationName,
				sub.ReceivedAt.UTC().Format("2006-01-02T15:04:05Z"), string(sub.Channel), string(sub.State), edit}
			for _, f := range cols {
				row = append(row, Text(a[f.Name]))
			}
			row = append(row, attachmentNames(sub.Attachments))
			tables[0].Rows = append(tables[0].Rows, row)
			for i, r := range repeats {
				rcols := Columns(def, r.Name)
				for n, rr := range RepeatRows(a, r.Name) {
					row := []string{id, strconv.Itoa(n + 1)}
					for _, f := range rcols {
						row = append(row, Text(rr[f.Name]))
					}
					tables[i+1].Rows = append(tables[i+1].Rows, row)
				}
			}
		}
		if len(subs) < 1000 {
			break
		}
	}
	return tables, nil
}

// WriteCSV writes tables as one CSV file: each table is a section that
// starts with a row holding its name alone, then its header and rows;
// sections are separated by an empty row.
func WriteCSV(w io.Writer, tables []Table) error {
	cw := csv.NewWriter(w)
	for i, t := range tables {
		if i > 0 {
			if err := cw.Write([]string{""}); err != nil {
				return err
			}
		}
		if len(tables) > 1 {
			if err := cw.Write([]string{t.Name}); err != nil {
				return err
			}
		}
		if err := cw.Write(t.Header); err != nil {
			return err
		}
		if err := cw.WriteAll(t.Rows); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteXLSX writes tables as a workbook, one sheet per table.
func WriteXLSX(tables []Table) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	for i, t := range tables {
		name := sheetName(t.Name, i)
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return nil, err
		}
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			return nil, err
		}
		write := func(n int, cells []string) error {
			row := make([]any, len(cells))
			for i, c := range cells {
				row[i] = c
			}
			cell, _ := excelize.CoordinatesToCellName(1, n)
			return sw.SetRow(cell, row)
		}
		if err := write(1, t.Header); err != nil {
			return nil, err
		}
		for n, r := range t.Rows {
			if err := write(n+2, r); err != nil {
				return nil, err
			}
		}
		if err := sw.Flush(); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// sheetName keeps a table's name within Excel's 31 characters.
func sheetName(name string, i int) string {
	if len(name) > 31 {
		return fmt.Sprintf("%.27s_%d", name, i)
	}
	return name
}
