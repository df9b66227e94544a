package indicator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// book is a downloaded template opened for filling in, as a person would.
type book struct {
	t *testing.T
	f *excelize.File
}

func openBook(t *testing.T, b []byte) *book {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return &book{t: t, f: f}
}

// col is the letter of an indicator's category column, from the meta sheet.
func (b *book) col(code, category string) string {
	b.t.Helper()
	rows, _ := b.f.GetRows(excelMetaSheet)
	for _, r := range rows {
		if len(r) >= 3 && r[1] == code && r[2] == category {
			return r[0]
		}
	}
	b.t.Fatalf("no column %s %s in the meta sheet", code, category)
	return ""
}

// row is the data row of a subject and period.
func (b *book) row(subject, period string) int {
	b.t.Helper()
	rows, _ := b.f.GetRows(excelDataSheet)
	for n, r := range rows {
		if len(r) >= 3 && r[0] == subject && r[2] == period {
			return n + 1
		}
	}
	b.t.Fatalf("no row %s %s", subject, period)
	return 0
}

func (b *book) set(cell string, v any) {
	b.t.Helper()
	if err := b.f.SetCellValue(excelDataSheet, cell, v); err != nil {
		b.t.Fatal(err)
	}
}

func (b *book) get(cell string) string {
	v, _ := b.f.GetCellValue(excelDataSheet, cell)
	return v
}

func (b *book) bytes() []byte {
	b.t.Helper()
	var buf bytes.Buffer
	if err := b.f.Write(&buf); err != nil {
		b.t.Fatal(err)
	}
	return buf.Bytes()
}

// wantExcelProblem fails unless err lists a problem at row and column whose
// message contains text.
func wantExcelProblem(t *testing.T, err error, row int, col, text string) {
	t.Helper()
	var ee *ExcelError
	if !errors.As(err, &ee) {
		t.Fatalf("want an excel error, got %v", err)
	}
	for _, p := range ee.Problems {
		if p.Row == row && p.Column == col && strings.Contains(p.Message, text) {
			if p.Sheet == "" && row > 0 {
				t.Errorf("problem at row %d %s names no sheet", row, col)
			}
			return
		}
	}
	t.Errorf("no problem at row %d column %s with %q in %+v", row, col, text, ee.Problems)
}

