package campaign

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/form"
	"github.com/clusterobservatory/observatory/internal/indicator"
	"github.com/clusterobservatory/observatory/internal/keptfile"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// ExcelChange is one respondent an upload stores: their first answers, or
// an edit of their latest stored answers (kept in the history).
type ExcelChange struct {
	Row          int    `json:"row"` // on the sheet Answers
	InvitationID int64  `json:"invitation_id"`
	Organisation string `json:"organisation"`
	Edit         bool   `json:"edit"`
	// Replaces is the submission an edit replaces.
	Replaces int64 `json:"replaces_submission_id,omitempty"`
	// Fields are the questions answered (new) or changed (edit).
	Fields []string `json:"fields"`
	// SubmissionID is the stored submission, after a commit.
	SubmissionID int64 `json:"submission_id,omitempty"`
}

// ExcelSummary is what an answers workbook holds and would do.
type ExcelSummary struct {
	CampaignID int64         `json:"campaign_id"`
	FileName   string        `json:"file_name"`
	SHA256     string        `json:"sha256"`
	Rows       int           `json:"rows"` // respondents with answers
	New        int           `json:"new"`
	Edited     int           `json:"edited"`
	Unchanged  int           `json:"unchanged"`
	Changes    []ExcelChange `json:"changes"`
	Committed  bool          `json:"committed"`

	inputs []SubmissionInput
}

// excelEntry gathers one respondent's rows of an upload.
type excelEntry struct {
	inv     *Invitation
	row     int // on the sheet Answers
	answers map[string]any
	repeats map[string][]repeatEntry
}

type repeatEntry struct {
	occurrence, row int
	answers         map[string]any
}

// excelRun is one upload being checked: the campaign, its form, the
// workbook and where each answer came from.
type excelRun struct {
	c       *Campaign
	def     *form.Definition
	book    *excelBook
	sheets  map[string]*bookSheet // by repeat name ("" for the answers)
	cols    map[string]map[string]int
	invs    map[int64]*Invitation
	entries []*excelEntry
	ps      excelProblems
}

// column is the letter of a field on a sheet, or "".
func (x *excelRun) column(repeat, name string) string {
	if i, ok := x.cols[repeat][name]; ok {
		return colName(i + 1)
	}
	return ""
}

// locate turns a problem's field path (name, or repeat.N.name) into its
// sheet, row and column.
func (x *excelRun) locate(e *excelEntry, path, msg string) {
	parts := strings.SplitN(path, ".", 3)
	if len(parts) == 1 {
		x.ps.addf(excelAnswersSheet, e.row, x.column("", path), path, "%s", msg)
		return
	}
	rep := parts[0]
	n, _ := strconv.Atoi(parts[1])
	rows := e.repeats[rep]
	sh := x.sheets[rep]
	if sh == nil || n < 1 || n > len(rows) {
		x.ps.addf(excelAnswersSheet, e.row, "", path, "%s", msg)
		return
	}
	col, head := "", rep
	if len(parts) == 3 {
		col, head = x.column(rep, parts[2]), parts[2]
	}
	x.ps.addf(sh.name, rows[n-1].row, col, head, "%s", msg)
}

// invitation reads a row's invitation ID, reporting what is wrong with it.
func (x *excelRun) invitation(sh *bookSheet, r bookRow) *Invitation {
	text := r.at(0)
	if text == "" {
		x.ps.addf(sh.name, r.row, "A", keyInvitation, "Enter the invitation ID of the respondent, as the sheet Answers has it.")
		return nil
	}
	id, err := strconv.ParseInt(text, 10, 64)
	inv := x.invs[id]
	if err != nil || inv == nil {
		x.ps.addf(sh.name, r.row, "A", keyInvitation, "%q is not an invitation of this campaign: keep the invitation IDs of the template.", text)
		return nil
	}
	return inv
}

