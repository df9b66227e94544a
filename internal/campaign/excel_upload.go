package campaign

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/indicator"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// Between the preview and the commit, an uploaded workbook waits in the
// uploads table (migration 0090), as the indicator values workbook does:
// kept in the database, the commit may reach any server instance and
// nothing is posted twice by the browser. The upload belongs to the user
// who sent it, its name carries the campaign, and the commit form carries
// the file's SHA-256, which the stored file must have: what is committed
// is what was previewed. The commit removes it in its own transaction;
// uploads left after a preview are removed a day later.

const (
	excelUploadPrefix = "campaign-answers:"
	excelUploadPart   = 1 << 20
	excelUploadMaxAge = 24 * time.Hour
)

func excelUploadName(campaignID int64, name string) string {
	return fmt.Sprintf("%s%d:%s", excelUploadPrefix, campaignID, name)
}

// KeepExcelUpload stores a previewed workbook for its commit and returns
// its ID, removing workbooks abandoned after their preview.
func (s *Store) KeepExcelUpload(ctx context.Context, actor user.Actor, campaignID int64, name string, data []byte) (int64, error) {
	if _, err := s.FindCampaign(ctx, actor, campaignID); err != nil {
		return 0, err
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		cutoff := db.Now().Add(-excelUploadMaxAge)
		if _, err := tx.ExecContext(ctx, `DELETE FROM upload_parts WHERE upload_id IN
			(SELECT id FROM uploads WHERE name LIKE $1 AND created_at < $2)`, excelUploadPrefix+"%", cutoff); err != nil {
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
			owner, excelUploadName(campaignID, name), len(data), db.Now()).Scan(&id); err != nil {
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

// loadExcelUpload reads a kept upload of the actor's for a campaign and
// checks its hash.
func (s *Store) loadExcelUpload(ctx context.Context, actor user.Actor, campaignID, id int64, hash string) (string, []byte, error) {
	owner := "user_id IS NULL"
	args := []any{id}
	if actor.UserID != 0 {
		owner = "user_id = $2"
		args = append(args, actor.UserID)
	}
	prefix := excelUploadName(campaignID, "")
	var name string
	err := s.db.Read().QueryRowContext(ctx, `SELECT name FROM uploads WHERE id = $1 AND `+owner, args...).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !strings.HasPrefix(name, prefix)) {
		return "", nil, problem.NotFoundf("The uploaded workbook is no longer there (it was stored already, or waited more than a day): upload it again.")
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
	if indicator.ExcelHash(data) != hash {
		return "", nil, problem.Conflictf("The stored workbook is not the one previewed: upload it again.")
	}
	return strings.TrimPrefix(name, prefix), data, nil
}

func removeUpload(ctx context.Context, tx *sql.Tx, id int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM upload_parts WHERE upload_id = $1`, id); err != nil {
		return fmt.Errorf("remove upload %d: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM uploads WHERE id = $1`, id); err != nil {
		return fmt.Errorf("remove upload %d: %w", id, err)
	}
	return nil
}

// CommitExcelUpload commits a workbook kept since its preview: it is read
// and checked again against the answers as they are now, and all its rows
// are stored at once; the kept file is removed in the same transaction.
func (s *Store) CommitExcelUpload(ctx context.Context, actor user.Actor, campaignID, uploadID int64, hash string) (*ExcelSummary, error) {
	if _, err := s.FindCampaign(ctx, actor, campaignID); err != nil {
		return nil, err
	}
	name, data, err := s.loadExcelUpload(ctx, actor, campaignID, uploadID, hash)
	if err != nil {
		return nil, err
	}
	sum, err := s.prepareExcel(ctx, actor, campaignID, data, name)
	if err != nil {
		return nil, err
	}
	return sum, s.storeExcel(ctx, actor, sum, true, uploadID)
}
