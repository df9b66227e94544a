package openrosa

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/form"
	"github.com/clusterobservatory/observatory/internal/problem"
)

func firmResults(t testing.TB) *form.Definition {
	t.Helper()
	tp, ok := form.StandardByName("firm_results")
	if !ok {
		t.Fatal("no firm_results template")
	}
	return tp.Definition()
}

// goodInstance is what ODK Collect sends for the firm survey: the meta
// block in the OpenRosa namespace, a group, a repeat of two partners.
const goodInstance = `<?xml version="1.0"?>
<firm_results xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms" id="firm_results" version="2026.1">
  <intro/>
  <firm_name>Blue Mountain Roasters</firm_name>
  <year>2025</year>
  <employment>
    <employees_total>24</employees_total>
    <employees_women>11</employees_women>
    <employees_youth>7</employees_youth>
    <jobs_created>3</jobs_created>
  </employment>
  <finance>
    <revenue>1250000.50</revenue>
    <exports>400000</exports>
    <investment/>
  </finance>
  <new_products_markets>new_product new_export_market</new_products_markets>
  <certifications>1</certifications>
  <certification_names>Rainforest Alliance</certification_names>
  <partners>
    <partner_name>Jamaica Coffee Board</partner_name>
    <partner_type>government</partner_type>
    <cooperation_kind>knowledge_exchange</cooperation_kind>
  </partners>
  <partners>
    <partner_name>Kingston Roasting Co-op</partner_name>
    <partner_type>firm</partner_type>
    <cooperation_kind>joint_marketing supply</cooperation_kind>
  </partners>
  <partner_count>2</partner_count>
  <comments/>
  <orx:meta>
    <orx:instanceID>uuid:6f1c2a9e-5b7d-4a8e-9c31-2d4f6a8b0c1e</orx:instanceID>
    <orx:deviceID>collect:abc</orx:deviceID>
  </orx:meta>
</firm_results>`

func TestParseInstance(t *testing.T) {
	def := firmResults(t)
	id, version, err := Peek([]byte(goodInstance))
	if err != nil || id != "firm_results" || version != "2026.1" {
		t.Fatalf("peek: %q %q %v", id, version, err)
	}
	in, err := ParseInstance(def, []byte(goodInstance))
	if err != nil {
		t.Fatal(err)
	}
	if in.InstanceID != "uuid:6f1c2a9e-5b7d-4a8e-9c31-2d4f6a8b0c1e" || in.DeprecatedID != "" {
		t.Errorf("ids %q %q", in.InstanceID, in.DeprecatedID)
	}
	want := map[string]any{
		"firm_name": "Blue Mountain Roasters", "year": int64(2025),
		"employees_total": int64(24), "employees_women": int64(11), "employees_youth": int64(7), "jobs_created": int64(3),
		"revenue": 1250000.5, "exports": 400000.0,
		"new_products_markets": []string{"new_product", "new_export_market"},
		"certifications":       int64(1), "certification_names": "Rainforest Alliance", "partner_count": "2",
		"partners": []map[string]any{
			{"partner_name": "Jamaica Coffee Board", "partner_type": "government", "cooperation_kind": []string{"knowledge_exchange"}},
			{"partner_name": "Kingston Roasting Co-op", "partner_type": "firm", "cooperation_kind": []string{"joint_marketing", "supply"}},
		},
	}
	if !reflect.DeepEqual(in.Answers, want) {
		t.Errorf("answers\n got %#v\nwant %#v", in.Answers, want)
	}
}

func TestParseInstanceRefuses(t *testing.T) {
	def := firmResults(t)
	replace := func(old, new string) string {
		if !strings.Contains(goodInstance, old) {
			t.Fatalf("test instance lacks %q", old)
		}
		return strings.Replace(goodInstance, old, new, 1)
	}
	tests := []struct {
		name, xml string
		kind      problem.Kind
		field     string
		message   string
	}{
		{"not xml", "<firm_results", problem.Invalid, "", "not well-formed"},
		{"empty", "", problem.Invalid, "", "no root element"},
		{"other form", replace(`id="firm_results"`, `id="cluster_progress"`), problem.Conflict, "", `answers the form "cluster_progress"`},
		{"other version", replace(`version="2026.1"`, `version="2025.9"`), problem.Conflict, "", `version "2025.9"`},
		{"unknown element", replace("<comments/>", "<salary>9</salary>"), problem.Invalid, "/firm_results/salary", "is not a field"},
		{"not a number", replace("<year>2025</year>", "<year>last year</year>"), problem.Invalid, "/firm_results/year", "not a whole number"},
		{"not a decimal", replace("<exports>400000</exports>", "<exports>NaN</exports>"), problem.Invalid, "/firm_results/finance/exports", "not a number"},
		{"unknown choice", replace("<partner_type>firm</partner_type>", "<partner_type>bank</partner_type>"), problem.Invalid, "/firm_results/partners/partner_type", "not a choice"},
		{"unknown multiple choice", replace("new_product new_export_market", "new_product moon"), problem.Invalid, "/firm_results/new_products_markets", `"moon"`},
		{"twice", replace("<comments/>", "<comments>a</comments><comments>b</comments>"), problem.Invalid, "/firm_results/comments", "twice"},
		{"elements in a value", replace("<comments/>", "<comments><b>x</b></comments>"), problem.Invalid, "/firm_results/comments", "holds elements"},
		{"no instance id", replace("<orx:instanceID>uuid:6f1c2a9e-5b7d-4a8e-9c31-2d4f6a8b0c1e</orx:instanceID>", ""), problem.Invalid, "/firm_results/meta/instanceID", "no meta/instanceID"},
		{"bad instance id", replace("uuid:6f1c2a9e", "uuid:<6f1c2a9e>"), problem.Invalid, "", "not well-formed"},
		{"odd instance id", replace("uuid:6f1c2a9e", "uuid:6f1c 2a9e"), problem.Invalid, "/firm_results/meta/instanceID", "not an instance ID"},
		{"doctype", `<!DOCTYPE x [<!ENTITY a "aaaa">]>` + goodInstance[strings.Index(goodInstance, "<firm_results"):], problem.Invalid, "", "DOCTYPE"},
		{"too deep", "<a id=\"firm_results\">" + strings.Repeat("<b>", 40) + strings.Repeat("</b>", 40) + "</a>", problem.Invalid, "", "deep"},
		{"too large", "<a>" + strings.Repeat("x", MaxInstanceBytes) + "</a>", problem.TooLarge, "", "at most"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseInstance(def, []byte(tt.xml))
			p := problem.As(err)
			if p == nil || p.Kind != tt.kind || !strings.Contains(p.Message, tt.message) {
				t.Fatalf("got %v, want %s %q", err, tt.kind, tt.message)
			}
			if tt.field != "" && (len(p.Details) == 0 || p.Details[0].Field != tt.field) {
				t.Errorf("details %+v, want field %s", p.Details, tt.field)
			}
		})
	}
}

