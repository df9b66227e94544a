package main

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

// buildServer compiles cmd/observatory once, so every engine runs the same
// binary and compile time never counts as server time.
func buildServer(ctx context.Context, root, out string) (string, error) {
	bin := filepath.Join(out, "observatory")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/observatory")
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/observatory: %w\n%s", err, b)
	}
	return bin, nil
}

// serverEnv is the environment of every observatory process: the caller's,
// without OBSERVATORY_* settings that could change what is measured, plus
// the database URL (given by environment so a password never shows in ps).
func serverEnv(dbURL string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "OBSERVATORY_") {
			env = append(env, kv)
		}
	}
	return append(env, "OBSERVATORY_DB="+dbURL)
}

// observatory runs one observatory sub-command to completion and returns its
// standard output.
func observatory(ctx context.Context, bin, dbURL, stdin string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = serverEnv(dbURL)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("observatory %s: %w\n%s%s", strings.Join(args[:min(2, len(args))], " "),
			err, stdout.String(), stderr.String())
	}
	return stdout.String(), nil
}

// lastLine returns the last non-empty line of a command's output.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\r\n"), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(lines[i]); l != "" {
			return l
		}
	}
	return ""
}

// server is a running "observatory serve" process.
type server struct {
	cmd     *exec.Cmd
	base    string // http://127.0.0.1:PORT
	logPath string
	done    chan error
}

// startServer runs "observatory serve" on a free loopback port and waits
// until /readyz answers 200.
func startServer(ctx context.Context, bin, dbURL, logPath string) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "serve", "--addr", addr, "--log-level", "warn")
	cmd.Env = serverEnv(dbURL)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, err
	}
	s := &server{cmd: cmd, base: "http://" + addr, logPath: logPath, done: make(chan error, 1)}
	go func() {
		s.done <- cmd.Wait()
		logf.Close()
	}()
	if err := s.waitReady(ctx, 2*time.Minute); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

func (s *server) pid() int { return s.cmd.Process.Pid }

// waitReady polls /readyz until it answers 200, the process ends or the
// time runs out.
func (s *server) waitReady(ctx context.Context, limit time.Duration) error {
	c := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{Proxy: nil}}
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		select {
		case err := <-s.done:
			s.done <- err
			return fmt.Errorf("the server stopped before it was ready (%v); see %s", err, s.logPath)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		resp, err := c.Get(s.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
	return fmt.Errorf("the server was not ready within %s; see %s", limit, s.logPath)
}

// stop asks the server to finish (SIGTERM, as an operator would) and kills it
// if it has not ended within 20 seconds.
func (s *server) stop() error {
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

// freePort asks the kernel for an unused loopback port.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
