package job

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/clusterobservatory/observatory/internal/problem"
)

// progressMiddleware wraps every attempt of every job: it marks the job
// running, gives the worker a tracker for Report and SetResult, and records
// the outcome when the worker returns (or panics).
type progressMiddleware struct {
	river.MiddlewareDefaults
	r *Runner
}

// Work implements rivertype.WorkerMiddleware.
func (m *progressMiddleware) Work(ctx context.Context, row *rivertype.JobRow, doInner func(context.Context) error) (err error) {
	tracked, err := m.r.markRunning(ctx, row.ID)
	if err != nil {
		// The job still runs; only its progress page lags.
		m.r.logger.Warn("job progress not saved", "job_id", row.ID, "err", err)
	}
	if !tracked {
		return doInner(ctx)
	}
	t := newTracker()
	flushCtx, stopFlush := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { m.r.flush(flushCtx, row.ID, t) })
	finish := func(err error) {
		stopFlush()
		wg.Wait()
		state, msg := outcome(err, row.Attempt, row.MaxAttempts)
		s, res := t.last()
		switch {
		case state == Succeeded && res != nil:
			s.message = res.Message
		case state == Succeeded:
			s.message = ""
		case state != Queued:
			s.message = msg
		}
		// The job's context may be cancelled (timeout, hard stop); the
		// outcome must be stored all the same.
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
		defer cancel()
		if werr := m.r.writeFinal(wctx, row.ID, state, s, res); werr != nil {
			m.r.logger.Error("job outcome not saved", "job_id", row.ID, "state", state, "err", werr)
		}
	}
	defer func() {
		if p := recover(); p != nil {
			finish(fmt.Errorf("panic: %v", p))
			panic(p) // River records the panic and retries per policy
		}
	}()
	err = doInner(context.WithValue(ctx, trackerKey{}, t))
	finish(err)
	return err
}

// outcome maps how an attempt ended to the state its starter sees and the
// message they may read. Only a problem's message is shown; any other error
// stays in the logs (River logs it with the job) and the page says, in the
// reader's language, that the job failed.
func outcome(err error, attempt, maxAttempts int) (State, string) {
	if err == nil {
		return Succeeded, ""
	}
	msg := userMessage(err)
	var snooze *rivertype.JobSnoozeError
	if errors.As(err, &snooze) {
		return Queued, ""
	}
	if isFailure(err) {
		return Failed, msg
	}
	var cancel *rivertype.JobCancelError
	if errors.As(err, &cancel) {
		return Cancelled, msg
	}
	if attempt < maxAttempts {
		return Retrying, msg
	}
	return Failed, msg
}

// userMessage is the part of err that may be shown to people.
func userMessage(err error) string {
	p := problem.As(err)
	if p == nil || p.Kind == problem.Internal {
		return ""
	}
	return p.Message
}
