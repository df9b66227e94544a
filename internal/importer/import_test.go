package importer

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/user"
)

// xlsxFile builds a workbook whose first sheet holds rows; formulas maps
// cells to formulas written over them.
func xlsxFile(t testing.TB, sheet string, rows [][]any, formulas map[string]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	for cell, fm := range formulas {
		if err := f.SetCellFormula(sheet, cell, fm); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestRefusedFiles feeds files with one kind of mistake each: every one is
// reported where it is, and nothing is stored.
func TestRefusedFiles(t *testing.T) {
	row := func(name, country string) string {
		return name + ",firm," + country + ",,,,,,,,,,,\n"
	}
	many := strings.Builder{}
	many.WriteString(orgHeader)
	for i := 0; i <= MaxRows; i++ {
		fmt.Fprintf(&many, "Firm %d,firm,JAM\n", i)
	}
	shortHeader := "name,kind,country\n"
	cases := []struct {
		name  string
		file  string
		data  []byte
		row   int
		field string
		want  string
	}{
		{"missing columns", "a.csv", []byte("name,area\nAcme,\n"), 1, "", `required columns are missing: "kind", "country"`},
		{"extra columns", "a.csv", []byte("name,kind,country,colour\nAcme,firm,JAM,red\n"), 1, "", `unknown columns "colour"`},
		{"other kind's file", "a.csv", []byte("cluster_id,organisation_id,role,joined\n1,2,member,2024-01-01\n"), 1, "", "looks like a memberships file"},
		{"empty file", "a.csv", []byte(""), 0, "", "the file is empty"},
		{"blank lines only", "a.csv", []byte("\n ,, \n\n"), 0, "", "no header row"},
		{"header only", "a.csv", []byte(orgHeader), 0, "", "no data rows"},
		{"too large", "big.csv", bytes.Repeat([]byte("x"), MaxBytes+1), 0, "", "larger than 20 MB"},
		{"too many rows", "many.csv", []byte(many.String()), 0, "", "more than 100000 data rows"},
		{"unknown country", "a.csv", []byte(orgHeader + row("Acme", "Atlantis")), 2, "country", `"Atlantis" is not one of the platform's countries`},
		{"bad kind", "a.csv", []byte(shortHeader + "Acme,shop,JAM\n"), 2, "kind", `"shop" is not a kind`},
		{"missing name after blank row", "a.csv", []byte(shortHeader + "\nAcme,firm,JAM\n,firm,JAM\n"), 4, "name", "the name is missing"},
		{"unknown area", "a.csv", []byte("name,kind,country,area\nAcme,firm,JAM,Atlantis\n"), 2, "area", "not an area of Jamaica"},
		{"unknown ISIC", "a.csv", []byte("name,kind,country,isic\nAcme,firm,JAM,9999\n"), 2, "isic", "not an ISIC Rev.4 class"},
		{"bad year", "a.csv", []byte("name,kind,country,founded_year\nAcme,firm,JAM,19x8\n"), 2, "founded_year", "not a year"},
		{"future year", "a.csv", []byte("name,kind,country,founded_year\nAcme,firm,JAM,3000\n"), 2, "founded_year", "not a plausible founding year"},
		{"bad email", "a.csv", []byte("name,kind,country,email\nAcme,firm,JAM,info@\n"), 2, "email", "not an email address"},
		{"bad website", "a.csv", []byte("name,kind,country,website\nAcme,firm,JAM,ftp://x.org\n"), 2, "website", "not a web address"},
		{"bad yes/no", "a.csv", []byte("name,kind,country,women_led\nAcme,firm,JAM,maybe\n"), 2, "women_led", "not yes or no"},
		{"formula text in CSV", "a.csv", []byte(shortHeader + `"=HYPERLINK(""http://x.example"",""click"")",firm,JAM` + "\n"), 2, "name", "starts like a spreadsheet formula"},
		{"value without header", "a.csv", []byte(shortHeader + "Acme,firm,JAM,oops\n"), 2, "D2", "has a value but its column has no header"},
		{"duplicate in file", "a.csv", []byte(shortHeader + "Acme Ltd,firm,JAM\nACME  ltd,firm,JM\n"), 3, "name", "on row 2"},
		{"broken quotes", "a.csv", []byte(shortHeader + "Acme,firm,JAM\n\"Bad \"quote\",firm,JAM\n"), 3, "", "cannot be read as CSV"},
		{"old Excel file", "a.xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 100)...), 0, "", "Excel 97–2003"},
		{"formula cell in XLSX", "a.xlsx", xlsxFile(t, "organisations", [][]any{{"name", "kind", "country"}, {"Acme", "firm", "JAM"}, {"Beta", "firm", "JAM"}},
			map[string]string{"A3": `"Be"&"ta"`}), 3, "name", "cell A3 holds a formula"},
	}
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		im := New(d)
		ctx := context.Background()
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				orgs, audits := count(t, d, "organisations"), count(t, d, "audit_log")
				res, rep, err := im.Import(ctx, user.System, Organisations, c.file, c.data)
				if err != nil {
					t.Fatal(err)
				}
				if res != nil || rep.OK() {
					t.Fatalf("stored %+v", res)
				}
				wantProblem(t, rep, c.row, c.field, c.want)
				for _, p := range rep.Problems {
					if p.File != c.file {
						t.Errorf("problem without the file name: %+v", p)
					}
				}
				if count(t, d, "organisations") != orgs || count(t, d, "audit_log") != audits {
					t.Error("a refused file stored something")
				}
			})
		}
	})
}

