package job

import (
	"context"
	"strings"
	"sync"
	"time"
)

// snapshot is a job's counts at one moment.
type snapshot struct {
	done, total int64
	message     string
}

// tracker holds the latest progress of one running job. Report only
// updates it in memory; a flusher goroutine writes it to the database at
// most once per ReportEvery. Writing from the worker's own goroutine would
// deadlock on SQLite whenever the worker reports while holding a write
// transaction of its own (the database has a single write connection).
type tracker struct {
	mu     sync.Mutex
	cur    snapshot
	dirty  bool
	result *Result
	kick   chan struct{}
}

func newTracker() *tracker { return &tracker{kick: make(chan struct{}, 1)} }

type trackerKey struct{}

// Report records how far the running job has come: done out of total
// (total 0 when not yet known) and a short message for the person who
// started it, in their language. It never blocks on the database and may
// be called as often as the worker likes; writes are throttled. Outside a
// job it does nothing.
func Report(ctx context.Context, done, total int, message string) {
	t, ok := ctx.Value(trackerKey{}).(*tracker)
	if !ok {
		return
	}
	t.mu.Lock()
	t.cur = snapshot{done: int64(max(done, 0)), total: int64(max(total, 0)), message: strings.TrimSpace(message)}
	t.dirty = true
	t.mu.Unlock()
	select {
	case t.kick <- struct{}{}:
	default:
	}
}

// SetResult records what the job leaves for its starter if it succeeds: a
// summary, a link within the site and tallies. A link that is not a path
// of this site ("/…") is dropped, so a job cannot send people elsewhere.
func SetResult(ctx context.Context, res Result) {
	t, ok := ctx.Value(trackerKey{}).(*tracker)
	if !ok {
		return
	}
	if !localPath(res.Link) {
		res.Link = ""
	}
	res.Message = strings.TrimSpace(res.Message)
	t.mu.Lock()
	t.result = &res
	t.mu.Unlock()
}

// localPath reports whether link is a path on this site: "/x" but not
// "//host" or "/\host", which browsers treat as other sites.
func localPath(link string) bool {
	return len(link) > 0 && link[0] == '/' && (len(link) == 1 || (link[1] != '/' && link[1] != '\\'))
}

// take returns the latest snapshot if it has not been written yet.
func (t *tracker) take() (snapshot, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.dirty {
		return snapshot{}, false
	}
	t.dirty = false
	return t.cur, true
}

// last returns the latest snapshot and result, written or not.
func (t *tracker) last() (snapshot, *Result) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.cur, t.result
}

// flush writes reported progress until ctx ends, waiting at least
// ReportEvery between writes.
func (r *Runner) flush(ctx context.Context, jobID int64, t *tracker) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.kick:
		}
		if s, ok := t.take(); ok {
			if err := r.writeProgress(ctx, jobID, s); err != nil && ctx.Err() == nil {
				r.logger.Warn("job progress not saved", "job_id", jobID, "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(r.cfg.ReportEvery):
		}
	}
}
