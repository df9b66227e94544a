package harness

import (
	"fmt"
	"math"
	"net/url"
	"os"
	"strings"
	"time"
)

// Percentile is the nearest-rank percentile of sorted latencies: the
// smallest value that at least p per cent of the requests did not exceed.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p * float64(len(sorted)) / 100))
	rank = max(rank, 1)
	rank = min(rank, len(sorted))
	return sorted[rank-1]
}

// Ms formats a latency in milliseconds with one decimal.
func Ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond)) }

// MiB formats a memory size given in KiB.
func MiB(kb int64) string { return fmt.Sprintf("%.0f MiB", float64(kb)/1024) }

// PickList splits a comma-separated flag value and checks every item,
// keeping the given order without repeats.
func PickList(flagName, value string, allowed []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, s := range strings.Split(value, ",") {
		s = strings.TrimSpace(s)
		if s == "" || seen[s] {
			continue
		}
		ok := false
		for _, a := range allowed {
			ok = ok || a == s
		}
		if !ok {
			return nil, fmt.Errorf("%s: unknown value %q (choose from %s)", flagName, s, strings.Join(allowed, ", "))
		}
		seen[s] = true
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: name at least one of %s", flagName, strings.Join(allowed, ", "))
	}
	return out, nil
}

// CommandLine is the command that reproduces a run of the benchmark at
// pkg (such as ./bench/httpload), quoted for a shell.
func CommandLine(pkg string, args []string) string {
	parts := []string{"go", "run", pkg}
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

// AppendResults adds a report section to RESULTS.md, creating it with its
// heading the first time.
func AppendResults(path, report string) error {
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
