package mapping

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// SaveDefinitionSet stores set under in's name, classification and
// description: a new set, or, when a set of that name exists, a complete
// replacement of its clusters in one transaction, so that a run never sees
// half a set. Built-in sets are never replaced, and only the set's creator or
// an administrator may replace it. Every industry code must exist in the
// classification (ISIC Rev.4 classes, or NAICS 2012 six-digit codes).
func (s *Store) SaveDefinitionSet(ctx context.Context, actor user.Actor, in SetInput, set *DefinitionSet) (*SetInfo, error) {
	return s.saveSet(ctx, actor, in, set, 0)
}

// saveSet is SaveDefinitionSet recording the set a derived set comes from.
func (s *Store) saveSet(ctx context.Context, actor user.Actor, in SetInput, set *DefinitionSet, derivedFrom int64) (*SetInfo, error) {
	if !MayImport(actor) {
		return nil, problem.Forbiddenf("Your role may not create cluster definition sets.")
	}
	in.Name = strings.TrimSpace(in.Name)
	in.Classification = strings.TrimSpace(in.Classification)
	in.Description = strings.TrimSpace(in.Description)
	if set == nil {
		set = &DefinitionSet{}
	}
	set.Name, set.Classification = in.Name, in.Classification
	if err := s.checkSet(ctx, in, set); err != nil {
		return nil, err
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		old, err := findSet(ctx, tx, `s.name = $1`, in.Name)
		switch {
		case problem.Is(err, problem.NotFound):
			id, err = insertSet(ctx, tx, actor, in, derivedFrom)
			if err != nil {
				return err
			}
			if err := insertClusters(ctx, tx, id, set); err != nil {
				return err
			}
			return audit.Record(ctx, tx, actor, "create", "definition_set", id, nil, auditSet(in, set, derivedFrom))
		case err != nil:
			return err
		case old.Builtin:
			return &problem.Error{Kind: problem.Conflict, Message: "That name belongs to a built-in set, which cannot be replaced.",
				Details: []problem.Detail{{Field: "name", Message: fmt.Sprintf("%q is a built-in set; choose another name.", in.Name)}}}
		case !MayChange(actor, old.CreatedBy):
			return &problem.Error{Kind: problem.Conflict, Message: "A definition set of that name exists and only its creator or an administrator may replace it.",
				Details: []problem.Detail{{Field: "name", Message: fmt.Sprintf("%q is taken; choose another name.", in.Name)}}}
		}
		id = old.ID
		before, err := loadSet(ctx, tx, id)
		if err != nil {
			return err
		}
		for _, q := range []string{`DELETE FROM definition_industries WHERE set_id = $1`, `DELETE FROM definition_clusters WHERE set_id = $1`} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return err
			}
		}
		// Importing a set again is a deliberate act, so it is active again.
		if _, err := tx.ExecContext(ctx, `UPDATE definition_sets SET classification = $1, description = $2, derived_from = $3,
			updated_at = $4, archived_at = NULL WHERE id = $5`, in.Classification, in.Description, nullID(derivedFrom), db.Now(), id); err != nil {
			return err
		}
		if err := insertClusters(ctx, tx, id, set); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, "replace", "definition_set", id,
			auditSet(SetInput{Name: old.Name, Classification: old.Classification, Description: old.Description}, before, old.DerivedFrom),
			auditSet(in, set, derivedFrom))
	})
	if db.IsUniqueViolation(err) {
		return nil, problem.Conflictf("A definition set named %q was created at the same moment; try again.", in.Name)
	}
	if err != nil {
		return nil, err
	}
	return s.FindDefinitionSet(ctx, id)
}

// CheckDefinitionSet validates a set as SaveDefinitionSet would, storing
// nothing (for dry runs).
func (s *Store) CheckDefinitionSet(ctx context.Context, in SetInput, set *DefinitionSet) error {
	in.Name, in.Classification, in.Description = strings.TrimSpace(in.Name), strings.TrimSpace(in.Classification), strings.TrimSpace(in.Description)
	set.Name, set.Classification = in.Name, in.Classification
	return s.checkSet(ctx, in, set)
}

