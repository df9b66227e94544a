package importer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/cluster"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// Importer checks import files and stores them.
type Importer struct {
	db       *db.DB
	clusters *cluster.Store
}

// New returns an importer on d.
func New(d *db.DB) *Importer { return &Importer{db: d, clusters: cluster.NewStore(d)} }

// Created is one record an import stored, for the result page's links.
type Created struct {
	Row  int    `json:"row"`
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Result is what a committed import stored.
type Result struct {
	Kind    Kind      `json:"kind"`
	File    string    `json:"file"`
	Created int       `json:"created"`
	Records []Created `json:"records"`
}

// Check reads and checks a file without storing anything. For memberships
// it adds every row in a transaction that is then rolled back, so the
// cluster store's own rules (overlapping periods, with the registry and
// between rows of the file) are checked exactly as the commit will.
func (im *Importer) Check(ctx context.Context, actor user.Actor, kind Kind, name string, data []byte) (*Report, error) {
	rep, _, err := im.run(ctx, actor, kind, name, data, false, nil)
	return rep, err
}

// Import checks a file and, when it has no problem, stores every row in
// one transaction with an audit entry per record and one for the batch.
// When there is any problem nothing is stored and the result is nil.
func (im *Importer) Import(ctx context.Context, actor user.Actor, kind Kind, name string, data []byte) (*Result, *Report, error) {
	rep, res, err := im.run(ctx, actor, kind, name, data, true, nil)
	return res, rep, err
}

// ImportBatch stores the actor's checked batch: the kept file is checked
// again against the registry as it is now and stored as Import does, and
// the batch is marked committed in the same transaction.
func (im *Importer) ImportBatch(ctx context.Context, actor user.Actor, token string) (*Result, *Report, error) {
	b, err := im.FindBatch(ctx, actor, token)
	if err != nil {
		return nil, nil, err
	}
	if b.CommittedAt != nil {
		return nil, nil, problem.Conflictf("This file has already been imported: %d records were created.", b.Created)
	}
	rep, res, err := im.run(ctx, actor, b.Kind, b.File, b.Content, true, func(tx *sql.Tx, res *Result) error {
		return markCommitted(ctx, tx, token, res.Created)
	})
	return res, rep, err
}

// errRollback ends a transaction whose writes must not be kept.
var errRollback = errors.New("roll back")

// run checks a file and, when commit is set and there is no problem,
// stores it; inTx, when set, runs in the storing transaction before the
// batch's audit entry.
func (im *Importer) run(ctx context.Context, actor user.Actor, kind Kind, name string, data []byte, commit bool, inTx func(*sql.Tx, *Result) error) (*Report, *Result, error) {
	if !kind.Valid() {
		return nil, nil, problem.New(problem.Invalid, "Choose what to import: organisations or memberships.")
	}
	if !MayImport(actor) {
		return nil, nil, problem.NotFoundf("")
	}
	switch kind {
	case Organisations:
		rep, rows, err := checkOrganisations(ctx, im.db.Read(), actor, name, data)
		if err != nil || !rep.OK() || !commit {
			return rep, nil, err
		}
		res, err := im.storeOrganisations(ctx, actor, rep, rows, inTx)
		return rep, res, err
	default:
		rep, rows, err := checkMemberships(ctx, im.db.Read(), actor, name, data)
		if err != nil || !rep.OK() {
			return rep, nil, err
		}
		res, err := im.storeMemberships(ctx, actor, rep, rows, commit, inTx)
		if err != nil || !rep.OK() || !commit {
			return rep, nil, err
		}
		return rep, res, nil
	}
}

// MayImport reports whether the actor may use bulk import: admins, BSO
// staff and cluster managers, the roles that register organisations and
// members.
func MayImport(a user.Actor) bool {
	return a.Role == user.Admin || a.Role == user.BSOStaff || a.Role == user.ClusterManager
}

// recordBatch writes the audit entry of the whole import.
func recordBatch(ctx context.Context, tx *sql.Tx, actor user.Actor, rep *Report, created int) error {
	summary := struct {
		Kind     Kind   `json:"kind"`
		File     string `json:"file"`
		Format   string `json:"format"`
		Sheet    string `json:"sheet,omitempty"`
		Encoding string `json:"encoding,omitempty"`
		Rows     int    `json:"rows"`
		Created  int    `json:"created"`
	}{rep.Kind, rep.Source.File, rep.Source.Format, rep.Source.Sheet, rep.Source.Encoding, rep.Rows, created}
	return audit.Record(ctx, tx, actor, "import", "import", fmt.Sprintf("%s:%s", rep.Kind, rep.Source.File), nil, summary)
}
