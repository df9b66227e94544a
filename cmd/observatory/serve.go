package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/clusterobservatory/observatory/internal/app"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/mail"
	"github.com/clusterobservatory/observatory/internal/web"
)

func runServe(ctx context.Context, args []string, e *env) error {
	fs := e.flags("serve [--addr HOST:PORT] [--db URL] [--demo]", "Runs the web application and the API. Migrates the database first.")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	dbURL := fs.DB()
	demoFlag := fs.Bool("demo", false, "fill an empty database with the demonstration region and print its accounts")
	baseURL := fs.String("base-url", "", "public URL of the site, for links in email (default http://ADDR)")
	logLevel := fs.String("log-level", "info", "debug, info, warn or error")
	smtpHost := fs.String("smtp-host", "", "SMTP server; without it, email is written to the log")
	smtpPort := fs.Int("smtp-port", 587, "SMTP port")
	smtpUser := fs.String("smtp-user", "", "SMTP user name")
	smtpPass := fs.String("smtp-password", "", "SMTP password")
	smtpFrom := fs.String("smtp-from", "observatory@localhost", "sender address of email")
	publicRate := fs.Int("public-rate-limit", 120, "requests per minute per client address to the pages that need no account "+
		"(respondent links, public calls); 0 turns the limit off, as for a load test")
	trustedList := fs.String("trusted-proxies", "", "comma-separated IP addresses and CIDR ranges of the reverse proxies in front of the server, "+
		"whose X-Forwarded-For header gives the client address for rate limits (default none: the connection's address)")
	browser := fs.String("browser", "", "headless Chromium for PDFs of plans (default: chromium, chromium-browser or google-chrome on PATH; \"none\" turns PDFs off)")
	debugAddr := fs.String("debug-addr", "", "address for Go's profiler (/debug/pprof/) on a listener of its own; keep it private (default off)")
	if ok, err := parse(fs, args); !ok {
		return err
	}
	trusted, err := web.ParseTrustedProxies(*trustedList)
	if err != nil {
		return fmt.Errorf("--trusted-proxies: %w", err)
	}
	logger := e.logger(*logLevel)
	d, err := openDB(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer d.Close()
	if *demoFlag {
		if err := ensureDemo(ctx, d, 1, e); err != nil {
			return err
		}
	}
	if *debugAddr != "" {
		if err := serveDebug(ctx, *debugAddr, e); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	if *baseURL == "" {
		*baseURL = "http://" + ln.Addr().String()
	}
	opts := app.Options{BaseURL: *baseURL, PublicPerMinute: *publicRate, TrustedProxies: trusted, Browser: *browser}
	if *publicRate <= 0 {
		opts.PublicPerMinute = -1
	}
	if *smtpHost != "" {
		opts.Mailer = mail.SMTP{Host: *smtpHost, Port: *smtpPort, Username: *smtpUser, Password: *smtpPass, From: *smtpFrom}
	}
	a, err := app.New(d, logger, opts)
	if err != nil {
		return err
	}
	if err := a.Jobs.Start(ctx); err != nil {
		return err
	}
	// Requests in flight finish first, then running jobs, then the deferred
	// d.Close runs.
	return errors.Join(serve(ctx, ln, a, d, e), stopJobs(a, e))
}

// stopJobs lets running background jobs finish for up to 30 seconds; any
// still running then are cancelled and tried again at the next start.
func stopJobs(a *app.App, e *env) error {
	fmt.Fprintln(e.stdout, "stopping: finishing background jobs")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := a.Jobs.Stop(ctx); err != nil {
		return fmt.Errorf("background jobs: %w", err)
	}
	return nil
}

// serve runs the server until ctx ends (Ctrl-C or SIGTERM), then lets
// requests in flight finish for up to 15 seconds.
func serve(ctx context.Context, ln net.Listener, a *app.App, d *db.DB, e *env) error {
	srv := &http.Server{
		Handler:           a.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // uploads on slow connections
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    1 << 16,
	}
	fmt.Fprintf(e.stdout, "Cluster Observatory is running at http://%s (database %s)\n", ln.Addr(), d.Redacted())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(e.stdout, "stopping: finishing requests in flight")
	shutCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
