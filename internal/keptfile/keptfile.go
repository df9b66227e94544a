// Package keptfile keeps an uploaded file in the database between the page
// that checks it and the page that stores what it holds (a preview, then a
// commit). Kept in the database, the second request may reach any server
// instance and the browser never posts the file twice. A file belongs to
// the user who sent it; its name starts with its family (such as
// "indicator-values:"), by which abandoned files are found and removed;
// and the second request names the file's SHA-256, which the kept file
// must have: what is stored is what was previewed. The tables are uploads
// and upload_parts (migration 0090).
package keptfile

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
)

// partSize is the size of the parts a file is stored in.
const partSize = 1 << 20

// Hash is the hex SHA-256 of a file, as the second request names it.
func Hash(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// Keep stores data as name (which starts with family) for userID (0: no
// user) inside tx and returns its ID, first removing the family's files
// older than maxAge, left behind after their preview.
func Keep(ctx context.Context, tx *sql.Tx, userID int64, family, name string, data []byte, maxAge time.Duration) (int64, error) {
	cutoff := db.Now().Add(-maxAge)
	if _, err := tx.ExecContext(ctx, `DELETE FROM upload_parts WHERE upload_id IN
		(SELECT id FROM uploads WHERE name LIKE $1 AND created_at < $2)`, family+"%", cutoff); err != nil {
		return 0, fmt.Errorf("remove stale uploads: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM uploads WHERE name LIKE $1 AND created_at < $2`, family+"%", cutoff); err != nil {
		return 0, fmt.Errorf("remove stale uploads: %w", err)
	}
	var owner any
	if userID != 0 {
		owner = userID
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO uploads (user_id, name, size, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		owner, name, len(data), db.Now()).Scan(&id); err != nil {
		return 0, fmt.Errorf("store upload: %w", err)
	}
	for seq := 0; seq*partSize < len(data); seq++ {
		part := data[seq*partSize : min((seq+1)*partSize, len(data))]
		if _, err := tx.ExecContext(ctx, `INSERT INTO upload_parts (upload_id, seq, data) VALUES ($1, $2, $3)`, id, seq, part); err != nil {
			return 0, fmt.Errorf("store upload part: %w", err)
		}
	}
	return id, nil
}

// Load reads the kept file id of userID whose name starts with prefix,
// and checks that its hash is hash. It returns the name without prefix.
func Load(ctx context.Context, q db.Querier, userID, id int64, prefix, hash string) (string, []byte, error) {
	owner := "user_id IS NULL"
	args := []any{id}
	if userID != 0 {
		owner = "user_id = $2"
		args = append(args, userID)
	}
	var name string
	err := q.QueryRowContext(ctx, `SELECT name FROM uploads WHERE id = $1 AND `+owner, args...).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !strings.HasPrefix(name, prefix)) {
		return "", nil, problem.NotFoundf("The uploaded workbook is no longer there (it was stored already, or waited more than a day): upload it again.")
	}
	if err != nil {
		return "", nil, fmt.Errorf("upload %d: %w", id, err)
	}
	var data []byte
	err = db.Each(ctx, q, `SELECT data FROM upload_parts WHERE upload_id = $1 ORDER BY seq`, []any{id}, func(rows *sql.Rows) error {
		var part []byte
		if err := rows.Scan(&part); err != nil {
			return err
		}
		data = append(data, part...)
		return nil
	})
	if err != nil {
		return "", nil, fmt.Errorf("upload %d: %w", id, err)
	}
	if Hash(data) != hash {
		return "", nil, problem.Conflictf("The stored workbook is not the one previewed: upload it again.")
	}
	return strings.TrimPrefix(name, prefix), data, nil
}

// Remove deletes kept file id inside tx, once what it holds is stored.
func Remove(ctx context.Context, tx *sql.Tx, id int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM upload_parts WHERE upload_id = $1`, id); err != nil {
		return fmt.Errorf("remove upload %d: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM uploads WHERE id = $1`, id); err != nil {
		return fmt.Errorf("remove upload %d: %w", id, err)
	}
	return nil
}
