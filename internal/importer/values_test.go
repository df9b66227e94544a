package importer

import (
	"strings"
	"testing"
)

func TestParseBool(t *testing.T) {
	for _, c := range []struct {
		in      string
		want    bool
		wantsOK bool
	}{
		{"yes", true, true}, {" Y ", true, true}, {"TRUE", true, true}, {"1", true, true}, {"Sí", true, true}, {"oui", true, true}, {"ja", true, true},
		{"", false, true}, {"no", false, true}, {"0", false, true}, {"non", false, true}, {"nee", false, true}, {"false", false, true},
		{"maybe", false, false}, {"2", false, false},
	} {
		got, ok := parseBool(c.in)
		if got != c.want || ok != c.wantsOK {
			t.Errorf("parseBool(%q) = %v, %v", c.in, got, ok)
		}
	}
}

func TestParseDate(t *testing.T) {
	for _, c := range []struct {
		in              string
		workbook, y1904 bool
		want            string
	}{
		{"2024-03-01", false, false, "2024-03-01"},
		{" 2024-03-01 ", false, false, "2024-03-01"},
		{"45352", true, false, "2024-03-01"},
		{"43890", true, true, "2024-03-01"},
		{"2024-03-01T00:00:00Z", true, false, "2024-03-01"},
		{"45352", false, false, ""},
		{"01/03/2024", false, false, ""},
		{"2024-02-30", false, false, ""},
		{"45352.5", true, false, ""},
	} {
		got, err := parseDate(c.in, c.workbook, c.y1904)
		if got != c.want || (err == nil) != (c.want != "") {
			t.Errorf("parseDate(%q, %v, %v) = %q, %v", c.in, c.workbook, c.y1904, got, err)
		}
	}
}

func TestISICClass(t *testing.T) {
	known := func(c string) bool { return c == "0111" || c == "5510" || c == "0322" }
	for in, want := range map[string]string{
		"0111": "0111", "111": "0111", "111.0": "0111", "01.11": "0111", "5510": "5510", " 55.10 ": "5510", "322": "0322",
		"11": "", "0011": "", "9999": "", "abcd": "", "01110": "", "": "",
	} {
		got, ok := isicClass(in, known)
		if got != want || ok != (want != "") {
			t.Errorf("isicClass(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestLooksLikeFormula(t *testing.T) {
	for in, want := range map[string]bool{
		"=1+1": true, " =A1": true, `=HYPERLINK("http://x","y")`: true, "+HYPERLINK(1)": true, "@SUM(A1:A2)": true, "-cmd (x)": true,
		"+1 868 555 0100": false, "-Tech Ltd": false, "@home Café": false, "Plus+": false, "a=b": false, "": false,
	} {
		if got := looksLikeFormula(in); got != want {
			t.Errorf("looksLikeFormula(%q) = %v", in, got)
		}
	}
}

func TestWebsiteAndPlaces(t *testing.T) {
	for in, want := range map[string]string{
		"example.org": "https://example.org", "http://example.org/a": "http://example.org/a", "www.x.org": "https://www.x.org",
		"ftp://x.org": "", "localhost": "", "not a url": "",
	} {
		got, ok := websiteURL(in)
		if got != want || ok != (want != "") {
			t.Errorf("websiteURL(%q) = %q, %v", in, got, ok)
		}
	}
	if placeKey("St. Lucia") != placeKey("saint lucia") || placeKey("The Bahamas") != placeKey("Bahamas") ||
		placeKey("Trinidad & Tobago") != placeKey("Trinidad and Tobago") || placeKey("Saint Kitts") == placeKey("Saint Lucia") {
		t.Error("placeKey does not match the usual spellings")
	}
}

func TestHeaderMapping(t *testing.T) {
	h, msgs := mapHeader(Organisations, []string{" Name ", "KIND", "Country", "size band", "", "Size_Band"})
	if len(msgs) != 1 || !strings.Contains(msgs[0], `"size_band" more than once`) {
		t.Errorf("duplicate column: %v", msgs)
	}
	if !h.has(colSizeBand) || h.has(colArea) {
		t.Error("columns not mapped")
	}
	if _, msgs := mapHeader(Memberships, []string{"cluster_name", "role", "joined"}); len(msgs) != 1 || !strings.Contains(msgs[0], `"organisation_id", "organisation_name"`) {
		t.Errorf("missing organisation columns: %v", msgs)
	}
}

// TestCSVRowNumbers checks that rows are numbered as a spreadsheet shows
// them: blank lines count, a quoted line break does not start a row.
func TestCSVRowNumbers(t *testing.T) {
	r, _ := newCSVReader(strings.NewReader("h1,h2\n\"a\nb\",x\n\n\nc,d\r\ne,f"))
	var nums []int
	for {
		row, ok := r.Next()
		if !ok {
			break
		}
		nums = append(nums, row.num)
	}
	if r.Err() != nil || len(nums) != 4 || nums[0] != 1 || nums[1] != 2 || nums[2] != 5 || nums[3] != 6 {
		t.Errorf("row numbers %v (%v)", nums, r.Err())
	}
}