// TestAcceptedFiles imports files in the encodings, delimiters and formats
// people send, and checks what was stored and audited.
func TestAcceptedFiles(t *testing.T) {
	cp1252, err := charmap.Windows1252.NewEncoder().String("name;kind;country;Size Band\nCafé Ñandú;firm;Jamaica;Small\n")
	if err != nil {
		t.Fatal(err)
	}
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String("name\tkind\tcountry\nÉcole Ñandú\tresearch\tHT\n")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, file string
		data       []byte
		enc, delim string
		stored     string // name of the organisation stored first
		check      string // a condition on it
	}{
		{"Windows-1252 with semicolons", "a.csv", []byte(cp1252), EncWindows1252, "semicolon", "Café Ñandú", "size_band = 'small' AND country_iso3 = 'JAM'"},
		{"UTF-16 with tabs", "b.txt", []byte(utf16), EncUTF16LE, "tab", "École Ñandú", "kind = 'research' AND country_iso3 = 'HTI'"},
		{"UTF-8 with BOM, quoted line break", "c.csv", []byte("\ufeff NAME ,Kind,COUNTRY,description,women_led\n\"Blue, Inc.\",firm,tt,\"two\nlines\",sí\n"), EncUTF8BOM, "comma",
			"Blue, Inc.", "women_led AND description = 'two\nlines' AND country_iso3 = 'TTO'"},
		{"XLSX with a number for ISIC", "d.xlsx", xlsxFile(t, "data", [][]any{{"name", "kind", "country", "area", "isic", "founded_year"}, {"Green Farm", "firm", "St. Lucia", "LC-05", 111, 1998}}, nil), "", "",
			"Green Farm", "isic_code = '0111' AND founded_year = 1998 AND country_iso3 = 'LCA' AND area_id IS NOT NULL"},
	}
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		im := New(d)
		ctx := context.Background()
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				orgs, audits := count(t, d, "organisations"), count(t, d, "audit_log")
				res, rep, err := im.Import(ctx, user.System, Organisations, c.file, c.data)
				if err != nil {
					t.Fatal(err)
				}
				if res == nil {
					t.Fatalf("refused:\n%s", listProblems(rep.Problems))
				}
				if rep.Source.Encoding != c.enc || rep.Source.Delimiter != c.delim {
					t.Errorf("read as %+v, want %s %s", rep.Source, c.enc, c.delim)
				}
				if res.Created != 1 || count(t, d, "organisations") != orgs+1 || count(t, d, "audit_log") != audits+2 {
					t.Fatalf("created %d; audit entries %d → %d", res.Created, audits, count(t, d, "audit_log"))
				}
				var n int
				if err := d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM organisations WHERE name = $1 AND `+c.check, c.stored).Scan(&n); err != nil || n != 1 {
					t.Errorf("stored row: %d (%v)", n, err)
				}
				if err := d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'import' AND record_type = 'import'`).Scan(&n); err != nil || n == 0 {
					t.Errorf("no audit entry for the batch")
				}
			})
		}
	})
}

