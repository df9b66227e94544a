package form

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/indicator"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// Audit record types.
const (
	RecordForm    = "form"
	RecordVersion = "form_version"
)

// Store keeps forms, their versions and field mappings.
type Store struct {
	db         *db.DB
	indicators *indicator.Store
}

// NewStore returns a store on d; indicators is read to check field mappings.
func NewStore(d *db.DB, indicators *indicator.Store) *Store {
	return &Store{db: d, indicators: indicators}
}

const formSelect = `SELECT f.id, f.form_key, f.title, f.created_by, f.created_at, f.updated_at,
	(SELECT COUNT(*) FROM form_versions v WHERE v.form_id = f.id),
	(SELECT COUNT(*) FROM form_versions v WHERE v.form_id = f.id AND v.published = TRUE),
	COALESCE((SELECT v.version FROM form_versions v WHERE v.form_id = f.id ORDER BY v.created_at DESC, v.id DESC LIMIT 1), '')
	FROM forms f `

type scanner interface{ Scan(dest ...any) error }

func scanForm(row scanner) (*Form, error) {
	var f Form
	var by sql.NullInt64
	if err := row.Scan(&f.ID, &f.FormID, &f.Title, &by, &f.CreatedAt, &f.UpdatedAt, &f.Versions, &f.Published, &f.LatestVersion); err != nil {
		return nil, err
	}
	if by.Valid {
		f.CreatedBy = &by.Int64
	}
	return &f, nil
}

