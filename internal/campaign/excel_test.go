package campaign

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/indicator"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// filledBook is a downloaded answers workbook being filled in.
type filledBook struct {
	t *testing.T
	f *excelize.File
}

func openBook(t *testing.T, raw []byte) *filledBook {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("not a workbook: %v", err)
	}
	return &filledBook{t: t, f: f}
}

// col is the column letter of a name in row 2 of a sheet.
func (b *filledBook) col(sheet, name string) string {
	b.t.Helper()
	rows, _ := b.f.GetRows(sheet)
	for i, n := range rows[1] {
		if n == name {
			return colName(i + 1)
		}
	}
	b.t.Fatalf("sheet %s has no column %s", sheet, name)
	return ""
}

// row is the row of a respondent on the sheet Answers, by organisation.
func (b *filledBook) row(org string) int {
	b.t.Helper()
	rows, _ := b.f.GetRows(excelAnswersSheet)
	for i, r := range rows {
		if len(r) > 1 && r[1] == org {
			return i + 1
		}
	}
	b.t.Fatalf("no row for %s", org)
	return 0
}

func (b *filledBook) get(sheet, name string, row int) string {
	v, _ := b.f.GetCellValue(sheet, b.col(sheet, name)+excelItoa(row))
	return v
}

func (b *filledBook) set(sheet string, row int, values map[string]any) {
	b.t.Helper()
	for name, v := range values {
		if err := b.f.SetCellValue(sheet, b.col(sheet, name)+excelItoa(row), v); err != nil {
			b.t.Fatal(err)
		}
	}
}

func (b *filledBook) bytes() []byte {
	b.t.Helper()
	var buf bytes.Buffer
	if err := b.f.Write(&buf); err != nil {
		b.t.Fatal(err)
	}
	return buf.Bytes()
}

func excelItoa(n int) string { return strconv.Itoa(n) }

// firmAnswers are a full set of answers on the sheet Answers.
func firmAnswers(name string, total int) map[string]any {
	return map[string]any{"firm_name": name, "year": 2025, "employees_total": total, "employees_women": 2, "employees_youth": 1,
		"jobs_created": 0, "revenue": 1000.5, "exports": 0, "new_products_markets": "new_product new_process"}
}

func excelCount(t *testing.T, d *db.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.Read().QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func excelProblemsOf(t *testing.T, err error) []indicator.ExcelProblem {
	t.Helper()
	var ee *indicator.ExcelError
	if !errors.As(err, &ee) {
		t.Fatalf("want a refused workbook, got %v", err)
	}
	return ee.Problems
}

func TestExcelRoundTrip(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		c, _ := f.open(t, f.input())
		staff := bsoActor(f.bso)
		raw, err := f.s.AnswersWorkbook(ctx, staff, c.ID, "es")
		if err != nil {
			t.Fatal(err)
		}
		b := openBook(t, raw)
		if names := b.f.GetSheetList(); strings.Join(names, ",") != "Answers,partners,Instrucciones,Lists,Meta" {
			t.Errorf("sheets %v", names)
		}
		if v, _ := b.f.GetSheetVisible(excelMetaSheet); v {
			t.Error("the meta sheet is visible")
		}
		if dvs, _ := b.f.GetDataValidations("partners"); len(dvs) == 0 {
			t.Error("no drop-down on the repeat sheet")
		}
		if dvs, _ := b.f.GetDataValidations(excelAnswersSheet); len(dvs) < 5 {
			t.Errorf("%d validations on the answers sheet", len(dvs))
		}
		if label, _ := b.f.GetCellValue(excelAnswersSheet, b.col(excelAnswersSheet, "employees_total")+"1"); !strings.Contains(label, "Empleados") {
			t.Errorf("label in Spanish: %q", label)
		}
		row := b.row("Negril Spice")
		inv := b.get(excelAnswersSheet, keyInvitation, row)
		b.set(excelAnswersSheet, row, firmAnswers("Negril Spice", 5))
		b.set("partners", 3, map[string]any{keyInvitation: inv, keyOccurrence: 2, "partner_name": "Acme", "partner_type": "firm",
			"cooperation_kind": "supply joint_project"})
		b.set("partners", 4, map[string]any{keyInvitation: inv, keyOccurrence: 1, "partner_name": "Bolt", "partner_type": "bso",
			"cooperation_kind": "supply"})
		data := b.bytes()

		sum, err := f.s.PreviewExcel(ctx, staff, c.ID, data, "answers.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		if sum.New != 1 || sum.Edited != 0 || len(sum.Changes) != 1 || sum.Committed {
			t.Fatalf("preview %+v", sum)
		}
		if n := excelCount(t, d, `SELECT COUNT(*) FROM submissions`); n != 0 {
			t.Fatalf("the preview stored %d submissions", n)
		}
		sum, err = f.s.CommitExcel(ctx, staff, c.ID, data, "answers.xlsx")
		if err != nil || !sum.Committed || sum.Changes[0].SubmissionID == 0 {
			t.Fatalf("commit %+v %v", sum, err)
		}
		sub, err := f.s.FindSubmission(ctx, admin, sum.Changes[0].SubmissionID)
		if err != nil {
			t.Fatal(err)
		}
		a := sub.AnswerMap()
		partners := RepeatRows(a, "partners")
		if sub.Channel != ChannelExcel || sub.OrganisationID != f.firm3 || Text(a["employees_total"]) != "5" || Text(a["revenue"]) != "1000.5" ||
			len(partners) != 2 || partners[0]["partner_name"] != "Bolt" || partners[1]["cooperation_kind"] != "supply joint_project" {
			t.Errorf("stored %s %s", sub.Channel, sub.Answers)
		}
		// A second commit of the same file stores nothing new.
		if sum, err := f.s.CommitExcel(ctx, staff, c.ID, data, "answers.xlsx"); err != nil || sum.Unchanged != 1 || len(sum.Changes) != 0 {
			t.Errorf("second commit %+v %v", sum, err)
		}

		// The next template is prefilled; a changed row is an edit that
		// keeps the history.
		b = openBook(t, mustWorkbook(t, f.s, staff, c.ID))
		row = b.row("Negril Spice")
		if got := b.get(excelAnswersSheet, "employees_total", row); got != "5" {
			t.Fatalf("prefilled employees_total %q", got)
		}
		if got := b.get("partners", "partner_name", 4); got != "Acme" {
			t.Errorf("prefilled partner %q", got)
		}
		b.set(excelAnswersSheet, row, map[string]any{"employees_total": 7})
		sum, err = f.s.CommitExcel(ctx, staff, c.ID, b.bytes(), "answers.xlsx")
		if err != nil || sum.Edited != 1 || sum.Changes[0].Replaces != sub.ID || strings.Join(sum.Changes[0].Fields, ",") != "employees_total" {
			t.Fatalf("edit %+v %v", sum, err)
		}
		hist, err := f.s.History(ctx, admin, sum.Changes[0].SubmissionID)
		if err != nil || len(hist) != 2 || !hist[0].Superseded || hist[1].DeprecatedID != sub.InstanceID || hist[1].Channel != ChannelExcel {
			t.Fatalf("history %v %v", hist, err)
		}
		if Text(hist[1].AnswerMap()["employees_total"]) != "7" || len(RepeatRows(hist[1].AnswerMap(), "partners")) != 2 {
			t.Errorf("edited answers %s", hist[1].Answers)
		}
	})
}

