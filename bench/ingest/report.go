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
	fmt.Fprintf(&b, "## %s — durable ingestion of submissions\n\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(&b, "- Machine: %d CPUs (nproc), %s, %s RAM, Linux %s, %s; load average at the end %s\n",
		m.CPUs, m.Model, m.MemTotalGiB, m.Kernel, m.Go, m.LoadAvg)
	fmt.Fprintf(&b, "- Command: `%s`\n", harness.CommandLine("./bench/ingest", o.args))
	fmt.Fprintf(&b, "- Settings: %d concurrent clients (HTTP: one keep-alive connection each; without HTTP: goroutines), "+
		"%s warm-up then %s measured per phase; campaign of %d organisations to the shipped `%s` form; "+
		"server started with `--public-rate-limit 0`\n", o.clients, o.warmup, o.duration, o.respondents, template)
	if o.note != "" {
		fmt.Fprintf(&b, "- Note: %s\n", o.note)
	}
	for _, r := range results {
		fmt.Fprintf(&b, "\n### %s\n\n", engineTitle(r.Engine))
		fmt.Fprintf(&b, "- Database: %s\n", r.Database)
		fmt.Fprintf(&b, "- Campaign set up in %s (CLI, API and stores; see README)\n", r.Setup.Took.Round(100*time.Millisecond))
		fmt.Fprintf(&b, "- Stored after the HTTP phases (server stopped, warm-up included): JSON %d for %d acknowledged, "+
			"OpenRosa %d for %d acknowledged — %s\n", r.StoredPage, r.AckedPage, r.StoredOR, r.AckedOR, storedVerdict(r))
		if r.ReusedLinks > 0 {
			fmt.Fprintf(&b, "- %d JSON submissions went through a link already answered (an edit, which supersedes the earlier "+
				"answers): raise --respondents to avoid it\n", r.ReusedLinks)
		}
		fmt.Fprintf(&b, "- Server memory: %s peak (VmHWM)\n\n", harness.MiB(r.PeakRSS))
		b.WriteString("| phase | what | acked/s | p50 ms | p90 ms | p99 ms | max ms | acked | errors | CPU server / db / client / other | goal |\n")
		b.WriteString("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|\n")
		for _, p := range r.Phases {
			s := p.Stats
			goal := ""
			if p.HTTP {
				goal = "met"
				if s.AckedPS < o.goalRate || s.P99 >= o.goalP99 || s.Errors > 0 {
					goal = "**missed**"
				}
			}
			fmt.Fprintf(&b, "| %s | %s | %.0f | %s | %s | %s | %s | %d | %s | %.2f / %.2f / %.2f / %.2f | %s |\n",
				p.Name, p.What, s.AckedPS, harness.Ms(s.P50), harness.Ms(s.P90), harness.Ms(s.P99), harness.Ms(s.Max),
				s.Acked, errorText(s), s.CPU.Server, s.CPU.DB, s.CPU.Client, s.CPU.Other, goal)
		}
		if ratio := httpShare(r); ratio != "" {
			fmt.Fprintf(&b, "\n%s\n", ratio)
		}
	}
	fmt.Fprintf(&b, "\nacked/s counts only answers 201 or 200, which the server sends after the transaction has committed. "+
		"CPU is in cores during the measured phase: the observatory server, the database server (throwaway PostgreSQL only), "+
		"this process (the clients, and the store itself in the phases without HTTP) and everything else. "+
		"The goal: at least %.0f acknowledged submissions per second with p99 under %s ms and no errors, over HTTP.\n",
		o.goalRate, harness.Ms(o.goalP99))
	return b.String()
}

// storedVerdict says whether every acknowledgement has its stored row.
func storedVerdict(r *engineResult) string {
	if r.StoredPage >= r.AckedPage && r.StoredOR >= r.AckedOR {
		return "every acknowledged submission is stored"
	}
	return fmt.Sprintf("**%d acknowledged submissions are missing**", max(0, r.AckedPage-r.StoredPage)+max(0, r.AckedOR-r.StoredOR))
}

// httpShare sets each HTTP rate beside the store's rate for the same input.
func httpShare(r *engineResult) string {
	rate := map[string]float64{}
	for _, p := range r.Phases {
		rate[p.Name] = p.Stats.AckedPS
	}
	var parts []string
	for _, pair := range [][2]string{{"JSON over HTTP", "Store.Submit, page input"}, {"OpenRosa over HTTP", "Store.Submit, OpenRosa input"}} {
		if rate[pair[1]] > 0 {
			parts = append(parts, fmt.Sprintf("%s reaches %.0f %% of the store's own rate", pair[0], 100*rate[pair[0]]/rate[pair[1]]))
		}
	}
	if raw := rate["raw INSERT"]; raw > 0 && rate["Store.Submit, page input"] > 0 {
		parts = append(parts, fmt.Sprintf("Store.Submit (page input) reaches %.0f %% of the raw insert", 100*rate["Store.Submit, page input"]/raw))
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, "; ") + "."
}

func engineTitle(engine string) string {
	if engine == "postgres" {
		return "PostgreSQL"
	}
	return "SQLite"
}

// errorText is the error count followed by what the errors were.
func errorText(s phaseStats) string {
	if s.Errors == 0 {
		return "0"
	}
	labels := make([]string, 0, len(s.Statuses))
	for l := range s.Statuses {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	var parts []string
	for _, l := range labels {
		parts = append(parts, fmt.Sprintf("%s×%d", l, s.Statuses[l]))
	}
	return fmt.Sprintf("%d (%s)", s.Errors, strings.Join(parts, ", "))
}