// FindForms lists every form by title.
func (s *Store) FindForms(ctx context.Context, actor user.Actor) ([]*Form, error) {
	if err := mayRead(actor); err != nil {
		return nil, err
	}
	rows, err := s.db.Read().QueryContext(ctx, formSelect+`ORDER BY lower(f.title), f.id`)
	if err != nil {
		return nil, fmt.Errorf("find forms: %w", err)
	}
	defer rows.Close()
	out := []*Form{}
	for rows.Next() {
		f, err := scanForm(rows)
		if err != nil {
			return nil, fmt.Errorf("find forms: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// FindForm returns one form by its record ID.
func (s *Store) FindForm(ctx context.Context, actor user.Actor, id int64) (*Form, error) {
	if err := mayRead(actor); err != nil {
		return nil, err
	}
	return loadForm(ctx, s.db.Read(), "f.id = $1", id)
}

// FindFormByKey returns one form by its form_id.
func (s *Store) FindFormByKey(ctx context.Context, actor user.Actor, formID string) (*Form, error) {
	if err := mayRead(actor); err != nil {
		return nil, err
	}
	return loadForm(ctx, s.db.Read(), "f.form_key = $1", strings.TrimSpace(formID))
}

func loadForm(ctx context.Context, q db.Querier, cond string, key any) (*Form, error) {
	f, err := scanForm(q.QueryRowContext(ctx, formSelect+"WHERE "+cond, key))
	if err == sql.ErrNoRows {
		return nil, problem.NotFoundf("No form %v.", key)
	}
	if err != nil {
		return nil, fmt.Errorf("find form: %w", err)
	}
	return f, nil
}

const versionSelect = `SELECT v.id, v.form_id, f.form_key, v.version, v.title, v.default_language, v.languages, v.workbook_name,
	v.xform_md5, v.field_count, v.published, v.published_at, v.created_by, v.actor, v.created_at
	FROM form_versions v JOIN forms f ON f.id = v.form_id `

func scanVersion(row scanner) (*Version, error) {
	var v Version
	var langs string
	var by sql.NullInt64
	var pub sql.NullTime
	if err := row.Scan(&v.ID, &v.FormID, &v.FormKey, &v.Version, &v.Title, &v.DefaultLanguage, &langs, &v.WorkbookName,
		&v.XFormMD5, &v.Fields, &v.Published, &pub, &by, &v.Actor, &v.CreatedAt); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(langs), &v.Languages); err != nil {
		return nil, fmt.Errorf("version %d languages: %w", v.ID, err)
	}
	if by.Valid {
		v.CreatedBy = &by.Int64
	}
	if pub.Valid {
		t := pub.Time
		v.PublishedAt = &t
	}
	return &v, nil
}

// FindVersions lists a form's versions, newest first.
func (s *Store) FindVersions(ctx context.Context, actor user.Actor, formID int64) ([]*Version, error) {
	if err := mayRead(actor); err != nil {
		return nil, err
	}
	rows, err := s.db.Read().QueryContext(ctx, versionSelect+`WHERE v.form_id = $1 ORDER BY v.created_at DESC, v.id DESC`, formID)
	if err != nil {
		return nil, fmt.Errorf("find versions: %w", err)
	}
	defer rows.Close()
	out := []*Version{}
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, fmt.Errorf("find versions: %w", err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// FindVersion returns a form's version by its version string.
func (s *Store) FindVersion(ctx context.Context, actor user.Actor, formID int64, version string) (*Version, error) {
	if err := mayRead(actor); err != nil {
		return nil, err
	}
	v, err := scanVersion(s.db.Read().QueryRowContext(ctx, versionSelect+`WHERE v.form_id = $1 AND v.version = $2`, formID, version))
	if err == sql.ErrNoRows {
		return nil, problem.NotFoundf("The form has no version %q.", version)
	}
	if err != nil {
		return nil, fmt.Errorf("find version: %w", err)
	}
	return v, nil
}

// FindVersionByID returns a version by its record ID.
func (s *Store) FindVersionByID(ctx context.Context, actor user.Actor, id int64) (*Version, error) {
	if err := mayRead(actor); err != nil {
		return nil, err
	}
	return loadVersion(ctx, s.db.Read(), id)
}

func loadVersion(ctx context.Context, q db.Querier, id int64) (*Version, error) {
	v, err := scanVersion(q.QueryRowContext(ctx, versionSelect+`WHERE v.id = $1`, id))
	if err == sql.ErrNoRows {
		return nil, problem.NotFoundf("No form version %d.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find version: %w", err)
	}
	return v, nil
}

// Definition returns the parsed definition stored with a version.
func (s *Store) Definition(ctx context.Context, actor user.Actor, versionID int64) (*Definition, error) {
	if err := mayRead(actor); err != nil {
		return nil, err
	}
	var raw string
	err := s.db.Read().QueryRowContext(ctx, `SELECT definition FROM form_versions WHERE id = $1`, versionID).Scan(&raw)
	if err == sql.ErrNoRows {
		return nil, problem.NotFoundf("No form version %d.", versionID)
	}
	if err != nil {
		return nil, fmt.Errorf("version definition: %w", err)
	}
	var def Definition
	if err := json.Unmarshal([]byte(raw), &def); err != nil {
		return nil, fmt.Errorf("version %d definition: %w", versionID, err)
	}
	return &def, nil
}

// Workbook returns the workbook a version was uploaded as, with its file name.
func (s *Store) Workbook(ctx context.Context, actor user.Actor, versionID int64) ([]byte, string, error) {
	if err := mayRead(actor); err != nil {
		return nil, "", err
	}
	var b []byte
	var name string
	err := s.db.Read().QueryRowContext(ctx, `SELECT workbook, workbook_name FROM form_versions WHERE id = $1`, versionID).Scan(&b, &name)
	if err == sql.ErrNoRows {
		return nil, "", problem.NotFoundf("No form version %d.", versionID)
	}
	if err != nil {
		return nil, "", fmt.Errorf("version workbook: %w", err)
	}
	return b, name, nil
}

// XForm returns a version's XForm and its MD5 hash in hex, as generated
// when the version was uploaded.
func (s *Store) XForm(ctx context.Context, actor user.Actor, versionID int64) ([]byte, string, error) {
	if err := mayRead(actor); err != nil {
		return nil, "", err
	}
	var x, sum string
	err := s.db.Read().QueryRowContext(ctx, `SELECT xform, xform_md5 FROM form_versions WHERE id = $1`, versionID).Scan(&x, &sum)
	if err == sql.ErrNoRows {
		return nil, "", problem.NotFoundf("No form version %d.", versionID)
	}
	if err != nil {
		return nil, "", fmt.Errorf("version XForm: %w", err)
	}
	return []byte(x), sum, nil
}
