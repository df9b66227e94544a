package main

import (
	"context"
	"io"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/clusterobservatory/observatory/bench/internal/harness"
)

// newClient is a browser-like HTTP client for the load: keep-alive with one
// idle connection kept per worker, no proxy (only loopback is contacted), no
// redirects followed (a redirect to the sign-in page is an error, not a
// success) and no transparent decompression, so the client spends no CPU
// inflating bodies while the server is measured.
func newClient(concurrency int) *http.Client {
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			Proxy:               nil,
			MaxIdleConns:        2 * concurrency,
			MaxIdleConnsPerHost: concurrency,
			MaxConnsPerHost:     concurrency,
			IdleConnTimeout:     90 * time.Second,
			DisableCompression:  true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// stats summarise one measured phase.
type stats struct {
	Requests int         // responses received (transport failures are only in Errors)
	Errors   int         // non-2xx responses and transport failures
	Statuses map[int]int // non-2xx statuses and 0 for transport errors
	Elapsed  time.Duration
	RPS      float64
	P50, P90 time.Duration
	P99, Max time.Duration
	Bytes    int64 // response bytes as sent (compressed)
}

// load sends the same request from concurrency workers, each on its own
// keep-alive connection, until the duration has passed or maxRequests have
// been started, recording the latency of every completed request.
func load(ctx context.Context, c *http.Client, newReq func(context.Context) *http.Request,
	concurrency int, duration time.Duration, maxRequests int) stats {
	ctx, cancel := context.WithTimeout(ctx, duration+30*time.Second)
	defer cancel()
	var started atomic.Int64
	type worker struct {
		lat      []time.Duration
		statuses map[int]int
		bytes    int64
	}
	workers := make([]worker, concurrency)
	start := time.Now()
	deadline := start.Add(duration)
	var wg sync.WaitGroup
	for i := range workers {
		w := &workers[i]
		w.lat = make([]time.Duration, 0, 4096)
		w.statuses = map[int]int{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) && ctx.Err() == nil && started.Add(1) <= int64(maxRequests) {
				t0 := time.Now()
				resp, err := c.Do(newReq(ctx))
				if err != nil {
					// A refused or broken connection: count it and pause
					// briefly so a dead server is not hammered in a tight loop.
					w.statuses[0]++
					time.Sleep(10 * time.Millisecond)
					continue
				}
				n, err := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				d := time.Since(t0)
				w.bytes += n
				switch {
				case err != nil:
					w.statuses[0]++
				case resp.StatusCode < 200 || resp.StatusCode > 299:
					w.statuses[resp.StatusCode]++
				}
				w.lat = append(w.lat, d)
			}
		}()
	}
	wg.Wait()
	s := stats{Elapsed: time.Since(start), Statuses: map[int]int{}}
	var all []time.Duration
	for _, w := range workers {
		all = append(all, w.lat...)
		s.Bytes += w.bytes
		for code, n := range w.statuses {
			s.Statuses[code] += n
			s.Errors += n
		}
	}
	s.Requests = len(all)
	if s.Elapsed > 0 {
		s.RPS = float64(s.Requests) / s.Elapsed.Seconds()
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	s.P50, s.P90, s.P99 = harness.Percentile(all, 50), harness.Percentile(all, 90), harness.Percentile(all, 99)
	if len(all) > 0 {
		s.Max = all[len(all)-1]
	}
	return s
}
