package region

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// clock is a settable time source for the cache.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func testCache(ttl time.Duration) (*cache[int], *clock) {
	clk := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	c := newCache[int](ttl, slog.New(slog.NewTextHandler(io.Discard, nil)))
	c.now = clk.now
	return c, clk
}

// waitFor polls until cond holds, for background refreshes.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for i := 0; i < 500; i++ {
		if cond() {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatal("condition not reached")
}

func TestCacheServesStaleWhileRefreshing(t *testing.T) {
	c, clk := testCache(30 * time.Second)
	ctx := context.Background()
	var calls atomic.Int64
	load := func(context.Context) (int, error) { return int(calls.Add(1)), nil }

	for i := 0; i < 3; i++ {
		if v, err := c.get(ctx, "k", load); v != 1 || err != nil {
			t.Fatalf("fresh get %d = %d, %v", i, v, err)
		}
	}
	if v, _ := c.get(ctx, "other", load); v != 2 {
		t.Fatalf("another key computes its own value, got %d", v)
	}

	clk.add(31 * time.Second)
	// The stale value is served at once while one refresh runs.
	if v, _ := c.get(ctx, "k", load); v != 1 {
		t.Fatalf("stale get = %d, want the old value 1", v)
	}
	waitFor(t, func() bool { v, _ := c.get(ctx, "k", load); return v == 3 })
	if n := calls.Load(); n != 3 {
		t.Errorf("%d computations, want 3 (one refresh only)", n)
	}
}

func TestCacheComputesOnceForConcurrentReaders(t *testing.T) {
	c, _ := testCache(time.Minute)
	var calls atomic.Int64
	release := make(chan struct{})
	load := func(context.Context) (int, error) {
		calls.Add(1)
		<-release
		return 7, nil
	}
	var wg sync.WaitGroup
	results := make([]int, 32)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], _ = c.get(context.Background(), "k", load)
		}()
	}
	waitFor(t, func() bool { return calls.Load() == 1 })
	time.Sleep(10 * time.Millisecond)
	close(release)
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Errorf("%d computations for 32 concurrent readers, want 1", n)
	}
	for i, v := range results {
		if v != 7 {
			t.Errorf("reader %d got %d", i, v)
		}
	}
}

func TestCacheErrors(t *testing.T) {
	c, clk := testCache(time.Minute)
	ctx := context.Background()
	boom := errors.New("boom")
	fail := true
	load := func(context.Context) (int, error) {
		if fail {
			return 0, boom
		}
		return 5, nil
	}
	if _, err := c.get(ctx, "k", load); !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	// A failure is not kept: the next reader tries again.
	fail = false
	if v, err := c.get(ctx, "k", load); v != 5 || err != nil {
		t.Fatalf("after failure: %d, %v", v, err)
	}
	// A failed refresh drops the entry; the next reader computes and sees the error.
	fail = true
	clk.add(2 * time.Minute)
	if v, _ := c.get(ctx, "k", load); v != 5 {
		t.Fatalf("stale value while refreshing = %d", v)
	}
	waitFor(t, func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		_, ok := c.entries["k"]
		return !ok
	})
	if _, err := c.get(ctx, "k", load); !errors.Is(err, boom) {
		t.Errorf("after a failed refresh: %v", err)
	}
}

func TestCacheDisabled(t *testing.T) {
	c, _ := testCache(0)
	n := 0
	load := func(context.Context) (int, error) { n++; return n, nil }
	c.get(context.Background(), "k", load)
	if v, _ := c.get(context.Background(), "k", load); v != 2 {
		t.Errorf("with ttl 0 every call computes: got %d", v)
	}
}
