package harness

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Build compiles cmd/observatory once into out, so every engine runs the
// same binary and compile time never counts as server time.
func Build(ctx context.Context, root, out string) (string, error) {
	bin := filepath.Join(out, "observatory")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/observatory")
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/observatory: %w\n%s", err, b)
	}
	return bin, nil
}

// Env is the environment of every observatory process: the caller's,
// without OBSERVATORY_* settings that could change what is measured, plus
// the database URL (given by environment so a password never shows in ps).
func Env(dbURL string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "OBSERVATORY_") {
			env = append(env, kv)
		}
	}
	return append(env, "OBSERVATORY_DB="+dbURL)
}

// Run runs one observatory sub-command to completion and returns its
// standard output.
func Run(ctx context.Context, bin, dbURL, stdin string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = Env(dbURL)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("observatory %s: %w\n%s%s", strings.Join(args[:min(2, len(args))], " "),
			err, stdout.String(), stderr.String())
	}
	return stdout.String(), nil
}

// LastLine returns the last non-empty line of a command's output.
func LastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\r\n"), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(lines[i]); l != "" {
			return l
		}
	}
	return ""
}

// Server is a running "observatory serve" process.
type Server struct {
	cmd     *exec.Cmd
	Base    string // http://127.0.0.1:PORT
	LogPath string
	done    chan error
}

// Start runs "observatory serve" on a free loopback port, with any extra
// flags, and waits until /readyz answers 200.
func Start(ctx context.Context, bin, dbURL, logPath string, extra ...string) (*Server, error) {
	port, err := FreePort()
	if err != nil {
		return nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, append([]string{"serve", "--addr", addr, "--log-level", "warn"}, extra...)...)
	cmd.Env = Env(dbURL)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, err
	}
	s := &Server{cmd: cmd, Base: "http://" + addr, LogPath: logPath, done: make(chan error, 1)}
	go func() {
		s.done <- cmd.Wait()
		logf.Close()
	}()
	if err := s.waitReady(ctx, 2*time.Minute); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// PID is the server's process ID.
func (s *Server) PID() int { return s.cmd.Process.Pid }

// waitReady polls /readyz until it answers 200, the process ends or the
// time runs out.
func (s *Server) waitReady(ctx context.Context, limit time.Duration) error {
	c := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{Proxy: nil}}
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		select {
		case err := <-s.done:
			s.done <- err
			return fmt.Errorf("the server stopped before it was ready (%v); see %s", err, s.LogPath)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		resp, err := c.Get(s.Base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
	return fmt.Errorf("the server was not ready within %s; see %s", limit, s.LogPath)
}

// Stop asks the server to finish (SIGTERM, as an operator would) and kills
// it if it has not ended within 20 seconds.
func (s *Server) Stop() error {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.Sys().(syscall.WaitStatus).Signaled() {
			return nil
		}
		return err
	case <-time.After(20 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
		return fmt.Errorf("the server did not stop within 20s after SIGTERM and was killed")
	}
}

// FreePort asks the kernel for an unused loopback port.
func FreePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// ModuleRoot finds the folder holding go.mod, so a benchmark works from any
// folder inside the repository.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run this from inside the repository (no go.mod found)")
		}
		dir = parent
	}
}
