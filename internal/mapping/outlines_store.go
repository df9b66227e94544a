package mapping

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// OutlinesInfo describes a dataset's stored outlines, without the shapes.
type OutlinesInfo struct {
	Property  string    `json:"property"`
	Features  int       `json:"features"`
	Unmatched []string  `json:"unmatched,omitempty"`
	Missing   []string  `json:"missing,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// SaveOutlines reads an outlines file against the dataset's areas and
// stores it in place of any earlier one. Who may replace the dataset may
// give it outlines.
func (s *Store) SaveOutlines(ctx context.Context, actor user.Actor, datasetID int64, file string, data []byte) (*OutlinesInfo, error) {
	info, err := s.FindDataset(ctx, datasetID)
	if err != nil {
		return nil, err
	}
	if !MayChange(actor, info.CreatedBy) {
		return nil, problem.Forbiddenf("Only the dataset's importer or an administrator may give it area outlines.")
	}
	areas, err := s.DatasetAreas(ctx, datasetID)
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(areas))
	for _, a := range areas {
		names[a.Code] = a.Name
	}
	o, err := ParseOutlines(data, file, names)
	if err != nil {
		return nil, err
	}
	out := &OutlinesInfo{Property: o.Property, Features: o.Matched, Unmatched: o.Unmatched, Missing: o.Missing, CreatedAt: db.Now()}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM dataset_outlines WHERE dataset_id = $1`, datasetID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO dataset_outlines (dataset_id, geojson, property, features, unmatched, missing, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, datasetID, string(o.GeoJSON), o.Property, o.Matched,
			strings.Join(o.Unmatched, "\n"), strings.Join(o.Missing, "\n"), nullInt(actor.UserID), out.CreatedAt); err != nil {
			return fmt.Errorf("store outlines: %w", err)
		}
		return audit.Record(ctx, tx, actor, "outlines", "employment_dataset", datasetID, nil,
			map[string]any{"file": file, "property": o.Property, "features": o.Matched, "missing": len(o.Missing)})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// FindOutlines describes the dataset's outlines; nil when it has none.
func (s *Store) FindOutlines(ctx context.Context, datasetID int64) (*OutlinesInfo, error) {
	var o OutlinesInfo
	var unmatched, missing string
	err := s.db.Read().QueryRowContext(ctx, `SELECT property, features, unmatched, missing, created_at FROM dataset_outlines WHERE dataset_id = $1`,
		datasetID).Scan(&o.Property, &o.Features, &unmatched, &missing, &o.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("outlines: %w", err)
	}
	o.Unmatched, o.Missing = splitLines(unmatched), splitLines(missing)
	return &o, nil
}

// OutlinesGeoJSON returns the stored FeatureCollection.
func (s *Store) OutlinesGeoJSON(ctx context.Context, datasetID int64) ([]byte, error) {
	var b string
	err := s.db.Read().QueryRowContext(ctx, `SELECT geojson FROM dataset_outlines WHERE dataset_id = $1`, datasetID).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, problem.NotFoundf("The dataset has no area outlines.")
	}
	if err != nil {
		return nil, fmt.Errorf("outlines: %w", err)
	}
	return []byte(b), nil
}

// DeleteOutlines removes the dataset's outlines.
func (s *Store) DeleteOutlines(ctx context.Context, actor user.Actor, datasetID int64) error {
	info, err := s.FindDataset(ctx, datasetID)
	if err != nil {
		return err
	}
	if !MayChange(actor, info.CreatedBy) {
		return problem.Forbiddenf("Only the dataset's importer or an administrator may remove its area outlines.")
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM dataset_outlines WHERE dataset_id = $1`, datasetID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return audit.Record(ctx, tx, actor, "remove_outlines", "employment_dataset", datasetID, nil, nil)
	})
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}
