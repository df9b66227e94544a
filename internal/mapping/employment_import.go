package mapping

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// DatasetInput is what a person says about an employment file they import.
type DatasetInput struct {
	// Name identifies the dataset: importing under an existing name
	// replaces that dataset whole.
	Name           string `json:"name"`
	Classification string `json:"classification"`
	Description    string `json:"description"`
	Source         string `json:"source"`
	// Country (ISO3, optional) places the file's areas that are neither
	// platform areas nor countries in a country.
	Country string `json:"country"`
	// File names the file in problems ("the file" when empty).
	File string `json:"file,omitempty"`
	// Demo marks the dataset as demonstration data.
	Demo bool `json:"demo,omitempty"`
}

// Limits of a dataset's texts.
const (
	maxDatasetName        = 200
	maxDatasetDescription = 4000
	maxDatasetSource      = 1000
)

func (in *DatasetInput) normalise() {
	in.Name = strings.TrimSpace(in.Name)
	in.Classification = strings.ToLower(strings.TrimSpace(in.Classification))
	in.Description = strings.TrimSpace(in.Description)
	in.Source = strings.TrimSpace(in.Source)
	in.Country = strings.ToUpper(strings.TrimSpace(in.Country))
	if in.File = strings.TrimSpace(in.File); in.File == "" {
		in.File = "the file"
	}
}

