// Command ingest measures durable ingestion of campaign submissions: for
// each database engine it sets up a campaign to many organisations through
// the product's own interfaces, starts the real server and sends answers
// from 64 concurrent clients, first as the respondent page's JSON, then as
// ODK Collect's OpenRosa multipart XML, counting only the submissions the
// server acknowledged (201 or 200, sent after the commit). Beside it, in
// the same run, it measures the engine's own rate for the same inserts
// through campaign.Store.Submit without HTTP, and a raw single-row insert.
// bench/README.md explains each figure.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/clusterobservatory/observatory/bench/internal/harness"
	"github.com/clusterobservatory/observatory/bench/internal/machine"
)

// options are the benchmark's settings, all from flags.
type options struct {
	engines     []string
	clients     int
	duration    time.Duration
	warmup      time.Duration
	respondents int
	pgURL       string
	goalRate    float64
	goalP99     time.Duration
	raw         bool
	binary      string
	profile     bool
	write       bool
	note        string
	root, out   string
	args        []string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "ingest:", err)
		os.Exit(1)
	}
}

// run parses the flags, builds the server once and measures each engine in
// turn, so that only one database competes for the machine at a time.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	o, err := parseOptions(args, getenv, stderr)
	if err != nil {
		return err
	}
	if o.root, err = harness.ModuleRoot(); err != nil {
		return err
	}
	o.out = filepath.Join(o.root, "bench", "out", "ingest")
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	bin := o.binary
	if bin == "" {
		fmt.Fprintln(stderr, "building the observatory binary")
		if bin, err = harness.Build(ctx, o.root, filepath.Dir(o.out)); err != nil {
			return err
		}
	}
	var results []*engineResult
	for _, engine := range o.engines {
		fmt.Fprintf(stderr, "\n== %s ==\n", engine)
		res, err := runEngine(ctx, o, bin, engine, stderr)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("%s: %w", engine, err)
		}
		results = append(results, res)
	}
	report := renderReport(o, machine.Describe(), results)
	fmt.Fprintln(stdout)
	fmt.Fprint(stdout, report)
	if o.write {
		path := filepath.Join(o.root, "bench", "RESULTS.md")
		if err := harness.AppendResults(path, report); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "appended to %s\n", path)
	}
	return nil
}

func parseOptions(args []string, getenv func(string) string, stderr io.Writer) (*options, error) {
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: go run ./bench/ingest [flags]\n\n"+
			"Sets up a campaign on each engine, starts the server and sends submissions from concurrent clients,\n"+
			"as JSON and as OpenRosa XML; then the same inserts without HTTP. Only 127.0.0.1 is contacted.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	engines := fs.String("engines", "sqlite,postgres", "engines to measure, comma-separated: sqlite, postgres")
	o := &options{args: args}
	fs.IntVar(&o.clients, "clients", 64, "concurrent clients, each on its own keep-alive connection (and goroutines without HTTP)")
	fs.DurationVar(&o.duration, "duration", 15*time.Second, "measured time per phase")
	fs.DurationVar(&o.warmup, "warmup", 2*time.Second, "unmeasured warm-up per phase")
	fs.IntVar(&o.respondents, "respondents", 20000, "organisations invited to the campaign (one link each)")
	fs.StringVar(&o.pgURL, "pg", getenv("OBSERVATORY_BENCH_POSTGRES"),
		"PostgreSQL server URL to create scratch databases in (default $OBSERVATORY_BENCH_POSTGRES; empty: start a throwaway cluster)")
	fs.Float64Var(&o.goalRate, "goal-rate", 1000, "acknowledged submissions per second the goal asks for")
	fs.DurationVar(&o.goalP99, "goal-p99", 100*time.Millisecond, "p99 latency the goal asks for")
	fs.StringVar(&o.binary, "binary", "", "an observatory binary to measure instead of building cmd/observatory (to compare two builds)")
	fs.BoolVar(&o.raw, "raw", true, "also measure a raw single-row insert, one transaction each, as the engine's floor")
	fs.BoolVar(&o.profile, "profile", false, "save a CPU profile of the server during each HTTP phase in bench/out/ingest")
	fs.BoolVar(&o.write, "write", false, "append a dated section with the results to bench/RESULTS.md")
	fs.StringVar(&o.note, "note", "", "a remark to record with the results (for example what else ran on the machine)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	var err error
	if o.engines, err = harness.PickList("--engines", *engines, []string{"sqlite", "postgres"}); err != nil {
		return nil, err
	}
	switch {
	case o.clients < 1 || o.clients > 1024:
		return nil, errors.New("--clients must be between 1 and 1024")
	case o.duration < time.Second || o.duration > 10*time.Minute:
		return nil, errors.New("--duration must be between 1s and 10m")
	case o.warmup < 0 || o.warmup > time.Minute:
		return nil, errors.New("--warmup must be between 0s and 1m")
	case o.respondents < o.clients || o.respondents > 500000:
		return nil, fmt.Errorf("--respondents must be between --clients (%d) and 500000", o.clients)
	case o.pgURL != "" && !validPostgresURL(o.pgURL):
		return nil, errors.New("--pg must be a postgres:// URL")
	}
	return o, nil
}

func validPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}
