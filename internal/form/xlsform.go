package form

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// The sheet names of an XLSForm.
const (
	SheetSurvey   = "survey"
	SheetChoices  = "choices"
	SheetSettings = "settings"
)

// surveyColumns are the survey sheet's supported columns; the ones in
// textColumns may be given per language (label::English (en)).
var (
	surveyColumns   = []string{"type", "name", "label", "hint", "required", "relevant", "constraint", "constraint_message", "calculation", "default", "appearance", "choice_filter"}
	textColumns     = []string{"label", "hint", "constraint_message"}
	settingsColumns = []string{"form_id", "form_title", "version", "default_language"}
)

// DefaultLanguageName is the language of texts given without a language
// when the settings name no default language.
const DefaultLanguageName = "default"

var versionRe = regexp.MustCompile(`^[A-Za-z0-9._-]{1,40}$`)

// parser collects the issues of one workbook.
type parser struct {
	issues []Issue
	full   bool
}

func (p *parser) add(sheet string, row, col int, header, msg string) {
	if len(p.issues) >= maxIssues {
		p.full = true
		return
	}
	p.issues = append(p.issues, Issue{Sheet: sheet, Row: row, Column: columnName(col), Header: header, Message: msg})
}

// ParseXLSForm reads an XLSForm workbook. The file name (may be "") gives
// the form_id when the settings sheet does not. Every problem found is
// returned at once in a *ParseError; the parser never panics.
func ParseXLSForm(b []byte, filename string) (def *Definition, err error) {
	p := &parser{}
	defer func() {
		if r := recover(); r != nil {
			def, err = nil, &ParseError{Issues: []Issue{{Message: "The file could not be read as an Excel workbook (.xlsx)."}}}
		}
	}()
	if len(b) > MaxWorkbookBytes {
		return nil, &ParseError{Issues: []Issue{{Message: fmt.Sprintf("The file is larger than %d MB.", MaxWorkbookBytes>>20)}}}
	}
	f, err := openWorkbook(b)
	if err != nil {
		return nil, &ParseError{Issues: []Issue{{Message: "The file could not be read as an Excel workbook (.xlsx)."}}}
	}
	defer f.Close()
	names := map[string]string{}
	for _, n := range f.GetSheetList() {
		names[strings.ToLower(strings.TrimSpace(n))] = n
	}
	if _, ok := names[SheetSurvey]; !ok {
		p.add(SheetSurvey, 0, 0, "", "The workbook has no sheet named survey; an XLSForm lists its fields there.")
		return nil, &ParseError{Issues: p.issues}
	}
	var survey, choices, settings *sheet
	if n, ok := names[SheetSettings]; ok {
		settings = p.readSheet(f, n, maxSettingsRows)
	}
	survey = p.readSheet(f, names[SheetSurvey], maxSurveyRows)
	if n, ok := names[SheetChoices]; ok {
		choices = p.readSheet(f, n, maxChoiceRows)
	}
	if len(p.issues) > 0 {
		return nil, &ParseError{Issues: p.issues}
	}
	def = &Definition{}
	p.settings(settings, def, filename)
	langs := &languages{def: def.DefaultLanguage}
	sc := p.surveyHeader(survey, langs)
	var cc *choiceColumns
	if choices != nil {
		cc = p.choicesHeader(choices, langs, def)
	}
	if def.DefaultLanguage == "" {
		def.DefaultLanguage = langs.resolveDefault()
	} else if !langs.has(def.DefaultLanguage) && !langs.plain {
		p.add(settings.name, 2, settings.col("default_language"), "default_language",
			fmt.Sprintf("The default language %q matches no label column; name one of: %s.", def.DefaultLanguage, strings.Join(langs.list, ", ")))
	}
	def.Languages = langs.ordered(def.DefaultLanguage)
	if len(p.issues) == 0 {
		if choices != nil {
			p.choiceRows(choices, cc, def)
		}
		p.surveyRows(survey, sc, def)
	}
	if len(p.issues) == 0 {
		p.checkReferences(survey, sc, def)
	}
	if len(p.issues) > 0 {
		if p.full {
			p.issues = append(p.issues, Issue{Message: fmt.Sprintf("There are more than %d problems; only the first are listed.", maxIssues)})
		}
		return nil, &ParseError{Issues: p.issues}
	}
	return def, nil
}

