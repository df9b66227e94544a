package harness

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// StatusKB reads one memory field ("VmRSS", "VmHWM") of /proc/PID/status in KiB.
func StatusKB(pid int, field string) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	return ParseStatusKB(string(b), field)
}

// ParseStatusKB finds "Field:   1234 kB" in the text of /proc/PID/status.
func ParseStatusKB(status, field string) (int64, error) {
	for _, line := range strings.Split(status, "\n") {
		rest, ok := strings.CutPrefix(line, field+":")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 2 || f[1] != "kB" {
			return 0, fmt.Errorf("%s: unexpected value %q", field, rest)
		}
		return strconv.ParseInt(f[0], 10, 64)
	}
	return 0, fmt.Errorf("%s not found", field)
}

// RSSSampler reads a process's resident memory every 100 ms and remembers
// the largest value since the last reset.
type RSSSampler struct {
	pid  int
	mu   sync.Mutex
	peak int64
	stop chan struct{}
	done chan struct{}
}

// StartRSSSampler starts sampling the process pid.
func StartRSSSampler(pid int) *RSSSampler {
	s := &RSSSampler{pid: pid, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			s.sample()
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

func (s *RSSSampler) sample() {
	kb, err := StatusKB(s.pid, "VmRSS")
	if err != nil {
		return
	}
	s.mu.Lock()
	s.peak = max(s.peak, kb)
	s.mu.Unlock()
}

// Reset takes one sample now and returns the peak since the last reset.
func (s *RSSSampler) Reset() int64 {
	s.sample()
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.peak
	s.peak = 0
	return p
}

// Stop ends the sampling.
func (s *RSSSampler) Stop() {
	close(s.stop)
	<-s.done
}

// userHZ is the unit of the CPU times in /proc (fixed at 100 by the Linux ABI).
const userHZ = 100

// cpuBusy is the machine's busy CPU time in ticks, from the first line of
// /proc/stat (everything but idle and iowait).
func cpuBusy() int64 {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	var busy int64
	for i, v := range f[1:] {
		if i == 3 || i == 4 { // idle, iowait
			continue
		}
		if i >= 8 { // guest time is already counted in user time
			break
		}
		n, _ := strconv.ParseInt(v, 10, 64)
		busy += n
	}
	return busy
}

// ProcCPU is a process's user plus system CPU time in ticks, the CPU time
// of its children that have ended and been waited for, and its parent.
func ProcCPU(pid int) (ticks, reaped int64, ppid int) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, 0, 0
	}
	// The command name may hold spaces; fields after it are plain.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, 0, 0
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 15 {
		return 0, 0, 0
	}
	n := func(k int) int64 {
		v, _ := strconv.ParseInt(f[k], 10, 64)
		return v
	}
	ppid, _ = strconv.Atoi(f[1])
	return n(11) + n(12), n(13) + n(14), ppid
}

// TreeCPU is the CPU time of a PostgreSQL server: the postmaster, its live
// backends, and the backends that have ended (the postmaster waits for
// them, so their time is in its children's total). Counting only live
// processes would lose every backend that a closed connection ended.
func TreeCPU(root int) int64 {
	if root == 0 {
		return 0
	}
	own, reaped, _ := ProcCPU(root)
	total := own + reaped
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == root {
			continue
		}
		if t, _, ppid := ProcCPU(pid); ppid == root {
			total += t
		}
	}
	return total
}

// CPUSnapshot records CPU counters at one instant so that a phase's CPU use
// can be split into the server's, the database's, this load generator's and
// everything else on the machine.
type CPUSnapshot struct {
	at                     time.Time
	busy, server, db, self int64
}

// TakeCPU reads the counters now; dbPID 0 means no database server of its own.
func TakeCPU(serverPID, dbPID int) CPUSnapshot {
	self, _, _ := ProcCPU(os.Getpid())
	srv, _, _ := ProcCPU(serverPID)
	return CPUSnapshot{at: time.Now(), busy: cpuBusy(), server: srv, db: TreeCPU(dbPID), self: self}
}

// CPUUse is CPU use over a phase, in cores (1.0 = one core fully busy).
type CPUUse struct {
	Server, DB, Client, Other float64
}

// CPUBetween is the CPU use between two snapshots.
func CPUBetween(a, b CPUSnapshot) CPUUse {
	secs := b.at.Sub(a.at).Seconds()
	if secs <= 0 {
		return CPUUse{}
	}
	cores := func(ticks int64) float64 { return float64(ticks) / userHZ / secs }
	u := CPUUse{
		Server: cores(b.server - a.server),
		DB:     cores(b.db - a.db),
		Client: cores(b.self - a.self),
	}
	u.Other = max(0, cores(b.busy-a.busy)-u.Server-u.DB-u.Client)
	return u
}