func TestParseInstanceEdit(t *testing.T) {
	edit := strings.Replace(goodInstance, "<orx:deviceID>", "<orx:deprecatedID>uuid:11111111-2222-3333-4444-555555555555</orx:deprecatedID><orx:deviceID>", 1)
	edit = strings.Replace(edit, "6f1c2a9e-5b7d", "7f1c2a9e-5b7d", 1)
	in, err := ParseInstance(firmResults(t), []byte(edit))
	if err != nil {
		t.Fatal(err)
	}
	if in.DeprecatedID != "uuid:11111111-2222-3333-4444-555555555555" || !strings.HasPrefix(in.InstanceID, "uuid:7f1c") {
		t.Errorf("edit ids %q %q", in.InstanceID, in.DeprecatedID)
	}
}

func TestGeopointAndDates(t *testing.T) {
	for s, want := range map[string]bool{"18.01 -76.79": true, "18.01 -76.79 120 5": true, "91 0": false, "18": false, "a b": false, "18 -76 1 -2": false} {
		if got := validGeopoint(s); got != want {
			t.Errorf("geopoint %q: %v", s, got)
		}
	}
	for s, ok := range map[string]bool{"2025-03-04T10:15:00.000-04:00": true, "2025-03-04T10:15:00Z": true, "2025-03-04 10:15": false} {
		if _, err := parseDateTime(s); (err == nil) != ok {
			t.Errorf("date-time %q: %v", s, err)
		}
	}
}

func FuzzParseInstance(f *testing.F) {
	def := firmResults(f)
	f.Add([]byte(goodInstance))
	f.Add([]byte(`<firm_results id="firm_results" version="2026.1"><partners><partners/></partners></firm_results>`))
	f.Add([]byte(`<x id="firm_results" version="2026.1"><employment><year>1</year></employment><meta><instanceID>uuid:1</instanceID></meta></x>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := ParseInstance(def, data)
		if err == nil && in.InstanceID == "" {
			t.Fatalf("accepted an instance without an ID: %s", data)
		}
		if err != nil && problem.As(err) == nil {
			t.Fatalf("an error that is not a problem: %v", err)
		}
		_, _, _ = Peek(data)
	})
}

func ExampleFormList() {
	fmt.Print(string(FormList([]FormListItem{{FormID: "firm_results", Name: "Annual firm results survey", Version: "2026.1",
		MD5: "0123456789abcdef0123456789abcdef", DownloadURL: "https://obs.example/openrosa/k/forms/firm_results/2026.1/form.xml",
		ManifestURL: "https://obs.example/openrosa/k/forms/firm_results/2026.1/manifest"}})))
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?>
	// <xforms xmlns="http://openrosa.org/xforms/xformsList">
	//   <xform>
	//     <formID>firm_results</formID>
	//     <name>Annual firm results survey</name>
	//     <version>2026.1</version>
	//     <hash>md5:0123456789abcdef0123456789abcdef</hash>
	//     <downloadUrl>https://obs.example/openrosa/k/forms/firm_results/2026.1/form.xml</downloadUrl>
	//     <manifestUrl>https://obs.example/openrosa/k/forms/firm_results/2026.1/manifest</manifestUrl>
	//   </xform>
	// </xforms>
}

func ExampleResponse() {
	fmt.Print(string(Response(NatureSubmitSuccess, "Thank you: your answers were received.")))
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?>
	// <OpenRosaResponse xmlns="http://openrosa.org/http/response">
	//   <message nature="submit_success">Thank you: your answers were received.</message>
	// </OpenRosaResponse>
}
