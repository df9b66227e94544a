package mapping

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strings"

	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// datasetWrite is an import under way: what the person said, how to read
// the file, and, once it has been read, its summary and areas.
type datasetWrite struct {
	actor user.Actor
	in    DatasetInput
	sum   *EmploymentSummary
	areas []DatasetArea
	open  func() (io.ReadCloser, error)
	opt   EmploymentReadOptions
	// partitioned: the old cells leave with their partition at the end
	// (PostgreSQL), not by a DELETE in prepare.
	partitioned bool
}

// cellSink stores the cells of one dataset as they are read.
type cellSink interface {
	add(c *Cell) error
	flush() error
}

// datasetAudit is what the audit log keeps of a dataset: its description
// and summary, not its cells.
type datasetAudit struct {
	Name           string `json:"name"`
	Classification string `json:"classification"`
	Description    string `json:"description"`
	Source         string `json:"source"`
	Cells          int64  `json:"cells"`
	Suppressed     int64  `json:"suppressed"`
	FirstYear      int    `json:"first_year"`
	LastYear       int    `json:"last_year"`
	Areas          int    `json:"areas"`
	Version        int    `json:"version"`
	File           string `json:"file,omitempty"`
}

func auditDataset(d *DatasetInfo) datasetAudit {
	return datasetAudit{Name: d.Name, Classification: d.Classification, Description: d.Description, Source: d.Source,
		Cells: d.Cells, Suppressed: d.Suppressed, FirstYear: d.FirstYear, LastYear: d.LastYear, Areas: d.Areas, Version: d.Version}
}

// prepare creates the dataset, or empties the one of the same name and
// brings its description and summary up to date, and stores its areas. It
// returns the dataset's ID and, for a replacement, what it was.
func (w *datasetWrite) prepare(ctx context.Context, tx *sql.Tx) (int64, *DatasetInfo, error) {
	id, old, err := w.reserve(ctx, tx)
	if err != nil {
		return 0, nil, err
	}
	return id, old, w.record(ctx, tx, id)
}

// reserve creates the dataset, or takes the one of the same name for
// replacement: its description is brought up to date, its version moves
// on and, unless its cells leave with their partition, they are deleted.
// The file's summary and areas come later, from record. It returns the
// dataset's ID and, for a replacement, what it was.
func (w *datasetWrite) reserve(ctx context.Context, tx *sql.Tx) (int64, *DatasetInfo, error) {
	old, err := findDataset(ctx, tx, `d.name = $1`, w.in.Name)
	if err != nil && !problem.Is(err, problem.NotFound) {
		return 0, nil, err
	}
	if err := mayReplace(w.actor, old); err != nil {
		return 0, nil, err
	}
	now := db.Now()
	if old == nil {
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO employment_datasets (name, classification, description, source, demo, cells, suppressed,
			first_year, last_year, version, created_by, created_at, updated_at, imported_at)
			VALUES ($1, $2, $3, $4, $5, 0, 0, 0, 0, 1, $6, $7, $7, $7) RETURNING id`,
			w.in.Name, w.in.Classification, w.in.Description, w.in.Source, w.in.Demo, nullInt(w.actor.UserID), now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return 0, nil, problem.Conflictf("A dataset named %q was created at the same moment; try again.", w.in.Name)
		}
		if err != nil {
			return 0, nil, fmt.Errorf("create dataset: %w", err)
		}
		return id, nil, nil
	}
	if !w.partitioned {
		if _, err := tx.ExecContext(ctx, `DELETE FROM employment_cells WHERE dataset_id = $1`, old.ID); err != nil {
			return 0, nil, fmt.Errorf("empty dataset: %w", err)
		}
	}
	// Importing a dataset again is a deliberate act, so it is active
	// again; the version tells caches its figures changed.
	if _, err := tx.ExecContext(ctx, `UPDATE employment_datasets SET classification = $1, description = $2, source = $3, demo = $4,
		version = version + 1, updated_at = $5, imported_at = $5, archived_at = NULL WHERE id = $6`,
		w.in.Classification, w.in.Description, w.in.Source, w.in.Demo, now, old.ID); err != nil {
		return 0, nil, fmt.Errorf("update dataset: %w", err)
	}
	return old.ID, old, nil
}

// record stores the file's summary on the dataset, and its areas in place
// of any earlier ones.
func (w *datasetWrite) record(ctx context.Context, tx *sql.Tx, id int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE employment_datasets SET cells = $1, suppressed = $2, first_year = $3, last_year = $4
		WHERE id = $5`, w.sum.Cells, w.sum.Suppressed, w.sum.FirstYear, w.sum.LastYear, id); err != nil {
		return fmt.Errorf("update dataset: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM dataset_areas WHERE dataset_id = $1`, id); err != nil {
		return fmt.Errorf("empty dataset: %w", err)
	}
	return insertAreas(ctx, tx, id, w.areas)
}

// insertAreas stores a dataset's areas.
func insertAreas(ctx context.Context, tx *sql.Tx, id int64, areas []DatasetArea) error {
	rows := make([][]any, len(areas))
	for i, a := range areas {
		rows[i] = []any{id, a.Code, a.Name, nullInt(a.AreaID), nullString(a.Country)}
	}
	if err := db.InsertRows(ctx, tx, `INSERT INTO dataset_areas (dataset_id, code, name, area_id, country_iso3)`, 5, rows, ""); err != nil {
		return fmt.Errorf("store dataset areas: %w", err)
	}
	return nil
}

// fill reads the file a second time into sink (SQLite). The first pass
// found it valid; a file that reads differently now (it changed in
// between) is refused, and the transaction with it.
func (w *datasetWrite) fill(sink cellSink) error {
	sum, err := readWith(w.open, w.opt, func(_ int, c *Cell) error { return sink.add(c) })
	if err != nil {
		return err
	}
	if err := sink.flush(); err != nil {
		return err
	}
	if sum.Cells != w.sum.Cells || len(sum.Areas) != len(w.sum.Areas) {
		return problem.New(problem.Conflict, "%s changed while it was being imported; nothing was imported.", w.in.File)
	}
	return nil
}

// finish records the import in the audit log, once for the whole file.
func (w *datasetWrite) finish(ctx context.Context, tx *sql.Tx, id int64, old *DatasetInfo) error {
	after, err := findDataset(ctx, tx, `d.id = $1`, id)
	if err != nil {
		return err
	}
	a := auditDataset(after)
	a.File = w.in.File
	if old == nil {
		return audit.Record(ctx, tx, w.actor, "import", "employment_dataset", id, nil, a)
	}
	return audit.Record(ctx, tx, w.actor, "replace", "employment_dataset", id, auditDataset(old), a)
}

// writeSQLite checks every row of the file, then reads it again into the
// database's write transaction, cells inserted by a prepared statement of
// many rows. Checking first keeps the single write connection, which every
// other writer waits for, for the writing alone.
func (s *Store) writeSQLite(ctx context.Context, w *datasetWrite, progress func(done, total int64)) (int64, error) {
	sum, err := readWith(w.open, w.opt, nil)
	if err != nil {
		return 0, err
	}
	w.sum = sum
	if w.areas, err = s.resolveAreas(ctx, sum.Areas, w.in.Country); err != nil {
		return 0, err
	}
	w.opt.Progress = func(n int64) { progress(n, sum.Cells) }
	var id int64
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		var old *DatasetInfo
		if id, old, err = w.prepare(ctx, tx); err != nil {
			return err
		}
		sink := newSQLiteSink(ctx, tx, id)
		defer sink.close()
		if err := w.fill(sink); err != nil {
			return err
		}
		return w.finish(ctx, tx, id, old)
	})
	return id, err
}

