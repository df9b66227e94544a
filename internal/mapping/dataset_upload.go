package mapping

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
)

// An uploaded employment file waits in the database (migration 0090) for
// the job that imports it, so that the job can run on any server and after
// a restart. It is stored in parts of uploadPartSize, written and read one
// at a time, so a file of hundreds of megabytes is never held whole.

// uploadPartSize is the size of one stored part of an upload.
const uploadPartSize = 1 << 20

// uploadMaxAge is how long an upload may wait: past it, its job has long
// ended without deleting it (its server died for good) and it is removed.
const uploadMaxAge = 7 * 24 * time.Hour

// saveUpload stores r, at most limit bytes, as an upload of userID (0 for
// none) in tx and returns its ID and size. A file over the limit is a
// too-large problem and an empty one an invalid problem.
func saveUpload(ctx context.Context, tx *sql.Tx, userID int64, name string, r io.Reader, limit int64) (int64, int64, error) {
	var owner any
	if userID != 0 {
		owner = userID
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO uploads (user_id, name, size, created_at) VALUES ($1, $2, 0, $3) RETURNING id`,
		owner, name, db.Now()).Scan(&id); err != nil {
		return 0, 0, fmt.Errorf("store upload: %w", err)
	}
	buf := make([]byte, uploadPartSize)
	var size int64
	for seq := 0; ; seq++ {
		n, err := io.ReadFull(r, buf)
		if n > 0 {
			size += int64(n)
			if size > limit {
				return 0, 0, problem.New(problem.TooLarge, "The file is larger than %d MB.", limit>>20)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO upload_parts (upload_id, seq, data) VALUES ($1, $2, $3)`, id, seq, buf[:n]); err != nil {
				return 0, 0, fmt.Errorf("store upload part: %w", err)
			}
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if err != nil {
			return 0, 0, fmt.Errorf("read upload: %w", err)
		}
	}
	if size == 0 {
		return 0, 0, (&problem.Fields{{Field: "file", Message: "The file is empty."}}).Err()
	}
	if _, err := tx.ExecContext(ctx, `UPDATE uploads SET size = $1 WHERE id = $2`, size, id); err != nil {
		return 0, 0, fmt.Errorf("store upload: %w", err)
	}
	return id, size, nil
}

// uploadReader reads an upload part after part.
type uploadReader struct {
	ctx  context.Context
	q    db.Querier
	id   int64
	seq  int
	part []byte
	done bool
}

// openUpload returns a reader of an upload; a missing upload is not-found.
func (s *Store) openUpload(ctx context.Context, id int64) (io.ReadCloser, error) {
	var n int
	if err := s.db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM uploads WHERE id = $1`, id).Scan(&n); err != nil {
		return nil, fmt.Errorf("upload: %w", err)
	}
	if n == 0 {
		return nil, problem.NotFoundf("The uploaded file is no longer there; upload it again.")
	}
	return &uploadReader{ctx: ctx, q: s.db.Read(), id: id}, nil
}

func (u *uploadReader) Read(p []byte) (int, error) {
	for len(u.part) == 0 {
		if u.done {
			return 0, io.EOF
		}
		err := u.q.QueryRowContext(u.ctx, `SELECT data FROM upload_parts WHERE upload_id = $1 AND seq = $2`, u.id, u.seq).Scan(&u.part)
		if errors.Is(err, sql.ErrNoRows) {
			u.done = true
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("read upload part %d: %w", u.seq, err)
		}
		u.seq++
	}
	n := copy(p, u.part)
	u.part = u.part[n:]
	return n, nil
}

func (u *uploadReader) Close() error { return nil }

// deleteUpload removes an upload and its parts, with any upload left behind
// for longer than uploadMaxAge.
func (s *Store) deleteUpload(ctx context.Context, id int64) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		stale := `SELECT id FROM uploads WHERE id = $1 OR created_at < $2`
		cutoff := db.Now().Add(-uploadMaxAge)
		if _, err := tx.ExecContext(ctx, `DELETE FROM upload_parts WHERE upload_id IN (`+stale+`)`, id, cutoff); err != nil {
			return fmt.Errorf("delete upload: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM uploads WHERE id = $1 OR created_at < $2`, id, cutoff); err != nil {
			return fmt.Errorf("delete upload: %w", err)
		}
		return nil
	})
}
