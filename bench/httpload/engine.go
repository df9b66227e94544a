package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/bench/internal/harness"
	"github.com/clusterobservatory/observatory/bench/internal/pgscratch"
)

// engineResult is everything measured on one engine.
type engineResult struct {
	Engine      string
	Database    string // what the database was, in words
	DemoTime    time.Duration
	DemoSummary string // the generator's own count line
	StartRSS    int64  // KiB, once ready and signed in
	PeakRSS     int64  // KiB, VmHWM at the end
	Targets     []targetResult
}

// targetResult is one target's outcome on one engine.
type targetResult struct {
	target
	Skipped string // why it was not measured, empty when it was
	Probe   probe
	Stats   stats
	RSS     int64 // KiB, the server's peak resident memory during the phase
	CPU     harness.CPUUse
}

const benchEmail = "bench-admin@example.org"

// runEngine prepares a fresh database on one engine, fills it with the demo
// region, starts the server and measures every target. The database and
// server are always cleaned up, whatever fails.
func runEngine(ctx context.Context, o *options, bin, engine string, log io.Writer) (res *engineResult, err error) {
	res = &engineResult{Engine: engine}
	out := filepath.Join(o.root, "bench", "out")
	var dbURL string
	dbPID := 0
	switch engine {
	case "sqlite":
		path := filepath.Join(out, "bench-sqlite.db")
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
				return nil, err
			}
		}
		dbURL = "sqlite:" + path
		res.Database = "SQLite file in bench/out (WAL)"
	case "postgres":
		pg, err := pgscratch.New(ctx, o.pgURL, "httpload")
		if err != nil {
			return nil, err
		}
		defer func() {
			if cerr := pg.Close(); cerr != nil && err == nil {
				err = fmt.Errorf("clean up PostgreSQL: %w", cerr)
			}
		}()
		dbURL, dbPID, res.Database = pg.URL, pg.Postmaster, pg.Description
	}
	if o.demo {
		if err := generateDemo(ctx, bin, dbURL, o.scale, res, log); err != nil {
			return nil, err
		}
	} else if _, err := harness.Run(ctx, bin, dbURL, "", "migrate"); err != nil {
		return nil, err
	}
	password := randomSecret()
	if _, err := harness.Run(ctx, bin, dbURL, password+"\n", "user", "create", "--email", benchEmail,
		"--name", "Benchmark", "--role", "admin", "--password-stdin"); err != nil {
		return nil, err
	}
	tokOut, err := harness.Run(ctx, bin, dbURL, "", "token", "create", "--email", benchEmail, "--name", "benchmark")
	if err != nil {
		return nil, err
	}
	srv, err := harness.Start(ctx, bin, dbURL, filepath.Join(out, "serve-"+engine+".log"))
	if err != nil {
		return nil, err
	}
	defer func() {
		if serr := srv.Stop(); serr != nil && err == nil {
			err = fmt.Errorf("stop the server: %w", serr)
		}
	}()
	hc := newClient(o.concurrency)
	creds := &credentials{base: srv.Base, token: harness.LastLine(tokOut)}
	if creds.cookies, err = signIn(ctx, hc, srv.Base, benchEmail, password); err != nil {
		return nil, err
	}
	targets := discoverTargets(ctx, hc, creds, o, dbURL, log)
	sampler := harness.StartRSSSampler(srv.PID())
	defer sampler.Stop()
	res.StartRSS = sampler.Reset()
	for _, t := range targets {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		res.Targets = append(res.Targets, measureTarget(ctx, hc, creds, o, t, srv.PID(), dbPID, sampler, log))
	}
	if res.PeakRSS, err = harness.StatusKB(srv.PID(), "VmHWM"); err != nil {
		return nil, fmt.Errorf("read the server's peak memory: %w", err)
	}
	return res, nil
}

// measureTarget checks that a target answers, warms it up, then measures it.
func measureTarget(ctx context.Context, hc *http.Client, creds *credentials, o *options, t target,
	serverPID, dbPID int, sampler *harness.RSSSampler, log io.Writer) targetResult {
	tr := targetResult{target: t}
	if t.Path == "" {
		tr.Skipped = "not available (nothing to point it at)"
		return tr
	}
	p, body, err := fetch(ctx, hc, creds, t)
	tr.Probe = p
	switch {
	case err != nil:
		tr.Skipped = "failed: " + err.Error()
	case p.Status == 404 || p.Status == 405:
		tr.Skipped = fmt.Sprintf("not available (%d)", p.Status)
	case p.Status < 200 || p.Status > 299:
		tr.Skipped = fmt.Sprintf("failed: status %d", p.Status)
	default:
		if err := checkBody(t, body); err != nil {
			tr.Skipped = "failed: " + err.Error()
		}
	}
	if tr.Skipped != "" {
		fmt.Fprintf(log, "%-18s %s: %s\n", t.Name, t.Path, tr.Skipped)
		return tr
	}
	newReq := func(ctx context.Context) *http.Request { return creds.request(ctx, t) }
	if o.warmup > 0 {
		load(ctx, hc, newReq, o.concurrency, o.warmup, o.maxRequests)
	}
	sampler.Reset()
	before := harness.TakeCPU(serverPID, dbPID)
	tr.Stats = load(ctx, hc, newReq, o.concurrency, o.duration, o.maxRequests)
	tr.CPU = harness.CPUBetween(before, harness.TakeCPU(serverPID, dbPID))
	tr.RSS = sampler.Reset()
	fmt.Fprintf(log, "%-18s %s: %.0f req/s, p50 %s, p99 %s, %d errors\n", t.Name, t.Path, tr.Stats.RPS,
		harness.Ms(tr.Stats.P50), harness.Ms(tr.Stats.P99), tr.Stats.Errors)
	return tr
}

// generateDemo fills the database with the demo region and times it.
func generateDemo(ctx context.Context, bin, dbURL string, scale int, res *engineResult, log io.Writer) error {
	fmt.Fprintf(log, "generating the demo region (scale %d)\n", scale)
	t0 := time.Now()
	out, err := harness.Run(ctx, bin, dbURL, "", "demo", "--scale", fmt.Sprint(scale))
	if err != nil {
		return err
	}
	res.DemoTime = time.Since(t0)
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "Generated") {
			res.DemoSummary = strings.TrimSuffix(strings.TrimSpace(l), ",")
		}
	}
	fmt.Fprintf(log, "demo region generated in %s\n", res.DemoTime.Round(100*time.Millisecond))
	return nil
}

// randomSecret is a throwaway password for the benchmark's admin account.
func randomSecret() string {
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}
