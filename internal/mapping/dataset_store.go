package mapping

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
)

// DatasetInfo describes a stored employment dataset without its cells: the
// summary columns kept up to date by every import.
type DatasetInfo struct {
	ID             int64      `json:"id"`
	Name           string     `json:"name"`
	Classification string     `json:"classification"`
	Description    string     `json:"description"`
	Source         string     `json:"source"`
	Demo           bool       `json:"demo"`
	Cells          int64      `json:"cells"`
	Suppressed     int64      `json:"suppressed"`
	FirstYear      int        `json:"first_year,omitempty"` // 0 while empty
	LastYear       int        `json:"last_year,omitempty"`
	Areas          int        `json:"area_count"`
	Version        int        `json:"version"`
	CreatedBy      int64      `json:"created_by,omitempty"` // 0: the command line or the demo
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
	ImportedAt     *time.Time `json:"imported_at,omitempty"`
	ArchivedAt     *time.Time `json:"archived_at,omitempty"`
}

// Archived reports whether the dataset is archived.
func (d *DatasetInfo) Archived() bool { return d.ArchivedAt != nil }

// DatasetArea is one area of a dataset: its code in the dataset, its name,
// the platform area it is (0 when it exists only in the dataset) and the
// country it lies in (empty when unknown).
type DatasetArea struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	AreaID  int64  `json:"area_id,omitempty"`
	Country string `json:"country,omitempty"`
}

const datasetColumns = `d.id, d.name, d.classification, d.description, d.source, d.demo, d.cells, d.suppressed,
	COALESCE(d.first_year, 0), COALESCE(d.last_year, 0),
	(SELECT COUNT(*) FROM dataset_areas a WHERE a.dataset_id = d.id),
	d.version, COALESCE(d.created_by, 0), d.created_at, d.updated_at, d.imported_at, d.archived_at
	FROM employment_datasets d`

func scanDataset(row interface{ Scan(...any) error }) (*DatasetInfo, error) {
	var (
		d                  DatasetInfo
		imported, archived sql.NullTime
	)
	if err := row.Scan(&d.ID, &d.Name, &d.Classification, &d.Description, &d.Source, &d.Demo, &d.Cells, &d.Suppressed,
		&d.FirstYear, &d.LastYear, &d.Areas, &d.Version, &d.CreatedBy, &d.CreatedAt, &d.UpdatedAt, &imported, &archived); err != nil {
		return nil, err
	}
	if imported.Valid {
		t := imported.Time
		d.ImportedAt = &t
	}
	if archived.Valid {
		t := archived.Time
		d.ArchivedAt = &t
	}
	return &d, nil
}

