package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// importDefinitions runs the command directly, as import.go calls it.
func importDefinitions(t *testing.T, url string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{getenv: func(k string) string { return map[string]string{"OBSERVATORY_DB": url}[k] }, stdin: strings.NewReader(""), stdout: &out, stderr: &errb}
	err := runImportDefinitions(context.Background(), args, e)
	return out.String(), errb.String(), err
}

func TestImportDefinitionsCommand(t *testing.T) {
	databases(t, func(t *testing.T, url string) {
		dir := t.TempDir()
		bad := filepath.Join(dir, "bad.csv")
		good := filepath.Join(dir, "good.csv")
		os.WriteFile(bad, []byte("cluster_code,cluster_name,type,industry\n1,Cocoa,traded,0127\n1,Cocoa,often,9999\n2,Shops,local,0127\n"), 0o600)
		os.WriteFile(good, []byte("cluster_code,cluster_name,type,industry\n1,Cocoa,traded,0127\n1,Cocoa,traded,9999\n"), 0o600)

		out, _, err := importDefinitions(t, url, "--file", bad, "--set", "Cocoa", "--classification", "isic4")
		want := "bad.csv:3:type: \"often\" is neither traded nor local.\n" +
			"bad.csv:4:industry: Industry \"0127\" is in cluster \"1\" in row 2 and in cluster \"2\" in row 4; a code may belong to only one cluster of a set.\n"
		if err == nil || out != want || !strings.Contains(err.Error(), "nothing was stored") {
			t.Fatalf("bad file: %v\n%s", err, out)
		}
		// Codes unknown to ISIC are found against the database, dry run or not.
		for _, extra := range [][]string{{"--dry-run"}, nil} {
			out, _, err = importDefinitions(t, url, append([]string{"--file", good, "--set", "Cocoa", "--classification", "isic4"}, extra...)...)
			if err == nil || !strings.HasPrefix(out, "good.csv:3:industry: Industry \"9999\" of cluster \"1\" (Cocoa) is not an ISIC Rev.4 class") {
				t.Fatalf("unknown code %v: %v\n%s", extra, err, out)
			}
		}
		os.WriteFile(good, []byte("cluster_code,cluster_name,type,industry\n1,Cocoa,traded,0127\n1,Cocoa,traded,1073\n"), 0o600)
		out, _, err = importDefinitions(t, url, "--file", good, "--set", "Cocoa", "--classification", "isic4", "--dry-run")
		if err != nil || !strings.Contains(out, "2 rows, 1 clusters, all valid; dry run") {
			t.Fatalf("dry run: %v\n%s", err, out)
		}
		out, _, err = importDefinitions(t, url, "--file", good, "--set", "Cocoa", "--classification", "isic4", "--description", "Ours")
		if err != nil || !strings.Contains(out, `stored definition set "Cocoa"`) || !strings.Contains(out, "1 clusters, 2 industry codes") {
			t.Fatalf("import: %v\n%s", err, out)
		}
		// The built-in set's name is refused; a reviewer may not import.
		out, _, err = importDefinitions(t, url, "--file", good, "--set", "US benchmark clusters (Delgado, Porter and Stern 2016)", "--classification", "isic4")
		if err == nil || !strings.Contains(out, "--set: ") {
			t.Errorf("built-in name: %v\n%s", err, out)
		}
		if _, _, err := cli(t, map[string]string{"OBSERVATORY_DB": url}, "", "user", "create", "--email", "r@example.org", "--name", "R", "--role", "reviewer"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := importDefinitions(t, url, "--file", good, "--set", "R", "--classification", "isic4", "--as", "r@example.org"); err == nil {
			t.Error("a reviewer imported a set")
		}
		if _, stderr, err := importDefinitions(t, url, "--file", good, "--set", "X"); err != errUsage || !strings.Contains(stderr, "--classification") {
			t.Errorf("missing classification: %v\n%s", err, stderr)
		}
	})
}
