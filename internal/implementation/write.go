package implementation

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/plan"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// Limits of free text, in characters.
const (
	maxShort = 500
	maxText  = 10000
)

// EntryInput is a spending entry or in-kind contribution as a person
// gives it: the amount in major units of the programme's currency.
type EntryInput struct {
	Line        int       `json:"line"`
	Source      Source    `json:"source"`
	SpentOn     string    `json:"spent_on"`
	Amount      string    `json:"amount"`
	Description string    `json:"description"`
	Given       string    `json:"given"`
	Valuation   Valuation `json:"valuation"`
	Receipt     *File     `json:"receipt"`
}

// entryAudit is what the audit log keeps of an entry.
type entryAudit struct {
	Entry           int64  `json:"spending_entry"`
	BaselineVersion int    `json:"baseline_version"`
	Line            int    `json:"line"`
	Source          Source `json:"source"`
	SpentOn         string `json:"spent_on"`
	Amount          int64  `json:"amount"`
	Description     string `json:"description"`
	Receipt         string `json:"receipt,omitempty"`
}

func tooLong(f *problem.Fields, field, what, s string, n int) {
	if utf8.RuneCountInString(s) > n {
		f.Add(field, "%s has more than %d characters.", what, n)
	}
}

// parseDay reads a day field, adding a problem when it is missing or malformed.
func parseDay(f *problem.Fields, field, what, s string) (time.Time, bool) {
	if s == "" {
		f.Add(field, "Enter %s (YYYY-MM-DD).", what)
		return time.Time{}, false
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		f.Add(field, "%q is not a date; write %s as YYYY-MM-DD (for example 2026-03-31).", s, what)
		return time.Time{}, false
	}
	return t, true
}

// checkEntry validates an entry against the baseline and returns its
// amount in minor units.
func checkEntry(in *EntryInput, c *plan.Content, currency string, today time.Time, f *problem.Fields) int64 {
	in.SpentOn, in.Description = strings.TrimSpace(in.SpentOn), strings.TrimSpace(in.Description)
	in.Given = strings.TrimSpace(in.Given)
	var line *plan.BudgetLine
	if in.Line < 1 || in.Line > len(c.Budget) {
		f.Add("line", "Choose a line of the approved budget (1 to %d).", len(c.Budget))
	} else {
		line = &c.Budget[in.Line-1]
	}
	if !in.Source.Valid() {
		f.Add("source", "Choose where it comes from: grant, cash (counterpart in cash) or in_kind (counterpart in kind).")
	}
	amount, err := ParseMoney(in.Amount, currency)
	if err != nil {
		f.Add("amount", "%s", err.Error())
	}
	if in.Description == "" {
		f.Add("description", "Say what was paid for or given.")
	}
	tooLong(f, "description", "The description", in.Description, maxShort)
	if on, ok := parseDay(f, "spent_on", "the day it was spent", in.SpentOn); ok {
		start, _ := time.Parse(time.DateOnly, c.StartsOn)
		end, _ := time.Parse(time.DateOnly, c.EndsOn)
		switch {
		case on.After(day(today)):
			f.Add("spent_on", "%s is in the future: record spending once it is made.", in.SpentOn)
		case on.Before(start) || on.After(end):
			f.Add("spent_on", "%s is outside the plan's period (%s to %s).", in.SpentOn, c.StartsOn, c.EndsOn)
		case line != nil && line.Project > 0 && line.Project <= len(c.Projects):
			p := c.Projects[line.Project-1]
			ps, err1 := time.Parse(time.DateOnly, p.StartsOn)
			pe, err2 := time.Parse(time.DateOnly, p.EndsOn)
			if (err1 == nil && on.Before(ps)) || (err2 == nil && on.After(pe)) {
				f.Add("spent_on", "%s is outside the dates of project “%s” (%s to %s), which line %d belongs to.",
					in.SpentOn, p.Title, p.StartsOn, p.EndsOn, in.Line)
			}
		}
	}
	if in.Source == InKind {
		if in.Given == "" {
			f.Add("given", "Say what was given in kind (premises, equipment, staff time…).")
		}
		tooLong(f, "given", "What was given", in.Given, maxShort)
		if !in.Valuation.Valid() {
			f.Add("valuation", "Choose how the contribution was valued: market_price, cost, staff_time or other.")
		}
	} else {
		in.Given, in.Valuation = "", ""
	}
	return amount
}

// checkUpload validates an optional attachment of the field.
func checkUpload(file *File, field string, f *problem.Fields) string {
	if file == nil {
		return ""
	}
	ct, err := CheckFile(file)
	if err != nil {
		f.Add(field, "%s", err.Error())
	}
	return ct
}

// insertAttachment keeps a checked file and returns its id.
func insertAttachment(ctx context.Context, tx *sql.Tx, actor user.Actor, planID int64, file *File, ct string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO plan_attachments (plan_id, name, content_type, size, data, created_by, created_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`, planID, cleanName(file.Name, ct), ct, len(file.Data), file.Data, actorID(actor), db.Now()).Scan(&id)
	return id, err
}

// RecordSpending records a spending entry or in-kind contribution of plan
// id against a line of its baseline, with its receipt, on the day today.
func (s *Store) RecordSpending(ctx context.Context, actor user.Actor, id int64, in EntryInput, today time.Time) (*Entry, error) {
	w, err := s.openForWrite(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	var f problem.Fields
	amount := checkEntry(&in, w.Baseline, w.Plan.Currency, today, &f)
	ct := checkUpload(in.Receipt, "receipt", &f)
	if err := f.Err(); err != nil {
		return nil, err
	}
	var entryID int64
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := checkBaseline(ctx, tx, w); err != nil {
			return err
		}
		var receipt any
		if in.Receipt != nil {
			rid, err := insertAttachment(ctx, tx, actor, id, in.Receipt, ct)
			if err != nil {
				return err
			}
			receipt = rid
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO plan_spending (plan_id, baseline_version, line, source, spent_on, amount, description,
			given, valuation, receipt_id, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) RETURNING id`,
			id, w.Version(), in.Line, string(in.Source), in.SpentOn, amount, in.Description, in.Given, string(in.Valuation), receipt,
			actorID(actor), db.Now()).Scan(&entryID)
		if err != nil {
			return err
		}
		after := entryAudit{Entry: entryID, BaselineVersion: w.Version(), Line: in.Line, Source: in.Source, SpentOn: in.SpentOn,
			Amount: amount, Description: in.Description}
		if in.Receipt != nil {
			after.Receipt = cleanName(in.Receipt.Name, ct)
		}
		return audit.Record(ctx, tx, actor, "record_spending", plan.RecordType, id, nil, after)
	})
	if err != nil {
		return nil, fmt.Errorf("record spending: %w", err)
	}
	e, err := scanEntry(s.db.Read().QueryRowContext(ctx, entrySelect+`WHERE e.id = $1`, entryID))
	if err != nil {
		return nil, fmt.Errorf("recorded spending: %w", err)
	}
	return e, nil
}

// actorID is the actor's account for a column, NULL for the system.
func actorID(a user.Actor) any {
	if a.UserID == 0 {
		return nil
	}
	return a.UserID
}
