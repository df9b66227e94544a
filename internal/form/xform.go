package form

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// The namespaces an ODK XForm declares.
const (
	nsXForms = "http://www.w3.org/2002/xforms"
	nsXHTML  = "http://www.w3.org/1999/xhtml"
	nsEvents = "http://www.w3.org/2001/xml-events"
	nsSchema = "http://www.w3.org/2001/XMLSchema"
	nsJR     = "http://openrosa.org/javarosa"
	nsODK    = "http://www.opendatakit.org/xforms"
	nsORX    = "http://openrosa.org/xforms"
)

// bindTypes are the XForm data types of the field types.
var bindTypes = map[FieldType]string{
	TypeText: "string", TypeInteger: "int", TypeDecimal: "decimal", TypeSelectOne: "string", TypeSelectMultiple: "string",
	TypeDate: "date", TypeDateTime: "dateTime", TypeNote: "string", TypeCalculate: "string", TypeAcknowledge: "string",
	TypeGeopoint: "geopoint", TypeImage: "binary", TypeFile: "binary",
}

// GenerateXForm writes the ODK XForm of a definition and returns it with
// its MD5 hash in hex (OpenRosa form lists announce it as "md5:" + hash).
// The same definition always gives the same bytes.
func GenerateXForm(def *Definition) ([]byte, string, error) {
	g := &xformWriter{def: def, paths: map[string]string{}, repeats: map[string]bool{}, children: map[string][]int{}}
	root := "/" + def.FormID
	for i, f := range def.Fields {
		g.paths[f.Name] = f.Path
		if f.Type == TypeRepeat {
			g.repeats[f.Path] = true
		}
		parent := f.Parent
		if parent == "" {
			parent = root
		}
		g.children[parent] = append(g.children[parent], i)
	}
	filtered := map[string]bool{}
	for _, f := range def.Fields {
		if f.ChoiceFilter != "" {
			filtered[f.ChoiceList] = true
		}
	}
	w := &g.b
	w.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	fmt.Fprintf(w, `<h:html xmlns="%s" xmlns:h="%s" xmlns:ev="%s" xmlns:xsd="%s" xmlns:jr="%s" xmlns:odk="%s" xmlns:orx="%s">`+"\n",
		nsXForms, nsXHTML, nsEvents, nsSchema, nsJR, nsODK, nsORX)
	w.WriteString("  <h:head>\n")
	fmt.Fprintf(w, "    <h:title>%s</h:title>\n", esc(def.Title))
	w.WriteString(`    <model odk:xforms-version="1.0.0">` + "\n")
	if err := g.itext(); err != nil {
		return nil, "", err
	}
	w.WriteString("      <instance>\n")
	fmt.Fprintf(w, "        <%s id=\"%s\" version=\"%s\">\n", def.FormID, attr(def.FormID), attr(def.Version))
	g.instance(root, 5, outsideRepeats)
	w.WriteString(strings.Repeat("  ", 5) + "<meta>\n" + strings.Repeat("  ", 6) + "<instanceID/>\n" + strings.Repeat("  ", 5) + "</meta>\n")
	fmt.Fprintf(w, "        </%s>\n", def.FormID)
	w.WriteString("      </instance>\n")
	for _, l := range def.ChoiceLists {
		if filtered[l.Name] {
			g.secondary(l)
		}
	}
	if err := g.binds(root); err != nil {
		return nil, "", err
	}
	w.WriteString("    </model>\n  </h:head>\n  <h:body>\n")
	if err := g.body(root, 2); err != nil {
		return nil, "", err
	}
	w.WriteString("  </h:body>\n</h:html>\n")
	out := []byte(g.b.String())
	sum := md5.Sum(out)
	return out, hex.EncodeToString(sum[:]), nil
}

type xformWriter struct {
	def      *Definition
	b        strings.Builder
	paths    map[string]string // field name -> absolute path
	repeats  map[string]bool   // paths of the repeats
	children map[string][]int
}

// textValue writes a label's text with ${name} as <output> elements; the
// references are written for the node at context (see refPath).
func (g *xformWriter) textValue(s, context string) (string, error) {
	refs, err := ParseRefs(s)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	last := 0
	for _, r := range refs {
		b.WriteString(esc(s[last:r.Start]))
		fmt.Fprintf(&b, `<output value="%s"/>`, attr(g.refPath(context, g.paths[r.Name])))
		last = r.End
	}
	b.WriteString(esc(s[last:]))
	return b.String(), nil
}

func choiceTextID(list string, i int) string { return list + "-" + strconv.Itoa(i) }