// TestDuplicateOfExistingAndScope checks the rules that need the registry:
// a name already registered in the country, and the actor's countries.
func TestDuplicateOfExistingAndScope(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		im := New(d)
		bso := addOrg(t, d, "bso", "Jamaica Business Council", "JAM")
		addOrg(t, d, "firm", "Café Blue", "JAM")
		before := count(t, d, "organisations")
		file := []byte("name,kind,country,allow_duplicate\ncafe  BLUE,firm,JAM,\nCafé Blue,firm,TTO,\n")
		_, rep, err := im.Import(ctx, user.System, Organisations, "dup.csv", file)
		if err != nil {
			t.Fatal(err)
		}
		wantProblem(t, rep, 2, "name", "already exists in JAM as organisation #")
		if len(rep.Problems) != 1 || rep.Valid != 1 || count(t, d, "organisations") != before {
			t.Fatalf("want one problem and nothing stored:\n%s", listProblems(rep.Problems))
		}
		// Marked as a different organisation, the row is accepted.
		file = []byte("name,kind,country,allow_duplicate\ncafe  BLUE,firm,JAM,yes\n")
		if res, rep, err := im.Import(ctx, user.System, Organisations, "dup.csv", file); err != nil || res == nil {
			t.Fatalf("allow_duplicate: %v\n%s", err, listProblems(rep.Problems))
		}
		// BSO staff register organisations in their BSO's country only.
		staff := bsoStaff(bso)
		before = count(t, d, "organisations")
		file = []byte("name,kind,country\nNew Firm,firm,JAM\nOther Firm,firm,BRB\n")
		_, rep, err = im.Import(ctx, staff, Organisations, "scope.csv", file)
		if err != nil {
			t.Fatal(err)
		}
		wantProblem(t, rep, 3, "country", "you may not register organisations in Barbados")
		if len(rep.Problems) != 1 || count(t, d, "organisations") != before {
			t.Fatalf("scope: %s", listProblems(rep.Problems))
		}
		// Roles without import rights are refused as not found.
		if _, _, err := im.Import(ctx, user.Actor{Role: user.Reviewer, Name: "r"}, Organisations, "x.csv", file); err == nil {
			t.Error("a reviewer may not import")
		}
	})
}

