package org

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/web"
)

func ptr[T any](v T) *T { return &v }

// valid is an input that passes validation; each case changes one thing.
func valid() Input {
	return Input{Kind: KindFirm, Name: "Blue Mountain Coffee", Country: "JAM"}
}

func TestValidate(t *testing.T) {
	const year = 2025
	tests := []struct {
		name   string
		change func(in *Input)
		field  string // "" when valid
		check  func(t *testing.T, in Input)
	}{
		{"minimal", func(in *Input) {}, "", nil},
		{"every field", func(in *Input) {
			in.AreaID, in.ISIC, in.SizeBand = ptr(int64(3)), "1073", SizeSmall
			in.WomenLed, in.YouthLed, in.FoundedYear = true, true, ptr(1999)
			in.Website, in.Email, in.Phone = "https://bmc.example.org/about", "info@bmc.example.org", "+1 (876) 555-0100 ext 12"
			in.ContactName, in.Description = "Ann Lee", "Roaster and exporter."
		}, "", nil},
		{"text is tidied", func(in *Input) {
			in.Name, in.Country, in.ContactName, in.Phone = "  Blue   Mountain  ", " jam ", " Ann   Lee ", " 876  555 0100 "
		}, "", func(t *testing.T, in Input) {
			if in.Name != "Blue Mountain" || in.Country != "JAM" || in.ContactName != "Ann Lee" || in.Phone != "876 555 0100" {
				t.Errorf("not tidied: %+v", in)
			}
		}},
		{"bare website gets https", func(in *Input) { in.Website = "www.bmc.example.org" }, "", func(t *testing.T, in Input) {
			if in.Website != "https://www.bmc.example.org" {
				t.Errorf("website = %q", in.Website)
			}
		}},
		{"area 0 is none", func(in *Input) { in.AreaID = ptr(int64(0)) }, "", func(t *testing.T, in Input) {
			if in.AreaID != nil {
				t.Errorf("area = %v, want nil", *in.AreaID)
			}
		}},
		{"founded this year", func(in *Input) { in.FoundedYear = ptr(year) }, "", nil},
		{"founded 1800", func(in *Input) { in.FoundedYear = ptr(1800) }, "", nil},
		{"missing kind", func(in *Input) { in.Kind = "" }, "kind", nil},
		{"unknown kind", func(in *Input) { in.Kind = "charity" }, "kind", nil},
		{"missing name", func(in *Input) { in.Name = "   " }, "name", nil},
		{"long name", func(in *Input) { in.Name = strings.Repeat("é", 201) }, "name", nil},
		{"missing country", func(in *Input) { in.Country = "" }, "country", nil},
		{"alpha-2 country", func(in *Input) { in.Country = "JM" }, "country", nil},
		{"isic too short", func(in *Input) { in.ISIC = "107" }, "isic", nil},
		{"isic section", func(in *Input) { in.ISIC = "C" }, "isic", nil},
		{"unknown size", func(in *Input) { in.SizeBand = "huge" }, "size_band", nil},
		{"founded in the future", func(in *Input) { in.FoundedYear = ptr(year + 1) }, "founded_year", nil},
		{"founded too early", func(in *Input) { in.FoundedYear = ptr(1799) }, "founded_year", nil},
		{"not a year", func(in *Input) { in.FoundedYear = ptr(-1) }, "founded_year", nil},
		{"ftp website", func(in *Input) { in.Website = "ftp://files.example.org" }, "website", nil},
		{"javascript website", func(in *Input) { in.Website = "javascript:alert(1)" }, "website", nil},
		{"website without a dot", func(in *Input) { in.Website = "https://intranet" }, "website", nil},
		{"email without at", func(in *Input) { in.Email = "info.example.org" }, "email", nil},
		{"email with a name", func(in *Input) { in.Email = "Info <info@example.org>" }, "email", nil},
		{"email without a domain dot", func(in *Input) { in.Email = "info@localhost" }, "email", nil},
		{"phone with letters", func(in *Input) { in.Phone = "call us" }, "phone", nil},
		{"phone too short", func(in *Input) { in.Phone = "555-01" }, "phone", nil},
		{"long contact", func(in *Input) { in.ContactName = strings.Repeat("a", 201) }, "contact_name", nil},
		{"long description", func(in *Input) { in.Description = strings.Repeat("a", 5001) }, "description", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := valid()
			tt.change(&in)
			err := in.Validate(year)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
			} else {
				p := problem.As(err)
				if p == nil || p.Kind != problem.Invalid {
					t.Fatalf("want an invalid problem on %s, got %v", tt.field, err)
				}
				if len(p.Details) != 1 || p.Details[0].Field != tt.field || p.Details[0].Message == "" {
					t.Fatalf("want one problem on %s, got %+v", tt.field, p.Details)
				}
			}
			if tt.check != nil {
				tt.check(t, in)
			}
		})
	}
}

