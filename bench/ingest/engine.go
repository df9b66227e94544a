package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/bench/internal/harness"
	"github.com/clusterobservatory/observatory/bench/internal/pgscratch"
	"github.com/clusterobservatory/observatory/internal/campaign"
	"github.com/clusterobservatory/observatory/internal/db"
)

// engineResult is everything measured on one engine.
type engineResult struct {
	Engine      string
	Database    string
	Setup       *campaignSetup
	Phases      []phaseResult
	StoredPage  int // submissions stored after the HTTP phases, by channel
	StoredOR    int
	AckedPage   int // acknowledged over HTTP, warm-up included
	AckedOR     int
	ReusedLinks int64 // page submissions sent through a link already answered (edits)
	PeakRSS     int64
}

// phaseResult is one phase: a channel over HTTP, the same inserts without
// HTTP, or the raw insert.
type phaseResult struct {
	Name, What string
	HTTP       bool
	Stats      phaseStats
	Profile    string // the CPU profile's file, when taken
}

// runEngine sets up a campaign in a fresh database, copies that database
// for the phases without HTTP, measures both channels over HTTP, checks
// what was stored, then measures the same inserts in the copy. Databases
// and server are always cleaned up.
func runEngine(ctx context.Context, o *options, bin, engine string, log io.Writer) (res *engineResult, err error) {
	res = &engineResult{Engine: engine}
	var dbURL string
	dbPID := 0
	switch engine {
	case "sqlite":
		path := filepath.Join(o.out, "ingest-sqlite.db")
		if err := removeSQLite(path); err != nil {
			return nil, err
		}
		dbURL = "sqlite:" + path
		res.Database = "SQLite file in bench/out/ingest (WAL, synchronous=NORMAL: the product's settings)"
	case "postgres":
		pg, err := pgscratch.New(ctx, o.pgURL, "ingest")
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
	if res.Setup, err = setupCampaign(ctx, o, bin, dbURL, log); err != nil {
		return nil, err
	}
	fmt.Fprintf(log, "campaign set up in %s: %d links, form version %s\n", res.Setup.Took.Round(100*time.Millisecond),
		len(res.Setup.Tokens), res.Setup.Version)
	copyURL, dropCopy, err := copyDatabase(ctx, engine, dbURL, filepath.Join(o.out, "ingest-sqlite-direct.db"))
	if err != nil {
		return nil, fmt.Errorf("copy the database: %w", err)
	}
	defer func() {
		if cerr := dropCopy(); cerr != nil && err == nil {
			err = fmt.Errorf("drop the copy: %w", cerr)
		}
	}()

	if err := measureHTTP(ctx, o, bin, engine, dbURL, dbPID, res, log); err != nil {
		return nil, err
	}
	if err := countStored(ctx, dbURL, res); err != nil {
		return nil, err
	}
	if err := measureDirect(ctx, o, copyURL, dbPID, res, log); err != nil {
		return nil, err
	}
	return res, nil
}

// measureHTTP starts the server, with the public rate limit off (64
// clients from one address are far over it), and measures both channels.
func measureHTTP(ctx context.Context, o *options, bin, engine, dbURL string, dbPID int, res *engineResult, log io.Writer) (err error) {
	extra := []string{"--public-rate-limit", "0"}
	debugAddr := ""
	if o.profile {
		port, err := harness.FreePort()
		if err != nil {
			return err
		}
		debugAddr = fmt.Sprintf("127.0.0.1:%d", port)
		extra = append(extra, "--debug-addr", debugAddr)
	}
	srv, err := harness.Start(ctx, bin, dbURL, filepath.Join(o.out, "serve-"+engine+".log"), extra...)
	if err != nil {
		return err
	}
	defer func() {
		if serr := srv.Stop(); serr != nil && err == nil {
			err = fmt.Errorf("stop the server: %w", serr)
		}
	}()
	hc := newHTTPClient(o.clients)
	phases := []struct {
		name, what string
		send       sender
		p          *pool
		acked      *int
	}{
		{name: "JSON over HTTP", what: "`POST /r/{token}/submissions`", acked: &res.AckedPage},
		{name: "OpenRosa over HTTP", what: "`POST /openrosa/{key}/submission` (multipart XML, Basic)", acked: &res.AckedOR},
	}
	phases[0].p = &pool{cs: res.Setup, clients: o.clients}
	phases[0].send = pageSender(hc, srv.Base, phases[0].p)
	phases[1].p = &pool{cs: res.Setup, clients: o.clients}
	phases[1].send = openRosaSender(hc, srv.Base, phases[1].p)
	for i, ph := range phases {
		if err := ctx.Err(); err != nil {
			return err
		}
		pr := phaseResult{Name: ph.name, What: ph.what, HTTP: true}
		var profDone chan error
		if debugAddr != "" {
			pr.Profile = filepath.Join(o.out, fmt.Sprintf("%s-%s.pprof", engine, []string{"json", "openrosa"}[i]))
			profDone = make(chan error, 1)
			go func() { profDone <- saveProfile(ctx, debugAddr, o.warmup, o.duration, pr.Profile) }()
			go func() {
				// Where the server's goroutines wait, halfway through.
				time.Sleep(o.warmup + o.duration/2)
				_ = fetchTo(ctx, "http://"+debugAddr+"/debug/pprof/goroutine?debug=1", strings.TrimSuffix(pr.Profile, ".pprof")+"-goroutines.txt")
			}()
		}
		var warm phaseStats
		warm, pr.Stats = measure(ctx, o, srv.PID(), dbPID, ph.send)
		*ph.acked = warm.Acked + pr.Stats.Acked
		if profDone != nil {
			if err := <-profDone; err != nil {
				fmt.Fprintf(log, "profile: %v\n", err)
				pr.Profile = ""
			}
		}
		logPhase(log, pr)
		res.Phases = append(res.Phases, pr)
	}
	res.ReusedLinks = phases[0].p.reused.Load()
	if res.PeakRSS, err = harness.StatusKB(srv.PID(), "VmHWM"); err != nil {
		return fmt.Errorf("read the server's peak memory: %w", err)
	}
	return nil
}

// saveProfile takes a CPU profile of the server over the measured time.
func saveProfile(ctx context.Context, addr string, warmup, duration time.Duration, path string) error {
	select {
	case <-time.After(warmup):
	case <-ctx.Done():
		return ctx.Err()
	}
	secs := max(1, int(duration.Seconds())-1)
	return fetchTo(ctx, fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", addr, secs), path)
}

// fetchTo saves what a GET of the debug listener answers.
func fetchTo(ctx context.Context, url, path string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := (&http.Client{Transport: &http.Transport{Proxy: nil}}).Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("profile: status %d", resp.StatusCode)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// countStored reads how many submissions each channel stored, with the
// server stopped, to set beside the acknowledgements.
func countStored(ctx context.Context, dbURL string, res *engineResult) error {
	d, err := db.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	defer d.Close()
	for ch, dst := range map[campaign.Channel]*int{campaign.ChannelWeb: &res.StoredPage, campaign.ChannelOpenRosa: &res.StoredOR} {
		if err := d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM submissions WHERE campaign_id = $1 AND channel = $2`,
			res.Setup.CampaignID, string(ch)).Scan(dst); err != nil {
			return fmt.Errorf("count stored submissions: %w", err)
		}
	}
	return nil
}

// measureDirect measures the same inserts without HTTP, in the copy made
// before any submission, with the product's connection settings (db.Open).
func measureDirect(ctx context.Context, o *options, copyURL string, dbPID int, res *engineResult, log io.Writer) error {
	d, err := db.Open(ctx, copyURL)
	if err != nil {
		return err
	}
	defer d.Close()
	s := campaign.NewStore(d, campaign.Options{BaseURL: "http://127.0.0.1"})
	phases := []phaseResult{
		{Name: "Store.Submit, page input", What: fmt.Sprintf("%d goroutines, no HTTP: the link, the JSON", o.clients)},
		{Name: "Store.Submit, OpenRosa input", What: fmt.Sprintf("%d goroutines, no HTTP: the invitation and app user, the XML", o.clients)},
	}
	senders := []sender{directPageSender(s, &pool{cs: res.Setup, clients: o.clients}),
		directOpenRosaSender(s, &pool{cs: res.Setup, clients: o.clients})}
	if o.raw {
		send, err := rawSender(ctx, d, res.Setup)
		if err != nil {
			return err
		}
		phases = append(phases, phaseResult{Name: "raw INSERT", What: "one row per transaction (db.Tx), same JSON and XML, no checks"})
		senders = append(senders, send)
	}
	for i := range phases {
		if err := ctx.Err(); err != nil {
			return err
		}
		_, phases[i].Stats = measure(ctx, o, 0, dbPID, senders[i])
		logPhase(log, phases[i])
		res.Phases = append(res.Phases, phases[i])
	}
	return nil
}

// rawSender inserts rows shaped like submissions into a table of their own
// with one unique key, one transaction per row: what the engine does for a
// durable write with none of the product's checks.
func rawSender(ctx context.Context, d *db.DB, cs *campaignSetup) (sender, error) {
	id := "id INTEGER PRIMARY KEY"
	if d.Dialect == db.Postgres {
		id = "id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
	}
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `CREATE TABLE bench_raw_submissions (`+id+`, instance_id TEXT NOT NULL UNIQUE,
			invitation_id BIGINT NOT NULL, answers TEXT NOT NULL, raw TEXT NOT NULL, received_at TIMESTAMP NOT NULL)`)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("raw table: %w", err)
	}
	return func(ctx context.Context, worker, seq int) outcome {
		i := (worker*7919 + seq) % len(cs.Invitations)
		iid := campaign.NewInstanceID()
		a := answersFor(worker, seq, i)
		raw := instanceXML(cs.FormKey, cs.Version, "i"+fmt.Sprint(cs.Invitations[i]), iid, a)
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO bench_raw_submissions (instance_id, invitation_id, answers, raw, received_at)
				VALUES ($1, $2, $3, $4, $5)`, iid, cs.Invitations[i], string(a.JSON()), string(raw), db.Now())
			return err
		})
		return storeOutcome(ctx, err)
	}, nil
}

