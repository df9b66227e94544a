package geo

import (
	"strings"
	"testing"
)

func TestArrange(t *testing.T) {
	a := func(country, code, name, parent string) *Area {
		return &Area{Country: country, Code: code, Name: name, ParentCode: parent}
	}
	tests := []struct {
		name string
		in   []*Area
		want string // "depth:name" joined by commas
	}{
		{"flat, by name with accents folded",
			[]*Area{a("JAM", "JM-02", "Saint Andrew", ""), a("JAM", "JM-01", "Kingston", ""), a("JAM", "JM-13", "Clarendon", "")},
			"0:Clarendon,0:Kingston,0:Saint Andrew"},
		{"children under their parent",
			[]*Area{a("DOM", "DO-02", "Azua", "DO-41"), a("DOM", "DO-41", "Valdesia", ""), a("DOM", "DO-17", "Peravia", "DO-41"),
				a("DOM", "DO-33", "Cibao Nordeste", ""), a("DOM", "DO-06", "Duarte", "DO-33"), a("DOM", "DO-07", "Elías Piña", "DO-33")},
			"0:Cibao Nordeste,1:Duarte,1:Elías Piña,0:Valdesia,1:Azua,1:Peravia"},
		{"an unknown parent leaves the area at the top",
			[]*Area{a("KNA", "KN-01", "Christ Church Nichola Town", "KN-X"), a("KNA", "KN-K", "Saint Kitts", "")},
			"0:Christ Church Nichola Town,0:Saint Kitts"},
		{"areas without codes",
			[]*Area{a("MSR", "", "Saint Peter", ""), a("MSR", "", "Saint Anthony", "")},
			"0:Saint Anthony,0:Saint Peter"},
		{"a parent cycle loses nothing",
			[]*Area{a("XXX", "X-1", "One", "X-2"), a("XXX", "X-2", "Two", "X-1")},
			"0:One,1:Two"},
		{"countries keep their order",
			[]*Area{a("TTO", "TT-1", "Tobago", ""), a("BRB", "BB-1", "Christ Church", ""), a("TTO", "TT-2", "Arima", "")},
			"0:Arima,0:Tobago,0:Christ Church"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, x := range Arrange(tt.in) {
				got = append(got, string(rune('0'+x.Depth))+":"+x.Name)
			}
			if g := strings.Join(got, ","); g != tt.want {
				t.Errorf("got  %s\nwant %s", g, tt.want)
			}
		})
	}
}

func TestNormaliseCode(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"jam", "JAM", true}, {" jm ", "JM", true}, {"DOM", "DOM", true},
		{"", "", false}, {"J", "J", false}, {"JAMA", "JAMA", false}, {"J1M", "J1M", false}, {"ÉTÉ", "ÉTÉ", false},
	}
	for _, tt := range tests {
		got, ok := NormaliseCode(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NormaliseCode(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