// sqliteRowsPerInsert is how many cells one INSERT carries. SQLite's
// binding cost grows with the statement; with "?" placeholders (numbered
// "$N" ones cost more in modernc's driver) about a hundred rows a
// statement is the fastest (see BenchmarkImportEmployment).
const sqliteRowsPerInsert = 100

// sqliteSink inserts cells in batches through one prepared statement.
type sqliteSink struct {
	ctx  context.Context
	tx   *sql.Tx
	id   int64
	stmt *sql.Stmt
	args []any
	n    int
}

func newSQLiteSink(ctx context.Context, tx *sql.Tx, id int64) *sqliteSink {
	return &sqliteSink{ctx: ctx, tx: tx, id: id, args: make([]any, 0, sqliteRowsPerInsert*8)}
}

func cellInsert(rows int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO employment_cells (dataset_id, area_code, industry, year, employment, establishments, wages_cents, suppressed) VALUES `)
	for i := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?,?,?,?,?,?,?,?)")
	}
	return b.String()
}

// cellValues are a cell's stored values after the dataset's ID: a
// suppressed cell has no employment, and absent values are NULL.
func cellValues(c *Cell) (area, industry string, year int, emp, est, wages any, suppressed bool) {
	if !c.Suppressed {
		emp = c.Employment
	}
	if c.HasEstablishments {
		est = c.Establishments
	}
	if c.HasWages {
		wages = wageCents(c.Wages)
	}
	return c.Area, c.Industry, c.Year, emp, est, wages, c.Suppressed
}

func (k *sqliteSink) add(c *Cell) error {
	area, ind, year, emp, est, wages, sup := cellValues(c)
	k.args = append(k.args, k.id, area, ind, year, emp, est, wages, sup)
	k.n++
	if k.n < sqliteRowsPerInsert {
		return nil
	}
	if k.stmt == nil {
		var err error
		if k.stmt, err = k.tx.PrepareContext(k.ctx, cellInsert(sqliteRowsPerInsert)); err != nil {
			return fmt.Errorf("prepare cells: %w", err)
		}
	}
	if _, err := k.stmt.ExecContext(k.ctx, k.args...); err != nil {
		return fmt.Errorf("store cells: %w", err)
	}
	k.args, k.n = k.args[:0], 0
	return nil
}

func (k *sqliteSink) flush() error {
	if k.n == 0 {
		return nil
	}
	if _, err := k.tx.ExecContext(k.ctx, cellInsert(k.n), k.args...); err != nil {
		return fmt.Errorf("store cells: %w", err)
	}
	k.args, k.n = k.args[:0], 0
	return nil
}

func (k *sqliteSink) close() {
	if k.stmt != nil {
		k.stmt.Close()
	}
}
