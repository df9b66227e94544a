package mapping

import (
	"bytes"
	"strings"

	"github.com/xuri/excelize/v2"
)

// definitionSheet is the sheet name downloads use; a workbook without it is
// read from its first sheet.
const definitionSheet = "definitions"

// readDefinitionsXLSX reads a definitions workbook. Cells are read raw, so
// that codes stored as numbers come out as written (ISIC classes that lost
// their leading zero get it back in normaliseIndustry).
func readDefinitionsXLSX(data []byte, file, classification string) (*DefinitionFile, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 64 << 20, UnzipXMLSizeLimit: 32 << 20})
	if err != nil {
		return nil, fileProblem(file, 0, "", "The file looks like an Excel workbook but cannot be opened (%v); save it again as .xlsx or as CSV UTF-8.", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, fileProblem(file, 0, "", "The workbook has no sheets.")
	}
	sheet := sheets[0]
	for _, s := range sheets {
		if strings.EqualFold(strings.TrimSpace(s), definitionSheet) {
			sheet = s
			break
		}
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, fileProblem(file, 0, "", "The sheet %q cannot be read: %v", sheet, err)
	}
	defer rows.Close()
	p := newDefinitionParser(file, sheet, classification)
	// Each call to Next is the next row: excelize yields empty rows for gaps.
	for row := 1; rows.Next(); row++ {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fileProblem(file, row, "", "The row cannot be read: %v", err)
		}
		if !p.add(row, cells) {
			break
		}
	}
	if err := rows.Error(); err != nil {
		return nil, fileProblem(file, 0, "", "The sheet %q cannot be read: %v", sheet, err)
	}
	return p.finish()
}

// DefinitionRecords are a set's rows in the import format, header first,
// one row per industry in cluster order, so that a download can be edited
// and imported again.
func DefinitionRecords(set *DefinitionSet) [][]string {
	out := [][]string{DefinitionColumns}
	for _, c := range set.Clusters {
		sub := map[string]Subcluster{}
		for _, sc := range c.Subclusters {
			for _, ind := range sc.Industries {
				sub[ind] = sc
			}
		}
		for _, ind := range c.Industries {
			sc := sub[ind]
			out = append(out, []string{c.Code, c.Name, c.Type.String(), ind, sc.Code, sc.Name})
		}
	}
	return out
}
