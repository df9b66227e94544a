package mapping

import (
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"sync"
	"time"

	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// DatasetYear sums a dataset's cells of one year.
type DatasetYear struct {
	Year       int   `json:"year"`
	Cells      int64 `json:"cells"`
	Suppressed int64 `json:"suppressed"`
	Employment int64 `json:"employment"` // of the cells not suppressed
}

// DatasetYears sums a dataset's cells by year, in order of year.
func (s *Store) DatasetYears(ctx context.Context, id int64) ([]DatasetYear, error) {
	sum, err := s.datasetSummary(ctx, id)
	if err != nil {
		return nil, err
	}
	return sum.years, nil
}

// AreaFigures are an area's cells and its employment in the dataset's last
// year.
type AreaFigures struct {
	Cells, Employment int64
}

// DatasetAreaFigures counts each area's cells and sums its employment in
// the dataset's last year, by area code.
func (s *Store) DatasetAreaFigures(ctx context.Context, id int64) (map[string]AreaFigures, error) {
	sum, err := s.datasetSummary(ctx, id)
	if err != nil {
		return nil, err
	}
	return sum.areas, nil
}

// datasetSums are a dataset's totals by year and by area.
type datasetSums struct {
	years []DatasetYear
	areas map[string]AreaFigures
}

// summaries keeps the totals of recently shown datasets. Totals of millions
// of cells take seconds to read and only change with a new version of the
// dataset, which is part of the key, as is the database (tests open many).
var summaries = struct {
	sync.Mutex
	m map[string]*datasetSums
}{m: map[string]*datasetSums{}}

// summariesKept bounds the totals kept; each is a few thousand numbers.
const summariesKept = 64

func (s *Store) datasetSummary(ctx context.Context, id int64) (*datasetSums, error) {
	info, err := s.FindDataset(ctx, id)
	if err != nil {
		return nil, err
	}
	key := fmt.Sprintf("%d|%d|%d", s.db.Instance(), id, info.Version)
	summaries.Lock()
	sum, ok := summaries.m[key]
	summaries.Unlock()
	if ok {
		return sum, nil
	}
	// Two queries: each follows an order SQLite can read without sorting
	// millions of rows (the key starts with the area), or sorts a few.
	sum = &datasetSums{areas: map[string]AreaFigures{}}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT year, COUNT(*), SUM(CASE WHEN suppressed THEN 1 ELSE 0 END), COALESCE(SUM(employment), 0)
		FROM employment_cells WHERE dataset_id = $1 GROUP BY year ORDER BY year`, id)
	if err != nil {
		return nil, fmt.Errorf("dataset years: %w", err)
	}
	for rows.Next() {
		var y DatasetYear
		if err := rows.Scan(&y.Year, &y.Cells, &y.Suppressed, &y.Employment); err != nil {
			rows.Close()
			return nil, err
		}
		sum.years = append(sum.years, y)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = s.db.Read().QueryContext(ctx, `SELECT area_code, COUNT(*), COALESCE(SUM(CASE WHEN year = $2 THEN employment ELSE 0 END), 0)
		FROM employment_cells WHERE dataset_id = $1 GROUP BY area_code`, id, info.LastYear)
	if err != nil {
		return nil, fmt.Errorf("dataset areas: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		var f AreaFigures
		if err := rows.Scan(&code, &f.Cells, &f.Employment); err != nil {
			return nil, err
		}
		sum.areas[code] = f
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	summaries.Lock()
	if len(summaries.m) >= summariesKept {
		clear(summaries.m)
	}
	summaries.m[key] = sum
	summaries.Unlock()
	return sum, nil
}

// WriteDatasetCSV writes a dataset's cells in the import format, so that a
// download can be corrected and imported again, streaming them in the
// order of the primary key.
func (s *Store) WriteDatasetCSV(ctx context.Context, id int64, w io.Writer) error {
	areas, err := s.DatasetAreas(ctx, id)
	if err != nil {
		return err
	}
	names := make(map[string]string, len(areas))
	for _, a := range areas {
		if a.Name != a.Code {
			names[a.Code] = a.Name
		}
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT year, area_code, industry, employment, establishments, wages_cents, suppressed
		FROM employment_cells WHERE dataset_id = $1 ORDER BY area_code, industry, year`, id)
	if err != nil {
		return fmt.Errorf("dataset cells: %w", err)
	}
	defer rows.Close()
	cw := csv.NewWriter(w)
	if err := cw.Write(EmploymentColumns); err != nil {
		return err
	}
	var (
		year            int
		area, industry  string
		emp, est, wages sql.NullInt64
		sup             bool
		rec             = make([]string, len(EmploymentColumns))
	)
	num := func(v sql.NullInt64) string {
		if !v.Valid {
			return ""
		}
		return strconv.FormatInt(v.Int64, 10)
	}
	for rows.Next() {
		if err := rows.Scan(&year, &area, &industry, &emp, &est, &wages, &sup); err != nil {
			return err
		}
		rec[colYear], rec[colArea], rec[colIndustry], rec[colEmployment] = strconv.Itoa(year), area, industry, num(emp)
		rec[colAreaName], rec[colEstablishments], rec[colWages], rec[colSuppressed] = names[area], num(est), "", ""
		if wages.Valid {
			rec[colWages] = strconv.FormatFloat(float64(wages.Int64)/wageScale, 'f', 2, 64)
		}
		if sup {
			rec[colSuppressed] = "yes"
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// ArchiveDataset archives a dataset: it leaves the lists and the explorer's
// choices but keeps its cells, and importing it again or restoring it
// brings it back. Only its importer or an administrator may archive it.
func (s *Store) ArchiveDataset(ctx context.Context, actor user.Actor, id int64) (*DatasetInfo, error) {
	return s.setDatasetArchived(ctx, actor, id, true)
}

// RestoreDataset brings an archived dataset back to the lists and the
// explorer, cells and all. Restoring a current dataset changes nothing.
func (s *Store) RestoreDataset(ctx context.Context, actor user.Actor, id int64) (*DatasetInfo, error) {
	return s.setDatasetArchived(ctx, actor, id, false)
}

func (s *Store) setDatasetArchived(ctx context.Context, actor user.Actor, id int64, archive bool) (*DatasetInfo, error) {
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		d, err := findDataset(ctx, tx, `d.id = $1`, id)
		if err != nil {
			return err
		}
		if !MayChange(actor, d.CreatedBy) {
			return problem.Forbiddenf("Only the dataset's importer or an administrator may archive or restore it.")
		}
		if d.Archived() == archive {
			return nil
		}
		now := db.Now()
		var at *time.Time
		action := "restore"
		if archive {
			at, action = &now, "archive"
		}
		if _, err := tx.ExecContext(ctx, `UPDATE employment_datasets SET archived_at = $1, updated_at = $2 WHERE id = $3`, at, now, id); err != nil {
			return fmt.Errorf("%s dataset: %w", action, err)
		}
		return audit.Record(ctx, tx, actor, action, "employment_dataset", id, map[string]any{"archived": !archive}, map[string]any{"archived": archive})
	})
	if err != nil {
		return nil, err
	}
	return s.FindDataset(ctx, id)
}
