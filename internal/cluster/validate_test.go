package cluster

import (
	"slices"
	"testing"

	"github.com/clusterobservatory/observatory/internal/problem"
)

func fields(err error) []string {
	p := problem.As(err)
	if p == nil {
		return nil
	}
	var out []string
	for _, d := range p.Details {
		out = append(out, d.Field)
	}
	return out
}

func ptr[T any](v T) *T { return &v }

func validInput() Input {
	return Input{Name: " Cocoa Jamaica ", Countries: []string{"jam", " JAM", "tto"}, Sector: SectorAgroProcessing,
		Industries: []string{"1073", " 0127", "1073"}, Stage: StageIdentified, LeadBSOID: 7, StartedYear: ptr(2019)}
}

func TestInputValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(in *Input)
		want   []string // fields with problems
	}{
		{"valid", func(in *Input) {}, nil},
		{"no name", func(in *Input) { in.Name = "   " }, []string{"name"}},
		{"long name", func(in *Input) { in.Name = string(make([]byte, 201)) }, []string{"name"}},
		{"no country", func(in *Input) { in.Countries = []string{" ", ""} }, []string{"countries"}},
		{"bad country", func(in *Input) { in.Countries = []string{"JM"} }, []string{"countries"}},
		{"unknown sector", func(in *Input) { in.Sector = "mining" }, []string{"sector"}},
		{"no stage", func(in *Input) { in.Stage = "" }, []string{"stage"}},
		{"bad isic", func(in *Input) { in.Industries = []string{"1073", "10A3"} }, []string{"industries"}},
		{"isic group not class", func(in *Input) { in.Industries = []string{"107"} }, []string{"industries"}},
		{"no industries is fine", func(in *Input) { in.Industries = nil }, nil},
		{"no lead", func(in *Input) { in.LeadBSOID = 0 }, []string{"lead_bso_id"}},
		{"year too early", func(in *Input) { in.StartedYear = ptr(1900) }, []string{"started_year"}},
		{"year in future", func(in *Input) { in.StartedYear = ptr(2031) }, []string{"started_year"}},
		{"year this year", func(in *Input) { in.StartedYear = ptr(2030) }, nil},
		{"no year", func(in *Input) { in.StartedYear = nil }, nil},
		{"long description", func(in *Input) { in.Description = string(make([]rune, 5001)) }, []string{"description"}},
		{"several", func(in *Input) { in.Name = ""; in.Sector = ""; in.LeadBSOID = -1 }, []string{"name", "sector", "lead_bso_id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validInput()
			tt.change(&in)
			got := fields(in.Validate(2030))
			if !slices.Equal(got, tt.want) {
				t.Errorf("fields with problems = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestInputValidateTidies(t *testing.T) {
	in := validInput()
	in.ClusterOrgID = ptr(int64(0))
	if err := in.Validate(2030); err != nil {
		t.Fatal(err)
	}
	if in.Name != "Cocoa Jamaica" {
		t.Errorf("name = %q", in.Name)
	}
	if !slices.Equal(in.Countries, []string{"JAM", "TTO"}) {
		t.Errorf("countries = %v", in.Countries)
	}
	if !slices.Equal(in.Industries, []string{"1073", "0127"}) {
		t.Errorf("industries = %v", in.Industries)
	}
	if in.ClusterOrgID != nil {
		t.Errorf("a zero cluster organisation must mean none")
	}
}

func TestMembershipInputValidate(t *testing.T) {
	const today = "2025-06-30"
	tests := []struct {
		name string
		in   MembershipInput
		want []string
	}{
		{"valid open", MembershipInput{OrganisationID: 1, Role: RoleMember, Joined: "2024-01-15"}, nil},
		{"valid ended", MembershipInput{OrganisationID: 1, Role: RoleFunder, Joined: "2024-01-15", Left: ptr("2025-06-30")}, nil},
		{"same day", MembershipInput{OrganisationID: 1, Role: RoleObserver, Joined: "2024-01-15", Left: ptr("2024-01-15")}, nil},
		{"empty left means open", MembershipInput{OrganisationID: 1, Role: RoleMember, Joined: "2024-01-15", Left: ptr("")}, nil},
		{"no organisation", MembershipInput{Role: RoleMember, Joined: "2024-01-15"}, []string{"organisation_id"}},
		{"bad role", MembershipInput{OrganisationID: 1, Role: "chair", Joined: "2024-01-15"}, []string{"role"}},
		{"no joined", MembershipInput{OrganisationID: 1, Role: RoleMember}, []string{"joined"}},
		{"bad date", MembershipInput{OrganisationID: 1, Role: RoleMember, Joined: "15/01/2024"}, []string{"joined"}},
		{"impossible date", MembershipInput{OrganisationID: 1, Role: RoleMember, Joined: "2024-02-30"}, []string{"joined"}},
		{"joined in future", MembershipInput{OrganisationID: 1, Role: RoleMember, Joined: "2025-07-01"}, []string{"joined"}},
		{"left in future", MembershipInput{OrganisationID: 1, Role: RoleMember, Joined: "2024-01-15", Left: ptr("2026-01-01")}, []string{"left"}},
		{"left before joined", MembershipInput{OrganisationID: 1, Role: RoleMember, Joined: "2024-01-15", Left: ptr("2023-12-31")}, []string{"left"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fields(tt.in.Validate(today))
			if !slices.Equal(got, tt.want) {
				t.Errorf("fields with problems = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestValidateLeft(t *testing.T) {
	tests := []struct {
		left, joined string
		ok           bool
	}{
		{"2025-01-01", "2024-01-01", true},
		{"2024-01-01", "2024-01-01", true},
		{"2023-12-31", "2024-01-01", false},
		{"2025-07-01", "2024-01-01", false},
		{"", "2024-01-01", false},
		{"soon", "2024-01-01", false},
	}
	for _, tt := range tests {
		if err := ValidateLeft(tt.left, tt.joined, "2025-06-30"); (err == nil) != tt.ok {
			t.Errorf("ValidateLeft(%q, %q) = %v, want ok=%v", tt.left, tt.joined, err, tt.ok)
		}
	}
}

func TestOverlaps(t *testing.T) {
	tests := []struct {
		aj     string
		al     *string
		bj     string
		bl     *string
		expect bool
	}{
		{"2020-01-01", nil, "2022-01-01", nil, true},
		{"2020-01-01", ptr("2021-01-01"), "2022-01-01", nil, false},
		{"2020-01-01", ptr("2022-01-01"), "2022-01-01", nil, false}, // leave and rejoin the same day
		{"2020-01-01", ptr("2022-06-01"), "2022-01-01", nil, true},
		{"2023-01-01", nil, "2020-01-01", ptr("2021-01-01"), false},
		{"2019-01-01", ptr("2020-06-01"), "2020-01-01", ptr("2021-01-01"), true},
	}
	for _, tt := range tests {
		if got := overlaps(tt.aj, tt.al, tt.bj, tt.bl); got != tt.expect {
			t.Errorf("overlaps(%s..%v, %s..%v) = %v", tt.aj, tt.al, tt.bj, tt.bl, got)
		}
	}
}

func TestEnums(t *testing.T) {
	if len(Sectors) != 9 || len(Stages) != 7 || len(Roles) != 8 {
		t.Fatalf("enum sizes %d %d %d", len(Sectors), len(Stages), len(Roles))
	}
	if !SectorICT.Valid() || Sector("ICT").Valid() || !RoleLeadFirm.Valid() || Role("").Valid() {
		t.Error("Valid is wrong")
	}
	if StagePlanApproved.Key() != "cluster.stage.plan_approved" || StageClosed.Order() != 7 || Stage("x").Order() != 0 {
		t.Error("Key or Order is wrong")
	}
}

func TestNormaliseName(t *testing.T) {
	tests := map[string]string{
		"Café  Créole":         "cafe creole",
		"  ÉCO Tourisme ":      "eco tourisme",
		"Curaçao Ñandú":        "curacao nandu",
		"Trinidad & Tobago":    "trinidad tobago",
		"":                     "",
		"Sint-Maarten\tBlues":  "sint maarten blues",
		"Manufacturers' Guild": "manufacturers guild",
		"Œuvre Færøe Straße":   "oeuvre faeroe strasse",
		"100% Natural":         "100 natural",
	}
	for in, want := range tests {
		if got := NormaliseName(in); got != want {
			t.Errorf("NormaliseName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSplitCodes(t *testing.T) {
	if got := SplitCodes(" 1030, 1079;1104  5510\n"); !slices.Equal(got, []string{"1030", "1079", "1104", "5510"}) {
		t.Errorf("SplitCodes = %v", got)
	}
}