// copyDatabase makes a second database with the same content, for the
// phases without HTTP: SQLite's VACUUM INTO, PostgreSQL's CREATE DATABASE
// ... TEMPLATE (nothing is connected to the original at this point).
func copyDatabase(ctx context.Context, engine, dbURL, sqlitePath string) (string, func() error, error) {
	if engine == "sqlite" {
		if err := removeSQLite(sqlitePath); err != nil {
			return "", nil, err
		}
		d, err := db.Open(ctx, dbURL)
		if err != nil {
			return "", nil, err
		}
		_, err = d.SQL().ExecContext(ctx, `VACUUM INTO ?`, sqlitePath)
		d.Close()
		if err != nil {
			return "", nil, err
		}
		return "sqlite:" + sqlitePath, func() error { return removeSQLite(sqlitePath) }, nil
	}
	u, err := url.Parse(dbURL)
	if err != nil {
		return "", nil, err
	}
	source := strings.TrimPrefix(u.Path, "/")
	name := fmt.Sprintf("observatory_bench_ingest_copy_%d_%d", os.Getpid(), time.Now().Unix())
	admin := *u
	admin.Path = "/template1"
	a, err := sql.Open("pgx", admin.String())
	if err != nil {
		return "", nil, err
	}
	if _, err := a.ExecContext(ctx, `CREATE DATABASE `+name+` TEMPLATE "`+source+`"`); err != nil {
		a.Close()
		return "", nil, err
	}
	c := *u
	c.Path = "/" + name
	return c.String(), func() error {
		defer a.Close()
		_, err := a.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
		return err
	}, nil
}

func removeSQLite(path string) error {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

func logPhase(log io.Writer, p phaseResult) {
	s := p.Stats
	fmt.Fprintf(log, "%-30s %6.0f acked/s, p50 %s, p99 %s ms, %d acked, %d errors %v\n", p.Name, s.AckedPS,
		harness.Ms(s.P50), harness.Ms(s.P99), s.Acked, s.Errors, s.Statuses)
}