// itext writes one translation per language with every label, hint,
// constraint message and choice label; a text missing in one language
// falls back to the default language's.
func (g *xformWriter) itext() error {
	def := g.def
	w := &g.b
	w.WriteString("      <itext>\n")
	for _, lang := range def.Languages {
		dflt := ""
		if lang == def.DefaultLanguage {
			dflt = ` default="true()"`
		}
		fmt.Fprintf(w, "        <translation lang=\"%s\"%s>\n", attr(lang), dflt)
		text := func(id string, t Text, context string) error {
			if len(t) == 0 {
				return nil
			}
			v, err := g.textValue(t.In(lang, def.DefaultLanguage, def.Languages), context)
			if err != nil {
				return err
			}
			if v == "" {
				v = "-"
			}
			fmt.Fprintf(w, "          <text id=\"%s\">\n            <value>%s</value>\n          </text>\n", attr(id), v)
			return nil
		}
		for _, f := range def.Fields {
			if err := text(f.Path+":label", f.Label, f.Path); err != nil {
				return err
			}
			if err := text(f.Path+":hint", f.Hint, f.Path); err != nil {
				return err
			}
			if err := text(f.Path+":jr:constraintMsg", f.ConstraintMessage, f.Path); err != nil {
				return err
			}
		}
		for _, l := range def.ChoiceLists {
			for i, c := range l.Choices {
				// A choice list may serve several selects: its labels
				// have no one node to be relative to.
				if err := text(choiceTextID(l.Name, i), c.Label, ""); err != nil {
					return err
				}
			}
		}
		w.WriteString("        </translation>\n")
	}
	w.WriteString("      </itext>\n")
	return nil
}

// instanceMode tells where in the primary instance nodes are written.
type instanceMode int

const (
	outsideRepeats instanceMode = iota // in no repeat
	inTemplate                         // in a repeat's template
	inOccurrence                       // in a repeat's first occurrence
)

// instance writes the primary instance's nodes under parent. A repeat is
// written as its template (jr:template) followed by one first occurrence,
// the way pyxform writes it; in an occurrence, a nested repeat is written
// as its first occurrence only: a template there would be counted as one
// more occurrence. So every repeat has exactly one template, and a nested
// repeat's template lives in its outer repeat's template. That template
// also holds a first occurrence of the nested repeat (pyxform writes none
// there), so an occurrence added later starts, like the first one and like
// the respondent page's engine, with one occurrence of each nested repeat.
func (g *xformWriter) instance(parent string, depth int, mode instanceMode) {
	ind := strings.Repeat("  ", depth)
	for _, i := range g.children[parent] {
		f := g.def.Fields[i]
		switch f.Type {
		case TypeGroup, TypeRepeat:
			type copyOf struct {
				attr string
				mode instanceMode
			}
			copies := []copyOf{{"", mode}}
			if f.Type == TypeRepeat {
				copies = []copyOf{{"", inOccurrence}}
				if mode != inOccurrence {
					copies = []copyOf{{` jr:template=""`, inTemplate}, {"", inOccurrence}}
				}
			}
			for _, c := range copies {
				if len(g.children[f.Path]) == 0 {
					fmt.Fprintf(&g.b, "%s<%s%s/>\n", ind, f.Name, c.attr)
					continue
				}
				fmt.Fprintf(&g.b, "%s<%s%s>\n", ind, f.Name, c.attr)
				g.instance(f.Path, depth+1, c.mode)
				fmt.Fprintf(&g.b, "%s</%s>\n", ind, f.Name)
			}
		default:
			if f.Default != "" {
				fmt.Fprintf(&g.b, "%s<%s>%s</%s>\n", ind, f.Name, esc(f.Default), f.Name)
			} else {
				fmt.Fprintf(&g.b, "%s<%s/>\n", ind, f.Name)
			}
		}
	}
}

// secondary writes a choice list as a secondary instance, for selects that
// filter their choices.
func (g *xformWriter) secondary(l ChoiceList) {
	w := &g.b
	fmt.Fprintf(w, "      <instance id=\"%s\">\n        <root>\n", attr(l.Name))
	for i, c := range l.Choices {
		w.WriteString("          <item>\n")
		fmt.Fprintf(w, "            <itextId>%s</itextId>\n", esc(choiceTextID(l.Name, i)))
		fmt.Fprintf(w, "            <name>%s</name>\n", esc(c.Name))
		for _, col := range g.def.ExtraColumns {
			if v := c.Extra[col]; v != "" {
				fmt.Fprintf(w, "            <%s>%s</%s>\n", col, esc(v), col)
			} else {
				fmt.Fprintf(w, "            <%s/>\n", col)
			}
		}
		w.WriteString("          </item>\n")
	}
	w.WriteString("        </root>\n      </instance>\n")
}

// binds writes one bind per field that needs one, then the instance ID's.
func (g *xformWriter) binds(root string) error {
	for _, f := range g.def.Fields {
		var a []string
		add := func(k, v string) { a = append(a, fmt.Sprintf(`%s="%s"`, k, attr(v))) }
		if t, ok := bindTypes[f.Type]; ok {
			add("type", t)
		}
		for _, x := range []struct{ key, val string }{{"relevant", f.Relevant}, {"constraint", f.Constraint}, {"calculate", f.Calculation}} {
			if x.val == "" {
				continue
			}
			v, err := g.exprAt(x.val, f.Path, false)
			if err != nil {
				return fmt.Errorf("%s of %s: %w", x.key, f.Name, err)
			}
			add(x.key, v)
		}
		if f.Required {
			add("required", "true()")
		}
		if len(f.ConstraintMessage) > 0 {
			add("jr:constraintMsg", "jr:itext('"+f.Path+":jr:constraintMsg')")
		}
		if f.Type == TypeNote {
			add("readonly", "true()")
		}
		if len(a) == 0 {
			continue
		}
		fmt.Fprintf(&g.b, "      <bind nodeset=\"%s\" %s/>\n", attr(f.Path), strings.Join(a, " "))
	}
	fmt.Fprintf(&g.b, "      <bind nodeset=\"%s/meta/instanceID\" type=\"string\" readonly=\"true()\" jr:preload=\"uid\"/>\n", attr(root))
	return nil
}

