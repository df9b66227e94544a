package implementation_test

import (
	"context"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/implementation"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// wantField checks that err is a validation problem naming field with a
// message that contains says.
func wantField(t *testing.T, err error, field, says string) {
	t.Helper()
	p := problem.As(err)
	if p == nil || p.Kind != problem.Invalid {
		t.Fatalf("want a validation problem on %s, got %v", field, err)
	}
	for _, d := range p.Details {
		if d.Field == field && strings.Contains(d.Message, says) {
			return
		}
	}
	t.Errorf("want %s: …%s…, got %v", field, says, p.Details)
}

func count(t *testing.T, d *db.DB, table string) int {
	t.Helper()
	var n int
	if err := d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSpendingValidation(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		ok := implementation.EntryInput{Line: 1, Source: implementation.Grant, SpentOn: dayOffset(f.today, -5), Amount: "1,250.50",
			Description: "Oven deposit", Receipt: &implementation.File{Name: "deposit.pdf", Data: pdf}}
		cases := []struct {
			change      func(*implementation.EntryInput)
			field, says string
		}{
			{func(in *implementation.EntryInput) { in.Amount = "12.345" }, "amount", "not an amount"},
			{func(in *implementation.EntryInput) { in.Amount = "-10" }, "amount", "more than zero"},
			{func(in *implementation.EntryInput) { in.Amount = "0" }, "amount", "more than zero"},
			{func(in *implementation.EntryInput) { in.Amount = "€100" }, "amount", "sign of EUR"},
			{func(in *implementation.EntryInput) { in.Line = 3 }, "line", "1 to 2"},
			{func(in *implementation.EntryInput) { in.Source = "loan" }, "source", "grant"},
			{func(in *implementation.EntryInput) { in.SpentOn = "5/3/2026" }, "spent_on", "YYYY-MM-DD"},
			{func(in *implementation.EntryInput) { in.SpentOn = dayOffset(f.today, 2) }, "spent_on", "future"},
			{func(in *implementation.EntryInput) { in.SpentOn = dayOffset(f.today, -300) }, "spent_on", "outside the plan's period"},
			{func(in *implementation.EntryInput) { in.SpentOn = dayOffset(f.today, -190) }, "spent_on", "outside the dates of project “Shared lab”"},
			{func(in *implementation.EntryInput) { in.Description = " " }, "description", "what was paid"},
			{func(in *implementation.EntryInput) { in.Source = implementation.InKind }, "given", "given in kind"},
			{func(in *implementation.EntryInput) { in.Source = implementation.InKind; in.Given = "Premises" }, "valuation", "valued"},
			{func(in *implementation.EntryInput) {
				in.Receipt = &implementation.File{Name: "receipt.pdf", Data: []byte("plain text")}
			},
				"receipt", "not a PDF, JPEG or PNG"},
			{func(in *implementation.EntryInput) {
				in.Receipt = &implementation.File{Name: "big.pdf", Data: append(append([]byte{}, pdf...), make([]byte, implementation.MaxAttachmentBytes)...)}
			}, "receipt", "larger than 5 MB"},
		}
		for _, c := range cases {
			in := ok
			c.change(&in)
			_, err := f.s.RecordSpending(ctx, f.staff, f.plan.ID, in, f.today)
			wantField(t, err, c.field, c.says)
		}
		if n := count(t, d, "plan_spending") + count(t, d, "plan_attachments"); n != 0 {
			t.Fatalf("refused entries left %d rows", n)
		}
		// Line 2 has no project: only the plan's period limits it.
		in := ok
		in.Line, in.SpentOn = 2, dayOffset(f.today, -190)
		if _, err := f.s.RecordSpending(ctx, f.staff, f.plan.ID, in, f.today); err != nil {
			t.Fatal(err)
		}
		e, err := f.s.RecordSpending(ctx, f.staff, f.plan.ID, ok, f.today)
		if err != nil {
			t.Fatal(err)
		}
		if e.Amount != 125050 || e.BaselineVersion != 2 || e.Line != 1 || e.ReceiptID == nil || e.ReceiptName != "deposit.pdf" {
			t.Errorf("entry %+v", e)
		}
		a, err := f.s.FindAttachment(ctx, f.officer, f.plan.ID, *e.ReceiptID)
		if err != nil || a.ContentType != "application/pdf" || string(a.Data) != string(pdf) {
			t.Errorf("receipt %+v %v", a, err)
		}
		var audited int
		d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'record_spending'`).Scan(&audited)
		if audited != 2 {
			t.Errorf("%d audit entries, want 2", audited)
		}
	})
}

func TestScope(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		in := implementation.EntryInput{Line: 1, Source: implementation.Grant, SpentOn: dayOffset(f.today, -5), Amount: "100",
			Description: "Tools", Receipt: &implementation.File{Name: "r.pdf", Data: pdf}}
		e, err := f.s.RecordSpending(ctx, f.staff, f.plan.ID, in, f.today)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.RecordSpending(ctx, f.other, f.plan.ID, in, f.today); !problem.Is(err, problem.NotFound) {
			t.Errorf("another BSO records: %v", err)
		}
		if _, _, _, err := f.s.FindEntries(ctx, f.other, f.plan.ID, implementation.EntryFilter{}); !problem.Is(err, problem.NotFound) {
			t.Errorf("another BSO reads: %v", err)
		}
		if _, err := f.s.FindAttachment(ctx, f.other, f.plan.ID, *e.ReceiptID); !problem.Is(err, problem.NotFound) {
			t.Errorf("another BSO downloads: %v", err)
		}
		if _, err := f.s.RecordProgress(ctx, f.other, f.plan.ID, 1, implementation.ProgressInput{Status: implementation.Done}, f.today); !problem.Is(err, problem.NotFound) {
			t.Errorf("another BSO records progress: %v", err)
		}
		coordinator := user.Actor{Role: user.CountryCoordinator, Scope: user.Scope{Kind: user.ScopeCountry, ID: "BRB"}}
		if _, err := f.s.RecordSpending(ctx, coordinator, f.plan.ID, in, f.today); err == nil {
			t.Error("a country coordinator recorded spending")
		}
		// The programme's officer reads and accepts reports; BSO staff do not accept.
		if _, _, _, err := f.s.FindEntries(ctx, f.officer, f.plan.ID, implementation.EntryFilter{}); err != nil {
			t.Errorf("officer reads: %v", err)
		}
		r, err := f.s.SubmitReport(ctx, f.staff, f.plan.ID, implementation.ReportInput{Period: implementation.PeriodOf(f.today).String(),
			Narrative: "Tools bought."}, f.today)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.AcceptReport(ctx, f.staff, f.plan.ID, r.ID); !problem.Is(err, problem.Forbidden) {
			t.Errorf("staff accepts: %v", err)
		}
		if r, err = f.s.AcceptReport(ctx, f.officer, f.plan.ID, r.ID); err != nil || r.Status != implementation.ReportAccepted {
			t.Fatalf("officer accepts: %+v %v", r, err)
		}
		if r.Summary.Spent.Grant != 100_00 || r.Summary.Entries != 1 || len(r.Summary.Late) != 1 {
			t.Errorf("summary %+v", r.Summary)
		}
		if _, err := f.s.SubmitReport(ctx, f.staff, f.plan.ID, implementation.ReportInput{Period: r.Period, Narrative: "Again"}, f.today); !problem.Is(err, problem.Conflict) {
			t.Errorf("an accepted report changed: %v", err)
		}
		_, err = f.s.SubmitReport(ctx, f.staff, f.plan.ID, implementation.ReportInput{Period: "2099-Q1", Narrative: "x"}, f.today)
		wantField(t, err, "period", "has started")
	})
}

func TestMilestoneProgress(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		_, ms, err := f.s.FindMilestones(ctx, f.staff, f.plan.ID, f.today)
		if err != nil {
			t.Fatal(err)
		}
		if ms[0].Status != implementation.Late || ms[1].Status != implementation.NotStarted {
			t.Fatalf("statuses %s %s", ms[0].Status, ms[1].Status)
		}
		_, err = f.s.RecordProgress(ctx, f.staff, f.plan.ID, 1, implementation.ProgressInput{Status: implementation.Late}, f.today)
		wantField(t, err, "status", "worked out")
		_, err = f.s.RecordProgress(ctx, f.staff, f.plan.ID, 1, implementation.ProgressInput{Status: implementation.Done}, f.today)
		wantField(t, err, "completed_on", "Enter the day")
		_, err = f.s.RecordProgress(ctx, f.staff, f.plan.ID, 1, implementation.ProgressInput{Status: implementation.InProgress, CompletedOn: dayOffset(f.today, -1)}, f.today)
		wantField(t, err, "completed_on", "Only a done milestone")
		_, err = f.s.RecordProgress(ctx, f.staff, f.plan.ID, 1, implementation.ProgressInput{Status: implementation.Done, CompletedOn: dayOffset(f.today, -1),
			Evidence: &implementation.File{Name: "photo.gif", Data: []byte("GIF89a......")}}, f.today)
		wantField(t, err, "evidence", "not a PDF")
		if _, err := f.s.RecordProgress(ctx, f.staff, f.plan.ID, 9, implementation.ProgressInput{Status: implementation.Done}, f.today); !problem.Is(err, problem.NotFound) {
			t.Errorf("milestone 9: %v", err)
		}
		if n := count(t, d, "plan_milestone_progress") + count(t, d, "plan_attachments"); n != 0 {
			t.Fatalf("refused progress left %d rows", n)
		}
		m, err := f.s.RecordProgress(ctx, f.staff, f.plan.ID, 1, implementation.ProgressInput{Status: implementation.InProgress, Note: "Waiting for the oven",
			Evidence: &implementation.File{Name: "order.pdf", Data: pdf}}, f.today)
		if err != nil {
			t.Fatal(err)
		}
		if m.Status != implementation.Late || m.Progress.EvidenceName != "order.pdf" {
			t.Errorf("in progress past its due date: %+v %+v", m, m.Progress)
		}
		m, err = f.s.RecordProgress(ctx, f.staff, f.plan.ID, 1, implementation.ProgressInput{Status: implementation.Done, CompletedOn: dayOffset(f.today, -2)}, f.today)
		if err != nil {
			t.Fatal(err)
		}
		if m.Status != implementation.Done || m.Progress.EvidenceName != "order.pdf" {
			t.Errorf("done keeps its evidence: %+v %+v", m, m.Progress)
		}
		_, x, err := f.s.Execution(ctx, f.officer, f.plan.ID, f.today)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range x.Warnings {
			if w.Kind == implementation.WarnMilestoneLate {
				t.Errorf("warning for a done milestone: %+v", w)
			}
		}
	})
}

// TestRebaseline records spending and progress against baseline 2, then
// approves a revision (version 3) that keeps line 1, changes line 2's
// category and renames milestone 2: line 1's entries and milestone 1's
// progress carry over; line 2's entries show under the lines of an
// earlier baseline.
func TestRebaseline(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		rec := func(line int, source implementation.Source, amount string) {
			t.Helper()
			in := implementation.EntryInput{Line: line, Source: source, SpentOn: dayOffset(f.today, -3), Amount: amount, Description: "x"}
			if source == implementation.InKind {
				in.Given, in.Valuation = "Premises", implementation.MarketPrice
			}
			if _, err := f.s.RecordSpending(ctx, f.staff, f.plan.ID, in, f.today); err != nil {
				t.Fatal(err)
			}
		}
		rec(1, implementation.Grant, "1000")
		rec(1, implementation.InKind, "200")
		rec(2, implementation.Cash, "300")
		for n := 1; n <= 2; n++ {
			if _, err := f.s.RecordProgress(ctx, f.staff, f.plan.ID, n, implementation.ProgressInput{Status: implementation.InProgress}, f.today); err != nil {
				t.Fatal(err)
			}
		}
		c := f.content()
		c.Budget[0].Description, c.Budget[0].Grant, c.Budget[0].Cash = "Ovens and mixers", 90_000_00, 17_500_00
		c.Budget[1].Category = "services"
		c.Milestones[1].Title = "First two buyers"
		f.approve(t, c)
		if f.plan.Baseline() != 3 {
			t.Fatalf("baseline %d", f.plan.Baseline())
		}
		rec(1, implementation.Grant, "50")
		_, x, err := f.s.Execution(ctx, f.staff, f.plan.ID, f.today)
		if err != nil {
			t.Fatal(err)
		}
		if got := x.Lines[0].Spent; got != (implementation.Amounts{Grant: 1050_00, InKind: 200_00}) {
			t.Errorf("line 1 spent %+v", got)
		}
		if got := x.Lines[1].Spent; got.Total() != 0 {
			t.Errorf("line 2 spent %+v", got)
		}
		if len(x.Earlier) != 1 || x.Earlier[0].Version != 2 || x.Earlier[0].N != 2 || x.Earlier[0].Spent.Cash != 300_00 || x.Earlier[0].Category != "training" {
			t.Errorf("earlier lines %+v", x.Earlier)
		}
		if x.Spent != (implementation.Amounts{Grant: 1050_00, Cash: 300_00, InKind: 200_00}) {
			t.Errorf("spent %+v", x.Spent)
		}
		if x.Milestones[0].Progress == nil || x.Milestones[0].Progress.BaselineVersion != 2 || x.Milestones[1].Progress != nil {
			t.Errorf("milestones %+v / %+v", x.Milestones[0].Progress, x.Milestones[1].Progress)
		}
	})
}

func TestExecutionWarnings(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		for _, e := range []implementation.EntryInput{
			{Line: 2, Source: implementation.Grant, Amount: "21,000"}, // line 2's grant beyond its 20,000
			{Line: 1, Source: implementation.Cash, Amount: "1,000"},
		} {
			e.SpentOn, e.Description = dayOffset(f.today, -1), "x"
			if _, err := f.s.RecordSpending(ctx, f.staff, f.plan.ID, e, f.today); err != nil {
				t.Fatal(err)
			}
		}
		_, x, err := f.s.Execution(ctx, f.staff, f.plan.ID, f.today)
		if err != nil {
			t.Fatal(err)
		}
		got := map[implementation.WarningKind]bool{}
		for _, w := range x.Warnings {
			got[w.Kind] = true
		}
		// 1,000 of 22,000 spent is counterpart: 4.5 %, below the plan's 20 %.
		for _, k := range []implementation.WarningKind{implementation.WarnLineOverspent, implementation.WarnCounterpart, implementation.WarnMilestoneLate} {
			if !got[k] {
				t.Errorf("no %s warning: %+v", k, x.Warnings)
			}
		}
		if got[implementation.WarnSourceOverspent] || x.Planned.Total() != 125_000_00 || x.Spent.Total() != 22_000_00 {
			t.Errorf("execution %+v", x)
		}
		if x.RequiredShare != 0.2 {
			t.Errorf("required share %v", x.RequiredShare)
		}
	})
}
