package form

import (
	"fmt"
	"strconv"
	"strings"
)

// parseType reads a survey type cell: the type, the choice list of a
// select, and whether the row begins or ends a group or repeat.
func parseType(cell string) (t FieldType, list string, begin, end bool, ok bool) {
	words := strings.Fields(strings.ToLower(cell))
	raw := strings.Fields(cell)
	if len(words) == 0 {
		return "", "", false, false, false
	}
	one := strings.ReplaceAll(strings.Join(words, " "), "_", " ")
	switch one {
	case "begin group":
		return TypeGroup, "", true, false, true
	case "end group":
		return TypeGroup, "", false, true, true
	case "begin repeat":
		return TypeRepeat, "", true, false, true
	case "end repeat":
		return TypeRepeat, "", false, true, true
	}
	switch words[0] {
	case "select_one", "select_multiple":
		if len(words) != 2 {
			return FieldType(words[0]), "", false, false, false
		}
		return FieldType(words[0]), raw[1], false, false, true
	}
	if len(words) != 1 {
		return "", "", false, false, false
	}
	switch t := FieldType(words[0]); t {
	case TypeText, TypeInteger, TypeDecimal, TypeDate, TypeDateTime, TypeNote, TypeCalculate, TypeAcknowledge, TypeGeopoint, TypeImage, TypeFile:
		return t, "", false, false, true
	}
	return "", "", false, false, false
}

type openContainer struct {
	field Field
	row   int
}

func (p *parser) surveyRows(s *sheet, sc *surveyCols, def *Definition) {
	cell := func(r sheetRow, col string) (string, int) {
		c, ok := sc.plain[col]
		if !ok {
			return "", 0
		}
		return r.cell(c), c + 1
	}
	text := func(r sheetRow, col string) Text {
		t := Text{}
		for lang, c := range sc.text[col] {
			if v := r.cell(c); v != "" {
				t[lang] = v
			}
		}
		if len(t) == 0 {
			return nil
		}
		return t
	}
	root := "/" + def.FormID
	var stack []openContainer
	seen := map[string]int{}
	for _, r := range s.rows {
		typeCell, typeCol := cell(r, "type")
		name, nameCol := cell(r, "name")
		if typeCell == "" {
			p.add(s.name, r.num, typeCol, "type", "The type is empty; give every row a type such as text or integer, or delete the row.")
			continue
		}
		t, list, begin, end, ok := parseType(typeCell)
		if !ok {
			msg := fmt.Sprintf("The type %q is not supported; use one of: %s.", clip(typeCell, 60), strings.Join(FieldTypes, ", "))
			if t.IsSelect() {
				msg = fmt.Sprintf("The type %q must name one choice list, as in %s yes_no.", clip(typeCell, 60), t)
			}
			p.add(s.name, r.num, typeCol, "type", msg)
			continue
		}
		if end {
			if len(stack) == 0 {
				p.add(s.name, r.num, typeCol, "type", fmt.Sprintf("This end %s closes nothing: no group or repeat is open.", t))
				continue
			}
			top := stack[len(stack)-1]
			if top.field.Type != t {
				p.add(s.name, r.num, typeCol, "type", fmt.Sprintf("This end %s would close the %s %q begun at row %d; close that %s first.", t, top.field.Type, top.field.Name, top.row, top.field.Type))
				continue
			}
			stack = stack[:len(stack)-1]
			continue
		}
		if name == "" {
			p.add(s.name, r.num, nameCol, "name", "The name is empty; every field needs a name, such as employees_total.")
			continue
		}
		if !ValidName(name) {
			p.add(s.name, r.num, nameCol, "name", fmt.Sprintf("The name %q is not valid: start with a letter and use only letters, digits, _, - and . (at most %d characters).", clip(name, 80), maxName))
			continue
		}
		if name == "meta" && len(stack) == 0 {
			p.add(s.name, r.num, nameCol, "name", "The name meta is reserved for the form's own details; choose another.")
			continue
		}
		if first, dup := seen[name]; dup {
			p.add(s.name, r.num, nameCol, "name", fmt.Sprintf("Another field is already named %q (row %d); names must be unique in the form.", name, first))
			continue
		}
		seen[name] = r.num
		f := Field{Name: name, Type: t, ChoiceList: list, Row: r.num,
			Label: text(r, "label"), Hint: text(r, "hint"), ConstraintMessage: text(r, "constraint_message")}
		f.Relevant, _ = cell(r, "relevant")
		f.Constraint, _ = cell(r, "constraint")
		f.Calculation, _ = cell(r, "calculation")
		f.Default, _ = cell(r, "default")
		f.Appearance, _ = cell(r, "appearance")
		f.ChoiceFilter, _ = cell(r, "choice_filter")
		req, reqCol := cell(r, "required")
		switch strings.ToLower(req) {
		case "", "no", "false", "false()", "0":
		case "yes", "true", "true()", "1":
			f.Required = true
		default:
			p.add(s.name, r.num, reqCol, "required", fmt.Sprintf("required is %q; write yes or no.", clip(req, 40)))
		}
		parent := root
		if len(stack) > 0 {
			top := stack[len(stack)-1].field
			parent = top.Path
			f.Parent = top.Path
			f.Repeat = top.Repeat
			if top.Type == TypeRepeat {
				f.Repeat = top.Path
			}
		}
		f.Path = parent + "/" + name
		p.checkField(s, sc, r, &f, def)
		def.Fields = append(def.Fields, f)
		if begin {
			stack = append(stack, openContainer{field: f, row: r.num})
		}
	}
	for i := len(stack) - 1; i >= 0; i-- {
		o := stack[i]
		col := sc.plain["type"] + 1
		p.add(s.name, o.row, col, "type", fmt.Sprintf("The %s %q begun here is never closed; add an end %s row.", o.field.Type, o.field.Name, o.field.Type))
	}
	if len(def.Fields) == 0 && len(p.issues) == 0 {
		p.add(s.name, 2, 0, "", "The survey sheet has no fields.")
	}
}

