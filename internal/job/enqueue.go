package job

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/riverqueue/river"

	"github.com/clusterobservatory/observatory/internal/problem"
)

// maxTitle is the longest title a job may have, in characters.
const maxTitle = 200

// Opts says who started a job and how to present it to them.
type Opts struct {
	// UserID is the person who started the job and may follow it; 0 for
	// jobs the system starts, which only admins see.
	UserID int64
	// Title names the job on its page, in the starter's language
	// ("Import of members.xlsx").
	Title string
	// Unit is what the job counts (default Items).
	Unit Unit
	// Insert are River's options: queue, priority, schedule, uniqueness,
	// MaxAttempts. Nil takes the worker's and the runner's defaults.
	Insert *river.InsertOpts
}

// normalise trims the options, fills defaults and says what is wrong.
func (o *Opts) normalise() error {
	var f problem.Fields
	o.Title = strings.TrimSpace(o.Title)
	switch {
	case o.Title == "":
		f.Add("title", "A job needs a title to show the person who started it.")
	case utf8.RuneCountInString(o.Title) > maxTitle:
		f.Add("title", "The title is longer than %d characters.", maxTitle)
	}
	if o.Unit == "" {
		o.Unit = Items
	} else if !o.Unit.Valid() {
		f.Add("unit", "%q is not a unit; use one of %v.", o.Unit, Units)
	}
	if o.UserID < 0 {
		f.Add("user_id", "The user ID must be positive, or 0 for the system.")
	}
	return f.Err()
}

// Enqueue queues a job in a transaction of its own and returns its ID,
// which the job's page and API use.
func (r *Runner) Enqueue(ctx context.Context, args river.JobArgs, o Opts) (int64, error) {
	var id int64
	err := r.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = r.EnqueueTx(ctx, tx, args, o)
		return err
	})
	return id, err
}

// EnqueueTx queues a job inside the caller's transaction (from DB.Tx): the
// job is only seen by workers once the transaction commits, and never if it
// rolls back, so a job is never started for data that was not stored.
// Inside DB.Tx, always use EnqueueTx: on SQLite, Enqueue would wait for the
// write connection the transaction holds.
func (r *Runner) EnqueueTx(ctx context.Context, tx *sql.Tx, args river.JobArgs, o Opts) (int64, error) {
	if err := o.normalise(); err != nil {
		return 0, err
	}
	res, err := r.engine.insertTx(ctx, tx, args, o.Insert)
	if err != nil {
		return 0, fmt.Errorf("queue job %s: %w", args.Kind(), err)
	}
	if err := insertProgress(ctx, tx, res.Job.ID, args.Kind(), o); err != nil {
		return 0, err
	}
	return res.Job.ID, nil
}
