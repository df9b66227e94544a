// Command httpload measures Cluster Observatory under concurrent HTTP load:
// for each database engine it generates the demonstration region, starts the
// real server, signs in like a browser and measures the region page, a
// country page, a cluster page and the organisations API, reporting requests
// per second, latency percentiles and the server's memory. bench/README.md
// explains what each figure means and how to reproduce bench/RESULTS.md.
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
	scale       int
	demo        bool
	concurrency int
	duration    time.Duration
	warmup      time.Duration
	maxRequests int
	pgURL       string
	country     string
	targets     []string
	goal        time.Duration
	write       bool
	note        string
	root        string // the module's root folder
	args        []string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "httpload:", err)
		os.Exit(1)
	}
}

// run parses the flags, builds the server once and benchmarks each engine in
// turn, so that only one server competes for the machine at a time.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	o, err := parseOptions(args, getenv, stderr)
	if err != nil {
		return err
	}
	if o.root, err = harness.ModuleRoot(); err != nil {
		return err
	}
	out := filepath.Join(o.root, "bench", "out")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	fmt.Fprintln(stderr, "building the observatory binary")
	bin, err := harness.Build(ctx, o.root, out)
	if err != nil {
		return err
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
	m := machine.Describe()
	report := renderReport(o, m, results)
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
	fs := flag.NewFlagSet("httpload", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: go run ./bench/httpload [flags]\n\n"+
			"Generates the demo region into each engine, starts the server and measures its main pages\n"+
			"and API with concurrent keep-alive clients. Only 127.0.0.1 is contacted.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	engines := fs.String("engines", "sqlite,postgres", "engines to measure, comma-separated: sqlite, postgres")
	targets := fs.String("targets", strings.Join(targetNames(), ","),
		"targets to measure, comma-separated; the baselines "+strings.Join(baselineNames(), ", ")+" may be added")
	o := &options{args: args}
	fs.IntVar(&o.scale, "scale", 10, "demo region scale (observatory demo --scale)")
	fs.BoolVar(&o.demo, "demo", true, "generate the demo region; -demo=false measures an empty database (to check the harness itself)")
	fs.IntVar(&o.concurrency, "concurrency", 32, "concurrent keep-alive connections")
	fs.DurationVar(&o.duration, "duration", 15*time.Second, "measured time per target")
	fs.DurationVar(&o.warmup, "warmup", 2*time.Second, "unmeasured warm-up per target")
	fs.IntVar(&o.maxRequests, "max-requests", 2_000_000, "upper bound on requests per target and phase")
	fs.StringVar(&o.pgURL, "pg", getenv("OBSERVATORY_BENCH_POSTGRES"),
		"PostgreSQL server URL to create a scratch database in (default $OBSERVATORY_BENCH_POSTGRES; empty: start a throwaway cluster)")
	fs.StringVar(&o.country, "country", "JAM", "ISO 3166-1 alpha-3 code of the country page and the filtered API list")
	fs.DurationVar(&o.goal, "goal", 100*time.Millisecond, "p99 latency goal shown in the report")
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
	if o.targets, err = harness.PickList("--targets", *targets, append(targetNames(), baselineNames()...)); err != nil {
		return nil, err
	}
	switch {
	case o.scale < 1 || o.scale > 1000:
		return nil, errors.New("--scale must be between 1 and 1000")
	case o.concurrency < 1 || o.concurrency > 1024:
		return nil, errors.New("--concurrency must be between 1 and 1024")
	case o.duration < time.Second || o.duration > 10*time.Minute:
		return nil, errors.New("--duration must be between 1s and 10m")
	case o.warmup < 0 || o.warmup > time.Minute:
		return nil, errors.New("--warmup must be between 0s and 1m")
	case o.maxRequests < 1:
		return nil, errors.New("--max-requests must be at least 1")
	case len(o.country) != 3 || strings.ToUpper(o.country) != o.country:
		return nil, errors.New("--country must be an upper-case ISO 3166-1 alpha-3 code, such as JAM")
	case o.pgURL != "" && !strings.HasPrefix(o.pgURL, "postgres://") && !strings.HasPrefix(o.pgURL, "postgresql://"):
		return nil, errors.New("--pg must be a postgres:// URL")
	}
	return o, nil
}
