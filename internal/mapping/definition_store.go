package mapping

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
)

// The two industry classifications a definition set may use.
const (
	classISIC  = "isic4"
	classNAICS = "naics2012"
)

// SetInfo describes a stored definition set without its clusters.
type SetInfo struct {
	ID              int64      `json:"id"`
	Name            string     `json:"name"`
	Classification  string     `json:"classification"`
	Description     string     `json:"description"`
	Builtin         bool       `json:"builtin"`
	DerivedFrom     int64      `json:"derived_from,omitempty"` // 0: none
	DerivedFromName string     `json:"derived_from_name,omitempty"`
	Clusters        int        `json:"clusters"`
	Industries      int        `json:"industries"`
	CreatedBy       int64      `json:"created_by,omitempty"` // 0: built in or the command line
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
	ArchivedAt      *time.Time `json:"archived_at,omitempty"`
}

// Archived reports whether the set is archived.
func (s *SetInfo) Archived() bool { return s.ArchivedAt != nil }

// SetInput is what a person says about a set they import: its name,
// classification and description. The clusters come separately.
type SetInput struct {
	Name           string `json:"name"`
	Classification string `json:"classification"`
	Description    string `json:"description"`
}

// Limits of a set's texts.
const (
	maxSetName        = 200
	maxSetDescription = 4000
)

const setColumns = `s.id, s.name, s.classification, s.description, s.builtin, COALESCE(s.derived_from, 0), COALESCE(f.name, ''),
	(SELECT COUNT(*) FROM definition_clusters c WHERE c.set_id = s.id),
	(SELECT COUNT(*) FROM definition_industries i WHERE i.set_id = s.id),
	COALESCE(s.created_by, 0), s.created_at, s.updated_at, s.archived_at
	FROM definition_sets s LEFT JOIN definition_sets f ON f.id = s.derived_from`

func scanSet(row interface{ Scan(...any) error }) (*SetInfo, error) {
	var (
		s        SetInfo
		archived sql.NullTime
	)
	if err := row.Scan(&s.ID, &s.Name, &s.Classification, &s.Description, &s.Builtin, &s.DerivedFrom, &s.DerivedFromName,
		&s.Clusters, &s.Industries, &s.CreatedBy, &s.CreatedAt, &s.UpdatedAt, &archived); err != nil {
		return nil, err
	}
	if archived.Valid {
		t := archived.Time
		s.ArchivedAt = &t
	}
	return &s, nil
}

// FindDefinitionSets lists the sets, the built-in ones first, then by name.
// Every signed-in person may read every set.
func (s *Store) FindDefinitionSets(ctx context.Context, includeArchived bool) ([]*SetInfo, error) {
	q := `SELECT ` + setColumns
	if !includeArchived {
		q += ` WHERE s.archived_at IS NULL`
	}
	rows, err := s.db.Read().QueryContext(ctx, q+` ORDER BY s.builtin DESC, lower(s.name), s.id`)
	if err != nil {
		return nil, fmt.Errorf("definition sets: %w", err)
	}
	defer rows.Close()
	var out []*SetInfo
	for rows.Next() {
		set, err := scanSet(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, set)
	}
	return out, rows.Err()
}

// FindDefinitionSet returns one set, archived or not.
func (s *Store) FindDefinitionSet(ctx context.Context, id int64) (*SetInfo, error) {
	return findSet(ctx, s.db.Read(), `s.id = $1`, id)
}

// FindDefinitionSetByName returns the set of that exact name.
func (s *Store) FindDefinitionSetByName(ctx context.Context, name string) (*SetInfo, error) {
	return findSet(ctx, s.db.Read(), `s.name = $1`, strings.TrimSpace(name))
}