// FindDatasets lists the datasets by name. Every signed-in person may read
// every dataset.
func (s *Store) FindDatasets(ctx context.Context, includeArchived bool) ([]*DatasetInfo, error) {
	q := `SELECT ` + datasetColumns
	if !includeArchived {
		q += ` WHERE d.archived_at IS NULL`
	}
	rows, err := s.db.Read().QueryContext(ctx, q+` ORDER BY lower(d.name), d.id`)
	if err != nil {
		return nil, fmt.Errorf("datasets: %w", err)
	}
	defer rows.Close()
	var out []*DatasetInfo
	for rows.Next() {
		d, err := scanDataset(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// FindDataset returns one dataset, archived or not.
func (s *Store) FindDataset(ctx context.Context, id int64) (*DatasetInfo, error) {
	return findDataset(ctx, s.db.Read(), `d.id = $1`, id)
}

// FindDatasetByName returns the dataset of that exact name.
func (s *Store) FindDatasetByName(ctx context.Context, name string) (*DatasetInfo, error) {
	return findDataset(ctx, s.db.Read(), `d.name = $1`, strings.TrimSpace(name))
}

func findDataset(ctx context.Context, q db.Querier, cond string, arg any) (*DatasetInfo, error) {
	d, err := scanDataset(q.QueryRowContext(ctx, `SELECT `+datasetColumns+` WHERE `+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, problem.NotFoundf("There is no such employment dataset.")
	}
	if err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	return d, nil
}

// DatasetAreas lists a dataset's areas by code.
func (s *Store) DatasetAreas(ctx context.Context, id int64) ([]DatasetArea, error) {
	if _, err := s.FindDataset(ctx, id); err != nil {
		return nil, err
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT code, name, COALESCE(area_id, 0), COALESCE(country_iso3, '')
		FROM dataset_areas WHERE dataset_id = $1 ORDER BY code`, id)
	if err != nil {
		return nil, fmt.Errorf("dataset areas: %w", err)
	}
	defer rows.Close()
	var out []DatasetArea
	for rows.Next() {
		var a DatasetArea
		if err := rows.Scan(&a.Code, &a.Name, &a.AreaID, &a.Country); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// LoadDataset reads every cell of a dataset into the columnar Dataset the
// computation uses. A large dataset is read by several queries at once
// (see cellRanges), since decoding rows costs more than anything else; the
// computation does not depend on the order the cells arrive in. Codes are read as raw bytes and interned,
// so five million rows allocate a few thousand strings, not ten million.
func (s *Store) LoadDataset(ctx context.Context, id int64) (*Dataset, error) {
	info, err := s.FindDataset(ctx, id)
	if err != nil {
		return nil, err
	}
	ranges, err := s.cellRanges(ctx, id, info.Cells)
	if err != nil {
		return nil, err
	}
	b := NewBuilder(int(info.Cells))
	chunks := make(chan []Cell, 2*len(ranges))
	free := make(chan []Cell, 3*len(ranges))
	g, gctx := errgroup.WithContext(ctx)
	for _, r := range ranges {
		g.Go(func() error { return s.readCells(gctx, id, r, chunks, free) })
	}
	done := make(chan error, 1)
	go func() { done <- g.Wait(); close(chunks) }()
	var addErr error
	for chunk := range chunks {
		for i := range chunk {
			if addErr == nil {
				addErr = b.Add(chunk[i])
			}
		}
		select {
		case free <- chunk[:0]:
		default:
		}
	}
	if err := <-done; err != nil {
		return nil, err
	}
	if addErr != nil {
		return nil, addErr
	}
	return b.Build()
}

// readCells reads the cells of one range into chunks.
func (s *Store) readCells(ctx context.Context, id int64, r cellRange, chunks chan<- []Cell, free chan []Cell) error {
	q, args := r.query(id)
	rows, err := s.db.Read().QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("dataset cells: %w", err)
	}
	defer rows.Close()
	codes := map[string]string{}
	intern := func(raw []byte) string {
		if s, ok := codes[string(raw)]; ok {
			return s
		}
		s := string(raw)
		codes[s] = s
		return s
	}
	var (
		area, ind       sql.RawBytes
		emp, est, wages sql.NullInt64
		c               Cell
		chunk           = make([]Cell, 0, loadChunk)
	)
	send := func() error {
		select {
		case chunks <- chunk:
		case <-ctx.Done():
			return ctx.Err()
		}
		select {
		case chunk = <-free:
		default:
			chunk = make([]Cell, 0, loadChunk)
		}
		return nil
	}
	for rows.Next() {
		if err := rows.Scan(&area, &ind, &c.Year, &emp, &est, &wages, &c.Suppressed); err != nil {
			return fmt.Errorf("dataset cells: %w", err)
		}
		c.Area, c.Industry = intern(area), intern(ind)
		c.Employment = emp.Int64
		c.Establishments, c.HasEstablishments = est.Int64, est.Valid
		c.Wages, c.HasWages = float64(wages.Int64)/wageScale, wages.Valid
		if chunk = append(chunk, c); len(chunk) == loadChunk {
			if err := send(); err != nil {
				return err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("dataset cells: %w", err)
	}
	if len(chunk) > 0 {
		return send()
	}
	return nil
}
