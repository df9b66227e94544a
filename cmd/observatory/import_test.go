package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportCommand imports through the command line as a person would:
// problems one per line and a failure with nothing stored, a dry run, then
// the import, and an account's scope with --as.
func TestImportCommand(t *testing.T) {
	databases(t, func(t *testing.T, url string) {
		env := map[string]string{"OBSERVATORY_DB": url}
		dir := t.TempDir()
		bad := filepath.Join(dir, "bad.csv")
		good := filepath.Join(dir, "good.csv")
		os.WriteFile(bad, []byte("name,kind,country\nAcme,firm,JAM\nBeta,firm,Narnia\n,firm,JAM\n"), 0o600)
		os.WriteFile(good, []byte("name;kind;country\nAcme;firm;JAM\nBeta;ngo;Trinidad and Tobago\n"), 0o600)

		out, stderr, err := cli(t, env, "", "import", "organisations", "--file", bad)
		if err == nil {
			t.Fatal("a file with problems must fail")
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 2 || lines[0] != `bad.csv:3:country: "Narnia" is not one of the platform's countries: use its ISO code (JAM or JM) or English name` ||
			lines[1] != "bad.csv:4:name: the name is missing" {
			t.Fatalf("problems:\n%s\n%s", out, stderr)
		}
		if !strings.Contains(err.Error(), "nothing was stored") {
			t.Errorf("error: %v", err)
		}

		out, stderr, err = cli(t, env, "", "import", "organisations", "--file", good, "--dry-run")
		if err != nil || !strings.Contains(out, "2 rows, all valid") || !strings.Contains(stderr, "semicolon") {
			t.Fatalf("dry run: %v\n%s\n%s", err, out, stderr)
		}
		out, _, err = cli(t, env, "", "import", "organisations", "--file", good)
		if err != nil || !strings.Contains(out, "created 2 organisations") {
			t.Fatalf("import: %v\n%s", err, out)
		}
		// The same file again: both rows are now duplicates.
		out, _, err = cli(t, env, "", "import", "organisations", "--file", good)
		if err == nil || strings.Count(out, "already exists") != 2 {
			t.Fatalf("second import: %v\n%s", err, out)
		}

		// A reviewer account may not import.
		if _, _, err := cli(t, env, "", "user", "create", "--email", "r@example.org", "--name", "R", "--role", "reviewer"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := cli(t, env, "", "import", "organisations", "--file", good, "--as", "r@example.org"); err == nil {
			t.Error("a reviewer imported")
		}
		if _, _, err := cli(t, env, "", "import", "organisations", "--file", good, "--as", "nobody@example.org"); err == nil {
			t.Error("an unknown account imported")
		}
		if _, _, err := cli(t, env, "", "import", "people", "--file", good); err == nil {
			t.Error("an unknown kind must fail")
		}
		if _, _, err := cli(t, env, "", "import", "organisations"); err == nil {
			t.Error("--file is required")
		}
	})
}
