// Package machine describes the computer a benchmark ran on, for the
// reports in bench/RESULTS.md.
package machine

import (
	"fmt"
	"os"
	"runtime"
	"strings"
)

// Machine is where figures were taken.
type Machine struct {
	CPUs        int
	Model       string // CPU model
	Kernel, Go  string
	LoadAvg     string // 1, 5 and 15 minute load averages when described
	MemTotalGiB string
}

// Describe reads the machine from /proc; what it cannot read stays empty.
func Describe() Machine {
	m := Machine{CPUs: runtime.NumCPU(), Go: runtime.Version(), Model: "unknown CPU"}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.Model = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) >= 3 {
			m.LoadAvg = strings.Join(f[:3], " ")
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb float64
		fmt.Sscanf(strings.SplitN(string(b), "\n", 2)[0], "MemTotal: %f kB", &kb)
		m.MemTotalGiB = fmt.Sprintf("%.1f GiB", kb/(1<<20))
	}
	return m
}
