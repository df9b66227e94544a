package job

import (
	"errors"

	"github.com/riverqueue/river"
)

// Fail ends a job as failed at once, without the retries a plain error
// gets: for a worker that found a problem another attempt would find again
// (a bad row in an uploaded file, say). The job's page shows err's message
// when it is a problem, as for any other failure.
func Fail(err error) error {
	return river.JobCancel(&failure{err})
}

// failure marks an error a worker ended its job with through Fail. River
// sees a cancellation (no retry); the person who started the job sees it
// failed, which is what happened.
type failure struct{ err error }

func (f *failure) Error() string { return f.err.Error() }
func (f *failure) Unwrap() error { return f.err }

func isFailure(err error) bool {
	var f *failure
	return errors.As(err, &f)
}
