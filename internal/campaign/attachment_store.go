package campaign

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// writeSubmissionFiles stores, for the new submission id, the files that came with
// it and copies the carried ones from the submission it replaces. Without
// either it runs no query.
func writeSubmissionFiles(ctx context.Context, tx *sql.Tx, id int64, atts []Attachment, replaced any, carry []string, now time.Time) error {
	for _, a := range atts {
		if a.Data == nil || a.Missing {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO submission_files (submission_id, name, content_type, size, sha256, data, created_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7)`, id, a.Name, a.ContentType, a.Size, a.SHA256, a.Data, now); err != nil {
			return fmt.Errorf("store file %s: %w", a.Name, err)
		}
	}
	if len(carry) == 0 || replaced == nil {
		return nil
	}
	args := []any{id, replaced}
	marks := make([]string, len(carry))
	for i, n := range carry {
		args = append(args, n)
		marks[i] = fmt.Sprintf("$%d", i+3)
	}
	// The copy keeps the file's first arrival time.
	_, err := tx.ExecContext(ctx, `INSERT INTO submission_files (submission_id, name, content_type, size, sha256, data, created_at)
		SELECT $1, name, content_type, size, sha256, data, created_at FROM submission_files
		WHERE submission_id = $2 AND name IN (`+strings.Join(marks, ",")+`)`, args...)
	if err != nil {
		return fmt.Errorf("keep the edited submission's files: %w", err)
	}
	return nil
}

// addSubmissionFiles stores the files a repeated request of a stored instance brings
// that the stored submission names but had not received: ODK Collect sends
// a large submission as several requests, each with the same instance and
// more files. A file received before is skipped when its content is the
// same and refused when it differs. Without files it runs no query.
func addSubmissionFiles(ctx context.Context, tx *sql.Tx, sub *Submission, atts []Attachment, now time.Time) error {
	if !anyFileData(atts) {
		return nil
	}
	// Touching the row first locks it, so that two requests adding files
	// to one submission take turns and each sees the other's files.
	var stored string
	if err := tx.QueryRowContext(ctx, `UPDATE submissions SET attachments = attachments WHERE id = $1 RETURNING attachments`,
		sub.ID).Scan(&stored); err != nil {
		return fmt.Errorf("lock submission: %w", err)
	}
	list := []Attachment{}
	_ = json.Unmarshal([]byte(stored), &list)
	at := make(map[string]int, len(list))
	for i, a := range list {
		at[a.Name] = i
	}
	var add []Attachment
	for _, a := range atts {
		if a.Data == nil {
			continue
		}
		i, ok := at[a.Name]
		switch {
		case !ok:
			return attachmentProblem(problem.Invalid, false, a.Name, "Submission %s does not name the file %s.", sub.InstanceID, a.Name)
		case !list[i].Missing && list[i].SHA256 == a.SHA256:
			continue
		case !list[i].Missing:
			return attachmentProblem(problem.Conflict, false, a.Name, "Submission %s already holds another file named %s; "+
				"to change it, send an edit.", sub.InstanceID, a.Name)
		}
		add = append(add, a)
		a.Data = nil
		list[i] = a
	}
	if len(add) == 0 {
		sub.Attachments = list
		return nil
	}
	if total := storedFileBytes(list); total > MaxFilesBytes {
		return problem.New(problem.TooLarge, "The files of a submission may hold at most %d MB together; with these they would hold %d MB.",
			MaxFilesBytes>>20, total>>20)
	}
	if err := writeSubmissionFiles(ctx, tx, sub.ID, add, nil, nil, now); err != nil {
		return err
	}
	b, _ := json.Marshal(list)
	if _, err := tx.ExecContext(ctx, `UPDATE submissions SET attachments = $1 WHERE id = $2`, string(b), sub.ID); err != nil {
		return fmt.Errorf("update files of submission: %w", err)
	}
	sub.Attachments = list
	return nil
}

// StoredFile is a stored file of a submission.
type StoredFile struct {
	Attachment
	SubmissionID int64
	CreatedAt    time.Time
}

// SubmissionFile returns a file of a submission of a campaign the actor
// runs; not found for a file not received and for anyone else.
func (s *Store) SubmissionFile(ctx context.Context, actor user.Actor, id int64, name string) (*StoredFile, error) {
	if _, err := s.FindSubmission(ctx, actor, id); err != nil {
		return nil, err
	}
	f := StoredFile{SubmissionID: id}
	err := s.db.Read().QueryRowContext(ctx, `SELECT name, content_type, size, sha256, data, created_at FROM submission_files
		WHERE submission_id = $1 AND name = $2`, id, name).Scan(&f.Name, &f.ContentType, &f.Size, &f.SHA256, &f.Data, &f.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, problem.NotFoundf("Submission #%d has no file %s.", id, name)
	}
	if err != nil {
		return nil, fmt.Errorf("submission file: %w", err)
	}
	return &f, nil
}
