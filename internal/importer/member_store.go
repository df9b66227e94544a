package importer

import (
	"context"
	"database/sql"
	"errors"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// checkMemberships reads a memberships file and checks every row's values
// and what it names; the store's own checks follow in storeMemberships.
func checkMemberships(ctx context.Context, q db.Querier, actor user.Actor, name string, data []byte) (*Report, []MemberRow, error) {
	rf, err := loadRefs(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	rep := newReport(Memberships, name)
	var rows []MemberRow
	scan(rep, data, func(rec *record) {
		rows = append(rows, readMemberRow(rec, rf, rep))
	})
	if rep.bad[0] == nil {
		if err := resolveMembers(ctx, q, actor, rows, rep); err != nil {
			return nil, nil, err
		}
	}
	rep.finish()
	rep.Preview = memberPreview(rep, rows)
	return rep, rows, nil
}

// storeMemberships adds the rows through the cluster store, in one
// transaction, each row under a savepoint so that a row the store refuses
// is recorded as a problem of that row and the others are still checked.
// The transaction is committed only when commit is set and no row was
// refused.
func (im *Importer) storeMemberships(ctx context.Context, actor user.Actor, rep *Report, rows []MemberRow, commit bool, inTx func(*sql.Tx, *Result) error) (*Result, error) {
	res := &Result{Kind: Memberships, File: rep.Source.File}
	err := im.db.Tx(ctx, func(tx *sql.Tx) error {
		for _, m := range rows {
			if _, err := tx.ExecContext(ctx, `SAVEPOINT import_row`); err != nil {
				return err
			}
			added, err := im.clusters.AddMembershipTx(ctx, tx, actor, m.ClusterID, m.Input)
			if err != nil {
				if problem.As(err) == nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT import_row`); err != nil {
					return err
				}
				addDomainProblems(rep, m.Row, err, m.orgCol)
				continue
			}
			if _, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT import_row`); err != nil {
				return err
			}
			res.Created++
			if len(res.Records) < previewRows {
				res.Records = append(res.Records, Created{Row: m.Row, ID: added.ClusterID, Name: added.OrganisationName + " — " + added.ClusterName})
			}
		}
		if len(rep.Problems) > 0 || !commit {
			return errRollback
		}
		if inTx != nil {
			if err := inTx(tx, res); err != nil {
				return err
			}
		}
		return recordBatch(ctx, tx, actor, rep, res.Created)
	})
	rep.finish()
	rep.Preview = memberPreview(rep, rows)
	if errors.Is(err, errRollback) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// previewRows is how many rows the dry run previews and the result links.
const previewRows = 20
