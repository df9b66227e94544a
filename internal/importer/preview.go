package importer

import (
	"fmt"
	"strings"
)

// Preview is the first valid rows of a file as they will be stored.
type Preview struct {
	Columns []string
	Rows    []PreviewRow
}

// PreviewRow is one previewed row with its number in the file.
type PreviewRow struct {
	Row   int
	Cells []string
}

func orgPreview(rep *Report, rows []OrgRow) *Preview {
	p := &Preview{Columns: []string{colName, colKind, colCountry, colArea, colISIC, colSizeBand, colFounded}}
	for _, o := range rows {
		if len(p.Rows) == previewRows {
			break
		}
		if rep.rowBad(o.Row) {
			continue
		}
		year := ""
		if o.FoundedYear != nil {
			year = fmt.Sprint(*o.FoundedYear)
		}
		p.Rows = append(p.Rows, PreviewRow{Row: o.Row, Cells: []string{o.Name, o.Kind, o.Country, o.AreaName, o.ISIC, o.SizeBand, year}})
	}
	return p
}

func memberPreview(rep *Report, rows []MemberRow) *Preview {
	p := &Preview{Columns: []string{colClusterName, colOrgName, colRole, colJoined, colLeft}}
	for _, m := range rows {
		if len(p.Rows) == previewRows {
			break
		}
		if rep.rowBad(m.Row) {
			continue
		}
		left := ""
		if m.Input.Left != nil {
			left = *m.Input.Left
		}
		p.Rows = append(p.Rows, PreviewRow{Row: m.Row, Cells: []string{m.ClusterName, m.OrganisationName, string(m.Input.Role), m.Input.Joined, left}})
	}
	return p
}

// Line is a problem as the command line prints it: file:row:column: message.
func Line(file string, row int, sheet, field, msg string) string {
	var b strings.Builder
	b.WriteString(file)
	if sheet != "" {
		b.WriteString("[" + sheet + "]")
	}
	fmt.Fprintf(&b, ":%d:%s: %s", row, field, msg)
	return b.String()
}
