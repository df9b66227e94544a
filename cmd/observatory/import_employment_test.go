package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// importEmployment runs the command directly, as import.go calls it.
func importEmployment(t *testing.T, url string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{getenv: func(k string) string { return map[string]string{"OBSERVATORY_DB": url}[k] }, stdin: strings.NewReader(""), stdout: &out, stderr: &errb}
	err := runImportEmployment(context.Background(), args, e)
	return out.String(), errb.String(), err
}

func TestImportEmploymentCommand(t *testing.T) {
	databases(t, func(t *testing.T, url string) {
		dir := t.TempDir()
		bad := filepath.Join(dir, "bad.csv")
		good := filepath.Join(dir, "good.csv")
		os.WriteFile(bad, []byte("year,area,industry,employment,suppressed\n2020,JM-01,0111,5,\n2020,JM-01,9999,-1,\n2020,JM-02,0111,7,yes\n"), 0o600)
		os.WriteFile(good, []byte("year,area,industry,employment,suppressed\n2020,JM-01,0111,5,\n2021,JM-01,0111,6,\n2020,JM-02,0111,,yes\n"), 0o600)
		base := []string{"--dataset", "Parishes", "--classification", "isic4"}

		for _, extra := range [][]string{{"--dry-run"}, nil} {
			out, _, err := importEmployment(t, url, append(append([]string{"--file", bad}, base...), extra...)...)
			want := "bad.csv:3:industry: \"9999\" is not an ISIC Rev.4 class code (4 digits, such as 0111).\n" +
				"bad.csv:3:employment: Employment \"-1\" is negative; counts are zero or more.\n" +
				"bad.csv:4:employment: The cell is suppressed, so it may not carry a value (employment is \"7\"); leave employment empty or the cell unsuppressed.\n"
			if err == nil || out != want || !strings.Contains(err.Error(), "nothing was imported") {
				t.Fatalf("bad file %v: %v\n%s", extra, err, out)
			}
		}
		out, _, err := importEmployment(t, url, append([]string{"--file", good, "--dry-run"}, base...)...)
		if err != nil || !strings.Contains(out, "3 cells (1 suppressed) in 2 areas, 2020–2021, all valid; dry run") {
			t.Fatalf("dry run: %v\n%s", err, out)
		}
		out, _, err = importEmployment(t, url, append([]string{"--file", good, "--source", "STATIN", "--country", "JAM"}, base...)...)
		if err != nil || !strings.Contains(out, `stored dataset "Parishes"`) || !strings.Contains(out, "version 1): 3 cells (1 suppressed) in 2 areas") {
			t.Fatalf("import: %v\n%s", err, out)
		}
		out, _, err = importEmployment(t, url, append([]string{"--file", good}, base...)...)
		if err != nil || !strings.Contains(out, "version 2)") {
			t.Fatalf("replace: %v\n%s", err, out)
		}
		if out, _, err := importEmployment(t, url, append([]string{"--file", good, "--country", "ZZZ"}, base...)...); err == nil || !strings.HasPrefix(out, "--country: ") {
			t.Errorf("bad country: %v\n%s", err, out)
		}
		if _, stderr, err := importEmployment(t, url, "--file", good, "--dataset", "X"); err != errUsage || !strings.Contains(stderr, "--classification") {
			t.Errorf("missing classification: %v\n%s", err, stderr)
		}
		if _, _, err := cli(t, map[string]string{"OBSERVATORY_DB": url}, "", "user", "create", "--email", "r@example.org", "--name", "R", "--role", "reviewer"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := importEmployment(t, url, append([]string{"--file", good, "--as", "r@example.org"}, base...)...); err == nil {
			t.Error("a reviewer imported a dataset")
		}
	})
}
