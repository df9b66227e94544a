package mapping

import (
	"reflect"
	"testing"
)

// tinyNAICS is a hand-made NAICS set of three clusters.
func tinyNAICS() *DefinitionSet {
	return &DefinitionSet{Name: "Tiny", Classification: "naics2012", Clusters: []Cluster{
		{Code: "1", Name: "Food", Type: Traded, Industries: []string{"111111", "111112", "111113", "111114"},
			Subclusters: []Subcluster{{Code: "1", Name: "Crops", Industries: []string{"111111", "111112"}}, {Code: "2", Name: "Mills", Industries: []string{"111113"}}}},
		{Code: "10", Name: "Drinks", Type: Traded, Industries: []string{"222221", "222222"}},
		{Code: "2", Name: "Shops", Type: Local, Industries: []string{"333331", "333332"}},
	}}
}

func TestDeriveISIC(t *testing.T) {
	l := func(n, i string, partial bool) ConcordanceLink {
		return ConcordanceLink{NAICS: n, ISIC: i, Partial: partial}
	}
	cases := []struct {
		name     string
		links    []ConcordanceLink
		clusters map[string][]string // cluster code → classes
		subs     map[string]string   // class → sub-cluster code
		split    map[string][]ClusterShare
		unlinked []UnlinkedCode
		empty    []string
	}{
		{
			name: "majority wins; codes outside the set do not vote",
			links: []ConcordanceLink{
				l("111111", "0100", false), l("111112", "0100", true), l("222221", "0100", false),
				l("999999", "0100", false), l("999998", "0100", false), // not in the set
				l("111113", "1000", false), l("111114", "1000", false),
				l("222221", "1100", true), l("222222", "1100", false),
				l("333331", "4700", false), l("333332", "4700", false),
			},
			clusters: map[string][]string{"1": {"0100", "1000"}, "10": {"1100"}, "2": {"4700"}},
			subs:     map[string]string{"0100": "1", "1000": "2"},
			split:    map[string][]ClusterShare{"0100": {{Cluster: "1", Codes: 2, Whole: 1, Share: 2.0 / 3}, {Cluster: "10", Codes: 1, Whole: 1, Share: 1.0 / 3}}},
		},
		{
			name: "a tie goes to more whole-industry links",
			links: []ConcordanceLink{
				l("111111", "0100", true), l("222221", "0100", false),
				l("111112", "1000", false), l("111113", "1000", false), l("111114", "1000", false),
				l("222222", "1100", false), l("333331", "4700", false), l("333332", "4700", false),
			},
			clusters: map[string][]string{"1": {"1000"}, "10": {"0100", "1100"}, "2": {"4700"}},
			subs:     map[string]string{"1000": "1"}, // Crops 1, Mills 1, none 1: most whole links all 1, lower code wins
			split:    map[string][]ClusterShare{"0100": {{Cluster: "10", Codes: 1, Whole: 1, Share: 0.5}, {Cluster: "1", Codes: 1, Whole: 0, Share: 0.5}}},
		},
		{
			name: "a full tie goes to the lower cluster code, read as a number; empty clusters and group links are reported",
			links: []ConcordanceLink{
				l("222221", "0100", true), l("333331", "0100", true),
				l("111112", "012", true), // a group-level link only
				l("222222", "1100", false),
			},
			clusters: map[string][]string{"2": {"0100"}, "10": {"1100"}},
			split:    map[string][]ClusterShare{"0100": {{Cluster: "2", Codes: 1, Share: 0.5}, {Cluster: "10", Codes: 1, Share: 0.5}}},
			unlinked: []UnlinkedCode{{Code: "111111", Cluster: "1", Groups: []string{}}, {Code: "111112", Cluster: "1", Groups: []string{"012"}},
				{Code: "111113", Cluster: "1", Groups: []string{}}, {Code: "111114", Cluster: "1", Groups: []string{}},
				{Code: "333332", Cluster: "2", Groups: []string{}}},
			empty: []string{"1"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			set, rep, err := DeriveISIC(tinyNAICS(), tc.links, "Tiny ISIC")
			if err != nil {
				t.Fatal(err)
			}
			if err := set.Validate(); err != nil {
				t.Fatalf("derived set invalid: %v", err)
			}
			got := map[string][]string{}
			subs := map[string]string{}
			for _, c := range set.Clusters {
				got[c.Code] = c.Industries
				for _, sc := range c.Subclusters {
					for _, ind := range sc.Industries {
						subs[ind] = sc.Code
					}
				}
			}
			if !reflect.DeepEqual(got, tc.clusters) {
				t.Errorf("clusters = %v, want %v", got, tc.clusters)
			}
			if tc.subs == nil {
				tc.subs = map[string]string{}
			}
			if !reflect.DeepEqual(subs, tc.subs) {
				t.Errorf("sub-clusters = %v, want %v", subs, tc.subs)
			}
			split := map[string][]ClusterShare{}
			for _, s := range rep.Split {
				split[s.Class] = s.Shares
			}
			if tc.split == nil {
				tc.split = map[string][]ClusterShare{}
			}
			if !reflect.DeepEqual(split, tc.split) {
				t.Errorf("split = %+v, want %+v", split, tc.split)
			}
			for i := range rep.Unlinked {
				if rep.Unlinked[i].Groups == nil {
					rep.Unlinked[i].Groups = []string{}
				}
			}
			if len(rep.Unlinked) != len(tc.unlinked) || (len(tc.unlinked) > 0 && !reflect.DeepEqual(rep.Unlinked, tc.unlinked)) {
				t.Errorf("unlinked = %+v, want %+v", rep.Unlinked, tc.unlinked)
			}
			var empty []string
			for _, c := range rep.Empty {
				empty = append(empty, c.Code)
			}
			if !reflect.DeepEqual(empty, tc.empty) {
				t.Errorf("empty = %v, want %v", empty, tc.empty)
			}
			for _, c := range set.Clusters {
				if want := map[string]ClusterType{"1": Traded, "10": Traded, "2": Local}[c.Code]; c.Type != want {
					t.Errorf("cluster %s type %v, want %v", c.Code, c.Type, want)
				}
			}
		})
	}
}

func TestDeriveISICRefusesISIC(t *testing.T) {
	if _, _, err := DeriveISIC(&DefinitionSet{Classification: "isic4"}, nil, "x"); err == nil {
		t.Error("an ISIC set must be refused")
	}
}

func TestCodeCompare(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{{"2", "10", -1}, {"10", "2", 1}, {"101", "101", 0}, {"9", "A", -1}, {"B", "A", 1}, {"02", "2", -1}} {
		if got := codeCompare(tc.a, tc.b); got != tc.want {
			t.Errorf("codeCompare(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
