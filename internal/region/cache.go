package region

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// cache keeps computed aggregates in memory for a short time, per key.
//
// A key's first reader computes the value while concurrent readers of the
// same key wait for it, so a burst of requests runs the queries once. Once
// the value is older than ttl, the next reader starts one refresh in the
// background and every reader keeps getting the previous value until the
// refresh lands: figures may lag a write by up to ttl plus one computation,
// which is what published aggregates can afford, and no request ever waits
// for a recomputation after the first. A failed refresh drops the entry, so
// the next reader computes again and sees the error itself.
type cache[V any] struct {
	ttl     time.Duration
	now     func() time.Time
	logger  *slog.Logger
	timeout time.Duration // bound on one computation, detached from requests

	mu      sync.Mutex
	entries map[string]*entry[V]
}

type entry[V any] struct {
	ready      chan struct{} // closed when the first computation ends
	val        V
	err        error
	at         time.Time
	refreshing bool
}

func newCache[V any](ttl time.Duration, logger *slog.Logger) *cache[V] {
	if logger == nil {
		logger = slog.Default()
	}
	return &cache[V]{ttl: ttl, now: time.Now, logger: logger, timeout: time.Minute, entries: map[string]*entry[V]{}}
}

// get returns the value of key, computing it with load when absent. With a
// ttl of zero nothing is kept and every call computes.
func (c *cache[V]) get(ctx context.Context, key string, load func(context.Context) (V, error)) (V, error) {
	if c.ttl <= 0 {
		return load(ctx)
	}
	c.mu.Lock()
	e, ok := c.entries[key]
	if !ok {
		e = &entry[V]{ready: make(chan struct{})}
		c.entries[key] = e
		c.mu.Unlock()
		return c.fill(ctx, key, e, load)
	}
	select {
	case <-e.ready:
	default:
		c.mu.Unlock()
		select {
		case <-e.ready:
		case <-ctx.Done():
			var zero V
			return zero, ctx.Err()
		}
		c.mu.Lock()
		if e.err != nil {
			err := e.err
			c.mu.Unlock()
			var zero V
			return zero, err
		}
	}
	val, stale := e.val, c.now().Sub(e.at) >= c.ttl
	if stale && !e.refreshing {
		e.refreshing = true
		go c.refresh(key, e, load)
	}
	c.mu.Unlock()
	return val, nil
}

// fill computes a new entry's first value. The computation is detached from
// the request that started it: others wait for it, and one visitor closing
// the tab must not fail them.
func (c *cache[V]) fill(ctx context.Context, key string, e *entry[V], load func(context.Context) (V, error)) (V, error) {
	lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.timeout)
	defer cancel()
	val, err := load(lctx)
	c.mu.Lock()
	defer c.mu.Unlock()
	e.val, e.err, e.at = val, err, c.now()
	if err != nil && c.entries[key] == e {
		delete(c.entries, key)
	}
	close(e.ready)
	return val, err
}

// refresh recomputes a stale entry in the background.
func (c *cache[V]) refresh(key string, e *entry[V], load func(context.Context) (V, error)) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	val, err := load(ctx)
	c.mu.Lock()
	defer c.mu.Unlock()
	e.refreshing = false
	if err != nil {
		c.logger.Warn("refreshing figures", "key", key, "err", err)
		if c.entries[key] == e {
			delete(c.entries, key)
		}
		return
	}
	e.val, e.at = val, c.now()
}
