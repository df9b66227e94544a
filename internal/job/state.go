package job

// State is where a job stands, as the person who started it sees it.
type State string

// The states of a job. Queued, running and retrying are live; succeeded,
// failed and cancelled are final.
const (
	Queued    State = "queued"
	Running   State = "running"
	Retrying  State = "retrying"
	Succeeded State = "succeeded"
	Failed    State = "failed"
	Cancelled State = "cancelled"
)

// States lists every state, for validation and documentation.
var States = []State{Queued, Running, Retrying, Succeeded, Failed, Cancelled}

// Final reports whether the job has ended and its progress will not change.
func (s State) Final() bool { return s == Succeeded || s == Failed || s == Cancelled }

// Valid reports whether s is one of the known states.
func (s State) Valid() bool {
	for _, v := range States {
		if s == v {
			return true
		}
	}
	return false
}

// reconcile combines the state recorded in job_progress with the state River
// holds for the job. Progress rows are written by the worker middleware, so
// they miss what happens to a job outside a worker: a process that died
// mid-job (River rescues and retries or discards it), a job cancelled before
// it ran, or a final write that failed. River's state wins in those cases so
// a page never shows "running" for a job nobody is running.
// riverState is "" when River no longer holds the job (it deletes finished
// jobs after a retention period).
func reconcile(ours State, riverState string) State {
	if ours.Final() {
		return ours
	}
	switch riverState {
	case "":
		// Gone without an outcome recorded: nobody will finish it.
		return Failed
	case "completed":
		return Succeeded
	case "discarded":
		return Failed
	case "cancelled":
		return Cancelled
	case "running":
		return Running
	case "retryable":
		return Retrying
	case "available", "pending", "scheduled":
		// A job that has started once and waits again is being retried
		// (after a failure or a rescue); one that never started is queued.
		if ours == Running || ours == Retrying {
			return Retrying
		}
		return Queued
	}
	return ours
}
