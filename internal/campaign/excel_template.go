package campaign

import (
	"context"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/clusterobservatory/observatory/internal/form"
	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/indicator"
	"github.com/clusterobservatory/observatory/internal/user"
)

// The answers template's instructions sheet, its hidden meta sheet, and
// the store method that builds the whole template.

func (t *excelTemplate) writeInstructions(f *excelize.File, loc *i18n.Localizer, sh string) error {
	c := t.campaign
	lines := []string{
		loc.T("campaignexcel.instructions.title"),
		loc.T("campaignexcel.instructions.campaign", "title", c.Title, "period", c.Period, "form", c.FormKey, "version", c.Version),
		"",
		loc.T("campaignexcel.instructions.rows"),
		loc.T("campaignexcel.instructions.prefilled"),
		loc.T("campaignexcel.instructions.empty"),
		loc.T("campaignexcel.instructions.headers"),
		loc.T("campaignexcel.instructions.types"),
		loc.T("campaignexcel.instructions.select_multiple"),
	}
	if len(t.sheets) > 1 {
		lines = append(lines, loc.T("campaignexcel.instructions.repeats"))
	}
	lines = append(lines,
		loc.T("campaignexcel.instructions.checks"),
		loc.T("campaignexcel.instructions.upload"),
		loc.T("campaignexcel.instructions.limits", "mb", indicator.MaxExcelBytes>>20, "rows", MaxExcelRows),
		"",
	)
	row := 0
	for _, l := range lines {
		row++
		if err := f.SetCellValue(sh, cellName(1, row), l); err != nil {
			return err
		}
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	title, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	if err != nil {
		return err
	}
	if err := f.SetCellStyle(sh, "A1", "A1", title); err != nil {
		return err
	}
	row++
	head := []any{loc.T("campaignexcel.instructions.col.sheet"), loc.T("campaignexcel.instructions.col.name"),
		loc.T("campaignexcel.instructions.col.question"), loc.T("campaignexcel.instructions.col.type"),
		loc.T("campaignexcel.instructions.col.choices")}
	if err := f.SetSheetRow(sh, cellName(1, row), &head); err != nil {
		return err
	}
	if err := f.SetCellStyle(sh, cellName(1, row), cellName(len(head), row), bold); err != nil {
		return err
	}
	fl := formLanguage(t.def, t.lang)
	for _, s := range t.sheets {
		for _, q := range s.Fields {
			row++
			var choices []string
			if list, ok := t.def.ChoiceList(q.ChoiceList); ok && q.Type.IsSelect() {
				for _, ch := range list.Choices {
					l := ch.Label.In(fl, t.def.DefaultLanguage, t.def.Languages)
					choices = append(choices, ch.Name+" = "+l)
				}
			}
			typ := loc.T(excelTypeKey(q.Type))
			if q.Required && !conditional(t.def, q) {
				typ += ", " + loc.T("campaignexcel.required")
			}
			cells := []any{s.Name, q.Name, t.label(q), typ, strings.Join(choices, "; ")}
			if err := f.SetSheetRow(sh, cellName(1, row), &cells); err != nil {
				return err
			}
		}
	}
	if err := f.SetColWidth(sh, "A", "A", 16); err != nil {
		return err
	}
	if err := f.SetColWidth(sh, "B", "B", 24); err != nil {
		return err
	}
	if err := f.SetColWidth(sh, "C", "C", 60); err != nil {
		return err
	}
	if err := f.SetColWidth(sh, "D", "D", 28); err != nil {
		return err
	}
	return f.SetColWidth(sh, "E", "E", 80)
}

// excelTypeKey is the message key that says how a field's type is answered.
func excelTypeKey(t form.FieldType) string { return "campaignexcel.type." + string(t) }

// The meta sheet: named settings, then one row per data sheet: "sheet",
// its name, its repeat ("" for the answers), then its column names from A.
const (
	metaVersion  = "template_version"
	metaCampaign = "campaign_id"
	metaForm     = "form_version_id"
	metaSheet    = "sheet"
)

func (t *excelTemplate) writeMeta(f *excelize.File) error {
	rows := [][]any{
		{metaVersion, ExcelTemplateVersion},
		{metaCampaign, t.campaign.ID},
		{metaForm, t.campaign.VersionID},
	}
	for _, sh := range t.sheets {
		r := []any{metaSheet, sh.Name, sh.Repeat}
		for _, n := range sh.names() {
			r = append(r, n)
		}
		rows = append(rows, r)
	}
	for n, r := range rows {
		if err := f.SetSheetRow(excelMetaSheet, cellName(1, n+1), &r); err != nil {
			return err
		}
	}
	return nil
}

// AnswersWorkbook builds the answers template of a campaign in a page
// language: every invited respondent, prefilled with their latest answers
// in this campaign.
func (s *Store) AnswersWorkbook(ctx context.Context, actor user.Actor, campaignID int64, lang string) ([]byte, error) {
	c, err := s.FindCampaign(ctx, actor, campaignID)
	if err != nil {
		return nil, err
	}
	def, err := s.forms.Definition(ctx, actor, c.VersionID)
	if err != nil {
		return nil, err
	}
	invs, err := s.FindInvitations(ctx, actor, campaignID, InvitationFilter{})
	if err != nil {
		return nil, err
	}
	latest, err := s.latestAnswers(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	t := &excelTemplate{campaign: c, def: def, sheets: excelSheets(def), invs: invs, latest: map[int64]map[string]any{}, lang: lang}
	for id, sub := range latest {
		t.latest[id] = sub.AnswerMap()
	}
	return t.workbook()
}