// readRows reads the data sheets into one entry per respondent.
func (x *excelRun) readRows() {
	byInv := map[int64]*excelEntry{}
	entry := func(inv *Invitation) *excelEntry {
		e := byInv[inv.ID]
		if e == nil {
			e = &excelEntry{inv: inv, answers: map[string]any{}, repeats: map[string][]repeatEntry{}}
			byInv[inv.ID] = e
			x.entries = append(x.entries, e)
		}
		return e
	}
	fields := func(repeat string) []form.Field { return Columns(x.def, repeat) }
	readCells := func(sh *bookSheet, r bookRow, keys int, fs []form.Field, into map[string]any) {
		for i, f := range fs {
			text := r.at(keys + i)
			if text == "" {
				continue
			}
			v, msg := readCell(f, text)
			if msg != "" {
				x.ps.addf(sh.name, r.row, colName(keys+i+1), f.Name, "%s", msg)
				continue
			}
			into[f.Name] = v
		}
	}
	main := x.sheets[""]
	for _, r := range main.rows {
		inv := x.invitation(main, r)
		if inv == nil {
			continue
		}
		e := entry(inv)
		if e.row != 0 {
			x.ps.addf(main.name, r.row, "A", keyInvitation, "Invitation %d is also in row %d: keep one row per respondent.", inv.ID, e.row)
			continue
		}
		e.row = r.row
		readCells(main, r, 2, fields(""), e.answers)
	}
	for _, rep := range Repeats(x.def) {
		sh := x.sheets[rep.Name]
		if sh == nil {
			continue
		}
		seen := map[string]int{}
		for _, r := range sh.rows {
			row := map[string]any{}
			readCells(sh, r, 3, fields(rep.Name), row)
			if len(row) == 0 {
				continue // keys without answers: no entry
			}
			inv := x.invitation(sh, r)
			if inv == nil {
				continue
			}
			occ, err := strconv.Atoi(r.at(2))
			if err != nil || occ < 1 {
				x.ps.addf(sh.name, r.row, "C", keyOccurrence, "Number the entries of each respondent 1, 2, 3 and so on; %q is not such a number.", r.at(2))
				continue
			}
			k := fmt.Sprint(inv.ID, "|", occ)
			if first, dup := seen[k]; dup {
				x.ps.addf(sh.name, r.row, "C", keyOccurrence, "Entry %d of invitation %d is also in row %d: give each entry its own number.", occ, inv.ID, first)
				continue
			}
			seen[k] = r.row
			e := entry(inv)
			e.repeats[rep.Name] = append(e.repeats[rep.Name], repeatEntry{occurrence: occ, row: r.row, answers: row})
		}
	}
	for _, e := range x.entries {
		for rep, rows := range e.repeats {
			sort.Slice(rows, func(i, j int) bool { return rows[i].occurrence < rows[j].occurrence })
			list := make([]any, 0, len(rows))
			for _, rr := range rows {
				list = append(list, rr.answers)
			}
			if len(list) > 0 {
				e.answers[rep] = list
			}
		}
	}
}

// excelNamespace makes the instance IDs of an upload's rows: the same file
// committed twice gives the same IDs, so a repeated commit stores nothing new.
var excelNamespace = uuid.MustParse("6c0f5a2e-8a63-4c1e-9d0b-5b7f3e2a9c41")