func countValues(t *testing.T, d *db.DB, cond string) int {
	t.Helper()
	var n int
	if err := d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM indicator_values WHERE `+cond).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestExcelTemplateRoundTrip(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		r := newRegion(t, d)
		s := r.s
		bso := bsoActor(r.bsoA)
		clusterA := fmt.Sprintf("cluster:%d", r.clusterA)
		cert, err := s.FindIndicatorByCode(ctx, bso, "CERTIFICATIONS")
		if err != nil {
			t.Fatal(err)
		}
		// A value entered before is filled in.
		if _, err := s.SaveValues(ctx, bso, []ValueInput{{IndicatorID: cert.ID, Subject: clusterA, Period: "2025-Q1", Value: ptr(3)}}); err != nil {
			t.Fatal(err)
		}
		tpl, err := s.ExcelTemplate(ctx, bso, ExcelTemplateInput{Subjects: "country:JAM", PeriodType: PeriodQuarter, From: 2025, To: 2025, Lang: "es"})
		if err != nil {
			t.Fatal(err)
		}
		if len(tpl.Subjects) != 1 || len(tpl.Periods) != 4 {
			t.Fatalf("template of %d subjects and %d periods", len(tpl.Subjects), len(tpl.Periods))
		}
		for _, c := range tpl.Columns {
			if c.Indicator.Frequency == FreqYearly {
				t.Errorf("a quarterly template has the yearly %s", c.Code)
			}
		}
		raw, err := tpl.Workbook()
		if err != nil {
			t.Fatal(err)
		}
		b := openBook(t, raw)
		if sheets := b.f.GetSheetList(); len(sheets) != 3 || sheets[1] != "Instrucciones" {
			t.Errorf("sheets %v", sheets)
		}
		if visible, _ := b.f.GetSheetVisible(excelMetaSheet); visible {
			t.Error("the meta sheet is visible")
		}
		if prot, err := b.f.GetSheetProtection(excelDataSheet); err != nil || !prot.SelectUnlockedCells {
			t.Errorf("data sheet not protected: %+v %v", prot, err)
		}
		total, micro := b.col("CERTIFICATIONS", "total"), b.col("CERTIFICATIONS", "firm_size:micro")
		if h := b.get(micro + "4"); h != "Micro (1–9 empleados)" && !strings.Contains(h, "Micro") {
			t.Errorf("category header %q", h)
		}
		if b.get(total+"1") != "CERTIFICATIONS" || b.get("A4") == "" {
			t.Errorf("headers %q %q", b.get(total+"1"), b.get("A4"))
		}
		dvs, _ := b.f.GetDataValidations(excelDataSheet)
		if len(dvs) != len(tpl.Columns) || dvs[0].Type != "decimal" || dvs[0].Formula1 != "0" {
			t.Errorf("data validations %d, first %+v", len(dvs), dvs[0])
		}
		q1, q2 := b.row(clusterA, "2025-Q1"), b.row(clusterA, "2025-Q2")
		if got := b.get(total + strconv.Itoa(q1)); got != "3" {
			t.Errorf("prefilled %q, want 3", got)
		}
		// Fill: Q1 total stays 3, micro 2 is new, Q2 total 5 new.
		b.set(micro+strconv.Itoa(q1), 2)
		b.set(total+strconv.Itoa(q2), 5)
		inv := b.col("INVESTMENT_LEVERAGED", "total")
		b.set(inv+strconv.Itoa(q2), "12500.5")
		up := b.bytes()

		sum, err := s.PreviewExcel(ctx, bso, up, "filled.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		if sum.New != 3 || sum.Changed != 0 || sum.Unchanged != 1 || sum.Values != 4 || len(sum.Changes) != 3 {
			t.Fatalf("preview %+v", sum)
		}
		if n := countValues(t, d, "1=1"); n != 1 {
			t.Fatalf("a preview stored values: %d", n)
		}
		res, err := s.CommitExcel(ctx, bso, up, "filled.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		if res.Saved != 3 || !res.Committed {
			t.Fatalf("commit %+v", res)
		}
		if n := countValues(t, d, "source = 'import'"); n != 3 {
			t.Errorf("%d imported values, want 3", n)
		}
		// Uploading again changes nothing; a changed cell is one new version.
		b.set(total+strconv.Itoa(q2), 6)
		sum, err = s.PreviewExcel(ctx, bso, b.bytes(), "filled.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		if sum.New != 0 || sum.Changed != 1 || sum.Unchanged != 3 || sum.Changes[0].Old == nil || *sum.Changes[0].Old != 5 {
			t.Fatalf("second preview %+v", sum)
		}
		// Moved columns are still read by their headers.
		if err := b.f.InsertCols(excelDataSheet, "D", 2); err != nil {
			t.Fatal(err)
		}
		sum, err = s.PreviewExcel(ctx, bso, b.bytes(), "moved.xlsx")
		if err != nil {
			t.Fatalf("moved columns: %v", err)
		}
		if sum.Changed != 1 || sum.Unchanged != 3 {
			t.Errorf("moved columns preview %+v", sum)
		}

		// The sum rule warns in the preview: micro 9 > total 6.
		b2 := openBook(t, up)
		b2.set(micro+strconv.Itoa(q2), 9)
		sum, err = s.PreviewExcel(ctx, bso, b2.bytes(), "sums.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		if len(sum.Warnings) != 1 || sum.Warnings[0].Dimension != "firm_size" || sum.Warnings[0].Period != "2025-Q2" {
			t.Errorf("warnings %+v", sum.Warnings)
		}

		// Members of a cluster initiative, for years.
		if _, err := d.SQL().ExecContext(ctx, `INSERT INTO memberships (cluster_id, organisation_id, role, joined_on, created_at, updated_at)
			VALUES ($1, $2, 'member', '2020-01-01', $3, $3)`, r.clusterA, r.firmA, db.Now()); err != nil {
			t.Fatal(err)
		}
		tpl, err = s.ExcelTemplate(ctx, bso, ExcelTemplateInput{Subjects: clusterA, PeriodType: PeriodYear, From: 2024, To: 2025, Lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		if len(tpl.Subjects) != 1 || tpl.Subjects[0].Subject.Kind != SubjectOrganisation || len(tpl.Periods) != 2 || len(tpl.Columns) < 20 {
			t.Errorf("members template %+v, %d columns", tpl.Subjects, len(tpl.Columns))
		}
	})
}

func TestExcelUploadProblemsAreLocated(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		r := newRegion(t, d)
		s := r.s
		bso := bsoActor(r.bsoA)
		clusterA := fmt.Sprintf("cluster:%d", r.clusterA)
		tpl, err := s.ExcelTemplate(ctx, bso, ExcelTemplateInput{Subjects: "country:JAM", PeriodType: PeriodQuarter, From: 2025, To: 2025})
		if err != nil {
			t.Fatal(err)
		}
		raw, err := tpl.Workbook()
		if err != nil {
			t.Fatal(err)
		}
		b := openBook(t, raw)
		total, micro := b.col("CERTIFICATIONS", "total"), b.col("CERTIFICATIONS", "firm_size:micro")
		small := b.col("CERTIFICATIONS", "firm_size:small")
		q1, q2, q3, q4 := b.row(clusterA, "2025-Q1"), b.row(clusterA, "2025-Q2"), b.row(clusterA, "2025-Q3"), b.row(clusterA, "2025-Q4")
		row := func(n int) string { return strconv.Itoa(n) }
		b.set(total+row(q1), "many")
		b.set(micro+row(q1), -2)
		b.set(total+row(q2), 4) // a good value: nothing is stored while others are bad
		b.set("C"+row(q3), "2024-Q3")
		b.set("A"+row(q4), "cluster:99999")
		b.set(total+row(q4), 1)
		// A duplicate of row Q2 and a row outside the scope, below.
		for n, v := range []string{clusterA, "Kingston Creative", "2025-Q2"} {
			b.set(string(rune('A'+n))+"10", v)
		}
		b.set(total+"10", 1)
		for n, v := range []string{fmt.Sprintf("cluster:%d", r.clusterB), "Tobago", "2025-Q1"} {
			b.set(string(rune('A'+n))+"11", v)
		}
		b.set(total+"11", 1)
		// A header overwritten (columns shifted by hand): its values are refused.
		b.f.SetCellValue(excelDataSheet, small+"1", "JOINT_ACTIVITIES")
		b.set(small+row(q2), 1)
		// A value in a column with no header.
		far := excelColumnLetter(excelKeyCols + len(tpl.Columns) + 2)
		b.set(far+row(q2), 7)

		_, err = s.PreviewExcel(ctx, bso, b.bytes(), "bad.xlsx")
		wantExcelProblem(t, err, q1, total, `"many" is not a number`)
		wantExcelProblem(t, err, q1, micro, "cannot be negative")
		wantExcelProblem(t, err, q3, "C", "not one of the template's periods")
		wantExcelProblem(t, err, q4, "A", "There is no cluster:99999 that you may see")
		wantExcelProblem(t, err, 10, "A", fmt.Sprintf("also in row %d", q2))
		wantExcelProblem(t, err, 11, "A", "There is no cluster:")
		wantExcelProblem(t, err, q2, small, "is not read (the template had CERTIFICATIONS")
		wantExcelProblem(t, err, q2, far, "does not match the template")
		var ee *ExcelError
		if errors.As(err, &ee) {
			for _, p := range ee.Problems {
				if (p.Column == small || p.Column == "A") && p.Header == "" {
					t.Errorf("shifted column problem names no header: %+v", p)
				}
			}
		}
		// All or nothing: the good value of row Q2 is not stored either.
		if _, err := s.CommitExcel(ctx, bso, b.bytes(), "bad.xlsx"); err == nil {
			t.Fatal("a workbook with problems was committed")
		}
		if n := countValues(t, d, "1=1"); n != 0 {
			t.Fatalf("%d values stored from a refused workbook", n)
		}

		// Whole-file problems.
		for _, c := range []struct {
			name string
			data []byte
			kind problem.Kind
			text string
		}{
			{"values.csv", []byte("subject,period\ncluster:1,2025"), problem.Invalid, "A CSV file is not an Excel workbook"},
			{"broken.xlsx", append([]byte("PK\x03\x04"), bytes.Repeat([]byte{7}, 200)...), problem.Invalid, "cannot be read"},
			{"huge.xlsx", append([]byte("PK\x03\x04"), make([]byte, MaxExcelBytes)...), problem.TooLarge, "larger than 10 MB"},
			{"plain.xlsx", plainWorkbook(t), problem.Invalid, "not a values template"},
		} {
			_, err := s.PreviewExcel(ctx, bso, c.data, c.name)
			var ee *ExcelError
			if !errors.As(err, &ee) || ee.Kind != c.kind || !strings.Contains(ee.Problems[0].Message, c.text) {
				t.Errorf("%s: %v", c.name, err)
			}
		}
	})
}

func plainWorkbook(t *testing.T) []byte {
	f := excelize.NewFile()
	f.SetCellValue("Sheet1", "A1", "cluster:1")
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestExcelScopeAndKeptUploads(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		r := newRegion(t, d)
		s := r.s
		bsoA, bsoB := bsoActor(r.bsoA), bsoActor(r.bsoB)
		clusterA := fmt.Sprintf("cluster:%d", r.clusterA)

		// A country coordinator enters no values; another BSO's country has
		// no cluster the BSO may enter values for.
		_, err := s.ExcelTemplate(ctx, viewer, ExcelTemplateInput{Subjects: "country:JAM", PeriodType: PeriodYear, From: 2025, To: 2025})
		wantKind(t, err, problem.Forbidden)
		_, err = s.ExcelTemplate(ctx, bsoA, ExcelTemplateInput{Subjects: "country:TTO", PeriodType: PeriodYear, From: 2025, To: 2025})
		wantField(t, err, "subjects", "no subject there that you may enter values for")
		_, err = s.ExcelTemplate(ctx, bsoA, ExcelTemplateInput{Subjects: "country:JAM", PeriodType: "month", From: 2025, To: 2040,
			Indicators: []string{"NOPE", "JOBS_CREATED"}})
		wantField(t, err, "period_type", "quarters or years")
		wantField(t, err, "to", "at most 10 years")
		wantField(t, err, "indicator", "no indicator NOPE")
		_, err = s.ExcelTemplate(ctx, bsoA, ExcelTemplateInput{Subjects: "country:JAM", PeriodType: PeriodQuarter, From: 2025, To: 2025,
			Indicators: []string{"JOBS_CREATED"}})
		wantField(t, err, "indicator", "JOBS_CREATED is collected yearly")

		tpl, err := s.ExcelTemplate(ctx, bsoA, ExcelTemplateInput{Subjects: "country:JAM", PeriodType: PeriodYear, From: 2025, To: 2025,
			Indicators: []string{"JOBS_CREATED"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(tpl.Columns) != 5 {
			t.Errorf("JOBS_CREATED has %d columns, want total, sex and youth", len(tpl.Columns))
		}
		raw, _ := tpl.Workbook()
		b := openBook(t, raw)
		b.set(b.col("JOBS_CREATED", "total")+strconv.Itoa(b.row(clusterA, "2025")), 12)
		b.set(b.col("JOBS_CREATED", "sex:women")+strconv.Itoa(b.row(clusterA, "2025")), 7)
		up := b.bytes()

		// Another BSO may not enter them: refused, row by row.
		_, err = s.PreviewExcel(ctx, bsoB, up, "a.xlsx")
		wantExcelProblem(t, err, 5, "A", "that you may see")
		// A programme officer may read a cluster's values and enter them.
		if _, err := s.PreviewExcel(ctx, officer, up, "a.xlsx"); err != nil {
			t.Errorf("officer: %v", err)
		}
		// The coordinator may read the cluster but not enter its values.
		_, err = s.PreviewExcel(ctx, viewer, up, "a.xlsx")
		wantKind(t, err, problem.Forbidden)
		cm := user.Actor{Name: "Manager B", Role: user.ClusterManager, Scope: user.Scope{Kind: user.ScopeCluster, ID: fmt.Sprint(r.clusterB)}}
		_, err = s.PreviewExcel(ctx, cm, up, "a.xlsx")
		wantExcelProblem(t, err, 5, "A", clusterA)

		// Kept between preview and commit; the hash must match.
		id, err := s.KeepExcelUpload(ctx, bsoA, "a.xlsx", up)
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.CommitExcelUpload(ctx, bsoA, id, ExcelHash([]byte("other")))
		wantKind(t, err, problem.Conflict)
		other := bsoA
		other.UserID = 424242
		_, err = s.CommitExcelUpload(ctx, other, id, ExcelHash(up))
		wantKind(t, err, problem.NotFound)
		sum, err := s.CommitExcelUpload(ctx, bsoA, id, ExcelHash(up))
		if err != nil {
			t.Fatal(err)
		}
		if sum.Saved != 2 || countValues(t, d, "source = 'import'") != 2 {
			t.Errorf("commit %+v", sum)
		}
		_, err = s.CommitExcelUpload(ctx, bsoA, id, ExcelHash(up))
		wantKind(t, err, problem.NotFound)
		var parts int
		d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM upload_parts WHERE upload_id = $1`, id).Scan(&parts)
		if parts != 0 {
			t.Errorf("%d parts left after the commit", parts)
		}
	})
}
