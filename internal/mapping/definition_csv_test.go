package mapping

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/clusterobservatory/observatory/internal/problem"
)

func TestParseDefinitionsCSV(t *testing.T) {
	const head = "cluster_code,cluster_name,type,industry,subcluster_code,subcluster_name\n"
	set, err := ParseDefinitionsCSV(strings.NewReader("\xEF\xBB\xBF"+
		"Industry,TYPE,Cluster_Name,cluster_code\n"+
		"336411,traded,Aerospace,1\n"+
		"\n"+
		"722511, Local ,Restaurants,111\n"+
		"336412,Traded,Aerospace,1\n"), "ok.csv", "naics2012")
	if err != nil {
		t.Fatal(err)
	}
	want := []Cluster{
		{Code: "1", Name: "Aerospace", Type: Traded, Industries: []string{"336411", "336412"}},
		{Code: "111", Name: "Restaurants", Type: Local, Industries: []string{"722511"}},
	}
	if !reflect.DeepEqual(set.Clusters, want) {
		t.Errorf("clusters = %+v", set.Clusters)
	}
	set, err = ParseDefinitionsCSV(strings.NewReader(head+"1,Crops,traded,111,A,Cocoa\n1,Crops,traded,0112,,\n"), "isic.csv", "isic4")
	if err != nil {
		t.Fatal(err)
	}
	if c := set.Clusters[0]; !reflect.DeepEqual(c.Industries, []string{"0111", "0112"}) || len(c.Subclusters) != 1 || c.Subclusters[0].Industries[0] != "0111" {
		t.Errorf("leading zero or sub-clusters: %+v", c)
	}

	for _, tc := range []struct {
		name, data string
		want       []problem.Detail // File is always f.csv
	}{
		{"empty", "", []problem.Detail{{Message: "The file is empty; it needs a header row and one row per industry."}}},
		{"blank lines only", "\n \n", []problem.Detail{{Message: "The file is empty; it needs a header row and one row per industry."}}},
		{"header only", head, []problem.Detail{{Row: 2, Message: "The file has a header but no rows; add one row per industry."}}},
		{"semicolons", "cluster_code;cluster_name;type;industry\n1;A;traded;336411\n",
			[]problem.Detail{{Row: 1, Message: "The columns are separated by semicolons; save the file with commas between columns."}}},
		{"tabs", "cluster_code\tcluster_name\ttype\tindustry\n",
			[]problem.Detail{{Row: 1, Message: "The columns are separated by tabs; save the file with commas between columns."}}},
		{"not UTF-8", head + "1,A,traded,336411,,\n2,Caf\xe9,traded,336412,,\n",
			[]problem.Detail{{Row: 3, Message: "Line 3 is not UTF-8 text; save the file as CSV UTF-8."}}},
		{"UTF-16", "\xFF\xFEc\x00", []problem.Detail{{Message: "The file is in UTF-16; save it as CSV UTF-8."}}},
		{"unknown and missing columns", "cluster_code,name,type,industry\n1,A,traded,336411\n", []problem.Detail{
			{Row: 1, Field: "name", Message: `Unknown column "name"; the columns are cluster_code, cluster_name, type, industry, subcluster_code, subcluster_name.`},
			{Row: 1, Field: "cluster_name", Message: `The column "cluster_name" is missing.`}}},
		{"duplicate column", "cluster_code,cluster_name,type,industry,Industry\n", []problem.Detail{
			{Row: 1, Field: "industry", Message: `The column "industry" appears twice.`}}},
		{"bad values", head + "1,,fast,33641,,\n,B,local,336411,3,\n", []problem.Detail{
			{Row: 2, Field: "cluster_name", Message: "The cluster name is missing."},
			{Row: 2, Field: "type", Message: `"fast" is neither traded nor local.`},
			{Row: 2, Field: "industry", Message: `"33641" is not a 2012 NAICS code (6 digits, such as 336411).`},
			{Row: 3, Field: "cluster_code", Message: "The cluster code is missing."},
			{Row: 3, Field: "subcluster_name", Message: `Sub-cluster "3" has no name.`}}},
		{"conflicting cluster name and type", head + "1,Aerospace,traded,336411,,\n1,Aero,local,336412,,\n", []problem.Detail{
			{Row: 3, Field: "cluster_name", Message: `Cluster "1" is named "Aero" here but "Aerospace" in row 2.`},
			{Row: 3, Field: "type", Message: `Cluster "1" is local here but traded in row 2.`}}},
		{"one industry in two clusters", head + "1,Aerospace,traded,336411,,\n2,Autos,traded,336111,,\n2,Autos,traded,336411,,\n1,Aerospace,traded,336111,,\n", []problem.Detail{
			{Row: 4, Field: "industry", Message: `Industry "336411" is in cluster "1" in row 2 and in cluster "2" in row 4; a code may belong to only one cluster of a set.`},
			{Row: 5, Field: "industry", Message: `Industry "336111" is in cluster "2" in row 3 and in cluster "1" in row 5; a code may belong to only one cluster of a set.`}}},
		{"twice in one cluster", head + "1,A,traded,336411,,\n1,A,traded,336411,,\n", []problem.Detail{
			{Row: 3, Field: "industry", Message: `Industry "336411" is listed twice in cluster "1" (rows 2 and 3).`}}},
		{"conflicting sub-cluster name", head + "1,A,traded,336411,1,Aircraft\n1,A,traded,336412,1,Engines\n", []problem.Detail{
			{Row: 3, Field: "subcluster_name", Message: `Sub-cluster "1" of cluster "1" is named "Engines" here but "Aircraft" in row 2.`}}},
		{"extra cells", head + "1,A,traded,336411,,,surplus\n", []problem.Detail{
			{Row: 2, Message: "The row has more cells than the header has columns."}}},
		{"broken quotes", head + "1,\"A,traded,336411,,\n", []problem.Detail{
			{Row: 2, Message: `The row cannot be read as CSV (extraneous or missing " in quoted-field); check its quotes.`}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseDefinitionsCSV(strings.NewReader(tc.data), "f.csv", "naics2012")
			p := problem.As(err)
			if p == nil || p.Kind != problem.Invalid {
				t.Fatalf("want an invalid problem, got %v", err)
			}
			for i := range tc.want {
				tc.want[i].File = "f.csv"
			}
			if !reflect.DeepEqual(p.Details, tc.want) {
				t.Errorf("details:\n got %+v\nwant %+v", p.Details, tc.want)
			}
		})
	}
}

