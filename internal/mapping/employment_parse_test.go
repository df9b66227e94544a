package mapping

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/clusterobservatory/observatory/internal/problem"
)

var testISIC = map[string]bool{"0111": true, "1010": true, "4711": true}

func readTest(t *testing.T, data string) (*EmploymentSummary, []Cell, error) {
	t.Helper()
	var cells []Cell
	sum, err := ReadEmployment(strings.NewReader(data), EmploymentReadOptions{File: "e.csv", Classification: "isic4", Industries: testISIC},
		func(_ int, c *Cell) error { cells = append(cells, *c); return nil })
	return sum, cells, err
}

// problemLines renders a problem's details as row:column: message.
func problemLines(err error) []string {
	p := problem.As(err)
	if p == nil {
		return nil
	}
	var out []string
	for _, d := range p.Details {
		out = append(out, fmt.Sprintf("%d:%s: %s", d.Row, d.Field, d.Message))
	}
	return out
}

func TestReadEmploymentValid(t *testing.T) {
	data := "\ufeffYear,Area,INDUSTRY,employment,Area Name,establishments,wages,suppressed\n" +
		"2020,JM-01,0111,400,Kingston,20,1234.56,\n" +
		"\n" +
		"2020,JM-01,111,100,,,,no\n" + // 111 is 0111 with its zero lost: a duplicate below
		"2021,JM-02,1010,,,,,x\n" +
		"2019,XX-9,4711,0,Elsewhere,0,0,N\n"
	_, _, err := readTest(t, data)
	if got := problemLines(err); len(got) != 1 || !strings.HasPrefix(got[0], "4:industry: Year 2020, area \"JM-01\", industry \"0111\" appears in an earlier row") {
		t.Fatalf("duplicate: %q", got)
	}
	data = strings.Replace(data, "2020,JM-01,111,", "2021,JM-01,111,", 1)
	sum, cells, err := readTest(t, data)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Cells != 4 || sum.Suppressed != 1 || sum.FirstYear != 2019 || sum.LastYear != 2021 || sum.Industries != 3 {
		t.Errorf("summary %+v", sum)
	}
	if sum.Encoding != "UTF-8 with BOM" || sum.Delimiter != "comma" || sum.Format != "csv" {
		t.Errorf("format %q %q %q", sum.Format, sum.Encoding, sum.Delimiter)
	}
	wantAreas := []EmploymentArea{{"JM-01", "Kingston", 2}, {"JM-02", "", 5}, {"XX-9", "Elsewhere", 6}}
	if fmt.Sprint(sum.Areas) != fmt.Sprint(wantAreas) {
		t.Errorf("areas %v", sum.Areas)
	}
	want := []Cell{
		{Year: 2020, Area: "JM-01", Industry: "0111", Employment: 400, Establishments: 20, HasEstablishments: true, Wages: 1234.56, HasWages: true},
		{Year: 2021, Area: "JM-01", Industry: "0111", Employment: 100},
		{Year: 2021, Area: "JM-02", Industry: "1010", Suppressed: true},
		{Year: 2019, Area: "XX-9", Industry: "4711", HasEstablishments: true, HasWages: true},
	}
	if fmt.Sprint(cells) != fmt.Sprint(want) {
		t.Errorf("cells\n got %v\nwant %v", cells, want)
	}
}

