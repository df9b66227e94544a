package mapping

import (
	"errors"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/problem"
)

func sampleSet() *DefinitionSet {
	return &DefinitionSet{
		Name:           "Sample",
		Classification: "isic4",
		Clusters: []Cluster{
			{Code: "T1", Name: "Tourism", Type: Traded, Industries: []string{"5510", "5610"},
				Subclusters: []Subcluster{{Code: "T1.1", Name: "Lodging", Industries: []string{"5510"}}}},
			{Code: "T2", Name: "Fishing", Type: Traded, Industries: []string{"0311"}},
			{Code: "L1", Name: "Retail", Type: Local, Industries: []string{"4711"}},
		},
	}
}

func TestDefinitionSetValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(s *DefinitionSet)
		field  string   // "" for a valid set
		words  []string // the message must name these
	}{
		{"valid", func(*DefinitionSet) {}, "", nil},
		{"code in two clusters", func(s *DefinitionSet) {
			s.Clusters[2].Industries = append(s.Clusters[2].Industries, "5610")
		}, "clusters[2].industries[1]", []string{`"5610"`, `"T1" (Tourism)`, `"L1" (Retail)`}},
		{"code twice in one cluster", func(s *DefinitionSet) {
			s.Clusters[1].Industries = append(s.Clusters[1].Industries, "0311")
		}, "clusters[1].industries[1]", []string{`"0311"`, "twice"}},
		{"duplicate cluster code", func(s *DefinitionSet) { s.Clusters[2].Code = "T2" }, "clusters[2].code", []string{`"T2"`}},
		{"missing type", func(s *DefinitionSet) { s.Clusters[0].Type = 0 }, "clusters[0].type", []string{"traded or local"}},
		{"no industries", func(s *DefinitionSet) { s.Clusters[1].Industries = nil }, "clusters[1].industries", []string{"no industry"}},
		{"empty code", func(s *DefinitionSet) { s.Clusters[1].Industries = []string{" "} }, "clusters[1].industries[0]", []string{"empty"}},
		{"no name", func(s *DefinitionSet) { s.Clusters[1].Name = "" }, "clusters[1].name", []string{`"T2"`}},
		{"no classification", func(s *DefinitionSet) { s.Classification = "" }, "classification", nil},
		{"no clusters", func(s *DefinitionSet) { s.Clusters = nil }, "clusters", nil},
		{"sub-cluster outside its cluster", func(s *DefinitionSet) {
			s.Clusters[0].Subclusters[0].Industries = []string{"4711"}
		}, "clusters[0].subclusters[0].industries[0]", []string{`"4711"`, `"T1.1"`}},
		{"industry in two sub-clusters", func(s *DefinitionSet) {
			s.Clusters[0].Subclusters = append(s.Clusters[0].Subclusters, Subcluster{Code: "T1.2", Name: "More lodging", Industries: []string{"5510"}})
		}, "clusters[0].subclusters[1].industries[0]", []string{`"T1.1"`, `"T1.2"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := sampleSet()
			tc.change(s)
			err := s.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("valid set refused: %v", err)
				}
				return
			}
			var p *problem.Error
			if !errors.As(err, &p) || p.Kind != problem.Invalid {
				t.Fatalf("error %v, want an Invalid problem", err)
			}
			for _, d := range p.Details {
				if d.Field != tc.field {
					continue
				}
				for _, w := range tc.words {
					if !strings.Contains(d.Message, w) {
						t.Errorf("message %q does not name %s", d.Message, w)
					}
				}
				return
			}
			t.Errorf("no problem for field %s in %v", tc.field, p.Details)
		})
	}
}

func TestParseClusterType(t *testing.T) {
	for in, want := range map[string]ClusterType{"traded": Traded, " Local ": Local, "TRADED": Traded} {
		if got, err := ParseClusterType(in); err != nil || got != want {
			t.Errorf("ParseClusterType(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseClusterType("export"); err == nil {
		t.Error("export is not a cluster type")
	}
}