// prepareExcel reads and checks an upload against the campaign's form and
// its stored answers, storing nothing: every problem is an
// *indicator.ExcelError naming sheet, row and column.
func (s *Store) prepareExcel(ctx context.Context, actor user.Actor, campaignID int64, data []byte, name string) (*ExcelSummary, error) {
	c, err := s.FindCampaign(ctx, actor, campaignID)
	if err != nil {
		return nil, err
	}
	if c.Status == StatusDraft {
		return nil, fileProblem(problem.Invalid, "The campaign is not open yet: open it before uploading answers.")
	}
	book, err := readAnswersBook(data, name)
	if err != nil {
		return nil, err
	}
	if book.campaignID != c.ID {
		return nil, fileProblem(problem.Invalid, "This workbook is the template of campaign #%d, not of campaign #%d: download the template of this campaign.", book.campaignID, c.ID)
	}
	if book.versionID != c.VersionID {
		return nil, fileProblem(problem.Invalid, "This workbook was made for another version of the form: download a new template.")
	}
	def, err := s.forms.Definition(ctx, actor, c.VersionID)
	if err != nil {
		return nil, err
	}
	x := &excelRun{c: c, def: def, book: book, sheets: map[string]*bookSheet{}, cols: map[string]map[string]int{}, invs: map[int64]*Invitation{}}
	layout := excelSheets(def)
	if len(layout) != len(book.sheets) {
		return nil, fileProblem(problem.Invalid, "The form's repeats no longer match this workbook: download a new template.")
	}
	for i, sh := range layout {
		bs := book.sheets[i]
		if bs.repeat != sh.Repeat || !slices.Equal(bs.names, sh.names()) {
			return nil, fileProblem(problem.Invalid, "The columns of the sheet %q no longer match the form: download a new template.", bs.name)
		}
		x.sheets[sh.Repeat] = bs
		x.cols[sh.Repeat] = map[string]int{}
		for j, n := range bs.names {
			x.cols[sh.Repeat][n] = j
		}
	}
	invs, err := s.FindInvitations(ctx, actor, c.ID, InvitationFilter{})
	if err != nil {
		return nil, err
	}
	for _, inv := range invs {
		x.invs[inv.ID] = inv
	}
	x.readRows()
	latest, err := s.latestAnswers(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	sum := &ExcelSummary{CampaignID: c.ID, FileName: name, SHA256: indicator.ExcelHash(data), Changes: []ExcelChange{}}
	for _, e := range x.entries {
		if e.row == 0 {
			for _, rep := range Repeats(def) {
				if rows := e.repeats[rep.Name]; len(rows) > 0 {
					x.ps.addf(x.sheets[rep.Name].name, rows[0].row, "A", keyInvitation,
						"Invitation %d has entries here but no row on the sheet Answers: keep the respondent's row there.", e.inv.ID)
					break
				}
			}
			continue
		}
		if len(e.answers) == 0 {
			continue // an empty row changes nothing
		}
		sum.Rows++
		for _, p := range CheckAnswers(def, e.answers, Checking{Simple: true}) {
			x.locate(e, p.Field, p.Message)
		}
		if x.ps.total > 0 {
			continue
		}
		AddCalculations(def, e.answers)
		prev := latest[e.inv.ID]
		after := comparable(def, e.answers)
		ch := ExcelChange{Row: e.row, InvitationID: e.inv.ID, Organisation: e.inv.OrganisationName}
		in := SubmissionInput{CampaignID: c.ID, InvitationID: e.inv.ID, Actor: actor, FormVersionID: c.VersionID, Channel: ChannelExcel,
			RawType: "application/json"}
		answers := e.answers
		if prev != nil {
			stored := prev.AnswerMap()
			before := comparable(def, stored)
			ch.Fields = changedFields(def, before, after)
			if len(ch.Fields) == 0 {
				sum.Unchanged++
				continue
			}
			ch.Edit, ch.Replaces = true, prev.ID
			in.DeprecatedID = prev.InstanceID
			answers = kept(def, stored)
			for k, v := range e.answers {
				answers[k] = v
			}
			sum.Edited++
		} else {
			ch.Fields = changedFields(def, map[string]any{}, after)
			sum.New++
		}
		in.InstanceID = "uuid:" + uuid.NewSHA1(excelNamespace, []byte(sum.SHA256+"|"+strconv.FormatInt(e.inv.ID, 10)+"|"+in.DeprecatedID)).String()
		in.Answers, _ = json.Marshal(answers)
		in.Raw, _ = json.Marshal(map[string]any{"file": name, "sha256": sum.SHA256, "sheet": excelAnswersSheet, "row": e.row, "answers": answers})
		sum.Changes = append(sum.Changes, ch)
		sum.inputs = append(sum.inputs, in)
	}
	if err := x.ps.err(); err != nil {
		return nil, err
	}
	if sum.Rows == 0 {
		return nil, fileProblem(problem.Invalid, "The workbook has no answers: fill in at least one respondent's row on the sheet Answers.")
	}
	return sum, nil
}

// latestAnswers returns each respondent's latest current submission.
func (s *Store) latestAnswers(ctx context.Context, campaignID int64) (map[int64]*Submission, error) {
	rows, err := s.db.Read().QueryContext(ctx, submissionSelect+`WHERE s.campaign_id = $1 AND s.superseded = FALSE
		ORDER BY s.received_at, s.id`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("latest answers: %w", err)
	}
	defer rows.Close()
	out := map[int64]*Submission{}
	for rows.Next() {
		v, _, err := scanSubmission(rows)
		if err != nil {
			return nil, fmt.Errorf("latest answers: %w", err)
		}
		out[v.InvitationID] = v
	}
	return out, rows.Err()
}

// errDryRun rolls back a preview's transaction.
var errDryRun = errors.New("dry run")

// storeExcel stores the upload's rows through submitTx in one transaction:
// in a preview the transaction is rolled back, so that a preview finds
// every refusal a commit would meet (a closed campaign takes edits only)
// and stores nothing. A commit records the upload in the audit log and
// removes the kept file (uploadID) in the same transaction.
func (s *Store) storeExcel(ctx context.Context, actor user.Actor, sum *ExcelSummary, commit bool, uploadID int64) error {
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var ps excelProblems
		for i, in := range sum.inputs {
			ch := &sum.Changes[i]
			answers, hash, err := in.check()
			if err == nil {
				var sub *Submission
				if sub, _, err = s.submitTx(ctx, tx, in, answers, hash); err == nil {
					ch.SubmissionID = sub.ID
					continue
				}
			}
			p := problem.As(err)
			if p == nil || p.Kind == problem.Internal {
				return err
			}
			msg := p.Message
			for _, d := range p.Details {
				msg = strings.TrimSpace(msg + " " + d.Message)
			}
			ps.addf(excelAnswersSheet, ch.Row, "A", keyInvitation, "%s", msg)
		}
		if err := ps.err(); err != nil {
			return err
		}
		if !commit {
			return errDryRun
		}
		ids := make([]int64, len(sum.Changes))
		for i, ch := range sum.Changes {
			ids[i] = ch.SubmissionID
		}
		if uploadID != 0 {
			if err := keptfile.Remove(ctx, tx, uploadID); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, actor, "excel_upload", RecordCampaign, sum.CampaignID, nil, map[string]any{
			"file": sum.FileName, "sha256": sum.SHA256, "new": sum.New, "edited": sum.Edited, "unchanged": sum.Unchanged, "submissions": ids})
	})
	if errors.Is(err, errDryRun) {
		for i := range sum.Changes {
			sum.Changes[i].SubmissionID = 0
		}
		return nil
	}
	if err == nil {
		sum.Committed = true
	}
	return err
}

// PreviewExcel checks an uploaded answers workbook completely and says
// what it would store, storing nothing.
func (s *Store) PreviewExcel(ctx context.Context, actor user.Actor, campaignID int64, data []byte, name string) (*ExcelSummary, error) {
	sum, err := s.prepareExcel(ctx, actor, campaignID, data, name)
	if err != nil {
		return nil, err
	}
	return sum, s.storeExcel(ctx, actor, sum, false, 0)
}

// CommitExcel checks an uploaded answers workbook again and stores all its
// new and changed rows at once, with channel excel: all or nothing.
func (s *Store) CommitExcel(ctx context.Context, actor user.Actor, campaignID int64, data []byte, name string) (*ExcelSummary, error) {
	sum, err := s.prepareExcel(ctx, actor, campaignID, data, name)
	if err != nil {
		return nil, err
	}
	return sum, s.storeExcel(ctx, actor, sum, true, 0)
}
