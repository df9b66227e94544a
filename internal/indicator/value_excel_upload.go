package indicator

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
	"github.com/clusterobservatory/observatory/internal/user"
)

// Between the preview and the commit, an uploaded workbook waits in the
// uploads table (migration 0090), in parts like the employment files of
// the mapping domain, so that the commit may reach any server instance.
// Its name carries excelUploadPrefix so that abandoned ones are found and
// removed. The commit form carries the file's SHA-256 as well as its ID,
// and the stored file must have that hash: what is committed is what was
// previewed.

const (
	excelUploadPrefix = "indicator-values:"
	excelUploadPart   = 1 << 20
	// excelUploadMaxAge is how long an upload waits for its commit.
	excelUploadMaxAge = 24 * time.Hour
)

// ExcelHash is the hex SHA-256 of an uploaded file.
func ExcelHash(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// KeepExcelUpload stores an uploaded workbook for its commit and returns
// its ID, removing uploads of workbooks abandoned after their preview.
func (s *Store) KeepExcelUpload(ctx context.Context, actor user.Actor, name string, data []byte) (int64, error) {
	if !MaySetTargets(actor) {
		return 0, problem.Forbiddenf("Only administrators, programme officers, BSO staff and cluster managers may enter values.")
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		stale := `SELECT id FROM uploads WHERE name LIKE $1 AND created_at < $2`
		cutoff := db.Now().Add(-excelUploadMaxAge)
		if _, err := tx.ExecContext(ctx, `DELETE FROM upload_parts WHERE upload_id IN (`+stale+`)`, excelUploadPrefix+"%", cutoff); err != nil {
			return fmt.Errorf("remove stale uploads: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM uploads WHERE name LIKE $1 AND created_at < $2`, excelUploadPrefix+"%", cutoff); err != nil {
			return fmt.Errorf("remove stale uploads: %w", err)
		}
		var owner any
		if actor.UserID != 0 {
			owner = actor.UserID
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO uploads (user_id, name, size, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
			owner, excelUploadPrefix+name, len(data), db.Now()).Scan(&id); err != nil {
			return fmt.Errorf("store upload: %w", err)
		}
		for seq := 0; seq*excelUploadPart < len(data); seq++ {
			part := data[seq*excelUploadPart : min((seq+1)*excelUploadPart, len(data))]
			if _, err := tx.ExecContext(ctx, `INSERT INTO upload_parts (upload_id, seq, data) VALUES ($1, $2, $3)`, id, seq, part); err != nil {
				return fmt.Errorf("store upload part: %w", err)
			}
		}
		return nil
	})
	return id, err
}

// loadExcelUpload reads an upload of the actor's and checks its hash.
func (s *Store) loadExcelUpload(ctx context.Context, actor user.Actor, id int64, hash string) (string, []byte, error) {
	owner := "user_id IS NULL"
	args := []any{id}
	if actor.UserID != 0 {
		owner = "user_id = $2"
		args = append(args, actor.UserID)
	}
	var name string
	err := s.db.Read().QueryRowContext(ctx, `SELECT name FROM uploads WHERE id = $1 AND `+owner, args...).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !strings.HasPrefix(name, excelUploadPrefix)) {
		return "", nil, problem.NotFoundf("The uploaded workbook is no longer there (it was committed already, or waited more than a day): upload it again.")
	}
	if err != nil {
		return "", nil, fmt.Errorf("upload %d: %w", id, err)
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT data FROM upload_parts WHERE upload_id = $1 ORDER BY seq`, id)
	if err != nil {
		return "", nil, fmt.Errorf("upload %d: %w", id, err)
	}
	defer rows.Close()
	var data []byte
	for rows.Next() {
		var part []byte
		if err := rows.Scan(&part); err != nil {
			return "", nil, fmt.Errorf("upload %d: %w", id, err)
		}
		data = append(data, part...)
	}
	if err := rows.Err(); err != nil {
		return "", nil, err
	}
	if ExcelHash(data) != hash {
		return "", nil, problem.Conflictf("The stored workbook is not the one previewed: upload it again.")
	}
	return strings.TrimPrefix(name, excelUploadPrefix), data, nil
}

// CommitExcelUpload commits a workbook kept since its preview (see
// CommitExcel) and removes it once its values are stored.
func (s *Store) CommitExcelUpload(ctx context.Context, actor user.Actor, id int64, hash string) (*ExcelSummary, error) {
	if !MaySetTargets(actor) {
		return nil, problem.Forbiddenf("Only administrators, programme officers, BSO staff and cluster managers may enter values.")
	}
	name, data, err := s.loadExcelUpload(ctx, actor, id, hash)
	if err != nil {
		return nil, err
	}
	sum, err := s.CommitExcel(ctx, actor, data, name)
	if err != nil {
		return nil, err
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM upload_parts WHERE upload_id = $1`, id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM uploads WHERE id = $1`, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("remove upload %d: %w", id, err)
	}
	return sum, nil
}
