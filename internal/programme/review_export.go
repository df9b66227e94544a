package programme

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/clusterobservatory/observatory/internal/i18n"
)

// The sheets of the panel review workbook.
const (
	RankingSheet = "Ranking"
	ScoresSheet  = "Scores"
)

// WriteRankingXLSX writes a call's panel review as a workbook: the sheet
// Ranking has a row per application (eligibility, reviews, mean score per
// criterion, weighted total, rank, disagreement flag and decision), the
// sheet Scores a row per reviewer of each application with their score
// per criterion and weighted total. Headers are in loc's language; country
// names come from names.
func WriteRankingXLSX(w io.Writer, loc *i18n.Localizer, rk *Ranking, names map[string]string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", RankingSheet); err != nil {
		return err
	}
	if _, err := f.NewSheet(ScoresSheet); err != nil {
		return err
	}
	crit := rk.Call.Criteria
	head := []any{loc.T("programmereview.col.rank"), loc.T("programmereview.col.application_id"), loc.T("programmereview.col.application"),
		loc.T("programmereview.col.lead_org"), loc.T("programmereview.col.country"), loc.T("programmereview.col.eligibility"),
		loc.T("programmereview.col.submitted"), loc.T("programmereview.col.assigned"), loc.T("programmereview.col.conflicts")}
	for _, c := range crit {
		head = append(head, criterionLabel(loc, c))
	}
	head = append(head, loc.T("programmereview.col.total"), loc.T("programmereview.col.spread"), loc.T("programmereview.col.disagreement"),
		loc.T("programmereview.col.decision"), loc.T("programmereview.col.reason"))
	rows := [][]any{head}
	for _, r := range rk.Rows {
		line := []any{reviewRankCell(r.Rank), r.ApplicationID, r.Title, r.LeadOrgName, reviewCountryName(names, r.Country),
			loc.T(outcomeKey(&Application{Eligible: r.Eligible})), r.Submitted, r.Assigned, r.Conflicts}
		for _, m := range r.Means {
			line = append(line, reviewFloatCell(m))
		}
		var spread any = ""
		if r.Total != nil {
			spread = r.Spread
		}
		line = append(line, reviewFloatCell(r.Total), spread, reviewYesNo(loc, r.Disagreement))
		if r.Decision != nil {
			line = append(line, loc.T(r.Decision.Decision.Key()), r.Decision.Reason)
		} else {
			line = append(line, "", "")
		}
		rows = append(rows, line)
	}
	if err := writeReviewSheet(f, RankingSheet, rows); err != nil {
		return err
	}
	head = []any{loc.T("programmereview.col.application_id"), loc.T("programmereview.col.application"), loc.T("programmereview.col.reviewer"),
		loc.T("programmereview.col.status"), loc.T("programmereview.col.conflict_note")}
	for _, c := range crit {
		head = append(head, criterionLabel(loc, c))
	}
	head = append(head, loc.T("programmereview.col.total"), loc.T("programmereview.col.comment"))
	rows = [][]any{head}
	for _, r := range rk.Rows {
		for _, rv := range r.Reviews {
			line := []any{r.ApplicationID, r.Title, rv.ReviewerName, loc.T(rv.Status.Key()), rv.ConflictNote}
			for i := range crit {
				if sc, ok := rv.Score(i); ok {
					line = append(line, sc.Score)
				} else {
					line = append(line, "")
				}
			}
			line = append(line, reviewFloatCell(rv.WeightedTotal), rv.Comment)
			rows = append(rows, line)
		}
	}
	if err := writeReviewSheet(f, ScoresSheet, rows); err != nil {
		return err
	}
	return f.Write(w)
}

func writeReviewSheet(f *excelize.File, sheet string, rows [][]any) error {
	for i, row := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return err
		}
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			return fmt.Errorf("%s row %d: %w", sheet, i+1, err)
		}
	}
	return nil
}

func reviewRankCell(n int) any {
	if n == 0 {
		return ""
	}
	return n
}

func reviewFloatCell(x *float64) any {
	if x == nil {
		return ""
	}
	return *x
}

func reviewYesNo(loc *i18n.Localizer, b bool) string {
	if b {
		return loc.T("programmereview.yes")
	}
	return loc.T("programmereview.no")
}
