package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clusterobservatory/observatory/internal/db/dbtest"
)

// cli runs the program as a user would, with the given environment.
func cli(t *testing.T, env map[string]string, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string { return env[k] }
	err := run(context.Background(), args, getenv, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), err
}

func databases(t *testing.T, fn func(t *testing.T, url string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, "sqlite:"+filepath.Join(t.TempDir(), "cli.db")) })
	t.Run("postgres", func(t *testing.T) { fn(t, dbtest.EmptyPostgresURL(t)) })
}

func TestUsageAndHelp(t *testing.T) {
	out, _, err := cli(t, nil, "", "--help")
	if err != nil || !strings.Contains(out, "serve") || !strings.Contains(out, "backup") {
		t.Fatalf("--help: %v\n%s", err, out)
	}
	for _, cmd := range []string{"serve", "migrate", "demo", "backup"} {
		_, stderr, err := cli(t, nil, "", cmd, "--help")
		if err != nil || !strings.Contains(stderr, "OBSERVATORY_") {
			t.Errorf("%s --help: %v\n%s", cmd, err, stderr)
		}
	}
	if _, _, err := cli(t, nil, "", "frobnicate"); err == nil {
		t.Error("an unknown command must fail")
	}
}

func TestMigrateUserTokenAndEnvironment(t *testing.T) {
	databases(t, func(t *testing.T, url string) {
		env := map[string]string{"OBSERVATORY_DB": url}
		out, _, err := cli(t, env, "", "migrate")
		if err != nil || !strings.Contains(out, "schema version") {
			t.Fatalf("migrate: %v %s", err, out)
		}
		if _, _, err := cli(t, env, "short\n", "user", "create", "--email", "a@example.org", "--name", "A", "--role", "admin", "--password-stdin"); err == nil {
			t.Fatal("a too-short password must be refused")
		}
		if _, _, err := cli(t, env, "", "user", "create", "--email", "b@example.org", "--name", "B", "--role", "bso_staff", "--scope", "bso:999"); err == nil {
			t.Fatal("a scope pointing at no BSO must be refused")
		}
		if _, _, err := cli(t, env, "", "user", "create", "--email", "c@example.org", "--name", "C", "--role", "wizard"); err == nil {
			t.Fatal("an unknown role must be refused")
		}
		out, _, err = cli(t, env, "a long enough password\n", "user", "create", "--email", "Admin@Example.org", "--name", "Ada Admin", "--role", "admin", "--password-stdin")
		if err != nil || !strings.Contains(out, "admin@example.org") {
			t.Fatalf("user create: %v %s", err, out)
		}
		out, _, err = cli(t, env, "", "token", "create", "--email", "admin@example.org", "--name", "script")
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if last := lines[len(lines)-1]; !strings.HasPrefix(last, "obs_") || len(last) < 40 {
			t.Fatalf("the token must be the last line of output, got %q", out)
		}
		if _, _, err := cli(t, env, "", "token", "create", "--email", "nobody@example.org"); err == nil {
			t.Fatal("a token for an unknown account must be refused")
		}
	})
}

func TestBackupSQLite(t *testing.T) {
	dir := t.TempDir()
	url := "sqlite:" + filepath.Join(dir, "live.db")
	env := map[string]string{"OBSERVATORY_DB": url}
	if _, _, err := cli(t, env, "a long enough password\n", "user", "create", "--email", "a@example.org", "--name", "A", "--role", "admin", "--password-stdin"); err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(dir, "copy.db")
	if _, _, err := cli(t, env, "", "backup", "--out", copyPath); err != nil {
		t.Fatal(err)
	}
	// The copy is a working database with the same account.
	out, _, err := cli(t, map[string]string{"OBSERVATORY_DB": "sqlite:" + copyPath}, "", "token", "create", "--email", "a@example.org")
	if err != nil || !strings.Contains(out, "obs_") {
		t.Fatalf("backup copy unusable: %v %s", err, out)
	}
	if _, _, err := cli(t, env, "", "backup", "--out", copyPath); err == nil {
		t.Fatal("backup must not overwrite an existing file")
	}
}

func TestServeStartsAndStopsCleanly(t *testing.T) {
	databases(t, func(t *testing.T, url string) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		var out bytes.Buffer
		go func() {
			done <- run(ctx, []string{"serve", "--addr", addr, "--db", url, "--log-level", "error"}, func(string) string { return "" },
				strings.NewReader(""), &out, io.Discard)
		}()
		base := "http://" + addr
		var resp *http.Response
		for i := 0; i < 100; i++ {
			if resp, err = http.Get(base + "/readyz"); err == nil {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if err != nil {
			t.Fatalf("server did not start: %v", err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("readyz: %d", resp.StatusCode)
		}
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("serve returned %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("serve did not stop")
		}
		if !strings.Contains(out.String(), "running at") {
			t.Errorf("serve should say where it runs: %q", out.String())
		}
	})
}
