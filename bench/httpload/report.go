package main

import (
	"fmt"
	"net/url"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/bench/internal/machine"
)

// renderReport writes the results as a dated Markdown section.
func renderReport(o *options, m machine.Machine, results []*engineResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## %s\n\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(&b, "- Machine: %d CPUs (nproc), %s, Linux %s, %s; load average at the end %s\n", m.CPUs, m.Model, m.Kernel, m.Go, m.LoadAvg)
	fmt.Fprintf(&b, "- Command: `%s`\n", commandLine(o.args))
	fmt.Fprintf(&b, "- Settings: demo scale %d, %d keep-alive connections, %s warm-up then %s measured per target, gzip accepted\n",
		o.scale, o.concurrency, o.warmup, o.duration)
	if o.note != "" {
		fmt.Fprintf(&b, "- Note: %s\n", o.note)
	}
	for _, r := range results {
		fmt.Fprintf(&b, "\n### %s\n\n", engineTitle(r.Engine))
		fmt.Fprintf(&b, "- Database: %s\n", r.Database)
		if o.demo {
			fmt.Fprintf(&b, "- Demo region generated in %s", r.DemoTime.Round(100*time.Millisecond))
			if r.DemoSummary != "" {
				fmt.Fprintf(&b, " (%s)", r.DemoSummary)
			}
			fmt.Fprintln(&b)
		} else {
			fmt.Fprintln(&b, "- Empty database: no demo region (-demo=false)")
		}
		fmt.Fprintf(&b, "- Server memory: %s resident when ready, %s peak (VmHWM) over the whole run\n\n", mib(r.StartRSS), mib(r.PeakRSS))
		b.WriteString("| target | path | req/s | p50 ms | p90 ms | p99 ms | max ms | errors | size gzip / plain | server RSS peak | CPU server / db / client / other | p99 goal |\n")
		b.WriteString("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n")
		for _, t := range r.Targets {
			path := "`" + t.Path + "`"
			if t.Path == "" {
				path = "–"
			}
			if t.Skipped != "" {
				fmt.Fprintf(&b, "| %s | %s | %s |  |  |  |  |  |  |  |  |  |\n", t.Name, path, t.Skipped)
				continue
			}
			s := t.Stats
			goal := "met"
			if s.P99 >= o.goal || s.Errors > 0 {
				goal = "**missed**"
			}
			fmt.Fprintf(&b, "| %s | %s | %.0f | %s | %s | %s | %s | %s | %s / %s | %s | %.2f / %.2f / %.2f / %.2f | %s |\n",
				t.Name, path, s.RPS, ms(s.P50), ms(s.P90), ms(s.P99), ms(s.Max), errorText(s),
				kib(t.Probe.Bytes), kib(t.Probe.Plain), mib(t.RSS), t.CPU.Server, t.CPU.DB, t.CPU.Client, t.CPU.Other, goal)
		}
	}
	b.WriteString("\nCPU is in cores (1.00 = one core busy) during the measured phase: the observatory server, the database " +
		"server (throwaway PostgreSQL only), this load generator, and everything else on the machine (other work makes figures noisy). " +
		fmt.Sprintf("The goal is p99 under %s ms with no errors.\n", ms(o.goal)))
	return b.String()
}

func engineTitle(engine string) string {
	if engine == "postgres" {
		return "PostgreSQL"
	}
	return "SQLite"
}

// errorText is the error count followed by the statuses seen, e.g. "3 (500×3)".
func errorText(s stats) string {
	if s.Errors == 0 {
		return "0"
	}
	codes := make([]int, 0, len(s.Statuses))
	for c := range s.Statuses {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	var parts []string
	for _, c := range codes {
		name := fmt.Sprint(c)
		if c == 0 {
			name = "connection"
		}
		parts = append(parts, fmt.Sprintf("%s×%d", name, s.Statuses[c]))
	}
	return fmt.Sprintf("%d (%s)", s.Errors, strings.Join(parts, ", "))
}

// ms formats a latency in milliseconds with one decimal.
func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond)) }

// mib formats a memory size given in KiB.
func mib(kb int64) string { return fmt.Sprintf("%.0f MiB", float64(kb)/1024) }

// kib formats a body size, in bytes when it is under 1 KiB.
func kib(bytes int) string {
	if bytes < 1024 {
		return fmt.Sprintf("%d B", bytes)
	}
	return fmt.Sprintf("%.1f KiB", float64(bytes)/1024)
}

// commandLine is the command that reproduces a run, quoted for a shell.
func commandLine(args []string) string {
	parts := []string{"go", "run", "./bench/httpload"}
	for _, a := range args {
		// A database URL's password must not end up in RESULTS.md.
		if u, err := url.Parse(a); err == nil && u.User != nil {
			if _, ok := u.User.Password(); ok {
				a = u.Redacted()
			}
		}
		if a == "" || strings.ContainsAny(a, " \t'\"$`\\*?&;|<>()") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}

const resultsHeader = `# Benchmark results

Figures measured with ` + "`go run ./bench/httpload`" + ` (see README.md for what each
column means). Each section is one run, newest last, with the command that
reproduces it. They describe one machine at one moment and are not test
assertions.
`

// appendResults adds a report section to RESULTS.md, creating it with its
// heading the first time.
func appendResults(path, report string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	st, err := f.Stat()
	if err == nil && st.Size() == 0 {
		_, err = f.WriteString(resultsHeader)
	}
	if err == nil {
		_, err = f.WriteString("\n" + report)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
