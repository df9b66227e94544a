// Package job runs background work — imports, recomputation, report
// rendering, reminder emails — as River jobs in the platform's own database,
// and shows their progress to the person who started them.
//
// River (github.com/riverqueue/river) keeps the queue in its own tables,
// created and upgraded by River's migrator when the runner is made, on
// SQLite (riversqlite) and PostgreSQL (riverpgxv5). This package adds what
// River does not know: who started a job, its title, and how far it has
// come, in the job_progress table (migration 0060).
//
// A domain defines its job as River arguments and a worker:
//
//	type RecomputeArgs struct{ DatasetID int64 `json:"dataset_id"` }
//	func (RecomputeArgs) Kind() string { return "mapping_recompute" }
//
//	type RecomputeWorker struct{ river.WorkerDefaults[RecomputeArgs]; ... }
//	func (w *RecomputeWorker) Work(ctx context.Context, j *river.Job[RecomputeArgs]) error {
//		for i, area := range areas {
//			job.Report(ctx, i, len(areas), "")
//			...
//		}
//		job.SetResult(ctx, job.Result{Message: "...", Link: "/datasets/7"})
//		return nil
//	}
//
// registers it before the runner starts (job.Register(runner, &RecomputeWorker{})),
// and queues it with runner.Enqueue, or runner.EnqueueTx inside the
// transaction that stored what the job works on. The returned ID is the
// job's page, /jobs/{id}.
//
// States: a job is queued, then running; an attempt that fails is retried
// (retrying) until River's MaxAttempts is used up, then the job has failed;
// a worker may also end its job as failed without retries (job.Fail, for a
// problem another attempt would meet again), cancel it (river.JobCancel) or
// snooze it back to queued (river.JobSnooze). A job that succeeded keeps its Result.
//
// Messages: only the message of a *problem.Error returned by a worker is
// shown; any other error stays in the logs and the page says, in the
// reader's language, that the job failed. Report's message and a Result's
// message are shown as given, so a worker writes them in the starter's
// language.
//
// On SQLite River shares the database's single write connection, so its
// writes and the platform's queue behind each other. Report never writes
// from the worker's goroutine (a worker may hold that connection in a
// transaction); a background writer stores progress at most every 500 ms.
package job
