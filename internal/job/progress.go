package job

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
)

// Unit names what a job counts, so the page can say "1,234 of 5,000 rows".
type Unit string

// The units a job may count in. Items is the default.
const (
	Items    Unit = "items"
	Rows     Unit = "rows"
	Records  Unit = "records"
	Messages Unit = "messages"
)

// Units lists every unit.
var Units = []Unit{Items, Rows, Records, Messages}

// Valid reports whether u is one of the known units.
func (u Unit) Valid() bool {
	for _, v := range Units {
		if u == v {
			return true
		}
	}
	return false
}

// Result is what a job that succeeded leaves for the person who started it:
// a one-line summary, a link to what it made or changed, and tallies for
// scripts reading the API.
type Result struct {
	Message string           `json:"message,omitempty"`
	Link    string           `json:"link,omitempty"`
	Counts  map[string]int64 `json:"counts,omitempty"`
}

// Progress is how far one job has come, as its starter sees it.
type Progress struct {
	ID     int64  `json:"id"`
	UserID int64  `json:"-"`
	Kind   string `json:"kind"`
	Title  string `json:"title"`
	Unit   Unit   `json:"unit"`
	State  State  `json:"state"`
	Done   int64  `json:"done"`
	// Total is 0 while the job does not know how much there is to do.
	Total int64 `json:"total"`
	// Message is meant for people: what the job is doing, or why it failed.
	Message   string    `json:"message"`
	Result    *Result   `json:"result"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Live reports whether the job may still change, so a page keeps refreshing.
func (p *Progress) Live() bool { return !p.State.Final() }

// Known reports whether the job knows how much it has to do.
func (p *Progress) Known() bool { return p.Total > 0 }

// Share is the fraction done, between 0 and 1 (0 when the total is unknown).
func (p *Progress) Share() float64 {
	if p.Total <= 0 {
		return 0
	}
	return min(1, max(0, float64(p.Done)/float64(p.Total)))
}

const progressColumns = `p.job_id, COALESCE(p.user_id, 0), p.kind, p.title, p.unit, p.state, p.done, p.total,
	p.message, p.result_json, p.created_at, p.updated_at, COALESCE(CAST(rj.state AS TEXT), '')`

// progressFrom joins River's job row so the state can be reconciled with it.
const progressFrom = `FROM job_progress p LEFT JOIN river_job rj ON rj.id = p.job_id`

func scanProgress(row interface{ Scan(...any) error }) (*Progress, error) {
	var (
		p          Progress
		result     sql.NullString
		riverState string
	)
	if err := row.Scan(&p.ID, &p.UserID, &p.Kind, &p.Title, &p.Unit, &p.State, &p.Done, &p.Total,
		&p.Message, &result, &p.CreatedAt, &p.UpdatedAt, &riverState); err != nil {
		return nil, err
	}
	if result.Valid && result.String != "" {
		p.Result = new(Result)
		if err := json.Unmarshal([]byte(result.String), p.Result); err != nil {
			return nil, fmt.Errorf("job %d: result: %w", p.ID, err)
		}
	}
	p.State = reconcile(p.State, riverState)
	return &p, nil
}

// Progress returns the progress of a job, whoever started it. Handlers use
// ProgressFor, which checks who is asking.
func (r *Runner) Progress(ctx context.Context, jobID int64) (*Progress, error) {
	row := r.db.Read().QueryRowContext(ctx, `SELECT `+progressColumns+` `+progressFrom+` WHERE p.job_id = $1`, jobID)
	p, err := scanProgress(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, problem.NotFoundf("There is no job %d.", jobID)
	}
	return p, err
}

// ProgressFor returns a job's progress if the viewer may see it: the person
// who started it, or an admin. Anyone else gets not-found, so the existence
// of other people's jobs does not leak.
func (r *Runner) ProgressFor(ctx context.Context, viewerID int64, admin bool, jobID int64) (*Progress, error) {
	q := `SELECT ` + progressColumns + ` ` + progressFrom + ` WHERE p.job_id = $1`
	args := []any{jobID}
	if !admin {
		q += ` AND p.user_id = $2`
		args = append(args, viewerID)
	}
	p, err := scanProgress(r.db.Read().QueryRowContext(ctx, q, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, problem.NotFoundf("")
	}
	return p, err
}

// FindFor lists the jobs a person started, newest first, a page at a time,
// with the number of them.
func (r *Runner) FindFor(ctx context.Context, userID int64, page, perPage int) ([]*Progress, int, error) {
	page, perPage = max(page, 1), min(max(perPage, 1), 500)
	var total int
	if err := r.db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM job_progress WHERE user_id = $1`, userID).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := r.db.Read().QueryContext(ctx, `SELECT `+progressColumns+` `+progressFrom+`
		WHERE p.user_id = $1 ORDER BY p.created_at DESC, p.job_id DESC LIMIT $2 OFFSET $3`,
		userID, perPage, (page-1)*perPage)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*Progress
	for rows.Next() {
		p, err := scanProgress(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, p)
	}
	return out, total, rows.Err()
}

// insertProgress records a job as queued in the transaction that inserted it,
// so the job and its progress row exist together or not at all. A job River
// skipped as a duplicate of a unique job keeps its first row.
func insertProgress(ctx context.Context, tx *sql.Tx, jobID int64, kind string, o Opts) error {
	var userID any
	if o.UserID != 0 {
		userID = o.UserID
	}
	now := db.Now()
	_, err := tx.ExecContext(ctx, `INSERT INTO job_progress
		(job_id, user_id, kind, title, unit, done, total, message, state, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, 0, 0, '', $6, $7, $7)
		ON CONFLICT (job_id) DO NOTHING`,
		jobID, userID, kind, o.Title, string(o.Unit), string(Queued), now)
	if err != nil {
		return fmt.Errorf("record job progress: %w", err)
	}
	return nil
}

// markRunning records that an attempt started and reports whether the job
// has a progress row at all (jobs River inserts itself, such as periodic
// ones, have none).
func (r *Runner) markRunning(ctx context.Context, jobID int64) (bool, error) {
	var n int64
	err := r.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE job_progress SET state = $1, message = '', updated_at = $2 WHERE job_id = $3`,
			string(Running), db.Now(), jobID)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n > 0, err
}

// writeProgress stores a running job's counts. It leaves jobs that already
// ended alone, so a late write cannot undo the final state.
func (r *Runner) writeProgress(ctx context.Context, jobID int64, s snapshot) error {
	return r.db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE job_progress SET done = $1, total = $2, message = $3, updated_at = $4
			WHERE job_id = $5 AND state = $6`, s.done, s.total, s.message, db.Now(), jobID, string(Running))
		return err
	})
}

// writeFinal stores the outcome of an attempt.
func (r *Runner) writeFinal(ctx context.Context, jobID int64, state State, s snapshot, result *Result) error {
	var resultJSON any
	if result != nil && state == Succeeded {
		b, err := json.Marshal(result)
		if err != nil {
			return fmt.Errorf("job %d: result: %w", jobID, err)
		}
		resultJSON = string(b)
	}
	return r.db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE job_progress SET state = $1, done = $2, total = $3, message = $4,
			result_json = $5, updated_at = $6 WHERE job_id = $7`,
			string(state), s.done, s.total, s.message, resultJSON, db.Now(), jobID)
		return err
	})
}