// col returns the 1-based column of a heading, or 0.
func (s *sheet) col(name string) int {
	for i, h := range s.header {
		if strings.EqualFold(h, name) {
			return i + 1
		}
	}
	return 0
}

// settings reads form_id, form_title, version and default_language.
func (p *parser) settings(s *sheet, def *Definition, filename string) {
	var row sheetRow
	if s != nil {
		for c, h := range s.header {
			if h == "" {
				continue
			}
			if !contains(settingsColumns, strings.ToLower(h)) {
				p.add(s.name, 1, c+1, h, fmt.Sprintf("The settings column %q is not supported; use %s.", h, strings.Join(settingsColumns, ", ")))
			}
		}
		if len(s.rows) > 1 {
			p.add(s.name, s.rows[1].num, 0, "", "The settings sheet holds one row below its headings; remove the others.")
		}
		if len(s.rows) > 0 {
			row = s.rows[0]
		}
	}
	get := func(name string) (string, int) {
		if s == nil {
			return "", 0
		}
		c := s.col(name)
		return row.cell(c - 1), c
	}
	sheetName := SheetSettings
	rowNum := 2
	if s != nil {
		sheetName = s.name
		if row.num > 0 {
			rowNum = row.num
		}
	}
	id, c := get("form_id")
	if id == "" {
		base := strings.TrimSuffix(filepath.Base(filename), filepath.Ext(filename))
		id = strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.' {
				return r
			}
			return '_'
		}, base)
		if id != "" && !(id[0] >= 'a' && id[0] <= 'z' || id[0] >= 'A' && id[0] <= 'Z' || id[0] == '_') {
			id = "_" + id
		}
		if !ValidName(id) {
			p.add(sheetName, rowNum, c, "form_id", "Give the form a form_id in the settings sheet, such as firm_results.")
			return
		}
	} else if !ValidName(id) {
		p.add(sheetName, rowNum, c, "form_id", fmt.Sprintf("The form_id %q is not valid: start with a letter and use only letters, digits, _, - and . (at most %d characters).", clip(id, 80), maxName))
	}
	def.FormID = id
	title, _ := get("form_title")
	if title == "" {
		title = id
	}
	if n := utf8.RuneCountInString(title); n > 200 && s != nil {
		p.add(sheetName, rowNum, s.col("form_title"), "form_title", fmt.Sprintf("Use at most 200 characters for the title (this has %d).", n))
	}
	def.Title = title
	v, c := get("version")
	if v == "" {
		// A version is needed to tell uploads apart; the time of upload is
		// what ODK tools use when none is given.
		v = time.Now().UTC().Format("20060102150405")
	} else if !versionRe.MatchString(v) {
		p.add(sheetName, rowNum, c, "version", fmt.Sprintf("The version %q is not valid: use up to 40 letters, digits, dots, hyphens or underscores, such as 2026.1.", clip(v, 80)))
	}
	def.Version = v
	lang, c := get("default_language")
	if n := utf8.RuneCountInString(lang); n > 60 {
		p.add(sheetName, rowNum, c, "default_language", "Use at most 60 characters for the default language.")
	}
	def.DefaultLanguage = lang
}

// languages collects the languages the headings name, in order.
type languages struct {
	def   string // from the settings, may be ""
	list  []string
	plain bool // some text column has no language
}

func (l *languages) has(lang string) bool { return contains(l.list, lang) }

func (l *languages) note(lang string) {
	if lang == "" {
		l.plain = true
	} else if !l.has(lang) {
		l.list = append(l.list, lang)
	}
}