func TestReadEmploymentRowProblems(t *testing.T) {
	head := "year,area,industry,employment,establishments,wages,suppressed\n"
	for _, tc := range []struct {
		name, row string
		want      string
	}{
		{"unknown industry", "2020,JM-01,9999,5,,,", `2:industry: "9999" is not an ISIC Rev.4 class code`},
		{"wrong form of code", "2020,JM-01,01,5,,,", `2:industry: "01" is not an ISIC Rev.4 class code`},
		{"negative", "2020,JM-01,0111,-5,,,", `2:employment: Employment "-5" is negative`},
		{"not a number", "2020,JM-01,0111,many,,,", `2:employment: Employment "many" is not a whole number`},
		{"fraction", "2020,JM-01,0111,5.5,,,", `2:employment: Employment "5.5" is not a whole number`},
		{"thousands", "2020,JM-01,0111,\"1,234\",,,", `2:employment: Employment "1,234" has a thousands separator`},
		{"too large", "2020,JM-01,0111,9999999999,,,", `2:employment: Employment "9999999999" is larger than`},
		{"negative establishments", "2020,JM-01,0111,5,-1,,", `2:establishments: Establishments "-1" is negative`},
		{"bad wages", "2020,JM-01,0111,5,,12a,", `2:wages: Wages "12a" is not a number`},
		{"year out of range", "1700,JM-01,0111,5,,,", `2:year: "1700" is not a year between 1800 and 2200`},
		{"year text", "last,JM-01,0111,5,,,", `2:year: "last" is not a year`},
		{"missing year", ",JM-01,0111,5,,,", "2:year: The year is missing."},
		{"missing area", "2020,,0111,5,,,", "2:area: The area code is missing."},
		{"missing industry", "2020,JM-01,,5,,,", "2:industry: The industry code is missing."},
		{"missing employment", "2020,JM-01,0111,,,,", "2:employment: Employment is missing"},
		{"suppressed with value", "2020,JM-01,0111,5,,,yes", `2:employment: The cell is suppressed, so it may not carry a value`},
		{"suppressed with wages", "2020,JM-01,0111,,,10,true", `2:wages: The cell is suppressed`},
		{"bad flag", "2020,JM-01,0111,5,,,maybe", `2:suppressed: "maybe" is not yes or no`},
		{"too many columns", "2020,JM-01,0111,5,,,,extra", "2:column 8: The row has 8 cells but the header names only 7 columns"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sum, cells, err := readTest(t, head+tc.row+"\n")
			got := problemLines(err)
			if sum != nil || len(got) == 0 || !strings.HasPrefix(got[0], tc.want) {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
			if len(cells) != 0 {
				t.Errorf("an invalid row was handed on: %v", cells)
			}
		})
	}
}