func findSet(ctx context.Context, q db.Querier, cond string, arg any) (*SetInfo, error) {
	set, err := scanSet(q.QueryRowContext(ctx, `SELECT `+setColumns+` WHERE `+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, problem.NotFoundf("There is no such definition set.")
	}
	if err != nil {
		return nil, fmt.Errorf("definition set: %w", err)
	}
	return set, nil
}

// LoadDefinitionSet reads a set with its clusters (sorted by code, numbers
// in numeric order), their industries (sorted) and sub-clusters.
func (s *Store) LoadDefinitionSet(ctx context.Context, id int64) (*DefinitionSet, error) {
	return loadSet(ctx, s.db.Read(), id)
}

func loadSet(ctx context.Context, q db.Querier, id int64) (*DefinitionSet, error) {
	info, err := findSet(ctx, q, `s.id = $1`, id)
	if err != nil {
		return nil, err
	}
	set := &DefinitionSet{Name: info.Name, Classification: info.Classification}
	rows, err := q.QueryContext(ctx, `SELECT code, name, type FROM definition_clusters WHERE set_id = $1`, id)
	if err != nil {
		return nil, fmt.Errorf("definition clusters: %w", err)
	}
	at := map[string]int{}
	for rows.Next() {
		var c Cluster
		var typ string
		if err := rows.Scan(&c.Code, &c.Name, &typ); err != nil {
			rows.Close()
			return nil, err
		}
		c.Type, _ = ParseClusterType(typ)
		set.Clusters = append(set.Clusters, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sortClusters(set.Clusters)
	for i, c := range set.Clusters {
		at[c.Code] = i
	}
	rows, err = q.QueryContext(ctx, `SELECT industry, cluster_code, subcluster_code, subcluster_name
		FROM definition_industries WHERE set_id = $1 ORDER BY industry`, id)
	if err != nil {
		return nil, fmt.Errorf("definition industries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ind, cl, sc, scName string
		if err := rows.Scan(&ind, &cl, &sc, &scName); err != nil {
			return nil, err
		}
		i, ok := at[cl]
		if !ok {
			continue // impossible: a foreign key ties industries to clusters
		}
		c := &set.Clusters[i]
		c.Industries = append(c.Industries, ind)
		if sc != "" {
			addToSubcluster(c, sc, scName, ind)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range set.Clusters {
		sortSubclusters(set.Clusters[i].Subclusters)
	}
	return set, nil
}

// addToSubcluster files an industry under a sub-cluster of c, making the
// sub-cluster on first sight.
func addToSubcluster(c *Cluster, code, name, industry string) {
	for i := range c.Subclusters {
		if c.Subclusters[i].Code == code {
			c.Subclusters[i].Industries = append(c.Subclusters[i].Industries, industry)
			return
		}
	}
	c.Subclusters = append(c.Subclusters, Subcluster{Code: code, Name: name, Industries: []string{industry}})
}

// classificationCodes returns the valid industry codes of a classification:
// ISIC Rev.4 classes or six-digit NAICS 2012 codes.
func classificationCodes(ctx context.Context, q db.Querier, classification string) (map[string]bool, error) {
	var query string
	switch classification {
	case classISIC:
		query = `SELECT code FROM isic_codes WHERE level = 'class'`
	case classNAICS:
		query = `SELECT code FROM naics_codes`
	default:
		return nil, fmt.Errorf("unknown classification %q", classification)
	}
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("%s codes: %w", classification, err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out[c] = true
	}
	return out, rows.Err()
}

// definitionTitles returns the titles of industry codes of a classification.
func (s *Store) definitionTitles(ctx context.Context, classification string) (map[string]string, error) {
	table := "isic_codes"
	if classification == classNAICS {
		table = "naics_codes"
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT code, title FROM `+table)
	if err != nil {
		return nil, fmt.Errorf("industry titles: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var c, t string
		if err := rows.Scan(&c, &t); err != nil {
			return nil, err
		}
		out[c] = t
	}
	return out, rows.Err()
}

// isSetClassification reports whether c is a classification sets may use.
func isSetClassification(c string) bool { return c == classISIC || c == classNAICS }
