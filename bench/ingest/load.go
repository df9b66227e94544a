package main

import (
	"context"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/clusterobservatory/observatory/bench/internal/harness"
)

// outcome is what one submission got: acknowledged (stored, 201 or 200),
// or refused or failed, with a label for the report ("409", "connection").
type outcome struct {
	acked bool
	label string
}

// sender sends a worker's seq-th submission of a phase and says what it got.
type sender func(ctx context.Context, worker, seq int) outcome

// phaseStats summarise one measured phase.
type phaseStats struct {
	Sent     int // submissions answered or failed
	Acked    int // acknowledged: 201 or 200, sent by the server after the commit
	Errors   int
	Statuses map[string]int // what the errors were
	Elapsed  time.Duration
	AckedPS  float64 // acknowledged per second
	P50, P90 time.Duration
	P99, Max time.Duration
	CPU      harness.CPUUse
}

// cursors number each worker's submissions across a phase's warm-up and
// measured time, so that no link or instance is used twice by mistake.
type cursors []int

// load runs clients workers, each sending one submission after another
// until the duration has passed; latency runs from the start of the send
// to the end of the answer.
func load(ctx context.Context, clients int, duration time.Duration, cur cursors, send sender) phaseStats {
	type worker struct {
		lat      []time.Duration
		acked    int
		statuses map[string]int
	}
	workers := make([]worker, clients)
	start := time.Now()
	deadline := start.Add(duration)
	var wg sync.WaitGroup
	for i := range workers {
		w := &workers[i]
		w.lat = make([]time.Duration, 0, 4096)
		w.statuses = map[string]int{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) && ctx.Err() == nil {
				t0 := time.Now()
				out := send(ctx, i, cur[i])
				cur[i]++
				w.lat = append(w.lat, time.Since(t0))
				if out.acked {
					w.acked++
				} else {
					w.statuses[out.label]++
					if out.label == "connection" {
						// A refused connection: pause so that a dead server is
						// not hammered in a tight loop.
						time.Sleep(10 * time.Millisecond)
					}
				}
			}
		}()
	}
	wg.Wait()
	s := phaseStats{Elapsed: time.Since(start), Statuses: map[string]int{}}
	var all []time.Duration
	for _, w := range workers {
		all = append(all, w.lat...)
		s.Acked += w.acked
		for k, n := range w.statuses {
			s.Statuses[k] += n
			s.Errors += n
		}
	}
	s.Sent = len(all)
	if s.Elapsed > 0 {
		s.AckedPS = float64(s.Acked) / s.Elapsed.Seconds()
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	s.P50, s.P90, s.P99 = harness.Percentile(all, 50), harness.Percentile(all, 90), harness.Percentile(all, 99)
	if len(all) > 0 {
		s.Max = all[len(all)-1]
	}
	return s
}

// measure warms a phase up, then measures it, with the CPU of the server
// (0 when there is none) and of the database server (0 likewise).
func measure(ctx context.Context, o *options, serverPID, dbPID int, send sender) (phaseStats, phaseStats) {
	cur := make(cursors, o.clients)
	var warm phaseStats
	if o.warmup > 0 {
		warm = load(ctx, o.clients, o.warmup, cur, send)
	}
	before := harness.TakeCPU(serverPID, dbPID)
	s := load(ctx, o.clients, o.duration, cur, send)
	s.CPU = harness.CPUBetween(before, harness.TakeCPU(serverPID, dbPID))
	return warm, s
}

// statusLabel names an HTTP status for the error list.
func statusLabel(code int) string { return strconv.Itoa(code) }
