package form

import (
	"bytes"
	"encoding/xml"
	"flag"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden XForms in testdata")

// checkXForm parses an XForm with encoding/xml and checks its structure:
// the primary instance is named after the form_id with id and version, every
// bind and control points at a node of the instance, every itext reference
// exists in every translation.
func checkXForm(t *testing.T, x []byte, def *Definition) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(x))
	var stack []xml.Name
	nodes := map[string]bool{}
	var instancePath []string
	inPrimary := false
	texts := map[string]map[string]bool{}
	lang := ""
	var refs []string
	var itextRefs []string
	sawTitle := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("XForm is not well-formed: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			parent := ""
			if len(stack) > 0 {
				parent = stack[len(stack)-1].Local
			}
			stack = append(stack, e.Name)
			get := func(local string) string {
				for _, a := range e.Attr {
					if a.Name.Local == local {
						return a.Value
					}
				}
				return ""
			}
			switch {
			case e.Name.Space == nsXHTML && e.Name.Local == "title":
				sawTitle = true
			case e.Name.Local == "instance" && get("id") == "":
				inPrimary = true
				instancePath = nil
				continue
			case e.Name.Local == "translation":
				lang = get("lang")
				texts[lang] = map[string]bool{}
			case e.Name.Local == "text" && parent == "translation":
				texts[lang][get("id")] = true
			case e.Name.Local == "bind":
				refs = append(refs, get("nodeset"))
			case e.Name.Local == "label" || e.Name.Local == "hint":
				if r := get("ref"); strings.HasPrefix(r, "jr:itext('") {
					itextRefs = append(itextRefs, strings.TrimSuffix(strings.TrimPrefix(r, "jr:itext('"), "')"))
				}
			}
			if (e.Name.Local == "input" || e.Name.Local == "select1" || e.Name.Local == "select" || e.Name.Local == "upload" ||
				e.Name.Local == "trigger" || e.Name.Local == "group") && e.Name.Space == nsXForms && !inPrimary {
				refs = append(refs, get("ref"))
			}
			if inPrimary {
				if len(instancePath) == 0 {
					if e.Name.Local != def.FormID || get("id") != def.FormID || get("version") != def.Version {
						t.Errorf("primary instance root = %s id=%q version=%q", e.Name.Local, get("id"), get("version"))
					}
				}
				instancePath = append(instancePath, e.Name.Local)
				nodes["/"+strings.Join(instancePath, "/")] = true
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
			if inPrimary {
				if len(instancePath) == 0 {
					inPrimary = false
				} else {
					instancePath = instancePath[:len(instancePath)-1]
				}
			}
		}
	}
	if !sawTitle {
		t.Error("no h:title")
	}
	for _, r := range refs {
		if !nodes[r] {
			t.Errorf("%s is bound or shown but not in the primary instance", r)
		}
	}
	if !nodes["/"+def.FormID+"/meta/instanceID"] {
		t.Error("no meta/instanceID")
	}
	if len(texts) != len(def.Languages) {
		t.Errorf("%d translations, want %d", len(texts), len(def.Languages))
	}
	for l, ids := range texts {
		for _, r := range itextRefs {
			if !ids[r] {
				t.Errorf("translation %s lacks text %s", l, r)
			}
		}
	}
}

