package campaign

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/clusterobservatory/observatory/internal/keptfile"
	"github.com/clusterobservatory/observatory/internal/user"
)

// Between the preview and the commit, an uploaded workbook is kept (see
// package keptfile), as the indicator values workbook is; its name carries
// the campaign. The commit removes it in its own transaction; workbooks
// left after a preview are removed a day later.

const (
	excelUploadPrefix = "campaign-answers:"
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
	err := s.db.Tx(ctx, func(tx *sql.Tx) (err error) {
		id, err = keptfile.Keep(ctx, tx, actor.UserID, excelUploadPrefix, excelUploadName(campaignID, name), data, excelUploadMaxAge)
		return err
	})
	return id, err
}

// loadExcelUpload reads a kept upload of the actor's for a campaign and
// checks its hash.
func (s *Store) loadExcelUpload(ctx context.Context, actor user.Actor, campaignID, id int64, hash string) (string, []byte, error) {
	return keptfile.Load(ctx, s.db.Read(), actor.UserID, id, excelUploadName(campaignID, ""), hash)
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
