package form

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// Imported is what an import stored: the form, its new version and the
// version's definition.
type Imported struct {
	Form       *Form
	Version    *Version
	Definition *Definition
}

// Import parses an XLSForm workbook and stores it as a new version of the
// form its form_id names, creating the form on its first upload. A version
// string the form already has is refused; nothing earlier changes. Problems
// in the workbook come back as a *ParseError.
func (s *Store) Import(ctx context.Context, actor user.Actor, workbook []byte, filename string) (*Imported, error) {
	if err := mayEdit(actor); err != nil {
		return nil, err
	}
	filename = cleanFileName(filename)
	def, err := ParseXLSForm(workbook, filename)
	if err != nil {
		return nil, err
	}
	xform, sum, err := GenerateXForm(def)
	if err != nil {
		return nil, fmt.Errorf("generate XForm: %w", err)
	}
	defJSON, err := json.Marshal(def)
	if err != nil {
		return nil, err
	}
	langs, _ := json.Marshal(def.Languages)
	var out Imported
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := db.Now()
		var by any
		if actor.UserID != 0 {
			by = actor.UserID
		}
		var formID int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM forms WHERE form_key = $1`, def.FormID).Scan(&formID)
		created := false
		switch {
		case err == sql.ErrNoRows:
			err = tx.QueryRowContext(ctx, `INSERT INTO forms (form_key, title, created_by, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $4) RETURNING id`, def.FormID, def.Title, by, now).Scan(&formID)
			if err != nil {
				return fmt.Errorf("insert form: %w", err)
			}
			created = true
		case err != nil:
			return fmt.Errorf("find form: %w", err)
		}
		var exists int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM form_versions WHERE form_id = $1 AND version = $2`, formID, def.Version).Scan(&exists); err != nil {
			return err
		}
		if exists > 0 {
			return versionTaken(def)
		}
		var versionID int64
		err = tx.QueryRowContext(ctx, `INSERT INTO form_versions (form_id, version, title, default_language, languages, field_count,
			workbook_name, workbook, definition, xform, xform_md5, published, created_by, actor, created_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,FALSE,$12,$13,$14) RETURNING id`,
			formID, def.Version, def.Title, def.DefaultLanguage, string(langs), len(def.Fields), filename, workbook,
			string(defJSON), string(xform), sum, by, actor.Label(), now).Scan(&versionID)
		if db.IsUniqueViolation(err) {
			return versionTaken(def)
		}
		if err != nil {
			return fmt.Errorf("insert form version: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE forms SET title = $1, updated_at = $2 WHERE id = $3`, def.Title, now, formID); err != nil {
			return err
		}
		if out.Form, err = loadForm(ctx, tx, "f.id = $1", formID); err != nil {
			return err
		}
		if out.Version, err = loadVersion(ctx, tx, versionID); err != nil {
			return err
		}
		if created {
			if err := audit.Record(ctx, tx, actor, "create", RecordForm, formID, nil, out.Form); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, actor, "create", RecordVersion, versionID, nil, out.Version)
	})
	if err != nil {
		return nil, err
	}
	out.Definition = def
	return &out, nil
}

// versionTaken is the refusal of a version string the form already has.
func versionTaken(def *Definition) error {
	return &problem.Error{Kind: problem.Conflict,
		Message: fmt.Sprintf("The form %s already has a version %s; versions are never replaced.", def.FormID, def.Version),
		Details: []problem.Detail{{Sheet: SheetSettings, Row: 2, Field: "version",
			Message: fmt.Sprintf("Version %s of %s exists already; give this upload a new version in the settings sheet, such as %s.", def.Version, def.FormID, nextVersion(def.Version))}}}
}

// nextVersion suggests a version after v: v with ".1" added, or its last
// number increased.
func nextVersion(v string) string {
	i := len(v)
	for i > 0 && v[i-1] >= '0' && v[i-1] <= '9' {
		i--
	}
	if i == len(v) || len(v)-i > 9 {
		return v + ".1"
	}
	n := 0
	fmt.Sscan(v[i:], &n)
	return fmt.Sprintf("%s%d", v[:i], n+1)
}

func cleanFileName(name string) string {
	name = filepath.Base(strings.ReplaceAll(strings.TrimSpace(name), "\\", "/"))
	if name == "." || name == "/" || name == "" {
		name = "form.xlsx"
	}
	if utf8.RuneCountInString(name) > 200 || !utf8.ValidString(name) {
		name = "form.xlsx"
	}
	return name
}

// SetPublished publishes or unpublishes a version. Nothing else of a
// version ever changes.
func (s *Store) SetPublished(ctx context.Context, actor user.Actor, versionID int64, published bool) (*Version, error) {
	if err := mayEdit(actor); err != nil {
		return nil, err
	}
	var out *Version
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		before, err := loadVersion(ctx, tx, versionID)
		if err != nil {
			return err
		}
		if before.Published == published {
			out = before
			return nil
		}
		var at any
		if published {
			at = db.Now()
		}
		if _, err := tx.ExecContext(ctx, `UPDATE form_versions SET published = $1, published_at = $2 WHERE id = $3`, published, at, versionID); err != nil {
			return fmt.Errorf("publish version: %w", err)
		}
		if out, err = loadVersion(ctx, tx, versionID); err != nil {
			return err
		}
		action := "unpublish"
		if published {
			action = "publish"
		}
		return audit.Record(ctx, tx, actor, action, RecordVersion, versionID, before, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