// TestTemplatesRoundTrip: each standard template's workbook reads back
// without problems to the same definition, and its XForm matches the
// golden file and is well-formed.
func TestTemplatesRoundTrip(t *testing.T) {
	for _, tpl := range Standard {
		t.Run(tpl.Name, func(t *testing.T) {
			b, err := tpl.Workbook()
			if err != nil {
				t.Fatal(err)
			}
			got, err := ParseXLSForm(b, tpl.Name+".xlsx")
			if err != nil {
				t.Fatalf("template does not re-import: %v", err)
			}
			want := tpl.Definition()
			if !reflect.DeepEqual(got, want) {
				for i := range want.Fields {
					if i < len(got.Fields) && !reflect.DeepEqual(got.Fields[i], want.Fields[i]) {
						t.Errorf("field %d:\n got %+v\nwant %+v", i, got.Fields[i], want.Fields[i])
					}
				}
				t.Fatalf("round trip differs:\n got %+v\nwant %+v", got, want)
			}
			x, _, err := GenerateXForm(got)
			if err != nil {
				t.Fatal(err)
			}
			checkXForm(t, x, got)
			golden(t, filepath.Join("testdata", tpl.Name+".xml"), x)
			if len(got.NumericFields()) == 0 {
				t.Error("no numeric fields to map")
			}
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the generated XForm; run go test ./internal/form -update and review the diff", path)
	}
}

func TestXFormIsDeterministic(t *testing.T) {
	def := Standard[0].Definition()
	a, sa, _ := GenerateXForm(def)
	b, sb, _ := GenerateXForm(Standard[0].Definition())
	if !bytes.Equal(a, b) || sa != sb {
		t.Error("the same definition gave two XForms")
	}
}

// repeatRefsForm has references made inside repeats: to a field of the same
// repeat, of an enclosing repeat, of a nested repeat, to a repeat itself and
// to fields outside every repeat, in binds, a choice filter and labels.
var repeatRefsForm = map[string][][]string{
	"survey": {
		{"type", "name", "label", "relevant", "constraint", "calculation", "choice_filter"},
		{"integer", "limit", "Limit", "", "", "", ""},
		{"begin repeat", "hh", "Households", "", "", "", ""},
		{"select_one region", "region", "Region", "", "", "", ""},
		{"select_one town", "town", "Town in ${region}", "", "", "", "region = ${region} and ${limit} > 0"},
		{"integer", "age", "Age", "", ". <= ${limit}", "", ""},
		{"calculate", "next", "", "", "", "${age} + 1", ""},
		{"calculate", "all", "", "", "", "count(${hh})", ""},
		{"begin group", "g", "G", "${age} > 1", "", "", ""},
		{"begin repeat", "kids", "Kids", "", "", "", ""},
		{"integer", "kid_age", "Age (parent ${age})", "", ". < ${age}", "", ""},
		{"calculate", "kid_next", "", "", "", "${kid_age} + ${limit}", ""},
		{"end repeat", "", "", "", "", "", ""},
		{"end group", "", "", "", "", "", ""},
		{"calculate", "kid_total", "", "", "", "sum(${kid_age})", ""},
		{"end repeat", "", "", "", "", "", ""},
		{"calculate", "total", "", "", "", "sum(${age}) + count(${kid_age})", ""},
	},
	"choices": {
		{"list_name", "name", "label", "region"},
		{"region", "n", "North", ""}, {"region", "s", "South", ""},
		{"town", "a", "A", "n"}, {"town", "b", "B", "s"},
	},
	"settings": {{"form_id", "form_title", "version"}, {"refs", "Refs", "1"}},
}

// TestXFormRepeatReferences: inside a repeat, a reference to a field of the
// same or an enclosing repeat is relative to the node it is evaluated for
// (ODK engines evaluate an absolute path over every occurrence), one to a
// field outside the repeats stays absolute; each repeat has exactly one
// template, a nested repeat's inside its outer repeat's template.
func TestXFormRepeatReferences(t *testing.T) {
	def, err := ParseXLSForm(book(t, repeatRefsForm), "refs.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	x, _, err := GenerateXForm(def)
	if err != nil {
		t.Fatal(err)
	}
	checkXForm(t, x, def)
	s := string(x)
	for _, want := range []string{
		// same repeat, and a field outside every repeat
		`<bind nodeset="/refs/hh/age" type="int" constraint=". &lt;= /refs/limit"/>`,
		`<bind nodeset="/refs/hh/next" type="string" calculate="../age + 1"/>`,
		// a repeat itself means all its occurrences
		`<bind nodeset="/refs/hh/all" type="string" calculate="count(/refs/hh)"/>`,
		// a group's bind is evaluated for the group
		`<bind nodeset="/refs/hh/g" relevant="../age &gt; 1"/>`,
		// the enclosing repeat, across a group and the nested repeat
		`<bind nodeset="/refs/hh/g/kids/kid_age" type="int" constraint=". &lt; ../../../age"/>`,
		`<bind nodeset="/refs/hh/g/kids/kid_next" type="string" calculate="../kid_age + /refs/limit"/>`,
		// a nested repeat's fields in the same occurrence of the outer one
		`<bind nodeset="/refs/hh/kid_total" type="string" calculate="sum(../g/kids/kid_age)"/>`,
		// outside every repeat: absolute
		`<bind nodeset="/refs/total" type="string" calculate="sum(/refs/hh/age) + count(/refs/hh/g/kids/kid_age)"/>`,
		// a choice filter is evaluated for each choice: current() is the select
		`<itemset nodeset="instance('town')/root/item[region = current()/../region and /refs/limit &gt; 0]">`,
		// labels
		`<value>Town in <output value="../region"/></value>`,
		`<value>Age (parent <output value="../../../age"/>)</value>`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("XForm lacks %s", want)
		}
	}
	if strings.Contains(s, `calculate="/refs/hh/age`) || strings.Contains(s, `value="/refs/hh/`) {
		t.Error("a reference inside a repeat to the same repeat is absolute")
	}

	// The primary instance: hh's template holds kids' template and one
	// first kids occurrence; hh's first occurrence holds a first kids
	// occurrence and no template.
	inst := s[strings.Index(s, "<instance>"):strings.Index(s, "</instance>")]
	if n := strings.Count(inst, `<hh jr:template="">`); n != 1 {
		t.Errorf("%d hh templates, want 1", n)
	}
	if n := strings.Count(inst, `<kids jr:template="">`); n != 1 {
		t.Errorf("%d kids templates, want 1", n)
	}
	hhTemplate := inst[strings.Index(inst, `<hh jr:template="">`):strings.Index(inst, "</hh>")]
	if !strings.Contains(hhTemplate, `<kids jr:template="">`) {
		t.Error("the kids template is not in the hh template")
	}
	hhFirst := inst[strings.LastIndex(inst, "<hh>"):strings.LastIndex(inst, "</hh>")]
	if strings.Contains(hhFirst, "jr:template") || strings.Count(hhFirst, "<kids>") != 1 {
		t.Errorf("hh's first occurrence should hold one kids occurrence and no template:\n%s", hhFirst)
	}
	if n := strings.Count(inst, "<hh>"); n != 1 {
		t.Errorf("%d first hh occurrences, want 1", n)
	}
}

// TestXFormRepeatCountFromInside: a repeat named from inside itself, at any
// depth, is written as its absolute path, as pyxform writes it, so that ODK
// engines count every occurrence; a relative path would stop at the
// context's own occurrence and count 1. Named from its parent's occurrence,
// the nested repeat stays relative (the occurrences of that parent only).
func TestXFormRepeatCountFromInside(t *testing.T) {
	sheets := map[string][][]string{
		"survey": {
			{"type", "name", "label", "calculation"},
			{"begin repeat", "fam", "Families", ""},
			{"begin repeat", "kids", "Kids", ""},
			{"calculate", "kid_of", "", "count(${kids})"},
			{"begin group", "g", "G", ""},
			{"calculate", "deep_of", "", "count(${kids}) + count(${fam})"},
			{"note", "kid_note", "Child of ${kid_of}: ${fam}", ""},
			{"end group", "", "", ""},
			{"end repeat", "", "", ""},
			{"calculate", "kid_count", "", "count(${kids})"},
			{"end repeat", "", "", ""},
		},
		"settings": {{"form_id", "form_title", "version"}, {"self", "Self", "1"}},
	}
	def, err := ParseXLSForm(book(t, sheets), "self.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	x, _, err := GenerateXForm(def)
	if err != nil {
		t.Fatal(err)
	}
	checkXForm(t, x, def)
	s := string(x)
	for _, want := range []string{
		`<bind nodeset="/self/fam/kids/kid_of" type="string" calculate="count(/self/fam/kids)"/>`,
		`<bind nodeset="/self/fam/kids/g/deep_of" type="string" calculate="count(/self/fam/kids) + count(/self/fam)"/>`,
		`<bind nodeset="/self/fam/kid_count" type="string" calculate="count(../kids)"/>`,
		`<output value="../../kid_of"/>`,
		`<output value="/self/fam"/>`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("XForm lacks %s", want)
		}
	}
	if strings.Contains(s, `count(..)`) || strings.Contains(s, `count(../..)`) {
		t.Error("a repeat named from inside itself is written as a path to its own occurrence")
	}
}