// checkSet validates the texts and the set, then that every code exists
// in the classification; all problems are reported together.
func (s *Store) checkSet(ctx context.Context, in SetInput, set *DefinitionSet) error {
	var f problem.Fields
	switch {
	case in.Name == "":
		f.Add("name", "Enter a name for the definition set.")
	case utf8.RuneCountInString(in.Name) > maxSetName:
		f.Add("name", "The name is longer than %d characters.", maxSetName)
	}
	if utf8.RuneCountInString(in.Description) > maxSetDescription {
		f.Add("description", "The description is longer than %d characters.", maxSetDescription)
	}
	if !isSetClassification(in.Classification) {
		f.Add("classification", "Choose the classification: isic4 (ISIC Rev.4 classes) or naics2012 (NAICS 2012 codes).")
		set.Classification = ""
	}
	if err := set.Validate(); err != nil {
		for _, d := range problem.As(err).Details {
			if d.Field == "classification" && f.Has("classification") {
				continue
			}
			f = append(f, d)
		}
	}
	if isSetClassification(in.Classification) {
		valid, err := classificationCodes(ctx, s.db.Read(), in.Classification)
		if err != nil {
			return err
		}
		what := "an ISIC Rev.4 class (4 digits, such as 0111)"
		if in.Classification == classNAICS {
			what = "a 2012 NAICS code (6 digits, such as 336411)"
		}
		for ci, c := range set.Clusters {
			for ii, code := range c.Industries {
				if code != "" && !valid[code] {
					f.Add(fmt.Sprintf("clusters[%d].industries[%d]", ci, ii), "Industry %q of cluster %s is not %s.", code, c.label(), what)
				}
			}
		}
	}
	return f.Err()
}

func insertSet(ctx context.Context, tx *sql.Tx, actor user.Actor, in SetInput, derivedFrom int64) (int64, error) {
	var createdBy any
	if actor.UserID != 0 {
		createdBy = actor.UserID
	}
	now := db.Now()
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO definition_sets (name, classification, description, builtin, derived_from, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, FALSE, $4, $5, $6, $6) RETURNING id`,
		in.Name, in.Classification, in.Description, nullID(derivedFrom), createdBy, now).Scan(&id)
	return id, err
}

// insertClusters writes a set's clusters and industries with multi-row
// statements (a set has up to about a thousand codes).
func insertClusters(ctx context.Context, tx *sql.Tx, id int64, set *DefinitionSet) error {
	var clusters, industries [][]any
	for _, c := range set.Clusters {
		clusters = append(clusters, []any{id, c.Code, c.Name, c.Type.String()})
		sub := map[string]*Subcluster{}
		for i := range c.Subclusters {
			for _, ind := range c.Subclusters[i].Industries {
				sub[ind] = &c.Subclusters[i]
			}
		}
		for _, ind := range c.Industries {
			sc := Subcluster{}
			if p := sub[ind]; p != nil {
				sc = *p
			}
			industries = append(industries, []any{id, ind, c.Code, sc.Code, sc.Name})
		}
	}
	if err := db.InsertRows(ctx, tx, `INSERT INTO definition_clusters (set_id, code, name, type)`, 4, clusters, ""); err != nil {
		return fmt.Errorf("definition clusters: %w", err)
	}
	if err := db.InsertRows(ctx, tx, `INSERT INTO definition_industries (set_id, industry, cluster_code, subcluster_code, subcluster_name)`, 5, industries, ""); err != nil {
		return fmt.Errorf("definition industries: %w", err)
	}
	return nil
}

// ArchiveDefinitionSet hides a set from the lists and the explorer's
// choices; runs and derived sets that name it keep working. Archiving an
// archived set changes nothing.
func (s *Store) ArchiveDefinitionSet(ctx context.Context, actor user.Actor, id int64) (*SetInfo, error) {
	return s.setDefinitionSetArchived(ctx, actor, id, true)
}

// RestoreDefinitionSet brings an archived set back to the lists and the
// explorer's choices.
func (s *Store) RestoreDefinitionSet(ctx context.Context, actor user.Actor, id int64) (*SetInfo, error) {
	return s.setDefinitionSetArchived(ctx, actor, id, false)
}

func (s *Store) setDefinitionSetArchived(ctx context.Context, actor user.Actor, id int64, archive bool) (*SetInfo, error) {
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		set, err := findSet(ctx, tx, `s.id = $1`, id)
		if err != nil {
			return err
		}
		if !MayChange(actor, set.CreatedBy) {
			return problem.Forbiddenf("Only the set's creator or an administrator may archive or restore it.")
		}
		if set.Archived() == archive {
			return nil
		}
		now := db.Now()
		var at *time.Time
		action := "restore"
		if archive {
			at, action = &now, "archive"
		}
		if _, err := tx.ExecContext(ctx, `UPDATE definition_sets SET archived_at = $1, updated_at = $2 WHERE id = $3`, at, now, id); err != nil {
			return err
		}
		after := *set
		after.ArchivedAt, after.UpdatedAt = at, now
		return audit.Record(ctx, tx, actor, action, "definition_set", id, set, after)
	})
	if err != nil {
		return nil, err
	}
	return s.FindDefinitionSet(ctx, id)
}

// auditSet is what the audit log keeps of a set: its texts and clusters.
func auditSet(in SetInput, set *DefinitionSet, derivedFrom int64) any {
	return struct {
		SetInput
		DerivedFrom int64     `json:"derived_from,omitempty"`
		Clusters    []Cluster `json:"clusters"`
	}{in, derivedFrom, set.Clusters}
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