func TestSizeBands(t *testing.T) {
	for _, tt := range []struct {
		employees int
		want      SizeBand
	}{{0, SizeUnknown}, {1, SizeMicro}, {9, SizeMicro}, {10, SizeSmall}, {49, SizeSmall}, {50, SizeMedium}, {249, SizeMedium}, {250, SizeLarge}, {9000, SizeLarge}} {
		if got := SizeBandFor(tt.employees); got != tt.want {
			t.Errorf("SizeBandFor(%d) = %q, want %q", tt.employees, got, tt.want)
		}
	}
	if !SizeUnknown.Valid() || SizeBand("tiny").Valid() || SizeLarge.Order() != 4 || SizeUnknown.Order() != 0 {
		t.Error("size band validity or order is wrong")
	}
	if SizeUnknown.Key() != "org.size.unknown" || SizeMedium.Key() != "org.size.medium" || KindNGO.Key() != "org.kind.ngo" {
		t.Error("message keys are wrong")
	}
}

func TestPatch(t *testing.T) {
	cur := Input{Kind: KindFirm, Name: "Blue Mountain", Country: "JAM", AreaID: ptr(int64(7)), ISIC: "1073",
		FoundedYear: ptr(1990), Email: "a@example.org", WomenLed: true}
	tests := []struct {
		name  string
		body  string
		check func(in Input) bool
	}{
		{"empty body keeps everything", `{}`, func(in Input) bool {
			return in.Name == cur.Name && *in.AreaID == 7 && *in.FoundedYear == 1990 && in.WomenLed && in.ISIC == "1073"
		}},
		{"name only", `{"name":"Blue Mountain Roasters"}`, func(in Input) bool {
			return in.Name == "Blue Mountain Roasters" && in.Email == cur.Email && *in.AreaID == 7
		}},
		{"null clears area and year", `{"area_id":null,"founded_year":null}`, func(in Input) bool {
			return in.AreaID == nil && in.FoundedYear == nil && in.Name == cur.Name
		}},
		{"new values", `{"area_id":9,"founded_year":2001,"women_led":false,"isic":""}`, func(in Input) bool {
			return *in.AreaID == 9 && *in.FoundedYear == 2001 && !in.WomenLed && in.ISIC == ""
		}},
		{"new country clears the area", `{"country":"TTO"}`, func(in Input) bool { return in.Country == "TTO" && in.AreaID == nil }},
		{"same country keeps the area", `{"country":"jam"}`, func(in Input) bool { return in.AreaID != nil }},
		{"new country with area", `{"country":"TTO","area_id":40}`, func(in Input) bool { return *in.AreaID == 40 }},
		{"allow duplicate", `{"allow_duplicate":true}`, func(in Input) bool { return in.AllowDuplicate }},
	}
	for _, tt := range tests {
		var p Patch
		if err := json.Unmarshal([]byte(tt.body), &p); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := p.Apply(cur); !tt.check(got) {
			t.Errorf("%s: got %+v", tt.name, got)
		}
	}
	var p Patch
	if err := json.Unmarshal([]byte(`{"area_id":"seven"}`), &p); err == nil {
		t.Error("a string area_id must be refused")
	}
}

func TestParseFilter(t *testing.T) {
	params := web.ListParams{Query: "cocoa", Sort: "-size", Page: 2, PerPage: 50}
	q, _ := url.ParseQuery("kind=firm&country=jam&area=4&isic=c&size_band=unknown&women_led=true&youth_led=false&archived=1")
	f, err := parseFilter(q, params)
	if err != nil {
		t.Fatal(err)
	}
	if f.Kind != KindFirm || f.Country != "JAM" || f.Area != 4 || f.ISIC != "C" || !f.UnknownSize ||
		f.WomenLed == nil || !*f.WomenLed || f.YouthLed == nil || *f.YouthLed || !f.IncludeArchived ||
		f.Offset != 50 || f.Limit != 50 || f.Sort != "-size" || f.Query != "cocoa" {
		t.Errorf("filter = %+v", f)
	}
	for _, bad := range []string{"kind=charity", "country=Jamaica", "area=x", "isic=1", "isic=10733", "isic=Z9",
		"size_band=huge", "women_led=maybe", "archived=sometimes"} {
		q, _ := url.ParseQuery(bad)
		field := strings.SplitN(bad, "=", 2)[0]
		_, err := parseFilter(q, web.ListParams{Sort: "name", Page: 1, PerPage: 50})
		if p := problem.As(err); p == nil || len(p.Details) != 1 || p.Details[0].Field != field {
			t.Errorf("%s: want a problem on %s, got %v", bad, field, err)
		}
	}
	f, err = parseFilter(url.Values{}, web.ListParams{Sort: "password_hash", Page: 1, PerPage: 50})
	if err == nil || f.Sort != "name" {
		t.Errorf("an unknown sort must be refused and replaced by name, got %q, %v", f.Sort, err)
	}
}

func TestDefuse(t *testing.T) {
	for in, want := range map[string]string{
		"Blue Mountain": "Blue Mountain", "=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")", "@SUM(A1)": "'@SUM(A1)",
		"+1 (876) 555-0100": "+1 (876) 555-0100", "-12": "-12", "+cmd|' /C calc'!A0": "'+cmd|' /C calc'!A0", "": "",
	} {
		if got := defuse(in); got != want {
			t.Errorf("defuse(%q) = %q, want %q", in, got, want)
		}
	}
}