// key is the language a column's texts are stored under.
func (l *languages) key(lang string) string {
	if lang != "" {
		return lang
	}
	if l.def != "" {
		return l.def
	}
	return DefaultLanguageName
}

func (l *languages) resolveDefault() string {
	if l.plain || len(l.list) == 0 {
		return DefaultLanguageName
	}
	return l.list[0]
}

// ordered lists the languages with the default first.
func (l *languages) ordered(def string) []string {
	out := []string{def}
	for _, x := range l.list {
		if x != def {
			out = append(out, x)
		}
	}
	return out
}

// splitHeading splits "label::English (en)" into "label" and "English (en)".
func splitHeading(h string) (base, lang string) {
	base, lang, _ = strings.Cut(h, "::")
	return strings.ToLower(strings.TrimSpace(base)), strings.TrimSpace(lang)
}

// surveyColumns maps the survey sheet's columns to their meaning.
type surveyCols struct {
	plain map[string]int            // column name → 0-based index
	text  map[string]map[string]int // label → language key → index
}

func (p *parser) surveyHeader(s *sheet, langs *languages) *surveyCols {
	sc := &surveyCols{plain: map[string]int{}, text: map[string]map[string]int{}}
	seen := map[string]int{}
	for c, h := range s.header {
		if h == "" {
			continue
		}
		base, lang := splitHeading(h)
		key := base
		switch {
		case contains(textColumns, base):
			if strings.Contains(h, "::") && lang == "" {
				p.add(s.name, 1, c+1, h, "The heading names no language after ::; write it as label::English (en).")
				continue
			}
			if utf8.RuneCountInString(lang) > 60 {
				p.add(s.name, 1, c+1, h, "Use at most 60 characters for a language name.")
				continue
			}
			langs.note(lang)
			key = base + "::" + langs.key(lang)
		case !contains(surveyColumns, base):
			p.add(s.name, 1, c+1, h, fmt.Sprintf("The column %q is not supported; the survey sheet takes %s.", clip(h, 60), strings.Join(surveyColumns, ", ")))
			continue
		case lang != "":
			p.add(s.name, 1, c+1, h, fmt.Sprintf("The column %q cannot be given per language; only %s can.", base, strings.Join(textColumns, ", ")))
			continue
		}
		if first, dup := seen[key]; dup {
			p.add(s.name, 1, c+1, h, fmt.Sprintf("The column repeats column %s; keep one.", columnName(first+1)))
			continue
		}
		seen[key] = c
		if contains(textColumns, base) {
			if sc.text[base] == nil {
				sc.text[base] = map[string]int{}
			}
			sc.text[base][langs.key(lang)] = c
		} else {
			sc.plain[base] = c
		}
	}
	for _, need := range []string{"type", "name"} {
		if _, ok := sc.plain[need]; !ok {
			p.add(s.name, 1, 0, need, fmt.Sprintf("The survey sheet has no %s column.", need))
		}
	}
	return sc
}

// choiceColumns maps the choices sheet's columns.
type choiceColumns struct {
	list, name int
	label      map[string]int
	extra      map[string]int
}

