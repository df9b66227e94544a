package importer

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// BatchTTL is how long a checked file waits for its commit.
const BatchTTL = 2 * time.Hour

// Batch is a checked file kept between the dry run and the commit. The
// file itself is kept, not a re-upload: the commit stores exactly what the
// person saw checked, and checks it once more against the registry as it
// is then (someone may have added the same organisation meanwhile).
type Batch struct {
	Kind        Kind
	File        string
	Rows        int
	Content     []byte
	CommittedAt *time.Time
	Created     int
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// SaveBatch keeps a checked file for its owner and returns the batch's
// unguessable token (256 random bits). Expired batches are removed on the
// way.
func (im *Importer) SaveBatch(ctx context.Context, actor user.Actor, rep *Report, content []byte) (string, error) {
	if actor.UserID == 0 {
		return "", errors.New("save batch: only people's imports are kept between dry run and commit")
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	var packed bytes.Buffer
	zw := gzip.NewWriter(&packed)
	if _, err := zw.Write(content); err != nil {
		return "", err
	}
	if err := zw.Close(); err != nil {
		return "", err
	}
	now := db.Now()
	err := im.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM import_batches WHERE expires_at < $1`, now); err != nil {
			return fmt.Errorf("remove expired import batches: %w", err)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO import_batches (token_hash, user_id, kind, file_name, rows, content, created_at, expires_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`, hashToken(token), actor.UserID, string(rep.Kind), rep.Source.File, rep.Rows, packed.Bytes(), now, now.Add(BatchTTL))
		return err
	})
	if err != nil {
		return "", fmt.Errorf("save import batch: %w", err)
	}
	return token, nil
}

// FindBatch returns the actor's batch with the given token. Another
// person's batch, an expired one or a wrong token are not found.
func (im *Importer) FindBatch(ctx context.Context, actor user.Actor, token string) (*Batch, error) {
	var b Batch
	var kind string
	var packed []byte
	var committed sql.NullTime
	err := im.db.Read().QueryRowContext(ctx, `SELECT kind, file_name, rows, content, committed_at, created FROM import_batches
		WHERE token_hash = $1 AND user_id = $2 AND expires_at > $3`, hashToken(token), actor.UserID, db.Now()).
		Scan(&kind, &b.File, &b.Rows, &packed, &committed, &b.Created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, problem.NotFoundf("This import is not available any more: imports wait %d hours for their commit. Upload the file again.", int(BatchTTL.Hours()))
	}
	if err != nil {
		return nil, fmt.Errorf("find import batch: %w", err)
	}
	b.Kind = Kind(kind)
	if committed.Valid {
		t := committed.Time
		b.CommittedAt = &t
		return &b, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(packed))
	if err != nil {
		return nil, fmt.Errorf("read import batch: %w", err)
	}
	if b.Content, err = io.ReadAll(io.LimitReader(zr, MaxBytes+1)); err != nil {
		return nil, fmt.Errorf("read import batch: %w", err)
	}
	return &b, nil
}

// markCommitted records in the import's own transaction that the batch
// was stored, so that committing twice (a double click, a replayed form)
// cannot store the rows twice.
func markCommitted(ctx context.Context, tx *sql.Tx, token string, created int) error {
	res, err := tx.ExecContext(ctx, `UPDATE import_batches SET committed_at = $1, created = $2, content = $3
		WHERE token_hash = $4 AND committed_at IS NULL`, db.Now(), created, []byte{}, hashToken(token))
	if err != nil {
		return fmt.Errorf("mark import batch: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return problem.Conflictf("This file has already been imported.")
	}
	return nil
}
