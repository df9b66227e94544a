package form

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// FuzzParseXLSForm feeds workbook bytes to the parser: it must never panic,
// and whatever it accepts must give a well-formed XForm.
func FuzzParseXLSForm(f *testing.F) {
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, b []byte) {
		def, err := ParseXLSForm(b, "fuzz.xlsx")
		if err != nil {
			if _, ok := err.(*ParseError); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		x, _, err := GenerateXForm(def)
		if err != nil {
			t.Fatalf("accepted definition gives no XForm: %v", err)
		}
		dec := xml.NewDecoder(bytes.NewReader(x))
		for {
			_, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("XForm is not well-formed: %v", err)
			}
		}
	})
}

// FuzzParseRefs feeds expressions to the reference parser: it must never
// panic, each reference must be where it says, and rewriting every
// reference to itself must give the expression back.
func FuzzParseRefs(f *testing.F) {
	f.Add("${a} + 1")
	f.Fuzz(func(t *testing.T, s string) {
		refs, err := ParseRefs(s)
		if err != nil {
			return
		}
		for _, r := range refs {
			if s[r.Start:r.End] != "${"+r.Name+"}" {
				t.Fatalf("ref %+v does not match %q", r, s[r.Start:r.End])
			}
		}
		back, err := RewriteRefs(s, func(n string) string { return "${" + n + "}" })
		if err != nil || back != s {
			t.Fatalf("rewrite gave %q, %v", back, err)
		}
	})
}

// TestWriteFuzzSeeds writes the seed corpus under testdata/fuzz when run
// with -update: the standard templates, small valid and invalid workbooks,
// and expressions.
func TestWriteFuzzSeeds(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rewrite the seed corpus")
	}
	var books [][]byte
	for _, tpl := range Standard {
		b, err := tpl.Workbook()
		if err != nil {
			t.Fatal(err)
		}
		books = append(books, b)
	}
	books = append(books,
		book(t, map[string][][]string{"survey": {{"type", "name", "label"}, {"text", "a", "A ${a}"}, {"begin group", "g"}}, "settings": okSettings}),
		book(t, map[string][][]string{"survey": {{"type", "name", "label", "calculation"}, {"calculate", "a", "", "${b}"}, {"calculate", "b", "", "${a}"}}}),
		book(t, map[string][][]string{"survey": {{"type", "name", "label::English (en)", "label::Español (es)"}, {"select_one yes_no", "q", "Q", "P"}},
			"choices": {{"list_name", "name", "label::English (en)", "label::Español (es)", "country"}, {"yes_no", "yes", "Yes", "Sí", "JAM"}}}),
		book(t, map[string][][]string{"survey": {{"type", "name", "label"}, {"text", "f", "=1+1"}}}),
	)
	write := func(dir string, i int, v any) {
		var lit string
		switch x := v.(type) {
		case []byte:
			lit = "[]byte(" + strconv.Quote(string(x)) + ")"
		case string:
			lit = "string(" + strconv.Quote(x) + ")"
		}
		path := filepath.Join("testdata", "fuzz", dir, fmt.Sprintf("seed%02d", i))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("go test fuzz v1\n"+lit+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i, b := range books {
		write("FuzzParseXLSForm", i, b)
	}
	for i, s := range []string{"", "${a}", "${a} > ${b_1} and ${c.d} != ''", "${", "${}", "${1}", "x ${a", "${a}${b}", "${é}", "count(${r}) > 0", "${a b}"} {
		write("FuzzParseRefs", i, s)
	}
}
