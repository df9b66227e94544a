package main

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/bench/internal/harness"
	"github.com/clusterobservatory/observatory/bench/internal/machine"
)

// renderReport writes the results as a dated Markdown section.
func renderReport(o *options, m machine.Machine, results []*engineResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## %s\n\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(&b, "- Machine: %d CPUs (nproc), %s, Linux %s, %s; load average at the end %s\n", m.CPUs, m.Model, m.Kernel, m.Go, m.LoadAvg)
	fmt.Fprintf(&b, "- Command: `%s`\n", harness.CommandLine("./bench/httpload", o.args))
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
		fmt.Fprintf(&b, "- Server memory: %s resident when ready, %s peak (VmHWM) over the whole run\n\n", harness.MiB(r.StartRSS), harness.MiB(r.PeakRSS))
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
				t.Name, path, s.RPS, harness.Ms(s.P50), harness.Ms(s.P90), harness.Ms(s.P99), harness.Ms(s.Max), errorText(s),
				kib(t.Probe.Bytes), kib(t.Probe.Plain), harness.MiB(t.RSS), t.CPU.Server, t.CPU.DB, t.CPU.Client, t.CPU.Other, goal)
		}
	}
	b.WriteString("\nCPU is in cores (1.00 = one core busy) during the measured phase: the observatory server, the database " +
		"server (throwaway PostgreSQL only), this load generator, and everything else on the machine (other work makes figures noisy). " +
		fmt.Sprintf("The goal is p99 under %s ms with no errors.\n", harness.Ms(o.goal)))
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

// kib formats a body size, in bytes when it is under 1 KiB.
func kib(bytes int) string {
	if bytes < 1024 {
		return fmt.Sprintf("%d B", bytes)
	}
	return fmt.Sprintf("%.1f KiB", float64(bytes)/1024)
}