func (p *parser) choicesHeader(s *sheet, langs *languages, def *Definition) *choiceColumns {
	cc := &choiceColumns{list: -1, name: -1, label: map[string]int{}, extra: map[string]int{}}
	for c, h := range s.header {
		if h == "" {
			continue
		}
		base, lang := splitHeading(h)
		switch {
		case base == "list_name" || base == "list name":
			if lang != "" || cc.list >= 0 {
				p.add(s.name, 1, c+1, h, "The choices sheet takes one list_name column.")
				continue
			}
			cc.list = c
		case base == "name" && lang == "":
			if cc.name >= 0 {
				p.add(s.name, 1, c+1, h, "The choices sheet takes one name column.")
				continue
			}
			cc.name = c
		case base == "label":
			if strings.Contains(h, "::") && lang == "" {
				p.add(s.name, 1, c+1, h, "The heading names no language after ::; write it as label::English (en).")
				continue
			}
			langs.note(lang)
			k := langs.key(lang)
			if _, dup := cc.label[k]; dup {
				p.add(s.name, 1, c+1, h, "The column repeats another label column of the same language; keep one.")
				continue
			}
			cc.label[k] = c
		default:
			// Other columns hold values that choice filters compare; they
			// become element names in the XForm, so they must be names.
			if !ValidName(h) {
				p.add(s.name, 1, c+1, h, fmt.Sprintf("The column %q is not supported: a choices column beyond list_name, name and label must be a plain name that choice filters use.", clip(h, 60)))
				continue
			}
			if _, dup := cc.extra[h]; dup {
				p.add(s.name, 1, c+1, h, "The column repeats another column; keep one.")
				continue
			}
			if h == "itextId" {
				p.add(s.name, 1, c+1, h, "The column name itextId is reserved.")
				continue
			}
			cc.extra[h] = c
			def.ExtraColumns = append(def.ExtraColumns, h)
		}
	}
	if cc.list < 0 {
		p.add(s.name, 1, 0, "list_name", "The choices sheet has no list_name column.")
	}
	if cc.name < 0 {
		p.add(s.name, 1, 0, "name", "The choices sheet has no name column.")
	}
	if len(cc.label) == 0 {
		p.add(s.name, 1, 0, "label", "The choices sheet has no label column.")
	}
	return cc
}

func (p *parser) choiceRows(s *sheet, cc *choiceColumns, def *Definition) {
	index := map[string]int{}
	names := map[string]map[string]int{}
	for _, r := range s.rows {
		list, name := r.cell(cc.list), r.cell(cc.name)
		if list == "" {
			p.add(s.name, r.num, cc.list+1, "list_name", "The list_name is empty; say which list the choice belongs to.")
			continue
		}
		if !ValidName(list) {
			p.add(s.name, r.num, cc.list+1, "list_name", fmt.Sprintf("The list name %q is not valid: start with a letter and use only letters, digits, _, - and .", clip(list, 60)))
			continue
		}
		switch {
		case name == "":
			p.add(s.name, r.num, cc.name+1, "name", "The choice has no name (the value stored when it is chosen).")
			continue
		case strings.ContainsAny(name, " \t\n\r"):
			p.add(s.name, r.num, cc.name+1, "name", fmt.Sprintf("The choice name %q holds a space; several choices are stored separated by spaces, so a name may not hold one.", clip(name, 60)))
			continue
		case utf8.RuneCountInString(name) > 100:
			p.add(s.name, r.num, cc.name+1, "name", "Use at most 100 characters for a choice name.")
			continue
		}
		if names[list] == nil {
			names[list] = map[string]int{}
		}
		if first, dup := names[list][name]; dup {
			p.add(s.name, r.num, cc.name+1, "name", fmt.Sprintf("The list %s already has a choice named %q (row %d).", list, name, first))
			continue
		}
		names[list][name] = r.num
		ch := Choice{Name: name, Label: Text{}}
		for lang, c := range cc.label {
			if v := r.cell(c); v != "" {
				ch.Label[lang] = v
			}
		}
		if len(ch.Label) == 0 {
			col := 0
			for _, c := range cc.label {
				col = c + 1
				break
			}
			p.add(s.name, r.num, col, "label", fmt.Sprintf("The choice %q has no label.", name))
			continue
		}
		for col, c := range cc.extra {
			if v := r.cell(c); v != "" {
				if ch.Extra == nil {
					ch.Extra = map[string]string{}
				}
				ch.Extra[col] = v
			}
		}
		i, ok := index[list]
		if !ok {
			i = len(def.ChoiceLists)
			index[list] = i
			def.ChoiceLists = append(def.ChoiceLists, ChoiceList{Name: list})
		}
		def.ChoiceLists[i].Choices = append(def.ChoiceLists[i].Choices, ch)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
