package importer

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/user"
)

// orgInsertChunk is how many organisations one INSERT stores. On
// PostgreSQL each statement is a round trip, so rows go 500 at a time (17
// values a row stays far under its limit of bound parameters). SQLite runs
// in the process, so round trips cost nothing, while binding numbered
// parameters takes time that grows with the square of their count
// (measured: 500 rows a statement took 40 s for 100,000 rows; 25 rows
// about 3 s).
func orgInsertChunk(d db.Dialect) int {
	if d == db.SQLite {
		return 25
	}
	return 500
}

// storedOrg is what the audit log records of an imported organisation.
type storedOrg struct {
	ID int64 `json:"id"`
	OrgRow
}

// storeOrganisations stores checked rows in one transaction with
// multi-row INSERTs, an audit entry per organisation and one for the batch.
func (im *Importer) storeOrganisations(ctx context.Context, actor user.Actor, rep *Report, rows []OrgRow, inTx func(*sql.Tx, *Result) error) (*Result, error) {
	res := &Result{Kind: Organisations, File: rep.Source.File}
	err := im.db.Tx(ctx, func(tx *sql.Tx) error {
		now := db.Now()
		chunk := orgInsertChunk(im.db.Dialect)
		for start := 0; start < len(rows); start += chunk {
			part := rows[start:min(start+chunk, len(rows))]
			ids, err := insertOrgs(ctx, tx, part, now)
			if err != nil {
				return err
			}
			for i, o := range part {
				if err := audit.Record(ctx, tx, actor, "create", "organisation", ids[i], nil, storedOrg{ID: ids[i], OrgRow: o}); err != nil {
					return err
				}
				if len(res.Records) < previewRows {
					res.Records = append(res.Records, Created{Row: o.Row, ID: ids[i], Name: o.Name})
				}
			}
			res.Created += len(part)
		}
		if inTx != nil {
			if err := inTx(tx, res); err != nil {
				return err
			}
		}
		return recordBatch(ctx, tx, actor, rep, res.Created)
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// insertOrgs stores rows with one INSERT and returns their IDs in the
// rows' order.
func insertOrgs(ctx context.Context, tx *sql.Tx, rows []OrgRow, now any) ([]int64, error) {
	const cols = 17
	var b strings.Builder
	b.WriteString(`INSERT INTO organisations (kind, name, name_norm, country_iso3, area_id, isic_code, size_band, women_led, youth_led,
		founded_year, website, email, phone, contact_name, description, created_at, updated_at) VALUES `)
	args := make([]any, 0, len(rows)*cols)
	for i, o := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := 1; c <= cols; c++ {
			if c > 1 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "$%d", i*cols+c)
		}
		b.WriteByte(')')
		var isic any
		if o.ISIC != "" {
			isic = o.ISIC
		}
		args = append(args, o.Kind, o.Name, o.norm, o.Country, o.AreaID, isic, o.SizeBand, o.WomenLed, o.YouthLed,
			o.FoundedYear, o.Website, o.Email, o.Phone, o.ContactName, o.Description, now, now)
	}
	b.WriteString(" RETURNING id")
	res, err := tx.QueryContext(ctx, b.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("insert organisations: %w", err)
	}
	defer res.Close()
	ids := make([]int64, 0, len(rows))
	for res.Next() {
		var id int64
		if err := res.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := res.Err(); err != nil {
		return nil, err
	}
	if len(ids) != len(rows) {
		return nil, fmt.Errorf("insert organisations: %d IDs for %d rows", len(ids), len(rows))
	}
	// Neither engine promises RETURNING's order, but both take IDs from
	// the sequence in the order of the VALUES rows: sorted, they match.
	slices.Sort(ids)
	return ids, nil
}
