package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A researcher imports a table and definitions, then gets the figures from
// the command line: the same numbers as the explorer.
func TestMapCommand(t *testing.T) {
	databases(t, func(t *testing.T, url string) {
		dir := t.TempDir()
		emp := filepath.Join(dir, "employment.csv")
		defs := filepath.Join(dir, "definitions.csv")
		os.WriteFile(emp, []byte("year,area,industry,employment,establishments\n"+
			"2020,JM-01,0111,400,20\n2020,JM-01,1010,100,5\n2020,JM-01,4711,500,25\n"+
			"2020,JM-02,0111,100,5\n2020,JM-02,1010,300,15\n2020,JM-02,4711,600,30\n"+
			"2024,JM-01,0111,800,40\n2024,JM-01,1010,100,5\n2024,JM-01,4711,500,25\n"+
			"2024,JM-02,0111,100,5\n2024,JM-02,1010,300,15\n2024,JM-02,4711,600,30\n"), 0o600)
		os.WriteFile(defs, []byte("cluster_code,cluster_name,type,industry\nT,Cocoa and crops,traded,0111\nL,Food for home,local,1010\n"), 0o600)
		env := map[string]string{"OBSERVATORY_DB": url}
		if out, stderr, err := cli(t, env, "", "import", "employment", "--file", emp, "--dataset", "Parishes", "--classification", "isic4"); err != nil {
			t.Fatalf("import employment: %v\n%s%s", err, out, stderr)
		}
		if out, stderr, err := cli(t, env, "", "import", "definitions", "--file", defs, "--set", "Tiny", "--classification", "isic4"); err != nil {
			t.Fatalf("import definitions: %v\n%s%s", err, out, stderr)
		}
		out, stderr, err := cli(t, env, "", "map", "--dataset", "Parishes", "--definitions", "Tiny", "--year", "2020", "--from", "2020", "--to", "2024")
		if err != nil {
			t.Fatalf("map: %v\n%s", err, stderr)
		}
		recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil || len(recs) != 5 {
			t.Fatalf("map CSV: %v\n%s", err, out)
		}
		if !slices.Equal(recs[0][:7], []string{"year", "area", "cluster", "employment", "establishments", "lq", "share_of_reference"}) ||
			!slices.Contains(recs[0], "job_creation") {
			t.Errorf("header %v", recs[0])
		}
		want := []string{"2020", "JM-01", "T", "400", "20", "1.6", "0.8"}
		if !slices.ContainsFunc(recs[1:], func(r []string) bool { return slices.Equal(r[:7], want) }) {
			t.Errorf("no row %v in\n%s", want, out)
		}

		out, _, err = cli(t, env, "", "map", "--dataset", "Parishes", "--definitions", "Tiny", "--format", "json", "--traded-only")
		var got struct {
			Years []int
			Rows  []struct {
				Year    int
				Cluster string
			}
		}
		if err != nil || json.Unmarshal([]byte(out), &got) != nil || len(got.Rows) != 4 || !slices.Equal(got.Years, []int{2020, 2024}) {
			t.Fatalf("map JSON: %v %+v\n%s", err, got, out)
		}
		for _, r := range got.Rows {
			if r.Cluster != "T" {
				t.Errorf("--traded-only kept %+v", r)
			}
		}

		for _, args := range [][]string{
			{"map", "--dataset", "Parishes"},
			{"map", "--dataset", "Nope", "--definitions", "Tiny"},
			{"map", "--dataset", "Parishes", "--definitions", "Tiny", "--year", "1999"},
			{"map", "--dataset", "Parishes", "--definitions", "Tiny", "--format", "yaml"},
			{"map", "--dataset", "Parishes", "--definitions", "Tiny", "--reference", "country:BRB"},
		} {
			if _, _, err := cli(t, env, "", args...); err == nil {
				t.Errorf("%v must fail", args)
			}
		}
	})
}
