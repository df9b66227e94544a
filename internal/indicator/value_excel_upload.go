package indicator

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/clusterobservatory/observatory/internal/keptfile"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// Between the preview and the commit, an uploaded workbook is kept (see
// package keptfile) under a name that starts with excelUploadPrefix.

const (
	excelUploadPrefix = "indicator-values:"
	// excelUploadMaxAge is how long an upload waits for its commit.
	excelUploadMaxAge = 24 * time.Hour
)

// ExcelHash is the hex SHA-256 of an uploaded file.
func ExcelHash(data []byte) string { return keptfile.Hash(data) }

// KeepExcelUpload stores an uploaded workbook for its commit and returns
// its ID, removing uploads of workbooks abandoned after their preview.
func (s *Store) KeepExcelUpload(ctx context.Context, actor user.Actor, name string, data []byte) (int64, error) {
	if !MaySetTargets(actor) {
		return 0, problem.Forbiddenf("Only administrators, programme officers, BSO staff and cluster managers may enter values.")
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) (err error) {
		id, err = keptfile.Keep(ctx, tx, actor.UserID, excelUploadPrefix, excelUploadPrefix+name, data, excelUploadMaxAge)
		return err
	})
	return id, err
}

// loadExcelUpload reads an upload of the actor's and checks its hash.
func (s *Store) loadExcelUpload(ctx context.Context, actor user.Actor, id int64, hash string) (string, []byte, error) {
	return keptfile.Load(ctx, s.db.Read(), actor.UserID, id, excelUploadPrefix, hash)
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
	err = s.db.Tx(ctx, func(tx *sql.Tx) error { return keptfile.Remove(ctx, tx, id) })
	if err != nil {
		return nil, fmt.Errorf("remove upload %d: %w", id, err)
	}
	return sum, nil
}