func mustWorkbook(t *testing.T, s *Store, actor user.Actor, id int64) []byte {
	t.Helper()
	raw, err := s.AnswersWorkbook(context.Background(), actor, id, "en")
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestExcelRefusals(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		c, _ := f.open(t, f.input())
		staff := bsoActor(f.bso)
		raw := mustWorkbook(t, f.s, staff, c.ID)

		// A bad cell and a bad choice are named by sheet, row and column.
		b := openBook(t, raw)
		row := b.row("Negril Spice")
		inv := b.get(excelAnswersSheet, keyInvitation, row)
		answers := firmAnswers("Negril Spice", 5)
		answers["employees_total"] = "many"
		delete(answers, "firm_name")
		b.set(excelAnswersSheet, row, answers)
		b.set("partners", 3, map[string]any{keyInvitation: inv, keyOccurrence: 1, "partner_name": "Acme", "partner_type": "alien",
			"cooperation_kind": "supply"})
		_, err := f.s.PreviewExcel(ctx, staff, c.ID, b.bytes(), "answers.xlsx")
		ps := excelProblemsOf(t, err)
		want := map[string]bool{
			"Answers|" + excelItoa(row) + "|" + b.col(excelAnswersSheet, "employees_total"): false,
			"partners|3|" + b.col("partners", "partner_type"):                               false,
		}
		for _, p := range ps {
			k := p.Sheet + "|" + excelItoa(p.Row) + "|" + p.Column
			if _, ok := want[k]; ok {
				want[k] = true
			}
		}
		for k, found := range want {
			if !found {
				t.Errorf("no problem at %s in %+v", k, ps)
			}
		}
		if _, err := f.s.CommitExcel(ctx, staff, c.ID, b.bytes(), "answers.xlsx"); err == nil {
			t.Error("a bad workbook was committed")
		}
		if n := excelCount(t, d, `SELECT COUNT(*) FROM submissions`); n != 0 {
			t.Fatalf("a refused workbook stored %d submissions", n)
		}

		// Shifted columns: a column inserted before the answers.
		b = openBook(t, raw)
		row = b.row("Negril Spice")
		b.set(excelAnswersSheet, row, firmAnswers("Negril Spice", 5))
		if err := b.f.UnprotectSheet(excelAnswersSheet); err != nil {
			t.Fatal(err)
		}
		if err := b.f.InsertCols(excelAnswersSheet, "D", 1); err != nil {
			t.Fatal(err)
		}
		_, err = f.s.CommitExcel(ctx, staff, c.ID, b.bytes(), "answers.xlsx")
		ps = excelProblemsOf(t, err)
		if len(ps) != 1 || ps[0].Sheet != excelAnswersSheet || ps[0].Column != "D" || !strings.Contains(ps[0].Message, "shifted") {
			t.Errorf("shifted columns: %+v", ps)
		}
		if n := excelCount(t, d, `SELECT COUNT(*) FROM submissions`); n != 0 {
			t.Fatalf("a shifted workbook stored %d submissions", n)
		}

		// A workbook of another campaign, and a file that is no workbook.
		other, _ := f.open(t, f.input())
		if _, err := f.s.PreviewExcel(ctx, staff, other.ID, raw, "answers.xlsx"); !strings.Contains(excelProblemsOf(t, err)[0].Message, "campaign") {
			t.Errorf("other campaign: %v", err)
		}
		if _, err := f.s.PreviewExcel(ctx, staff, c.ID, []byte("a,b\n1,2\n"), "answers.csv"); !strings.Contains(excelProblemsOf(t, err)[0].Message, "CSV") {
			t.Errorf("csv: %v", err)
		}

		// A closed campaign takes no new answers from a workbook.
		if _, err := f.s.CloseCampaign(ctx, staff, c.ID); err != nil {
			t.Fatal(err)
		}
		b = openBook(t, raw)
		row = b.row("Negril Spice")
		b.set(excelAnswersSheet, row, firmAnswers("Negril Spice", 5))
		_, err = f.s.PreviewExcel(ctx, staff, c.ID, b.bytes(), "answers.xlsx")
		if ps := excelProblemsOf(t, err); ps[0].Row != row || ps[0].Column != "A" || !strings.Contains(ps[0].Message, "closed") {
			t.Errorf("closed campaign: %+v", ps)
		}

		// The staff of another BSO see neither the template nor the upload.
		stranger := bsoActor(f.otherBSO)
		if _, err := f.s.AnswersWorkbook(ctx, stranger, c.ID, "en"); !problem.Is(err, problem.NotFound) {
			t.Errorf("other BSO template: %v", err)
		}
		if _, err := f.s.CommitExcel(ctx, stranger, c.ID, raw, "answers.xlsx"); !problem.Is(err, problem.NotFound) {
			t.Errorf("other BSO upload: %v", err)
		}

		// The form's logic: a constraint, an answer to a question that does
		// not apply and a required question of a repeat row, each at its
		// cell, with the form's own message.
		c, _ = f.open(t, f.input())
		b = openBook(t, mustWorkbook(t, f.s, staff, c.ID))
		row = b.row("Negril Spice")
		inv = b.get(excelAnswersSheet, keyInvitation, row)
		answers = firmAnswers("Negril Spice", 5)
		answers["employees_women"], answers["certifications"], answers["certification_names"] = 7, 0, "ISO 9001"
		b.set(excelAnswersSheet, row, answers)
		b.set("partners", 3, map[string]any{keyInvitation: inv, keyOccurrence: 1, "partner_name": "Acme", "partner_type": "firm"})
		_, err = f.s.PreviewExcel(ctx, staff, c.ID, b.bytes(), "answers.xlsx")
		ps = excelProblemsOf(t, err)
		logicWant := map[string]string{
			"Answers|" + excelItoa(row) + "|" + b.col(excelAnswersSheet, "employees_women"):     "Women cannot outnumber all employees.",
			"Answers|" + excelItoa(row) + "|" + b.col(excelAnswersSheet, "certification_names"): "does not apply",
			"partners|3|" + b.col("partners", "cooperation_kind"):                               "Answer this question.",
		}
		for _, p := range ps {
			k := p.Sheet + "|" + excelItoa(p.Row) + "|" + p.Column
			if w, ok := logicWant[k]; ok && strings.Contains(p.Message, w) {
				delete(logicWant, k)
			}
		}
		if len(logicWant) > 0 || len(ps) != 3 {
			t.Errorf("logic problems missing %v in %+v", logicWant, ps)
		}

		// Fixed, the row commits with the calculation a phone would make.
		answers["employees_women"], answers["certification_names"] = 2, ""
		b.set(excelAnswersSheet, row, answers)
		b.set("partners", 3, map[string]any{"cooperation_kind": "supply"})
		if _, err := f.s.CommitExcel(ctx, staff, c.ID, b.bytes(), "answers.xlsx"); err != nil {
			t.Fatalf("fixed workbook: %v", err)
		}
		if n := excelCount(t, d, `SELECT COUNT(*) FROM submissions WHERE campaign_id = $1 AND answers LIKE '%"partner_count":"1"%'`, c.ID); n != 1 {
			t.Errorf("%d submissions with the computed partner_count", n)
		}
	})
}
