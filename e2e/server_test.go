package e2e

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

var (
	buildOnce sync.Once
	binary    string
	buildErr  error
)

// observatoryBinary builds the program once per test run.
func observatoryBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "observatory-e2e")
		if err != nil {
			buildErr = err
			return
		}
		binary = filepath.Join(dir, "observatory")
		out, err := exec.Command("go", "build", "-o", binary, "../cmd/observatory").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binary
}

// server is a running observatory with the demo region.
type server struct {
	URL      string
	Accounts map[string]account // by role
}

type account struct{ Email, Password string }

var accountLine = regexp.MustCompile(`^(\S+@\S+)\s+(\S+)\s+(\S*)\s+(\S+)$`)

// startDemo runs "observatory serve --demo" on a fresh database and reads
// the printed demo accounts.
func startDemo(t *testing.T, dbURL string) *server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(observatoryBinary(t), "serve", "--demo", "--addr", addr, "--db", dbURL, "--log-level", "warn")
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
		}
	})
	s := &server{URL: "http://" + addr, Accounts: map[string]account{}}
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	deadline := time.After(3 * time.Minute)
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatal("the server stopped before it was running")
			}
			if m := accountLine.FindStringSubmatch(strings.TrimSpace(line)); m != nil && m[1] != "EMAIL" {
				s.Accounts[m[2]] = account{Email: m[1], Password: m[4]}
			}
			if strings.Contains(line, "running at") {
				go func() {
					for range lines {
					}
				}()
				waitReady(t, s.URL)
				return s
			}
		case <-deadline:
			t.Fatal("the server did not start within 3 minutes")
		}
	}
}

func waitReady(t *testing.T, base string) {
	for i := 0; i < 200; i++ {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("server not ready")
}

// browser starts headless Chromium with the flags this environment needs.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := ""
	for _, p := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if found, err := exec.LookPath(p); err == nil {
			path = found
			break
		}
	}
	if path == "" {
		if os.Getenv("OBSERVATORY_REQUIRE_CHROMIUM") == "1" {
			t.Fatal("chromium is not installed but OBSERVATORY_REQUIRE_CHROMIUM=1")
		}
		t.Skip("browser journeys SKIPPED: install Debian's chromium package")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	return ctx
}

// shot keeps a screenshot of the current page when OBSERVATORY_E2E_SHOTS is set.
func shot(ctx context.Context, t *testing.T, name string) {
	dir := os.Getenv("OBSERVATORY_E2E_SHOTS")
	if dir == "" {
		return
	}
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(80))
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, name+".jpg"), buf, 0o644)
}
