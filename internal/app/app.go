// Package app wires the platform together: it opens nothing itself, but
// takes the database and settings, builds every store and handler, and lists
// every route (routes.go and the routes_*.go file of each domain).
package app

import (
	"context"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/campaign"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/job"
	"github.com/clusterobservatory/observatory/internal/mail"
	"github.com/clusterobservatory/observatory/internal/mapping"
	"github.com/clusterobservatory/observatory/internal/plan"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// Options are the settings the web application needs.
type Options struct {
	// BaseURL is the public address, used in links sent by email.
	BaseURL string
	// Mailer sends email; nil writes messages to the log.
	Mailer mail.Sender
	// LoginPerMinute limits sign-in attempts per client address.
	LoginPerMinute int
	// PublicPerMinute limits requests per client address to the pages and
	// endpoints that need no account (respondent links, public calls):
	// zero takes 120, a negative value turns the limit off.
	PublicPerMinute int
	// TrustedProxies are the reverse proxies whose X-Forwarded-For header
	// gives the client address that rate limits and sign-in throttling key
	// on; empty trusts nobody and keys on the connection's address.
	TrustedProxies web.TrustedProxies
	// Jobs tunes the background job runner (zero: the defaults).
	Jobs job.Config
	// Browser is the headless Chromium that makes PDFs of plans: a path or
	// command name; empty looks for one on PATH, "none" turns PDFs off.
	Browser string
}

// App holds what every handler needs.
type App struct {
	DB       *db.DB
	Logger   *slog.Logger
	Render   *web.Renderer
	Users    *user.Store
	Audit    *audit.Store
	Mailer   mail.Sender
	Jobs     *job.Runner
	Opts     Options
	metrics  *metrics
	demo     atomic.Bool
	apiPaths []string
	mux      *http.ServeMux
	printer  *plan.Printer
}

// New builds the application on an open, migrated database.
func New(d *db.DB, logger *slog.Logger, opts Options) (*App, error) {
	if opts.LoginPerMinute <= 0 {
		opts.LoginPerMinute = 10
	}
	if opts.Mailer == nil {
		opts.Mailer = mail.LogSender{Logger: logger}
	}
	rd, err := web.NewRenderer(logger, pageSources()...)
	if err != nil {
		return nil, err
	}
	printer, err := plan.NewPrinter(opts.Browser)
	if err != nil {
		return nil, err
	}
	jobs, err := job.NewWithConfig(context.Background(), d, logger, opts.Jobs)
	if err != nil {
		return nil, err
	}
	if err := mapping.RegisterJobs(jobs, mapping.NewStore(d)); err != nil {
		return nil, err
	}
	if err := campaign.RegisterJobs(jobs, campaign.NewStore(d, campaign.Options{BaseURL: opts.BaseURL, Mailer: opts.Mailer, Jobs: jobs})); err != nil {
		return nil, err
	}
	a := &App{
		DB: d, Logger: logger, Render: rd, Opts: opts, Mailer: opts.Mailer, Jobs: jobs,
		Users: user.NewStore(d), Audit: audit.NewStore(d),
		metrics: newMetrics(), printer: printer,
	}
	rd.IsDemo = a.demo.Load
	a.RefreshDemoFlag(context.Background())
	return a, nil
}

// RefreshDemoFlag re-reads whether the database holds demonstration data.
func (a *App) RefreshDemoFlag(ctx context.Context) {
	var v string
	err := a.DB.Read().QueryRowContext(ctx, `SELECT value FROM settings WHERE key = 'demo'`).Scan(&v)
	a.demo.Store(err == nil && v == "true")
}

// Handler returns the application's HTTP handler with every middleware.
func (a *App) Handler() http.Handler {
	a.mux = http.NewServeMux()
	a.routes(a.mux)
	var h http.Handler = a.mux
	h = user.Authenticate(a.Users, a.unauthorized)(h)
	h = web.CrossOrigin(h)
	h = web.Gzip(h)
	h = web.SecurityHeaders(h)
	h = web.Logging(a.Logger, a.observe)(h)
	h = web.ClientAddress(a.Opts.TrustedProxies)(h)
	return h
}

// unauthorized answers a request with a bad bearer token.
func (a *App) unauthorized(w http.ResponseWriter, r *http.Request, err error) {
	web.APIError(w, r, a.Logger, err)
}

func (a *App) observe(r *http.Request, status int, elapsed time.Duration) {
	pattern := "unmatched"
	if a.mux != nil {
		if _, p := a.mux.Handler(r); p != "" {
			pattern = p
		}
	}
	a.metrics.observe(pattern, status, elapsed)
}

// APIPaths lists the API route patterns, for the OpenAPI completeness test.
func (a *App) APIPaths() []string { return a.apiPaths }

// publicLimiter is a fresh per-address limit for the pages and endpoints
// that need no account, or nil (no limit) when the options turn it off.
func (a *App) publicLimiter() *web.RateLimiter {
	switch n := a.Opts.PublicPerMinute; {
	case n < 0:
		return nil
	case n == 0:
		return web.NewRateLimiter(120, 60)
	default:
		return web.NewRateLimiter(n, max(n/2, 1))
	}
}