// TestMemberships imports memberships by name and by ID, from CSV and
// XLSX (with a real date cell), and refuses bad dates, unknown clusters and
// periods that overlap, in the registry or within the file.
func TestMemberships(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		im := New(d)
		bso := addOrg(t, d, "bso", "Tourism Council", "JAM")
		firm := addOrg(t, d, "firm", "Sunny Tours", "JAM")
		other := addOrg(t, d, "firm", "Reef Divers", "JAM")
		cl := addCluster(t, d, "Jamaica Tourism Cluster", bso, "JAM")
		addCluster(t, d, "Barbados Rum Cluster", addOrg(t, d, "bso", "Rum Board", "BRB"), "BRB")

		head := "cluster_id,cluster_name,organisation_id,organisation_name,organisation_country,role,joined,left\n"
		future := time.Now().UTC().AddDate(0, 0, 3).Format(dateLayout)
		bad := head +
			fmt.Sprintf("%d,,%d,,,member,2024-02-30,\n", cl, firm) +
			",Jamaica Tourism Cluster,,Sunny Tours,JAM,member,2024-01-01,2023-01-01\n" +
			",No Such Cluster,,Sunny Tours,JAM,member,2024-01-01,\n" +
			fmt.Sprintf("%d,,%d,,,member,%s,\n", cl, other, future) +
			fmt.Sprintf("%d,,%d,,,chair,2024-01-01,\n", cl, other)
		before := count(t, d, "memberships")
		_, rep, err := im.Import(ctx, user.System, Memberships, "m.csv", []byte(bad))
		if err != nil {
			t.Fatal(err)
		}
		wantProblem(t, rep, 2, "joined", `"2024-02-30" is not a date`)
		wantProblem(t, rep, 3, "left", "cannot be before the joining date")
		wantProblem(t, rep, 4, "cluster_name", `no cluster named "No Such Cluster"`)
		wantProblem(t, rep, 5, "joined", "in the future")
		wantProblem(t, rep, 6, "role", `"chair" is not a role`)
		if count(t, d, "memberships") != before {
			t.Fatal("a refused file stored memberships")
		}

		// A valid CSV by name, then an overlapping file refused by the
		// cluster store's own rule, checked in the dry run already.
		good := head + ",jamaica tourism cluster,,sunny tours,Jamaica,member,2023-05-01,\n" +
			fmt.Sprintf("%d,,%d,,,lead_firm,2022-01-01,2023-01-01\n", cl, other)
		res, rep, err := im.Import(ctx, user.System, Memberships, "m.csv", []byte(good))
		if err != nil || res == nil {
			t.Fatalf("valid memberships refused: %v\n%s", err, listProblems(rep.Problems))
		}
		if res.Created != 2 || count(t, d, "memberships") != before+2 {
			t.Fatalf("created %d", res.Created)
		}
		overlap := head + fmt.Sprintf("%d,,%d,,,member,2024-01-01,\n", cl, firm) +
			fmt.Sprintf("%d,,%d,,,member,2023-06-01,\n", cl, other) +
			fmt.Sprintf("%d,,%d,,,member,2023-07-01,\n", cl, other)
		rep, err = im.Check(ctx, user.System, Memberships, "o.csv", []byte(overlap))
		if err != nil {
			t.Fatal(err)
		}
		wantProblem(t, rep, 2, "organisation_id", "already a current member")
		wantProblem(t, rep, 4, "organisation_id", "already a current member")
		if rep.has(3, "organisation_id") || count(t, d, "memberships") != before+2 {
			t.Fatalf("the dry run must only report:\n%s", listProblems(rep.Problems))
		}

		// XLSX with a date cell and a BSO's staff limited to its clusters.
		f := excelize.NewFile()
		sheet := "memberships"
		_ = f.SetSheetName("Sheet1", sheet)
		_ = f.SetSheetRow(sheet, "A1", &[]any{"cluster_name", "organisation_id", "role", "joined"})
		_ = f.SetSheetRow(sheet, "A2", &[]any{"Jamaica Tourism Cluster", other, "member", time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)})
		_ = f.SetSheetRow(sheet, "A3", &[]any{"Barbados Rum Cluster", other, "member", "2024-03-01"})
		var buf bytes.Buffer
		_ = f.Write(&buf)
		_, rep, err = im.Import(ctx, bsoStaff(bso), Memberships, "m.xlsx", buf.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		wantProblem(t, rep, 3, "cluster_name", `no cluster named "Barbados Rum Cluster" that you may read`)
		if len(rep.Problems) != 1 || rep.Source.Sheet != sheet {
			t.Fatalf("xlsx: %+v\n%s", rep.Source, listProblems(rep.Problems))
		}
		_ = f.RemoveRow(sheet, 3)
		buf.Reset()
		_ = f.Write(&buf)
		res, rep, err = im.Import(ctx, bsoStaff(bso), Memberships, "m.xlsx", buf.Bytes())
		if err != nil || res == nil {
			t.Fatalf("xlsx refused: %v\n%s", err, listProblems(rep.Problems))
		}
		var joined string
		if err := d.Read().QueryRowContext(ctx, `SELECT joined_on FROM memberships WHERE organisation_id = $1 AND left_on IS NULL`, other).Scan(&joined); err != nil || joined != "2024-03-01" {
			t.Errorf("joined = %q (%v)", joined, err)
		}
		var audits int
		d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'membership'`).Scan(&audits)
		if audits != 3 {
			t.Errorf("membership audit entries: %d, want 3", audits)
		}
	})
}

// TestTemplateRoundTrip fills in the downloadable workbook as a person
// would and imports it; the template has its instructions, lists and
// drop-downs.
func TestTemplateRoundTrip(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		b, err := TemplateXLSX(ctx, d.Read(), Organisations, i18n.For("es"))
		if err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		sheets := f.GetSheetList()
		if len(sheets) != 3 || sheets[0] != "organisations" || sheets[1] != "Instrucciones" {
			t.Fatalf("sheets %v", sheets)
		}
		dvs, err := f.GetDataValidations("organisations")
		if err != nil || len(dvs) != 5 {
			t.Fatalf("drop-downs: %d (%v)", len(dvs), err)
		}
		help, _ := f.GetCellValue("Instrucciones", "C5")
		if !strings.Contains(help, "bso") {
			t.Errorf("instructions for kind: %q", help)
		}
		_ = f.SetSheetRow("organisations", "A2", &[]any{"Template Farm", "firm", "BRB", "", "0111", "micro", "yes", "no"})
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		res, rep, err := New(d).Import(ctx, user.System, Organisations, "organisations.xlsx", buf.Bytes())
		if err != nil || res == nil || res.Created != 1 {
			t.Fatalf("import of the filled template: %v\n%s", err, listProblems(rep.Problems))
		}
		if csv := string(TemplateCSV(Memberships)); csv != "\ufeffcluster_id,cluster_name,organisation_id,organisation_name,organisation_country,role,joined,left\n" {
			t.Errorf("CSV template %q", csv)
		}
	})
}