// checkField checks what one row can say about itself.
func (p *parser) checkField(s *sheet, sc *surveyCols, r sheetRow, f *Field, def *Definition) {
	col := func(name string) int { return sc.plain[name] + 1 }
	if f.Type == TypeCalculate && f.Calculation == "" {
		p.add(s.name, r.num, col("calculation"), "calculation", fmt.Sprintf("The calculate field %q has no calculation.", f.Name))
	}
	if f.Type != TypeCalculate && !f.Type.IsContainer() && len(f.Label) == 0 {
		c := 0
		for _, i := range sc.text["label"] {
			c = i + 1
			break
		}
		p.add(s.name, r.num, c, "label", fmt.Sprintf("The field %q has no label; respondents would not know what to answer.", f.Name))
	}
	if f.Type.IsSelect() {
		l, ok := def.ChoiceList(f.ChoiceList)
		switch {
		case !ok:
			p.add(s.name, r.num, col("type"), "type", fmt.Sprintf("The choice list %q is not in the choices sheet.", clip(f.ChoiceList, 60)))
		case len(l.Choices) == 0:
			p.add(s.name, r.num, col("type"), "type", fmt.Sprintf("The choice list %q has no choices.", f.ChoiceList))
		}
	} else if f.ChoiceFilter != "" {
		p.add(s.name, r.num, col("choice_filter"), "choice_filter", "Only select_one and select_multiple fields take a choice_filter.")
	}
	if f.Default != "" {
		switch {
		case strings.Contains(f.Default, "${"):
			p.add(s.name, r.num, col("default"), "default", "A default must be a fixed value; a default computed from other fields is not supported (use a calculation).")
		case f.Type == TypeInteger:
			if _, err := strconv.ParseInt(f.Default, 10, 64); err != nil {
				p.add(s.name, r.num, col("default"), "default", fmt.Sprintf("The default %q is not a whole number.", clip(f.Default, 40)))
			}
		case f.Type == TypeDecimal:
			if _, err := strconv.ParseFloat(f.Default, 64); err != nil {
				p.add(s.name, r.num, col("default"), "default", fmt.Sprintf("The default %q is not a number.", clip(f.Default, 40)))
			}
		case f.Type.IsContainer() || f.Type == TypeNote || f.Type == TypeCalculate:
			p.add(s.name, r.num, col("default"), "default", fmt.Sprintf("A %s field takes no default.", f.Type))
		}
	}
	if f.Type.IsContainer() && (f.Calculation != "" || f.Constraint != "" || f.Required) {
		p.add(s.name, r.num, col("type"), "type", fmt.Sprintf("A %s takes no calculation, constraint or required; put them on its fields.", f.Type))
	}
}
