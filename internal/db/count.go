package db

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// CountTTL bounds how long Count may answer from memory. Writes committed
// through this process's Tx are seen at once; writes by another process (a
// second server on the same PostgreSQL, a command-line import) are seen
// within CountTTL.
const CountTTL = 5 * time.Second

// countCacheSize bounds the remembered answers; past it the cache starts
// afresh, which costs one query per list shown, not correctness.
const countCacheSize = 2048

// Count runs a query that returns one integer (a list's total, typically
// SELECT COUNT(*) ... with the list's filters) and remembers the answer.
// Totals of large lists cost far more than the page of rows they sit above:
// counting 40,000 organisations takes 6 ms on PostgreSQL and 10 ms on
// SQLite, against 1 ms for the 50 rows shown; lists are read far more often
// than written.
func (d *DB) Count(ctx context.Context, query string, args ...any) (int, error) {
	key := countKey(query, args)
	now := time.Now()
	if n, ok := d.counts.get(key, now); ok {
		return n, nil
	}
	// When an answer expires under load, every request in flight for the
	// same list would count at once; one counts and the others wait for it.
	v, err, _ := d.counts.flight.Do(key, func() (any, error) {
		gen := d.counts.generation()
		var n int
		// The answer serves other requests too: one leaving early must not
		// cancel it for them.
		if err := d.read.QueryRowContext(context.WithoutCancel(ctx), query, args...).Scan(&n); err != nil {
			return 0, err
		}
		d.counts.put(key, n, gen, now)
		return n, nil
	})
	if err != nil {
		return 0, err
	}
	return v.(int), nil
}

func countKey(query string, args []any) string {
	var b strings.Builder
	b.WriteString(query)
	for _, a := range args {
		// %T keeps 1 and "1" apart.
		fmt.Fprintf(&b, "\x00%T:%v", a, a)
	}
	return b.String()
}

type countEntry struct {
	n   int
	gen uint64
	at  time.Time
}

// countCache maps a query and its arguments to its last answer. An entry
// is valid while no write has committed since it was read (gen) and for at
// most CountTTL.
type countCache struct {
	mu      sync.Mutex
	gen     uint64
	entries map[string]countEntry
	flight  singleflight.Group
}

// Generation counts the transactions this process has committed, so that
// answers kept in memory can tell whether a write may have changed them.
func (d *DB) Generation() uint64 { return d.counts.generation() }

func (c *countCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

func (c *countCache) get(key string, now time.Time) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || e.gen != c.gen || now.Sub(e.at) >= CountTTL {
		return 0, false
	}
	return e.n, true
}

// put stores an answer read at generation gen; if a write committed while
// the query ran, the answer may predate it and is not kept.
func (c *countCache) put(key string, n int, gen uint64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.entries == nil || len(c.entries) >= countCacheSize {
		c.entries = make(map[string]countEntry)
	}
	c.entries[key] = countEntry{n: n, gen: gen, at: now}
}

// invalidate forgets every answer; Tx calls it after each commit.
func (c *countCache) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.entries)
}
