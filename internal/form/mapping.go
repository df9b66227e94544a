package form

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/indicator"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// Mapping maps one numeric field of a version to an indicator and,
// optionally, to one category of one of its disaggregation dimensions (the
// zero category is the indicator's total).
type Mapping struct {
	Field         string             `json:"field"`
	IndicatorID   int64              `json:"indicator_id"`
	IndicatorCode string             `json:"indicator_code"`
	IndicatorName string             `json:"indicator_name"`
	Category      indicator.Category `json:"category"`
	UpdatedAt     time.Time          `json:"updated_at"`
}

// MappingInput is one field's mapping as a page or the API gives it; an
// IndicatorID of 0 leaves the field unmapped. Category is
// "dimension:category" (sex:women) or "" for the total.
type MappingInput struct {
	Field       string `json:"field"`
	IndicatorID int64  `json:"indicator_id"`
	Category    string `json:"category"`
}

// FindMappings lists a version's field mappings in the order of its fields.
func (s *Store) FindMappings(ctx context.Context, actor user.Actor, versionID int64) ([]Mapping, error) {
	if err := mayRead(actor); err != nil {
		return nil, err
	}
	return loadMappings(ctx, s.db.Read(), versionID)
}

func loadMappings(ctx context.Context, q db.Querier, versionID int64) ([]Mapping, error) {
	rows, err := q.QueryContext(ctx, `SELECT m.field_name, m.indicator_id, i.code, i.name, m.dimension_code, m.category_code, m.updated_at
		FROM form_field_mappings m JOIN indicators i ON i.id = m.indicator_id WHERE m.version_id = $1 ORDER BY m.id`, versionID)
	if err != nil {
		return nil, fmt.Errorf("find mappings: %w", err)
	}
	defer rows.Close()
	out := []Mapping{}
	for rows.Next() {
		var m Mapping
		if err := rows.Scan(&m.Field, &m.IndicatorID, &m.IndicatorCode, &m.IndicatorName, &m.Category.Dimension, &m.Category.Code, &m.UpdatedAt); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// SaveMappings replaces a version's field mappings. Each mapped field must
// be a numeric field of the version outside any repeat; its indicator must
// exist and not be archived; its category must belong to one of the
// indicator's dimensions. Problems are reported per field, as
// indicator_<field> and category_<field>, and nothing is stored.
func (s *Store) SaveMappings(ctx context.Context, actor user.Actor, versionID int64, in []MappingInput) ([]Mapping, error) {
	if err := mayEdit(actor); err != nil {
		return nil, err
	}
	def, err := s.Definition(ctx, actor, versionID)
	if err != nil {
		return nil, err
	}
	var f problem.Fields
	type row struct {
		field, dim, cat string
		ind             int64
	}
	var rows []row
	seen := map[string]bool{}
	for _, m := range in {
		m.Field = strings.TrimSpace(m.Field)
		if m.IndicatorID == 0 {
			continue
		}
		key := "indicator_" + m.Field
		fl, ok := def.Field(m.Field)
		switch {
		case !ok:
			f.Add(key, "The form has no field %q.", m.Field)
			continue
		case !fl.Type.IsNumeric():
			f.Add(key, "The field %s is a %s field; only integer and decimal fields can give an indicator's value.", m.Field, fl.Type)
			continue
		case fl.Repeat != "":
			f.Add(key, "The field %s is inside a repeat, which gives several values per submission; map a field outside repeats.", m.Field)
			continue
		case seen[m.Field]:
			f.Add(key, "The field %s is mapped twice.", m.Field)
			continue
		}
		seen[m.Field] = true
		ind, err := s.indicators.FindIndicatorByID(ctx, actor, m.IndicatorID)
		if problem.Is(err, problem.NotFound) {
			f.Add(key, "No indicator %d exists.", m.IndicatorID)
			continue
		}
		if err != nil {
			return nil, err
		}
		if ind.Archived() {
			f.Add(key, "The indicator %s is archived; choose another.", ind.Code)
			continue
		}
		r := row{field: m.Field, ind: ind.ID}
		if c := strings.TrimSpace(m.Category); c != "" {
			dim, cat, _ := strings.Cut(c, ":")
			d, ok := indicator.DimensionByCode(dim)
			if !ok || !slices.Contains(ind.Dimensions, dim) || !slices.Contains(d.Categories, cat) {
				allowed := []string{}
				for _, ic := range ind.Categories() {
					if !ic.IsTotal() {
						allowed = append(allowed, ic.String())
					}
				}
				msg := fmt.Sprintf("The indicator %s has no category %q", ind.Code, c)
				if len(allowed) == 0 {
					msg += "; it is not disaggregated, so map the field to its total."
				} else {
					msg += "; choose the total or one of " + strings.Join(allowed, ", ") + "."
				}
				f.Add("category_"+m.Field, "%s", msg)
				continue
			}
			r.dim, r.cat = dim, cat
		}
		rows = append(rows, r)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	var out []Mapping
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := loadVersion(ctx, tx, versionID); err != nil {
			return err
		}
		before, err := loadMappings(ctx, tx, versionID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM form_field_mappings WHERE version_id = $1`, versionID); err != nil {
			return fmt.Errorf("clear mappings: %w", err)
		}
		now := db.Now()
		var by any
		if actor.UserID != 0 {
			by = actor.UserID
		}
		for _, r := range rows {
			if _, err := tx.ExecContext(ctx, `INSERT INTO form_field_mappings (version_id, field_name, indicator_id, dimension_code, category_code, updated_by, updated_at)
				VALUES ($1,$2,$3,$4,$5,$6,$7)`, versionID, r.field, r.ind, r.dim, r.cat, by, now); err != nil {
				return fmt.Errorf("insert mapping: %w", err)
			}
		}
		if out, err = loadMappings(ctx, tx, versionID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, "map_fields", RecordVersion, versionID, before, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
