package mapping

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/job"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// EmploymentImportArgs are the arguments of the job that imports an
// uploaded employment file: the upload (migration 0090), who uploaded it
// and what they said about the dataset.
type EmploymentImportArgs struct {
	UploadID int64        `json:"upload_id"`
	UserID   int64        `json:"user_id"`
	Input    DatasetInput `json:"input"`
}

// Kind names the job for River.
func (EmploymentImportArgs) Kind() string { return "mapping_employment_import" }

// jobProblems is how many of a file's problems the job's message lists: the
// job page shows one message, and the file's first problems are what the
// person needs to start correcting it.
const jobProblems = 10

// employmentImportWorker imports an uploaded employment file.
type employmentImportWorker struct {
	river.WorkerDefaults[EmploymentImportArgs]
	s *Store
}

// RegisterJobs registers the cluster mapping's background jobs with the
// runner; call it before the runner starts.
func RegisterJobs(r *job.Runner, s *Store) error {
	return job.Register(r, &employmentImportWorker{s: s})
}

// Timeout allows for a file of millions of rows read twice.
func (w *employmentImportWorker) Timeout(*river.Job[EmploymentImportArgs]) time.Duration {
	return 2 * time.Hour
}

// Work imports the file as the person who uploaded it (their role as it is
// now), reporting progress, and deletes the upload once the job is over
// for good. A problem with the file, or with the person's rights, ends the
// job without retrying, since another attempt would find the same.
func (w *employmentImportWorker) Work(ctx context.Context, j *river.Job[EmploymentImportArgs]) error {
	actor, loc, err := w.actor(ctx, j.Args.UserID)
	if err == nil {
		err = w.run(ctx, j.Args, actor, loc)
	}
	p := problem.As(err)
	shown := p != nil && p.Kind != problem.Internal
	if err == nil || shown || j.Attempt >= j.MaxAttempts {
		// The outcome stands either way: an upload left behind is removed
		// by a later import's clean-up of stale uploads.
		_ = w.s.deleteUpload(context.WithoutCancel(ctx), j.Args.UploadID)
	}
	if shown {
		return job.Fail(jobProblem(p))
	}
	return err
}

func (w *employmentImportWorker) actor(ctx context.Context, userID int64) (user.Actor, *i18n.Localizer, error) {
	if userID == 0 {
		return user.System, i18n.For("en"), nil
	}
	u, err := user.NewStore(w.s.db).FindUserByID(ctx, userID)
	if err != nil {
		return user.Actor{}, nil, err
	}
	if !u.DisabledAt.IsZero() {
		return user.Actor{}, nil, problem.Forbiddenf("The account that uploaded the file is disabled.")
	}
	return u.Actor(), i18n.For(u.Locale), nil
}

func (w *employmentImportWorker) run(ctx context.Context, args EmploymentImportArgs, actor user.Actor, loc *i18n.Localizer) error {
	open := func() (io.ReadCloser, error) { return w.s.openUpload(ctx, args.UploadID) }
	checking, storing := loc.T("mapping.job.checking"), loc.T("mapping.job.storing")
	info, err := w.s.ImportEmployment(ctx, actor, args.Input, open, func(done, total int64) {
		msg := checking
		if total > 0 {
			msg = storing
		}
		job.Report(ctx, int(done), int(total), msg)
	})
	if err != nil {
		return err
	}
	job.SetResult(ctx, job.Result{
		Message: loc.T("mapping.job.done", "name", info.Name, "cells", info.Cells, "areas", info.Areas),
		Link:    datasetPath(info.ID),
		Counts:  map[string]int64{"cells": info.Cells, "suppressed": info.Suppressed, "areas": int64(info.Areas), "dataset_id": info.ID},
	})
	return nil
}

// jobProblem folds a problem's first located details into its message,
// since a job's page shows only its message.
func jobProblem(p *problem.Error) *problem.Error {
	var b strings.Builder
	b.WriteString(p.Message)
	for i, d := range p.Details {
		if i == jobProblems {
			fmt.Fprintf(&b, " … (%d more)", len(p.Details)-jobProblems)
			break
		}
		b.WriteString(" — ")
		if loc := detailPlace(d); loc != "" {
			b.WriteString(loc + ": ")
		}
		b.WriteString(d.Message)
	}
	return &problem.Error{Kind: p.Kind, Message: b.String(), Details: p.Details, Err: p.Err}
}

// detailPlace says where a problem is: "row 3, column employment".
func detailPlace(d problem.Detail) string {
	var parts []string
	if d.Sheet != "" {
		parts = append(parts, "sheet "+d.Sheet)
	}
	if d.Row > 0 {
		parts = append(parts, "row "+strconv.Itoa(d.Row))
	}
	if d.Field != "" {
		parts = append(parts, "column "+d.Field)
	}
	return strings.Join(parts, ", ")
}

// QueueEmploymentImport checks what the person said about the dataset,
// stores the file (at most MaxEmploymentBytes) as an upload and queues the
// job that imports it, in one transaction, and returns the job's ID. title
// names the job for its starter, in their language.
func (s *Store) QueueEmploymentImport(ctx context.Context, runner *job.Runner, actor user.Actor, in DatasetInput, file io.Reader, title string) (int64, error) {
	if err := s.CheckDatasetInput(ctx, actor, in); err != nil {
		return 0, err
	}
	in.normalise()
	var jobID int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		uploadID, _, err := saveUpload(ctx, tx, actor.UserID, in.File, file, MaxEmploymentBytes)
		if err != nil {
			return err
		}
		jobID, err = runner.EnqueueTx(ctx, tx, EmploymentImportArgs{UploadID: uploadID, UserID: actor.UserID, Input: in},
			job.Opts{UserID: actor.UserID, Title: title, Unit: job.Rows})
		return err
	})
	return jobID, err
}

// datasetPath is a dataset's page.
func datasetPath(id int64) string { return "/mapping/datasets/" + strconv.FormatInt(id, 10) }