func TestParseDefinitionsCapsProblems(t *testing.T) {
	var b strings.Builder
	b.WriteString("cluster_code,cluster_name,type,industry\n")
	for range 1500 {
		b.WriteString("1,A,sometimes,336411\n")
	}
	_, err := ParseDefinitionsCSV(strings.NewReader(b.String()), "big.csv", "naics2012")
	p := problem.As(err)
	if p == nil || len(p.Details) != maxFileProblems+1 || p.Details[maxFileProblems].Message != "500 more problems are not listed." {
		t.Fatalf("cap: %d details", len(p.Details))
	}
}

func TestReadDefinitionFileXLSXAndLocate(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "definitions")
	rows := [][]any{{"cluster_code", "cluster_name", "type", "industry"}, {1, "Crops", "traded", 111}, {1, "Crops", "traded", 9999}}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("definitions", cell, &r)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	df, err := ReadDefinitionFile(&buf, "defs.xlsx", "isic4")
	if err != nil {
		t.Fatal(err)
	}
	if df.Sheet != "definitions" || !reflect.DeepEqual(df.Set.Clusters[0].Industries, []string{"0111", "9999"}) {
		t.Fatalf("read: %+v", df.Set.Clusters)
	}
	// A problem about the second industry, as the store reports it, points at row 3.
	err = df.Locate(&problem.Error{Kind: problem.Invalid, Details: []problem.Detail{
		{Field: "clusters[0].industries[1]", Message: "unknown"}, {Field: "name", Message: "Enter a name."}}})
	want := []problem.Detail{{File: "defs.xlsx", Sheet: "definitions", Row: 3, Field: "industry", Message: "unknown"}, {Field: "name", Message: "Enter a name."}}
	if got := problem.As(err).Details; !reflect.DeepEqual(got, want) {
		t.Errorf("located: %+v", got)
	}
}

func TestDefinitionRecordsRoundTrip(t *testing.T) {
	src := tinyNAICS()
	var b strings.Builder
	for _, r := range DefinitionRecords(src) {
		b.WriteString(strings.Join(r, ",") + "\n")
	}
	got, err := ParseDefinitionsCSV(strings.NewReader(b.String()), "round.csv", "naics2012")
	if err != nil {
		t.Fatal(err)
	}
	sortClusters(src.Clusters)
	if !reflect.DeepEqual(got.Clusters, src.Clusters) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got.Clusters, src.Clusters)
	}
}
