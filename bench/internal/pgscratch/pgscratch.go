// Package pgscratch gives a benchmark a fresh PostgreSQL database: a
// uniquely named one in a server the caller names, or a throwaway cluster
// started for the run when PostgreSQL's server binaries are installed.
package pgscratch

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// Scratch is a fresh PostgreSQL database for one benchmark run, either in
// a server the caller named or in a throwaway cluster started for the run.
type Scratch struct {
	URL         string
	Description string
	Postmaster  int // PID of the throwaway cluster's server, 0 otherwise
	cleanup     func() error
}

// Close drops the scratch database or stops and removes the cluster.
func (p *Scratch) Close() error { return p.cleanup() }

// New prepares a scratch database: in the server at serverURL when given,
// otherwise in a throwaway cluster. label names the benchmark in the
// database's or the cluster folder's name.
func New(ctx context.Context, serverURL, label string) (*Scratch, error) {
	if serverURL != "" {
		return scratchDatabase(ctx, serverURL, label)
	}
	return throwawayCluster(ctx, label)
}

// scratchDatabase creates a uniquely named database in an existing server
// and drops it at the end, leaving the server's other databases alone.
func scratchDatabase(ctx context.Context, serverURL, label string) (*Scratch, error) {
	u, err := url.Parse(serverURL)
	if err != nil {
		return nil, fmt.Errorf("--pg: %w", err)
	}
	admin, err := sql.Open("pgx", serverURL)
	if err != nil {
		return nil, err
	}
	name := fmt.Sprintf("observatory_bench_%s_%d_%d", label, os.Getpid(), time.Now().Unix())
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return nil, fmt.Errorf("create database %s: %w", name, err)
	}
	var version string
	_ = admin.QueryRowContext(ctx, "SHOW server_version").Scan(&version)
	u.Path = "/" + name
	return &Scratch{
		URL:         u.String(),
		Description: fmt.Sprintf("PostgreSQL %s at %s, scratch database", version, u.Host),
		cleanup: func() error {
			defer admin.Close()
			_, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
			return err
		},
	}, nil
}

// throwawayCluster runs initdb and pg_ctl from the newest installed
// PostgreSQL in a temporary folder on a free loopback port. PostgreSQL
// refuses to run as root, so as root it runs as the postgres account.
func throwawayCluster(ctx context.Context, label string) (*Scratch, error) {
	binDir, version, err := findPostgresBin()
	if err != nil {
		return nil, err
	}
	asUser := ""
	if os.Geteuid() == 0 {
		asUser = "postgres"
		if _, err := user.Lookup(asUser); err != nil {
			return nil, fmt.Errorf("running as root needs the postgres account to start PostgreSQL: %w", err)
		}
	}
	tmp, err := os.MkdirTemp("", "observatory-bench-"+label+"-pg-")
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return nil, err
	}
	if asUser != "" {
		if err := exec.CommandContext(ctx, "chown", asUser, tmp).Run(); err != nil {
			os.RemoveAll(tmp)
			return nil, fmt.Errorf("chown %s: %w", tmp, err)
		}
	}
	pgRun := func(args ...string) error {
		if asUser != "" {
			args = append([]string{"-u", asUser, "--"}, args...)
			args = append([]string{"runuser"}, args...)
		}
		cmd := exec.Command(args[0], args[1:]...)
		if b, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("%s: %w\n%s", filepath.Base(args[0]), err, b)
		}
		return nil
	}
	data := filepath.Join(tmp, "data")
	if err := pgRun(filepath.Join(binDir, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale"); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	pgCtl := filepath.Join(binDir, "pg_ctl")
	// Durability settings stay at PostgreSQL's defaults so the figures match
	// a real installation; only the listening address and socket are set.
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c max_connections=200", port, tmp)
	if err := pgRun(pgCtl, "-D", data, "-l", filepath.Join(tmp, "log"), "-w", "-o", opts, "start"); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	postmaster := 0
	if b, err := os.ReadFile(filepath.Join(data, "postmaster.pid")); err == nil {
		postmaster, _ = strconv.Atoi(strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]))
	}
	return &Scratch{
		URL:         fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port),
		Description: fmt.Sprintf("PostgreSQL %s, throwaway cluster with default settings", version),
		Postmaster:  postmaster,
		cleanup: func() error {
			err := pgRun(pgCtl, "-D", data, "-m", "fast", "-w", "stop")
			return errors.Join(err, os.RemoveAll(tmp))
		},
	}, nil
}

// findPostgresBin picks the newest /usr/lib/postgresql/*/bin that has initdb.
func findPostgresBin() (dir, version string, err error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	sort.Slice(dirs, func(i, j int) bool { return majorOf(dirs[i]) > majorOf(dirs[j]) })
	if len(dirs) == 0 {
		return "", "", fmt.Errorf("no PostgreSQL server found in /usr/lib/postgresql: install it, or pass --pg URL or set OBSERVATORY_BENCH_POSTGRES")
	}
	dir = filepath.Dir(dirs[0])
	return dir, strconv.Itoa(majorOf(dirs[0])), nil
}

// majorOf reads the major version from /usr/lib/postgresql/<major>/bin/initdb.
func majorOf(initdb string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(initdb))))
	return n
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
