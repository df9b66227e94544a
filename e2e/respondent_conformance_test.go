package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestRespondentConformance runs frontend/conformance/run.mjs: the
// respondent page's form engine against ODK's reference engine
// (@getodk/xforms-engine) on the standard forms and the conformance forms,
// step by step. It needs Node and the front end's npm packages (npm ci in
// frontend/); without them it is skipped, unless
// OBSERVATORY_REQUIRE_CHROMIUM=1 (CI), when it fails.
func TestRespondentConformance(t *testing.T) {
	required := os.Getenv("OBSERVATORY_REQUIRE_CHROMIUM") == "1"
	node, err := exec.LookPath("node")
	if err != nil {
		if required {
			t.Fatal("node is not installed but OBSERVATORY_REQUIRE_CHROMIUM=1")
		}
		t.Skip("respondent conformance SKIPPED: install Node.js (Debian's nodejs package)")
	}
	frontend, err := filepath.Abs(filepath.Join("..", "frontend"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(frontend, "node_modules", "@getodk", "xforms-engine", "package.json")); err != nil {
		if required {
			t.Fatal("the reference engine is not installed: run npm ci in frontend/")
		}
		t.Skip("respondent conformance SKIPPED: run npm ci in frontend/ to install the reference engine")
	}
	cmd := exec.Command(node, filepath.Join(frontend, "conformance", "run.mjs"))
	cmd.Dir = frontend
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("the respondent engine differs from the reference engine: %v", err)
	}
}