// body writes the controls under parent.
func (g *xformWriter) body(parent string, depth int) error {
	ind := strings.Repeat("  ", depth)
	w := &g.b
	for _, i := range g.children[parent] {
		f := g.def.Fields[i]
		app := ""
		if f.Appearance != "" {
			app = ` appearance="` + attr(f.Appearance) + `"`
		}
		labels := func(ind string) {
			if len(f.Label) > 0 {
				fmt.Fprintf(w, "%s<label ref=\"jr:itext('%s:label')\"/>\n", ind, attr(f.Path))
			}
			if len(f.Hint) > 0 {
				fmt.Fprintf(w, "%s<hint ref=\"jr:itext('%s:hint')\"/>\n", ind, attr(f.Path))
			}
		}
		switch f.Type {
		case TypeCalculate:
			continue
		case TypeGroup:
			fmt.Fprintf(w, "%s<group ref=\"%s\"%s>\n", ind, attr(f.Path), app)
			labels(ind + "  ")
			if err := g.body(f.Path, depth+1); err != nil {
				return err
			}
			fmt.Fprintf(w, "%s</group>\n", ind)
		case TypeRepeat:
			fmt.Fprintf(w, "%s<group ref=\"%s\">\n", ind, attr(f.Path))
			labels(ind + "  ")
			fmt.Fprintf(w, "%s  <repeat nodeset=\"%s\"%s>\n", ind, attr(f.Path), app)
			if err := g.body(f.Path, depth+2); err != nil {
				return err
			}
			fmt.Fprintf(w, "%s  </repeat>\n%s</group>\n", ind, ind)
		case TypeSelectOne, TypeSelectMultiple:
			el := "select1"
			if f.Type == TypeSelectMultiple {
				el = "select"
			}
			fmt.Fprintf(w, "%s<%s ref=\"%s\"%s>\n", ind, el, attr(f.Path), app)
			labels(ind + "  ")
			if err := g.items(f, ind+"  "); err != nil {
				return err
			}
			fmt.Fprintf(w, "%s</%s>\n", ind, el)
		default:
			el, extra := "input", ""
			switch f.Type {
			case TypeAcknowledge:
				el = "trigger"
			case TypeImage:
				el, extra = "upload", ` mediatype="image/*"`
			case TypeFile:
				el, extra = "upload", ` mediatype="application/*"`
			}
			fmt.Fprintf(w, "%s<%s ref=\"%s\"%s%s>\n", ind, el, attr(f.Path), extra, app)
			labels(ind + "  ")
			fmt.Fprintf(w, "%s</%s>\n", ind, el)
		}
	}
	return nil
}

// items writes a select's choices: inline items, or an itemset over the
// list's secondary instance when the choices are filtered.
func (g *xformWriter) items(f Field, ind string) error {
	w := &g.b
	l, ok := g.def.ChoiceList(f.ChoiceList)
	if !ok {
		return fmt.Errorf("field %s: no choice list %s", f.Name, f.ChoiceList)
	}
	if f.ChoiceFilter != "" {
		filter, err := g.exprAt(f.ChoiceFilter, f.Path, true)
		if err != nil {
			return fmt.Errorf("choice_filter of %s: %w", f.Name, err)
		}
		fmt.Fprintf(w, "%s<itemset nodeset=\"instance('%s')/root/item[%s]\">\n", ind, attr(l.Name), attr(filter))
		fmt.Fprintf(w, "%s  <value ref=\"name\"/>\n%s  <label ref=\"jr:itext(itextId)\"/>\n%s</itemset>\n", ind, ind, ind)
		return nil
	}
	for i, c := range l.Choices {
		fmt.Fprintf(w, "%s<item>\n%s  <label ref=\"jr:itext('%s')\"/>\n%s  <value>%s</value>\n%s</item>\n",
			ind, ind, attr(choiceTextID(l.Name, i)), ind, esc(c.Name), ind)
	}
	return nil
}

// esc escapes text content.
func esc(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '\r':
			b.WriteString("&#xD;")
		default:
			if !xmlChar(r) {
				b.WriteRune('\uFFFD')
				continue
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// attr escapes an attribute value (double-quoted).
func attr(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '\n':
			b.WriteString("&#xA;")
		case '\r':
			b.WriteString("&#xD;")
		case '\t':
			b.WriteString("&#x9;")
		default:
			if !xmlChar(r) {
				b.WriteRune('\uFFFD')
				continue
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// xmlChar reports whether r may appear in an XML 1.0 document.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}