// CheckDatasetInput validates what the person said about a dataset before
// any file is read: their right to import, every field, and their right to
// replace the dataset of that name if there is one. A form or an API call
// uses it to answer at once rather than through a job.
func (s *Store) CheckDatasetInput(ctx context.Context, actor user.Actor, in DatasetInput) error {
	in.normalise()
	if !MayImport(actor) {
		return problem.Forbiddenf("Your role may not import employment datasets.")
	}
	var f problem.Fields
	switch {
	case in.Name == "":
		f.Add("name", "Enter a name for the dataset.")
	case utf8.RuneCountInString(in.Name) > maxDatasetName:
		f.Add("name", "The name is longer than %d characters.", maxDatasetName)
	}
	if !isSetClassification(in.Classification) {
		f.Add("classification", "Choose the classification of the industry codes: isic4 (ISIC Rev.4 classes) or naics2012 (NAICS 2012 codes).")
	}
	if utf8.RuneCountInString(in.Description) > maxDatasetDescription {
		f.Add("description", "The description is longer than %d characters.", maxDatasetDescription)
	}
	if utf8.RuneCountInString(in.Source) > maxDatasetSource {
		f.Add("source", "The source is longer than %d characters.", maxDatasetSource)
	}
	if in.Country != "" {
		var n int
		if err := s.db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM countries WHERE iso3 = $1`, in.Country).Scan(&n); err != nil {
			return fmt.Errorf("country: %w", err)
		}
		if n == 0 {
			f.Add("country", "%q is not a country's ISO 3166-1 alpha-3 code (such as JAM).", in.Country)
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	old, err := s.FindDatasetByName(ctx, in.Name)
	if err != nil && !problem.Is(err, problem.NotFound) {
		return err
	}
	return mayReplace(actor, old)
}

// mayReplace refuses to replace a dataset the actor may not change.
func mayReplace(actor user.Actor, old *DatasetInfo) error {
	if old == nil || MayChange(actor, old.CreatedBy) {
		return nil
	}
	return &problem.Error{Kind: problem.Conflict, Message: "A dataset of that name exists and only its importer or an administrator may replace it.",
		Details: []problem.Detail{{Field: "name", Message: fmt.Sprintf("%q is taken; choose another name.", old.Name)}}}
}

// ImportEmployment imports an employment file as the dataset named in in:
// a new dataset, or the replacement of the one of that name, in one
// transaction, so that readers see the old dataset or the new one, never a
// mixture, and any failure (a bad row included) leaves the old one as it
// was. open must return the same file each time it is called. On SQLite a
// first pass checks every row and writes nothing, and a second writes the
// dataset with multi-row INSERTs. On PostgreSQL one pass checks the rows
// while COPY loads them into a table of their own, which a bad row throws
// away with the transaction; reading the file once is most of what keeps
// the import near COPY's own rate. progress, when set, is told the rows
// done, and the total once known (0 before).
func (s *Store) ImportEmployment(ctx context.Context, actor user.Actor, in DatasetInput, open func() (io.ReadCloser, error),
	progress func(done, total int64)) (*DatasetInfo, error) {
	if progress == nil {
		progress = func(int64, int64) {}
	}
	opt, err := s.readOptions(ctx, actor, in, func(n int64) { progress(n, 0) })
	if err != nil {
		return nil, err
	}
	in.normalise()
	w := &datasetWrite{actor: actor, in: in, open: open, opt: opt}
	var id int64
	if s.db.Dialect == db.Postgres {
		id, err = s.writePostgres(ctx, w, func(cells int64) { progress(cells, cells) })
	} else {
		id, err = s.writeSQLite(ctx, w, progress)
	}
	if err != nil {
		return nil, err
	}
	progress(w.sum.Cells, w.sum.Cells)
	info, err := s.FindDataset(ctx, id)
	if err != nil {
		return nil, err
	}
	// A table that grew by millions of rows looks empty to the planner
	// until its statistics are refreshed; a failure here only slows reads.
	table := "employment_cells"
	if s.db.Dialect == db.Postgres {
		table = cellPartition(id, info.Version)
	}
	_, _ = s.db.WriteSQL().ExecContext(ctx, `ANALYZE `+table)
	return info, nil
}

// CheckEmployment is the first pass of ImportEmployment alone, for dry
// runs: it checks the input and every row of the file and stores nothing.
// progress, when set, is told the rows read.
func (s *Store) CheckEmployment(ctx context.Context, actor user.Actor, in DatasetInput, open func() (io.ReadCloser, error),
	progress func(rows int64)) (*EmploymentSummary, error) {
	sum, _, err := s.checkEmployment(ctx, actor, in, open, progress)
	return sum, err
}

func (s *Store) checkEmployment(ctx context.Context, actor user.Actor, in DatasetInput, open func() (io.ReadCloser, error),
	progress func(rows int64)) (*EmploymentSummary, EmploymentReadOptions, error) {
	opt, err := s.readOptions(ctx, actor, in, progress)
	if err != nil {
		return nil, opt, err
	}
	sum, err := readWith(open, opt, nil)
	return sum, opt, err
}

// readOptions checks what the person said about the dataset and says how
// to read its file.
func (s *Store) readOptions(ctx context.Context, actor user.Actor, in DatasetInput, progress func(rows int64)) (EmploymentReadOptions, error) {
	if err := s.CheckDatasetInput(ctx, actor, in); err != nil {
		return EmploymentReadOptions{}, err
	}
	in.normalise()
	codes, err := classificationCodes(ctx, s.db.Read(), in.Classification)
	if err != nil {
		return EmploymentReadOptions{}, err
	}
	return EmploymentReadOptions{File: in.File, Classification: in.Classification, Industries: codes, Progress: progress}, nil
}

// readWith opens the file and reads it through.
func readWith(open func() (io.ReadCloser, error), opt EmploymentReadOptions, each func(int, *Cell) error) (*EmploymentSummary, error) {
	rc, err := open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return ReadEmployment(rc, opt, each)
}

// resolveAreas places the file's areas: a code that is a platform area's
// ISO 3166-2 code is that area; a code that is a country's ISO3 code is the
// whole country; any other code is an area of the dataset alone, in
// country if given. An area without a name in the file takes the platform's
// name, or its code.
func (s *Store) resolveAreas(ctx context.Context, in []EmploymentArea, country string) ([]DatasetArea, error) {
	type place struct {
		id            int64
		country, name string
	}
	platform := map[string]place{}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT id, country_iso3, code, name FROM areas WHERE code <> ''`)
	if err != nil {
		return nil, fmt.Errorf("areas: %w", err)
	}
	for rows.Next() {
		var p place
		var code string
		if err := rows.Scan(&p.id, &p.country, &code, &p.name); err != nil {
			rows.Close()
			return nil, err
		}
		platform[code] = p
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	countries, err := s.countryNameMap(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]DatasetArea, len(in))
	for i, a := range in {
		d := DatasetArea{Code: a.Code, Name: a.Name}
		if p, ok := platform[a.Code]; ok {
			d.AreaID, d.Country = p.id, p.country
			if d.Name == "" {
				d.Name = p.name
			}
		} else if name, ok := countries[a.Code]; ok {
			d.Country = a.Code
			if d.Name == "" {
				d.Name = name
			}
		} else {
			d.Country = country
		}
		if d.Name == "" {
			d.Name = a.Code
		}
		out[i] = d
	}
	return out, nil
}

// countryNameMap maps every country's ISO3 code to its name.
func (s *Store) countryNameMap(ctx context.Context) (map[string]string, error) {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT iso3, name FROM countries`)
	if err != nil {
		return nil, fmt.Errorf("countries: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var iso, name string
		if err := rows.Scan(&iso, &name); err != nil {
			return nil, err
		}
		out[iso] = name
	}
	return out, rows.Err()
}

// nullString is NULL for an empty text.
func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// nullInt is NULL for 0.
func nullInt(n int64) sql.NullInt64 { return sql.NullInt64{Int64: n, Valid: n != 0} }
