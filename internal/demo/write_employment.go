package demo

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
)

// employmentLoaded is when the demonstration dataset says it was imported:
// the end of the demo history, never the clock, so that two generations
// give the same rows.
var employmentLoaded = time.Date(2026, 6, 30, 9, 30, 0, 0, time.UTC)

// write stores the dataset: its record, its areas (linked to the platform's
// areas and countries) and its cells, with the same multi-row INSERTs as the
// rest of the region. Suppressed cells are written without values.
func (e *employment) write(ctx context.Context, tx *sql.Tx, d *db.DB) error {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO employment_datasets (name, classification, description, source, demo,
			cells, suppressed, first_year, last_year, version, created_at, updated_at, imported_at)
		VALUES ($1, 'isic4', $2, $3, $4, $5, $6, $7, $8, 1, $9, $9, $9) RETURNING id`,
		employmentName, employmentDescription, employmentSource, true, len(e.cells), e.suppressed,
		employmentFirstYear, employmentLastYear, employmentLoaded).Scan(&id)
	if err != nil {
		return fmt.Errorf("create the demonstration employment dataset: %w", err)
	}
	areas := newTable("dataset_areas", "dataset_id", "code", "name", "area_id", "country_iso3")
	for _, a := range e.areas {
		areas.add(id, a.code, a.name, a.id, a.country.iso3)
	}
	cells := newTable("employment_cells", "dataset_id", "area_code", "industry", "year", "employment", "establishments", "wages_cents", "suppressed")
	cells.rows = make([][]any, 0, len(e.cells))
	for _, c := range e.cells {
		code, class := e.areas[c.area].code, e.classes[c.class]
		if c.suppressed {
			cells.add(id, code, class, c.year, nil, nil, nil, true)
			continue
		}
		cells.add(id, code, class, c.year, c.emp, c.est, c.wageCents, false)
	}
	for _, t := range []*table{areas, cells} {
		if err := t.write(ctx, tx, d.Dialect); err != nil {
			return err
		}
	}
	return nil
}