func TestReadEmploymentFileProblems(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", []byte("  \n"), "0:: The file is empty"},
		{"header only", []byte("year,area,industry,employment\n"), "2:: The file has a header but no data rows."},
		{"missing column", []byte("year,area,employment\n2020,JM-01,5\n"), "1:industry: The header lacks the column(s) industry"},
		{"unknown column", []byte("year,area,industry,employment,notes\n"), `1:notes: Unknown column "notes"`},
		{"twice", []byte("year,area,industry,employment,year\n"), `1:year: The column "year" appears twice.`},
		{"pipes", []byte("year|area|industry|employment\n2020|JM-01|0111|5\n"), `1:: The header has a single column "year|area|industry|employment": the columns seem to be separated by "|"`},
		{"xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 100)...), "0:: The file is an Excel 97–2003 workbook"},
		{"utf16 without bom", []byte("y\x00e\x00a\x00r\x00,\x00a\x00"), "0:: The file looks like UTF-16 text without a byte-order mark"},
		{"binary", []byte("year\x00\x01\x02,area,industry,employment\n"), "0:: The file is neither CSV text nor an .xlsx workbook"},
		{"bad quotes", []byte("year,area,industry,employment\n2020,\"JM-01,0111,5\n"), "2:: Row 2 cannot be read as CSV"},
		{"not utf-8 later", append([]byte("year,area,industry,employment,area_name\n2020,JM-01,0111,5,Kingston\n"+strings.Repeat("2020,JM-02,0111,5,Kingston\n", 0)),
			append(append([]byte(strings.Repeat(" ", 70<<10)+"\n2021,JM-01,0111,5,Caf"), 0xE9), '\n')...), "4:: Row 4 is not UTF-8 text"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := readTest(t, string(tc.data))
			got := problemLines(err)
			if len(got) == 0 || !strings.HasPrefix(got[0], tc.want) {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestReadEmploymentEncodingsAndDelimiters(t *testing.T) {
	// Windows-1252 (Excel's plain "CSV") with semicolons and decimal commas.
	latin := []byte("year;area;industry;employment;area_name;wages\n2020;JM-01;0111;5;Saint Andr\xe9;10,5\n")
	sum, cells, err := readTest(t, string(latin))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Encoding != "Windows-1252" || sum.Delimiter != "semicolon" || sum.Areas[0].Name != "Saint André" || cells[0].Wages != 10.5 {
		t.Errorf("latin: %+v %+v", sum, cells)
	}
	// UTF-16LE with a byte-order mark, tab-separated.
	text := "year\tarea\tindustry\temployment\n2020\tJM-01\t0111\t7\n"
	u16 := []byte{0xFF, 0xFE}
	for _, r := range text {
		u16 = append(u16, byte(r), 0)
	}
	sum, cells, err = readTest(t, string(u16))
	if err != nil || sum.Encoding != "UTF-16LE" || sum.Delimiter != "tab" || cells[0].Employment != 7 {
		t.Fatalf("utf-16: %v %+v %+v", err, sum, cells)
	}
}

func TestReadEmploymentAreaNames(t *testing.T) {
	data := "year,area,industry,employment,area_name\n2020,A,0111,1,North\n2020,A,1010,1,South\n2021,B,0111,1,\"=HYPERLINK(\"\"x\"\")\"\n"
	got := problemLines(func() error { _, _, err := readTest(t, data); return err }())
	if len(got) != 2 || !strings.HasPrefix(got[0], `3:area_name: Area "A" is named "South" here but "North"`) ||
		!strings.HasPrefix(got[1], "4:area_name: \"=HYPERLINK(\\\"x\\\")\" would act as a formula") {
		t.Fatalf("got %q", got)
	}
}

func TestReadEmploymentCapsProblems(t *testing.T) {
	var b strings.Builder
	b.WriteString("year,area,industry,employment\n")
	for i := range 1500 {
		fmt.Fprintf(&b, "2020,A%d,0111,-1\n", i)
	}
	_, _, err := readTest(t, b.String())
	p := problem.As(err)
	if p == nil || len(p.Details) != 1001 || p.Details[1000].Message != "500 more problems are not listed." || !strings.Contains(p.Message, "1500 problems") {
		t.Fatalf("got %d details, message %q", len(p.Details), p.Message)
	}
}

func TestReadEmploymentManyYears(t *testing.T) {
	// More than 64 distinct years use the second duplicate index.
	var b strings.Builder
	b.WriteString("year,area,industry,employment\n")
	for y := 1900; y < 2000; y++ {
		fmt.Fprintf(&b, "%d,A,0111,1\n", y)
	}
	b.WriteString("1990,A,0111,2\n1950,A,0111,2\n")
	got := problemLines(func() error { _, _, err := readTest(t, b.String()); return err }())
	if len(got) != 2 || !strings.HasPrefix(got[0], "102:industry: Year 1990") || !strings.HasPrefix(got[1], "103:industry: Year 1950") {
		t.Fatalf("got %q", got)
	}
}

func TestReadEmploymentXLSX(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "Notes")
	if _, err := f.NewSheet("Employment"); err != nil {
		t.Fatal(err)
	}
	rows := [][]any{
		{"year", "area", "industry", "employment", "suppressed"},
		{2020, "JM-01", 111, 12, nil}, // a code stored as a number lost its zero
		{2021, "JM-01", "1010", nil, true},
		{2022, "JM-01", "1010", -3, nil},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Employment", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	_, _, err := readTest(t, buf.String())
	got := problemLines(err)
	if len(got) != 1 || !strings.HasPrefix(got[0], `4:employment: Employment "-3" is negative`) || problem.As(err).Details[0].Sheet != "Employment" {
		t.Fatalf("got %q", got)
	}
	f.SetCellValue("Employment", "D4", 3)
	buf.Reset()
	f.Write(&buf)
	sum, cells, err := readTest(t, buf.String())
	if err != nil {
		t.Fatal(err)
	}
	if sum.Format != "xlsx" || sum.Sheet != "Employment" || len(cells) != 3 || cells[0].Industry != "0111" || !cells[1].Suppressed || cells[2].Employment != 3 {
		t.Errorf("%+v %+v", sum, cells)
	}
}
